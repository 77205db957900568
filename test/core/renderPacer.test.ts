// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import {RenderPacer} from '../../src/core/renderPacer.js';

/**
 * Plays change times (ms, ascending) through a pacer the way the controller uses it: a change
 * schedules one render unless one is pending; optional ticks render at once (the elapsed-time
 * label). Returns when each render happened and, for every change, how long it waited to be
 * on screen.
 */
function play(changes: number[], ticks: number[] = []): {renders: number[]; waits: number[]} {
    const pacer = new RenderPacer();
    const renders: number[] = [];
    const waits: number[] = [];
    let pending: number | null = null;
    let unshown: number[] = [];
    const render = (at: number) => {
        pacer.rendered(at);
        renders.push(at);
        waits.push(...unshown.map(t => at - t));
        unshown = [];
    };
    const timeline = [...changes.map(at => ({at, tick: false})), ...ticks.map(at => ({at, tick: true}))]
        .sort((a, b) => a.at - b.at || Number(a.tick) - Number(b.tick));
    for (const {at, tick} of timeline) {
        if (pending !== null && pending <= at) {
            render(pending);
            pending = null;
        }
        if (tick) {
            render(at);
            continue;
        }
        unshown.push(at);
        pacer.changed();
        if (pending === null)
            pending = at + pacer.delay(at);
    }
    if (pending !== null)
        render(pending);
    return {renders, waits};
}

const every = (fromMs: number, toMs: number, stepMs: number) =>
    Array.from({length: Math.floor((toMs - fromMs) / stepMs)}, (_, i) => fromMs + i * stepMs);

describe('RenderPacer', () => {
    it('shows every change at once at the daemon\'s real rate, elapsed-time ticks included', () => {
        const {renders, waits} = play(every(10_000, 70_000, 1000).map(t => t + 300), every(10_000, 70_000, 1000));
        expect(Math.max(...waits)).toBe(0);
        expect(renders).toHaveLength(120);
    });

    it('coalesces a short run of changes to one repaint every 250 ms', () => {
        // 100 changes a second for 2 s: under the flood threshold.
        const {renders, waits} = play(every(5000, 7000, 10));
        expect(renders.length).toBeLessThanOrEqual(9);
        expect(Math.max(...waits)).toBeLessThanOrEqual(250);
    });

    it('repaints about once a second during a flood, and shows its end within a second', () => {
        const flood = every(5000, 35_000, 1);
        const {renders, waits} = play(flood);
        expect(renders.length).toBeLessThanOrEqual(35);
        expect(renders.length).toBeGreaterThanOrEqual(28);
        expect(renders.at(-1)! - flood.at(-1)!).toBeLessThanOrEqual(1000);
        expect(Math.max(...waits)).toBeLessThanOrEqual(1000);
    });

    it('is prompt again once the flood is over', () => {
        const {waits} = play([...every(5000, 10_000, 1), 12_000, 13_000, 13_100]);
        expect(waits.slice(-3)).toEqual([0, 0, 150]);
    });

    it('shows the end of a 5,000-event catch-up burst within a second', () => {
        const burst = every(1000, 1200, 0.04);
        const {renders} = play(burst);
        expect(renders[0]).toBe(1000);
        expect(renders.at(-1)! - burst.at(-1)!).toBeLessThanOrEqual(1000);
        expect(renders.length).toBeLessThanOrEqual(3);
    });

    it('says when the last repaint covered a flood, so a seconds ticker can carry the repaints', () => {
        const pacer = new RenderPacer();
        for (let i = 0; i < 500; i++)
            pacer.changed();
        pacer.rendered(1500);
        expect(pacer.flooding).toBe(true);
        pacer.changed();
        pacer.rendered(2500);
        expect(pacer.flooding).toBe(false);
    });

    it('counts a read of many events as that many changes', () => {
        const pacer = new RenderPacer();
        pacer.changed(400);
        pacer.rendered(1000);
        expect(pacer.flooding).toBe(true);
        expect(pacer.delay(1000)).toBe(1000);
    });
});
