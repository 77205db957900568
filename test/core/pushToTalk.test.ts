// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import {type HoldEffect, type HoldInput, type HoldState, holdIdle, holdStep} from '../../src/core/pushToTalk.js';

/** Runs the inputs from idle; returns the last state and every effect, in order. */
function run(...inputs: HoldInput[]): {state: HoldState; effects: HoldEffect[]} {
    let state = holdIdle;
    const effects: HoldEffect[] = [];
    for (const input of inputs) {
        const next = holdStep(state, input);
        state = next.state;
        effects.push(...next.effects);
    }
    return {state, effects};
}

const press: HoldInput = {type: 'press', daemon: 'idle', repeat: false};
const repeat: HoldInput = {type: 'press', daemon: 'busy', repeat: true};
const release: HoldInput = {type: 'release'};
const accepted: HoldInput = {type: 'answered', ok: true};
const refused: HoldInput = {type: 'answered', ok: false};
const toggles = (effects: HoldEffect[]) => effects.filter(e => e === 'toggle').length;

describe('push-to-talk', () => {
    it('starts dictation with one toggle at the press, watches the release, and shows the hold', () => {
        const {state, effects} = run(press);
        expect(effects).toEqual(['toggle', 'watch']);
        expect(state.phase).toBe('starting');
        expect(state.held).toBe(true);
        expect(run(press, accepted).state.held).toBe(true);
    });

    it('sends nothing for auto-repeat while held', () => {
        const {state, effects} = run(press, repeat, accepted, repeat, repeat);
        expect(toggles(effects)).toBe(1);
        expect(state.phase).toBe('held');
    });

    it('stops with one toggle at the release, and stops watching', () => {
        const {state, effects} = run(press, accepted, repeat, release);
        expect(effects).toEqual(['toggle', 'watch', 'unwatch', 'toggle']);
        expect(state.phase).toBe('stopping');
        expect(state.held).toBe(false);
        expect(run(press, accepted, release, accepted).state).toEqual(holdIdle);
    });

    it('a tap starts and stops: one toggle each way', () => {
        const {state, effects} = run(press, accepted, release, accepted);
        expect(toggles(effects)).toBe(2);
        expect(state).toEqual(holdIdle);
    });

    it('a release while the start is pending stops exactly once, when the start is answered', () => {
        const pending = run(press, release);
        expect(pending.effects).toEqual(['toggle', 'watch', 'unwatch']);
        expect(pending.state.held).toBe(false);
        const answered = run(press, release, release, accepted);
        expect(toggles(answered.effects)).toBe(2);
        expect(answered.state.phase).toBe('stopping');
        expect(toggles(run(press, release, accepted, release, accepted).effects)).toBe(2);
    });

    it('a start the daemon refuses ends the hold: the release sends nothing', () => {
        const {state, effects} = run(press, refused, release);
        expect(effects).toEqual(['toggle', 'watch', 'unwatch']);
        expect(state).toEqual(holdIdle);
        expect(toggles(run(press, release, refused).effects)).toBe(1);
    });

    it('does nothing, at press or release, while dictation started another way records', () => {
        const busy: HoldInput = {type: 'press', daemon: 'busy', repeat: false};
        expect(run(busy, release)).toEqual({state: holdIdle, effects: []});
        // Once that session is over, the next press starts as usual.
        expect(run(busy, release, press).effects).toEqual(['toggle', 'watch']);
    });

    it('says the daemon is not running, and starts nothing', () => {
        const {state, effects} = run({type: 'press', daemon: 'absent', repeat: false}, release);
        expect(effects).toEqual(['not-running']);
        expect(state).toEqual(holdIdle);
    });

    it('lets go when the daemon stops recording or goes away while held: the release sends nothing', () => {
        const {state, effects} = run(press, accepted, {type: 'ended'}, release);
        expect(effects).toEqual(['toggle', 'watch', 'unwatch']);
        expect(state).toEqual(holdIdle);
        // Before the start is answered the daemon has not begun recording yet: its answer decides.
        expect(run(press, {type: 'ended'}).state.phase).toBe('starting');
    });

    it('stops when the screen locks while held, once, and the release after it sends nothing', () => {
        const held = run(press, accepted, {type: 'lock'}, release, accepted);
        expect(toggles(held.effects)).toBe(2);
        expect(held.state).toEqual(holdIdle);
        const starting = run(press, {type: 'lock'}, release, accepted);
        expect(toggles(starting.effects)).toBe(2);
        expect(run({type: 'lock'}).effects).toEqual([]);
    });

    it('takes a new press while held for the release it never got, and stops', () => {
        // A release can be filtered away, e.g. by a system dialog that opened during the hold.
        const held = run(press, accepted, press);
        expect(toggles(held.effects)).toBe(2);
        expect(held.state.phase).toBe('stopping');
        expect(toggles(run(press, press, accepted).effects)).toBe(2);
    });

    it('ignores a press while the last stop is answered', () => {
        const {effects} = run(press, accepted, release, press);
        expect(toggles(effects)).toBe(2);
    });
});
