// SPDX-License-Identifier: GPL-2.0-or-later
// Push-to-talk as a pure state machine: holding the shortcut while the daemon is idle starts
// dictation, releasing it stops the dictation this hold started. The daemon only knows
// "toggle", so every stop must pair with a start this hold made, and a toggle's answer can
// arrive after the key is already up.

export type HoldPhase =
    /** Nothing held, or a press that did nothing (daemon away, or recording another way). */
    | 'idle'
    /** The start toggle is sent and not answered yet. */
    | 'starting'
    /** The daemon records for this hold, and the key is still down. */
    | 'held'
    /** The stop toggle is sent and not answered yet: a press meanwhile is ignored. */
    | 'stopping';

export interface HoldState {
    readonly phase: HoldPhase;
    /** The key is down and this hold is (about to be) dictating: what the top bar shows. */
    readonly held: boolean;
    /** Released (or locked) while starting: stop as soon as the start is answered. */
    readonly stopWhenAnswered: boolean;
}

export type HoldInput =
    /**
     * `daemon`: a toggle now would start dictation ('idle'), act on a session started another
     * way ('busy'), or reach nobody ('absent').
     */
    | { type: 'press'; daemon: 'absent' | 'idle' | 'busy'; repeat: boolean }
    | { type: 'release' }
    | { type: 'answered'; ok: boolean }
    /** The daemon stopped recording (another control, a crash) or went away. */
    | { type: 'ended' }
    /** The screen locks, or the extension is disabled: end the hold as if released. */
    | { type: 'lock' };

/** `watch`/`unwatch`: whatever detects the release runs only between these two. */
export type HoldEffect = 'toggle' | 'watch' | 'unwatch' | 'not-running';

export interface HoldStep {
    state: HoldState;
    effects: HoldEffect[];
}

export const holdIdle: HoldState = Object.freeze({phase: 'idle', held: false, stopWhenAnswered: false});

const STARTING: HoldState = Object.freeze({phase: 'starting', held: true, stopWhenAnswered: false});
const STOP_WHEN_ANSWERED: HoldState = Object.freeze({phase: 'starting', held: false, stopWhenAnswered: true});
const HELD: HoldState = Object.freeze({phase: 'held', held: true, stopWhenAnswered: false});
const STOPPING: HoldState = Object.freeze({phase: 'stopping', held: false, stopWhenAnswered: false});

const same = (state: HoldState): HoldStep => ({state, effects: []});

export function holdStep(state: HoldState, input: HoldInput): HoldStep {
    switch (input.type) {
    case 'press':
        if (input.repeat)
            return same(state);
        // A press while held means its release was missed (filtered away by a system dialog
        // opened during the hold): take this press for it rather than never stop.
        if (state.held)
            return holdStep(state, {type: 'release'});
        if (state.phase !== 'idle')
            return same(state);
        if (input.daemon === 'absent')
            return {state, effects: ['not-running']};
        if (input.daemon === 'busy')
            return same(state);
        return {state: STARTING, effects: ['toggle', 'watch']};
    case 'release':
    case 'lock':
        if (state.phase === 'held')
            return {state: STOPPING, effects: ['unwatch', 'toggle']};
        if (state.phase === 'starting' && !state.stopWhenAnswered)
            return {state: STOP_WHEN_ANSWERED, effects: ['unwatch']};
        return same(state);
    case 'answered':
        if (state.phase === 'stopping')
            return same(holdIdle);
        if (state.phase !== 'starting')
            return same(state);
        if (!input.ok)
            return {state: holdIdle, effects: state.stopWhenAnswered ? [] : ['unwatch']};
        return state.stopWhenAnswered ? {state: STOPPING, effects: ['toggle']} : same(HELD);
    case 'ended':
        return state.phase === 'held' ? {state: holdIdle, effects: ['unwatch']} : same(state);
    }
}
