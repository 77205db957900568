// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import {Backoff} from '../../src/core/backoff.js';

describe('Backoff', () => {
    it('starts at 250 ms and doubles up to 30 s', () => {
        const backoff = new Backoff({jitter: 0});
        const delays = Array.from({length: 10}, () => backoff.next());
        expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
        expect(backoff.attempts).toBe(10);
    });

    it('starts over after a reset (a successful connect)', () => {
        const backoff = new Backoff({jitter: 0});
        backoff.next();
        backoff.next();
        backoff.reset();
        expect(backoff.attempts).toBe(0);
        expect(backoff.next()).toBe(250);
    });

    it('spreads retries with jitter that never exceeds the ceiling', () => {
        const lowest = new Backoff({jitter: 0.5, random: () => 1});
        expect(lowest.next()).toBe(125);
        const highest = new Backoff({jitter: 0.5, random: () => 0});
        for (let i = 0; i < 20; i++)
            expect(highest.next()).toBeLessThanOrEqual(30000);
        const defaults = new Backoff();
        const first = defaults.next();
        expect(first).toBeGreaterThanOrEqual(200);
        expect(first).toBeLessThanOrEqual(250);
    });

    it('stays finite after very many attempts', () => {
        const backoff = new Backoff({jitter: 0});
        for (let i = 0; i < 5000; i++)
            backoff.next();
        expect(backoff.next()).toBe(30000);
    });
});
