// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import type {SessionState} from '../../src/core/sessionState.js';
import {SessionStore} from '../../src/core/sessionStore.js';

describe('SessionStore', () => {
    it('starts from its clock and options', () => {
        const store = new SessionStore({maxSegments: 7, staleAfterMs: 9000, now: () => 1234});
        expect(store.state.connection).toMatchObject({status: 'disconnected', since: 1234});
        expect(store.state.maxSegments).toBe(7);
        expect(store.state.staleAfterMs).toBe(9000);
    });

    it('notifies synchronously, and only when the state changed', () => {
        const store = new SessionStore({now: () => 0});
        const seen: SessionState[] = [];
        store.subscribe(s => seen.push(s));
        store.dispatch({type: 'tick', at: 1});
        expect(seen).toEqual([]);
        store.dispatch({type: 'connecting', at: 2, socketPath: '/s'});
        expect(seen).toHaveLength(1);
        expect(seen[0]).toBe(store.state);
        store.dispatch({type: 'connecting', at: 3, socketPath: '/s'});
        expect(seen).toHaveLength(1);
    });

    it('unsubscribes, even from inside a notification', () => {
        const store = new SessionStore({now: () => 0});
        const calls: string[] = [];
        const offA = store.subscribe(() => {
            calls.push('a');
            offA();
        });
        store.subscribe(() => calls.push('b'));
        store.dispatch({type: 'connecting', at: 1, socketPath: '/s'});
        store.dispatch({type: 'connected', at: 2});
        expect(calls).toEqual(['a', 'b', 'b']);
    });

    it('tells every listener even when one throws, then reports the failure', () => {
        const store = new SessionStore({now: () => 0});
        let told = 0;
        store.subscribe(() => {
            throw new Error('boom');
        });
        store.subscribe(() => told++);
        expect(() => store.dispatch({type: 'connecting', at: 1, socketPath: '/s'})).toThrow('boom');
        expect(told).toBe(1);
        expect(store.state.connection.status).toBe('connecting');
    });

    it('ingests lines and describes what was wrong with them, for the log', () => {
        const store = new SessionStore({now: () => 0});
        store.dispatch({type: 'connected', at: 0});
        expect(store.ingestLine('{"type":"state_change","state":"idle","timestamp":1699000000.0}', 1)).toBeNull();
        expect(store.ingestLine('{"type":"state_change","state":"idl', 2)).toBe('malformed line: not JSON (cut off, 35 chars)');
        expect(store.ingestLine('{"type":"vad_level","level":0.2}', 3)).toBe('unknown event type "vad_level" (ignored)');
        expect(store.ingestLine('{"type":"metrics_update","state":"idle","cpu_percent":"hot","wpm":[]}', 4))
            .toBe('metrics_update: wpm: expected a number, got array; cpu_percent: expected a number, got string');
        expect(store.state.daemonState).toBe('idle');
        expect(store.state.counters).toEqual({events: 3, malformedLines: 1, unknownEvents: 1, oversizedLines: 0, fieldWarnings: 2});
        expect(store.state.lastEventAt).toBe(4);
    });

    it('tells views once per read, with its last state, and transitions step by step', () => {
        const store = new SessionStore({now: () => 0});
        store.dispatch({type: 'connected', at: 0});
        const steps: SessionState[] = [];
        const settled: SessionState[] = [];
        store.subscribe(s => steps.push(s));
        store.subscribeSettled(s => settled.push(s));
        store.ingestLines([
            '{"type":"state_change","state":"recording","timestamp":1699000000.0}',
            '{"type":"state_change","state":"idle","timestamp":1699000001.0}',
            '{"type":"state_change","state":"recording","timestamp":1699000002.0}',
        ], 1, () => {});
        expect(steps.map(s => s.daemonState)).toEqual(['recording', 'idle', 'recording']);
        expect(settled).toEqual([store.state]);
        store.ingestLines([], 2, () => {});
        expect(settled).toHaveLength(1);
        store.dispatch({type: 'tick', at: 3});
        expect(settled).toHaveLength(1);
        store.dispatch({type: 'disconnected', at: 4, problem: 'closed', detail: 'gone', retryAt: 5});
        expect(settled).toHaveLength(2);
        expect(settled[1].connection.status).toBe('disconnected');
    });
});
