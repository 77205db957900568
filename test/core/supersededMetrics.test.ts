// SPDX-License-Identifier: GPL-2.0-or-later
// A read that holds several metrics_updates in a row parses only the last of them (a flood's
// main cost). What the user sees must be exactly what parsing every line gives: the same
// figures, the same catch-up, the same recording run and notifications.
import {describe, expect, it} from 'vitest';

import {mixLines} from '../../bench/lib/mix.js';
import type {SessionState} from '../../src/core/sessionState.js';
import {SessionStore} from '../../src/core/sessionStore.js';
import {
    type MetricsSnapshot, metricsLine, sessionStartLine, stateChangeLine, transcriptionLine,
} from '../../tools/sim/events.js';
import {seededRandom} from '../support/fakeSocket.js';
import {noticeLog} from '../support/noticeLog.js';

const AT = 5_000;

function metrics(over: Partial<MetricsSnapshot> = {}): string {
    return metricsLine({
        state: 'idle', sessionId: 7, segments: 2, words: 9, wpm: 120.5, durationS: 4.5, latencyMs: 210,
        gpuMemoryMb: 1800, gpuMemoryPercent: 22, cpuPercent: 3.5, ...over,
    }).trimEnd();
}

function segment(text: string): string {
    return transcriptionLine({text, timestamp: '14:23:15', wpm: 140, latencyMs: 220, words: text.split(' ').length}).trimEnd();
}

function connectedStore(): SessionStore {
    const store = new SessionStore({now: () => 0});
    store.dispatch({type: 'connecting', at: 1, socketPath: '/run/user/1000/swictation_metrics.sock'});
    store.dispatch({type: 'connected', at: 2});
    return store;
}

/** Everything a view or a notification reads from the state. */
function shown(state: SessionState) {
    return {
        connection: state.connection.status, daemonState: state.daemonState, sessionId: state.sessionId,
        recordingSince: state.recordingSince, session: state.session, system: state.system,
        transcript: state.transcript.map(s => s.text), trimmed: state.trimmed, catchUp: state.catchUp,
        heartbeat: state.heartbeat, lastEventAt: state.lastEventAt, events: state.counters.events,
        malformed: state.counters.malformedLines, warnings: state.counters.fieldWarnings,
    };
}

/** Feeds reads both ways: line by line, and a read at a time. */
function both(reads: string[][]): {lineByLine: SessionStore; byRead: SessionStore; reported: string[]} {
    const lineByLine = connectedStore();
    const byRead = connectedStore();
    const reported: string[] = [];
    reads.forEach((lines, i) => {
        for (const line of lines)
            lineByLine.ingestLine(line, AT + i);
        byRead.ingestLines(lines, AT + i, p => reported.push(p));
    });
    return {lineByLine, byRead, reported};
}

describe('a read with several metrics_updates in a row', () => {
    it('shows the last one\'s figures and counts every event', () => {
        const {byRead} = both([[metrics({words: 1}), metrics({words: 2}), metrics({words: 3, cpuPercent: 40})]]);
        expect(byRead.state.session.words).toBe(3);
        expect(byRead.state.system.cpuPercent).toBe(40);
        expect(byRead.state.counters.events).toBe(3);
    });

    it('does not parse the superseded ones: a cut-off line before a good one is not even seen', () => {
        const cut = metrics({words: 1}).slice(0, 40);
        const {byRead, reported} = both([[cut, metrics({words: 2})]]);
        expect(byRead.state.session.words).toBe(2);
        expect(byRead.state.counters.malformedLines).toBe(0);
        expect(reported).toEqual([]);
    });

    it('keeps the good ones when the last of the run is bad, and reports the bad one', () => {
        const {byRead, lineByLine, reported} = both([[metrics({words: 4}), metrics({words: 5}), metrics({words: 6}).slice(0, 50)]]);
        expect(byRead.state.session.words).toBe(5);
        expect(reported).toEqual([expect.stringMatching(/^malformed line: /)]);
        expect(shown(byRead.state)).toEqual(shown(lineByLine.state));
    });

    it('takes a line that only starts like a metrics_update for what it is', () => {
        // A duplicate key: JSON.parse keeps the last, so this is a transcription.
        const odd = `{"type":"metrics_update","type":"transcription","text":"not a metric","timestamp":"14:00:00","wpm":100,"latency_ms":90,"words":3}`;
        const {byRead, lineByLine} = both([[metrics({words: 1}), odd]]);
        expect(byRead.state.transcript.map(s => s.text)).toEqual(['not a metric']);
        expect(byRead.state.session.words).toBe(1);
        expect(shown(byRead.state)).toEqual(shown(lineByLine.state));
    });

    it('ends a catch-up, so a session started after it in the same read is a new, live one', () => {
        const {byRead, lineByLine} = both([[
            stateChangeLine('idle', 1_699_000_000).trimEnd(), segment('left from session seven'),
            metrics({state: 'idle', sessionId: 7}), metrics({state: 'idle', sessionId: 7}),
            sessionStartLine(8, 1_699_000_009).trimEnd(), stateChangeLine('recording', 1_699_000_009.1).trimEnd(),
        ]]);
        expect(byRead.state.catchUp).toBeNull();
        expect(byRead.state.sessionId).toBe(8);
        expect(byRead.state.daemonState).toBe('recording');
        expect(byRead.state.transcript).toEqual([]);
        expect(shown(byRead.state)).toEqual(shown(lineByLine.state));
    });

    it('starts a recording run once, at the read, and notifies it once', () => {
        const store = connectedStore();
        store.ingestLines([stateChangeLine('idle').trimEnd(), metrics()], AT, () => undefined);
        const notices = noticeLog(store);
        store.ingestLines([metrics({state: 'recording', sessionId: 8}), metrics({state: 'recording', sessionId: 8, words: 3})], AT + 1000, () => undefined);
        expect(store.state.daemonState).toBe('recording');
        expect(store.state.recordingSince).toBe(AT + 1000);
        expect(notices).toEqual(['started']);
    });

    it('shows exactly what parsing every line shows, for a dictation day cut into random reads', () => {
        const lines = mixLines(20_000, 5).map(l => l.trimEnd());
        for (const seed of [1, 2, 3]) {
            const rand = seededRandom(seed);
            const reads: string[][] = [];
            for (let i = 0; i < lines.length;) {
                const n = 1 + Math.floor(rand() * 80);
                reads.push(lines.slice(i, i + n));
                i += n;
            }
            const lineByLine = connectedStore();
            const byRead = connectedStore();
            reads.forEach((read, i) => {
                for (const line of read)
                    lineByLine.ingestLine(line, AT + i);
                byRead.ingestLines(read, AT + i, () => undefined);
                // Compared after every read, not only at the end: the views render in between.
                expect(shown(byRead.state)).toEqual(shown(lineByLine.state));
            });
        }
    });
});
