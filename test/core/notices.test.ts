// SPDX-License-Identifier: GPL-2.0-or-later
// Notifications follow every step of the session state, whatever the renders sample.
import {describe, expect, it} from 'vitest';

import {NoticeWatcher} from '../../src/core/notices.js';
import type {DaemonEvent} from '../../src/core/protocol.js';
import {type Action, initialState, reduce} from '../../src/core/sessionState.js';
import {SessionStore} from '../../src/core/sessionStore.js';
import {noticeLog} from '../support/noticeLog.js';

const SOCKET = '/run/user/1000/swictation_metrics.sock';

/** A store with a watcher subscribed as the controller subscribes it: every dispatch. */
function watched() {
    let at = 1_000;
    const store = new SessionStore({now: () => at});
    const notices = noticeLog(store);
    const ev = (event: DaemonEvent): Action => ({type: 'event', at, event});
    const api = {
        notices,
        store,
        after(ms: number) {
            at += ms;
            return api;
        },
        do(...actions: Action[]) {
            actions.forEach(a => store.dispatch(a));
            return api;
        },
        connect() {
            return api.do({type: 'connecting', at, socketPath: SOCKET}, {type: 'connected', at});
        },
        state(state: 'idle' | 'recording') {
            return api.do(ev({type: 'state_change', state, timestamp: at / 1000}));
        },
        metrics(state: 'idle' | 'recording') {
            // As the daemon writes it (the parser fills in what this test does not care about).
            store.ingestLine(JSON.stringify({type: 'metrics_update', state, session_id: 1, segments: 0, words: 0,
                duration_s: 0, gpu_memory_mb: 0, gpu_memory_percent: 0, cpu_percent: 5}), at);
            return api;
        },
        killed() {
            // What the transport reports for a daemon that vanished: the connection closes, the
            // socket is stale (refused) until a new daemon listens.
            return api.do({type: 'disconnected', at, problem: 'closed', retryAt: at + 250},
                {type: 'connecting', at: at + 250, socketPath: SOCKET},
                {type: 'disconnected', at: at + 251, problem: 'refused', retryAt: at + 750});
        },
    };
    return api;
}

describe('notices', () => {
    it('tells once when the daemon is killed while recording, however long it stays away', () => {
        const w = watched().connect().state('idle').metrics('idle').state('recording').metrics('recording');
        w.after(500).killed().after(1000).killed();
        expect(w.notices).toEqual(['started', 'lost-while-recording']);
    });

    it('tells once when the daemon comes back within 250 ms (before any render could sample "disconnected")', () => {
        const w = watched().connect().state('recording').metrics('recording');
        w.after(300).do({type: 'disconnected', at: 1300, problem: 'closed', retryAt: 1550},
            {type: 'connecting', at: 1400, socketPath: SOCKET}, {type: 'connected', at: 1450});
        w.state('idle').metrics('idle');
        expect(w.notices).toEqual(['lost-while-recording']);
    });

    it('tells once when the daemon went stale while recording and then died', () => {
        const w = watched().connect().state('recording').metrics('recording');
        w.after(6000).do({type: 'tick', at: 7000});
        expect(w.store.state.connection.status).toBe('stale');
        w.after(2000).killed();
        expect(w.notices).toEqual(['lost-while-recording']);
    });

    it('says nothing when the daemon quits while idle, or was never reached', () => {
        const w = watched().killed().connect().state('idle').metrics('idle');
        w.after(1000).killed().connect().state('idle');
        expect(w.notices).toEqual([]);
    });

    it('reports starts and stops the user made, not states a reconnect learns', () => {
        const w = watched().connect().state('idle').metrics('idle');
        w.state('recording').metrics('recording').state('idle');
        expect(w.notices).toEqual(['started', 'stopped']);
        // Reconnecting into a running recording: the catch-up says "recording"; nothing started.
        w.killed().connect().state('recording');
        expect(w.notices).toEqual(['started', 'stopped']);
    });

    it('a stale daemon that speaks again with another state is a start or stop like any', () => {
        const w = watched().connect().state('recording').metrics('recording');
        w.after(6000).do({type: 'tick', at: 7000});
        w.state('idle');
        expect(w.notices).toEqual(['stopped']);
    });

    it('observes identical states as nothing', () => {
        const s = reduce(initialState({at: 0}), {type: 'connected', at: 0});
        const watcher = new NoticeWatcher(s);
        expect(watcher.observe(s)).toBeNull();
    });
});
