// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';

import {PROVEN_AFTER_MS, folderAttemptDelay, isProven, nextCheckDelay} from '../../src/core/connectionPolicy.js';
import {parseLine} from '../../src/core/protocol.js';
import {DEFAULT_STALE_AFTER_MS, type SessionState, initialState, reduce} from '../../src/core/sessionState.js';

function connectedAt(at: number): SessionState {
    const state = reduce(initialState({at: 0}), {type: 'connecting', at, socketPath: '/run/user/1000/swictation_metrics.sock'});
    return reduce(state, {type: 'connected', at});
}

function receive(state: SessionState, at: number, event: object): SessionState {
    const parsed = parseLine(JSON.stringify(event));
    if (!parsed.ok)
        throw new Error('bad fixture');
    return reduce(state, {type: 'event', at, event: parsed.event});
}

const metrics = {type: 'metrics_update', state: 'idle', session_id: null, segments: 0, words: 0, wpm: 0, duration_s: 0,
    latency_ms: null, gpu_memory_mb: 0, gpu_memory_percent: 0, cpu_percent: 1};
const idle = {type: 'state_change', state: 'idle', timestamp: 1699000000.0};

describe('when the metrics connection checks on itself', () => {
    it('checks when a connection that heard nothing would turn stale', () => {
        const state = connectedAt(1000);
        expect(nextCheckDelay(state, false, 3000)).toBe(1000 + DEFAULT_STALE_AFTER_MS - 3000 + 1);
    });

    it('checks again when the last metrics_update goes stale, not on a fixed beat', () => {
        const state = receive(connectedAt(1000), 3000, metrics);
        expect(nextCheckDelay(state, true, 4000)).toBe(3000 + DEFAULT_STALE_AFTER_MS - 4000 + 1);
        expect(nextCheckDelay(state, true, 6000)).toBe(3000 + DEFAULT_STALE_AFTER_MS - 6000 + 1);
    });

    it('never waits past 5 s, nor less than 50 ms', () => {
        const state = receive(connectedAt(1000), 3000, metrics);
        expect(nextCheckDelay(state, true, 100_000)).toBe(50);
        expect(nextCheckDelay(initialState({at: 0}), true, 0)).toBe(5000);
    });
});

describe('when a connection has proved itself', () => {
    it('is proved by a metrics_update at once', () => {
        expect(isProven(connectedAt(1000), 1100)).toBe(false);
        expect(isProven(receive(connectedAt(1000), 1100, metrics), 1100)).toBe(true);
    });

    it('is proved by other events only once it stayed up long enough', () => {
        const state = receive(connectedAt(1000), 1100, idle);
        expect(isProven(state, 1000 + PROVEN_AFTER_MS - 1)).toBe(false);
        expect(isProven(state, 1000 + PROVEN_AFTER_MS)).toBe(true);
    });
});

describe('a socket that appears in the folder', () => {
    it('is tried after a short pause, and no sooner than a second after the last such attempt', () => {
        expect(folderAttemptDelay(-Infinity, 5000)).toBe(100);
        expect(folderAttemptDelay(4500, 5000)).toBe(500);
    });
});
