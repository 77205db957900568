// SPDX-License-Identifier: GPL-2.0-or-later
import {beforeEach, describe, expect, it} from 'vitest';
import {parseLine} from '../../src/core/protocol.js';
import {type Action, type ConnectionProblem, DEFAULT_STALE_AFTER_MS, initialState, reduce, type SessionState, staleAt} from '../../src/core/sessionState.js';
import {MAX_TRANSCRIPT_CHARS} from '../../src/core/sessionEvents.js';

const SOCKET = '/run/user/1000/swictation_metrics.sock';

// Builders for the lines the daemon sends, with its real shapes and values.
const stateChange = (state: string, timestamp = 1699000000.0) => ({type: 'state_change', state, timestamp});
const sessionStart = (id: number, timestamp = 1699000001.0) => ({type: 'session_start', session_id: id, timestamp});
const sessionEnd = (id: number, timestamp = 1699000042.5) => ({type: 'session_end', session_id: id, timestamp});
const said = (text: string, clock = '14:23:15', latency = 234.5) =>
    ({type: 'transcription', text, timestamp: clock, wpm: 145.2, latency_ms: latency, words: text.split(' ').length});
const metrics = (state: string, sessionId: number | null, totals: Record<string, unknown> = {}) => ({
    type: 'metrics_update', state, session_id: sessionId, segments: 0, words: 0, wpm: 0.0, duration_s: 0.0, latency_ms: null,
    gpu_memory_mb: 1823.4, gpu_memory_percent: 45.2, cpu_percent: 18.44660186767578, ...totals,
});

/** Drives the reducer the way the transport does, through real protocol lines. */
class Client {
    state: SessionState;
    now = 1_000;

    constructor(opts: { maxSegments?: number } = {}) {
        this.state = initialState({...opts, at: 0});
    }

    do(action: Action): SessionState {
        this.state = reduce(this.state, action);
        return this.state;
    }

    at(ms: number): this {
        this.now = ms;
        return this;
    }

    send(...objects: object[]): this {
        for (const object of objects) {
            const result = parseLine(JSON.stringify(object));
            if (!result.ok)
                throw new Error(result.error);
            this.do({type: 'event', at: this.now, event: result.event, warnings: result.warnings.length});
        }
        return this;
    }

    connect(): this {
        this.do({type: 'connecting', at: this.now, socketPath: SOCKET});
        this.do({type: 'connected', at: this.now});
        return this;
    }

    disconnect(problem: ConnectionProblem = 'closed', detail?: string): this {
        this.do({type: 'disconnected', at: this.now, problem, detail, retryAt: this.now + 250});
        return this;
    }

    get texts(): string[] {
        return this.state.transcript.map(s => s.text);
    }

    get keys(): number[] {
        return this.state.transcript.map(s => s.key);
    }
}

describe('a day with the daemon, as the user sees it', () => {
    let c: Client;
    beforeEach(() => {
        c = new Client();
    });

    it('walks from idle through dictation, a reconnect mid-session, and a daemon restart', () => {
        // Before anything: not connected, nothing known.
        expect(c.state.connection.status).toBe('disconnected');
        expect(c.state.daemonState).toBeNull();

        // Connect to an idle daemon that has not had a session yet.
        c.connect();
        expect(c.state.connection).toMatchObject({status: 'connected', socketPath: SOCKET, problem: null});
        expect(c.state.daemonState).toBeNull();
        c.send(stateChange('idle'), metrics('idle', null));
        expect(c.state.daemonState).toBe('idle');
        expect(c.state.sessionId).toBeNull();
        expect(c.state.recordingSince).toBeNull();
        expect(c.state.system.cpuPercent).toBeCloseTo(18.4466, 4);

        // Toggle: session_start, then recording.
        c.at(10_000).send(sessionStart(7), stateChange('recording'));
        expect(c.state.daemonState).toBe('recording');
        expect(c.state.sessionId).toBe(7);
        expect(c.state.recordingSince).toBe(10_000);
        c.at(12_000).send(said("Let's meet at ten."), metrics('recording', 7, {segments: 1, words: 4, wpm: 145.2, duration_s: 1.65, latency_ms: 234.5}));
        c.at(15_000).send(said('Bring <b>the</b> notes & "slides" 📎'));
        expect(c.texts).toEqual(["Let's meet at ten.", 'Bring <b>the</b> notes & "slides" 📎']);
        expect(c.state.session).toEqual({words: 4, segments: 1, wpm: 145.2, durationS: 1.65, latencyMs: 234.5});
        expect(c.state.recordingSince).toBe(10_000);

        // Stop: last segment, session_end, idle. The transcript stays.
        c.at(20_000).send(said('Bye.', '14:23:40', 180.0), sessionEnd(7), stateChange('idle'),
            metrics('idle', 7, {segments: 3, words: 12, wpm: 130.0, duration_s: 5.5, latency_ms: 180.0}));
        expect(c.state.daemonState).toBe('idle');
        expect(c.state.recordingSince).toBeNull();
        expect(c.texts).toHaveLength(3);
        expect(c.state.sessionId).toBe(7);
        expect(c.state.session.words).toBe(12);

        // A new session clears the transcript; latency carries over until measured again.
        c.at(30_000).send(sessionStart(8), stateChange('recording'));
        expect(c.texts).toEqual([]);
        expect(c.state.session).toEqual({words: 0, segments: 0, wpm: null, durationS: 0, latencyMs: 180.0});
        c.at(31_000).send(said('One.'), said('Two.'), metrics('recording', 8, {segments: 2, words: 2}));
        const heldKeys = c.keys;

        // The connection drops mid-session: no stale "recording", history stays.
        c.at(32_000).disconnect('closed', 'connection reset');
        expect(c.state.connection).toMatchObject({status: 'disconnected', problem: 'closed', detail: 'connection reset', retryAt: 32_250});
        expect(c.state.daemonState).toBeNull();
        expect(c.state.recordingSince).toBeNull();
        expect(c.state.system.cpuPercent ?? null).toBeNull();
        expect(c.texts).toEqual(['One.', 'Two.']);

        // Back 3 s later; one more segment was said meanwhile. The catch-up re-sends all three.
        c.at(35_000).connect().send(stateChange('recording', 1699000035.0), sessionStart(8, 1699000035.0), said('One.'), said('Two.'), said('Three.'));
        expect(c.texts).toEqual(['One.', 'Two.', 'Three.']);
        expect(c.keys.slice(0, 2)).toEqual(heldKeys);
        expect(c.state.daemonState).toBe('recording');
        expect(c.state.recordingSince).toBe(30_000);
        c.at(35_500).send(said('Four.'), metrics('recording', 8, {segments: 4, words: 4}));
        expect(c.texts).toEqual(['One.', 'Two.', 'Three.', 'Four.']);
        c.at(36_000).send(sessionEnd(8), stateChange('idle'), metrics('idle', 8, {segments: 4, words: 4, latency_ms: 210.0}));

        // The daemon restarts: refused while it is down, then a new daemon with no sessions.
        c.at(40_000).disconnect('refused', 'Connection refused');
        c.at(40_250).do({type: 'connecting', at: 40_250, socketPath: SOCKET});
        expect(c.state.connection).toMatchObject({status: 'connecting', problem: 'refused'});
        c.at(40_300).disconnect('not-found');
        c.at(45_000).connect().send(stateChange('idle', 1699000045.0));
        c.at(46_000).send(metrics('idle', null, {gpu_memory_mb: 0.0, gpu_memory_percent: 0.0}));
        // Decision: the user still sees the last session's words and totals (the daemon
        // forgot them, the user did not); the next session_start clears them.
        expect(c.state.daemonState).toBe('idle');
        expect(c.texts).toEqual(['One.', 'Two.', 'Three.', 'Four.']);
        expect(c.state.sessionId).toBe(8);
        expect(c.state.session).toMatchObject({words: 4, segments: 4, latencyMs: 210.0});
        expect(c.state.system).toMatchObject({gpuMemoryMb: 0, gpuMemoryPercent: 0, cpuPercent: 18.44660186767578});
        c.at(50_000).send(sessionStart(1), stateChange('recording'), said('Fresh start.'));
        expect(c.texts).toEqual(['Fresh start.']);
        expect(c.state.sessionId).toBe(1);
    });
});

describe('catch-up on connect', () => {
    function sessionOf(c: Client, id: number, texts: string[]): void {
        c.send(sessionStart(id), stateChange('recording'), ...texts.map(t => said(t)), sessionEnd(id), stateChange('idle'), metrics('idle', id, {segments: texts.length}));
    }

    it('keeps the transcript when an idle catch-up re-sends it, object for object', () => {
        const c = new Client().connect().send(stateChange('idle'));
        sessionOf(c, 7, ['a', 'b', 'a']);
        const before = c.state.transcript;
        c.disconnect().connect().send(stateChange('idle'), said('a'), said('b'), said('a'));
        expect(c.state.transcript).toBe(before);
        c.send(metrics('idle', 7, {segments: 3}));
        expect(c.state.transcript).toBe(before);
    });

    it('keeps the transcript when the catch-up brings no segments (a new daemon)', () => {
        const c = new Client().connect().send(stateChange('idle'));
        sessionOf(c, 7, ['a', 'b']);
        c.disconnect().connect().send(stateChange('idle'), metrics('idle', null));
        expect(c.texts).toEqual(['a', 'b']);
    });

    it("replaces a transcript the daemon no longer has with the daemon's last session", () => {
        const c = new Client().connect().send(stateChange('idle'));
        sessionOf(c, 7, ['old one', 'old two']);
        // While we were away, session 8 ran and ended.
        c.disconnect().connect().send(stateChange('idle'), said('new one'), said('new two'), said('new three'));
        c.send(metrics('idle', 8, {segments: 3}));
        expect(c.texts).toEqual(['new one', 'new two', 'new three']);
        expect(c.state.sessionId).toBe(8);
    });

    it('clears at once when the catch-up announces a session we do not hold', () => {
        const c = new Client().connect().send(stateChange('idle'));
        sessionOf(c, 7, ['a', 'b']);
        c.disconnect().connect().send(stateChange('recording'), sessionStart(9));
        expect(c.texts).toEqual([]);
        c.send(said('x'), said('y'));
        expect(c.texts).toEqual(['x', 'y']);
    });

    it('fills in a segment missed in the middle, in order', () => {
        const c = new Client().connect().send(stateChange('idle'), sessionStart(5), stateChange('recording'), said('one'), said('three'));
        c.disconnect().connect().send(stateChange('recording'), sessionStart(5), said('one'), said('two'), said('three'), metrics('recording', 5));
        expect(c.texts).toEqual(['one', 'two', 'three']);
    });

    it('matches a full transcript against a longer replay without duplicates', () => {
        const c = new Client({maxSegments: 3}).connect().send(stateChange('idle'), sessionStart(5), stateChange('recording'));
        c.send(...['a', 'b', 'c', 'b', 'a'].map(t => said(t)));
        expect(c.texts).toEqual(['c', 'b', 'a']);
        const [, keyB, keyA] = c.keys;
        c.disconnect().connect().send(stateChange('recording'), sessionStart(5));
        const shown: string[] = [];
        for (const text of ['a', 'b', 'c', 'b', 'a', 'd']) {
            c.send(said(text));
            shown.push(c.texts.join(''));
        }
        // Held segments keep their keys and nothing flickers while the replay catches up.
        expect(shown).toEqual(['cba', 'cba', 'cba', 'cba', 'cba', 'bad']);
        c.send(metrics('recording', 5));
        expect(c.texts).toEqual(['b', 'a', 'd']);
        expect(c.keys.slice(0, 2)).toEqual([keyB, keyA]);
        // And the next reconnect still lines up.
        c.disconnect().connect().send(stateChange('recording'), sessionStart(5), ...['a', 'b', 'c', 'b', 'a', 'd'].map(t => said(t)), metrics('recording', 5));
        expect(c.texts).toEqual(['b', 'a', 'd']);
        expect(c.keys.slice(0, 2)).toEqual([keyB, keyA]);
    });

    it('never drops text said twice in a live session', () => {
        const c = new Client().connect().send(stateChange('idle'), sessionStart(5), stateChange('recording'), metrics('recording', 5));
        c.send(said('Yes.'), said('Yes.'), said('Yes.'));
        expect(c.texts).toEqual(['Yes.', 'Yes.', 'Yes.']);
        expect(new Set(c.keys).size).toBe(3);
    });

    it('appends a live segment right after the catch-up even if its text was said before', () => {
        const c = new Client().connect().send(stateChange('idle'), sessionStart(5), stateChange('recording'), said('Yes.'), said('No.'));
        c.disconnect().connect().send(stateChange('recording'), sessionStart(5), said('Yes.'), said('No.'));
        // Live, before the first metrics_update ends the catch-up.
        c.send(said('Yes.'));
        expect(c.texts).toEqual(['Yes.', 'No.', 'Yes.']);
        c.send(metrics('recording', 5));
        expect(c.texts).toEqual(['Yes.', 'No.', 'Yes.']);
    });

    it('treats a second state_change as live and ends the catch-up', () => {
        const c = new Client().connect().send(stateChange('idle'), sessionStart(5), stateChange('recording'), said('a'));
        c.disconnect().connect().send(stateChange('idle'), said('a'), stateChange('recording'));
        expect(c.state.daemonState).toBe('recording');
        expect(c.state.catchUp).toBeNull();
    });
});

describe('out-of-order and missed events', () => {
    it('lets the last state received win, and the 1 s metrics repair it', () => {
        const c = new Client().connect().send(stateChange('idle'), metrics('idle', null));
        // metrics_update "recording" overtakes session_start and state_change.
        c.at(5_000).send(metrics('recording', 3)).at(5_010).send(sessionStart(3), stateChange('recording'));
        expect(c.state.daemonState).toBe('recording');
        expect(c.state.recordingSince).toBe(5_000);
        // At stop, a metrics_update computed before the stop arrives after state_change idle.
        c.at(9_000).send(sessionEnd(3), stateChange('idle'), metrics('recording', 3));
        expect(c.state.daemonState).toBe('recording');
        c.at(10_000).send(metrics('idle', 3));
        expect(c.state.daemonState).toBe('idle');
        expect(c.state.recordingSince).toBeNull();
    });

    it('repairs a missed state_change within one metrics_update', () => {
        const c = new Client().connect().send(stateChange('idle'), metrics('idle', null), sessionStart(4));
        expect(c.state.daemonState).toBe('idle');
        c.send(metrics('recording', 4));
        expect(c.state.daemonState).toBe('recording');
    });

    it('shows an unknown state as unknown, but a metrics_update without state changes nothing', () => {
        const c = new Client().connect().send(stateChange('recording'));
        c.send({type: 'metrics_update', session_id: 2});
        expect(c.state.daemonState).toBe('recording');
        c.send(stateChange('paused'));
        expect(c.state.daemonState).toBeNull();
        expect(c.state.recordingSince).toBeNull();
        c.send(stateChange('processing'));
        expect(c.state.daemonState).toBe('processing');
    });
});

describe('connection liveness', () => {
    it('goes stale after a silence once the 1 s metrics have started, and recovers on the next event', () => {
        const c = new Client().at(0).connect().send(stateChange('idle'));
        // After the catch-up a daemon may take a while to send its first metrics: not stale yet.
        expect(c.do({type: 'tick', at: 15_000}).connection.status).toBe('connected');
        c.at(15_000).send(metrics('idle', null));
        const before = c.state;
        expect(c.do({type: 'tick', at: 20_000})).toBe(before);
        c.do({type: 'tick', at: 20_001});
        expect(c.state.connection).toMatchObject({status: 'stale', since: 20_001});
        c.at(21_000).send(metrics('idle', null));
        expect(c.state.connection).toMatchObject({status: 'connected', since: 21_000});
    });

    it('ends "the daemon is still starting" in a bounded time: a catch-up then silence goes stale', () => {
        const c = new Client().at(0).connect().send(stateChange('idle'));
        expect(c.do({type: 'tick', at: 4 * DEFAULT_STALE_AFTER_MS}).connection.status).toBe('connected');
        expect(c.do({type: 'tick', at: 4 * DEFAULT_STALE_AFTER_MS + 1}).connection.status).toBe('stale');
    });

    it('goes stale when a connection carries nothing at all, not even the catch-up', () => {
        const c = new Client().at(1000).connect();
        expect(c.do({type: 'tick', at: 6000}).connection.status).toBe('connected');
        expect(c.do({type: 'tick', at: 6001}).connection.status).toBe('stale');
        c.at(7000).send(stateChange('idle'));
        expect(c.state.connection.status).toBe('connected');
    });

    it('says when the connection turns stale, so the transport ticks then and not on a beat', () => {
        const c = new Client().at(1000).connect();
        expect(staleAt(c.state)).toBe(6000);
        c.at(2000).send(stateChange('idle'));
        expect(staleAt(c.state)).toBe(2000 + 4 * DEFAULT_STALE_AFTER_MS);
        c.at(3000).send(metrics('idle', null));
        expect(staleAt(c.state)).toBe(8000);
        // Exactly what a tick at that time finds: still connected at it, stale a moment later.
        expect(c.do({type: 'tick', at: 8000}).connection.status).toBe('connected');
        c.do({type: 'tick', at: 8001});
        expect(staleAt(c.state)).toBeNull();
    });

    it('ignores ticks while not connected', () => {
        const c = new Client();
        expect(c.do({type: 'tick', at: 99_999})).toBe(c.state);
    });

    it('does not churn on repeated connection reports', () => {
        const c = new Client().disconnect('refused');
        const s = c.state;
        expect(c.do({type: 'disconnected', at: 5_000, problem: 'refused', retryAt: c.now + 250})).toBe(s);
        c.do({type: 'connecting', at: 6_000, socketPath: SOCKET});
        const connecting = c.state;
        expect(c.do({type: 'connecting', at: 7_000, socketPath: SOCKET})).toBe(connecting);
    });

    it('tracks a different problem on a new report', () => {
        const c = new Client().disconnect('not-found');
        c.do({type: 'disconnected', at: 2_000, problem: 'foreign-owner', detail: 'owned by uid 1001'});
        expect(c.state.connection).toMatchObject({problem: 'foreign-owner', detail: 'owned by uid 1001', retryAt: null});
    });
});

describe('transcript bounds and counters', () => {
    it('keeps the newest maxSegments, oldest first, with increasing keys', () => {
        const c = new Client({maxSegments: 3}).connect().send(stateChange('idle'), sessionStart(1));
        c.send(...['1', '2', '3', '4', '5'].map(t => said(t)));
        expect(c.texts).toEqual(['3', '4', '5']);
        expect(c.keys).toEqual([...c.keys].sort((a, b) => a - b));
        c.do({type: 'configure', maxSegments: 2});
        expect(c.texts).toEqual(['4', '5']);
        const s = c.state;
        expect(c.do({type: 'configure', maxSegments: 2})).toBe(s);
    });

    it('counts events, unknown types, field warnings, malformed and oversized lines', () => {
        const c = new Client().connect();
        c.send(stateChange('idle'), {type: 'vad_level', level: 0.1}, {type: 'metrics_update', state: 'idle', cpu_percent: 'hot', wpm: true});
        c.do({type: 'malformed', at: 1});
        c.do({type: 'oversized', at: 2, count: 2});
        c.do({type: 'oversized', at: 3, count: 1});
        expect(c.state.counters).toEqual({events: 3, malformedLines: 1, unknownEvents: 1, oversizedLines: 3, fieldWarnings: 2});
        expect(c.do({type: 'oversized', at: 4, count: 0})).toBe(c.state);
    });

    it('keeps unchanged metrics objects, so an idle second re-renders nothing', () => {
        const c = new Client().connect().send(stateChange('idle'), metrics('idle', null));
        const {session, system, transcript} = c.state;
        c.send(metrics('idle', null));
        expect(c.state.session).toBe(session);
        expect(c.state.system).toBe(system);
        expect(c.state.transcript).toBe(transcript);
    });
});

describe('transcript bound in text as well as in segments (issue 11, case 5)', () => {
    const megabyte = (n: number) => `${n} ${'x'.repeat(1024 * 1024)}`;

    it('keeps fifty 1 MiB segments to a bounded amount of text, newest whole', () => {
        const c = new Client().at(1000).connect().send(stateChange('recording'), sessionStart(7), metrics('recording', 7));
        for (let i = 1; i <= 50; i++)
            c.send(said(megabyte(i)));
        const total = c.state.transcript.reduce((n, s) => n + s.text.length, 0);
        // Before: all fifty kept, 50 MiB of text.
        expect(total).toBeLessThanOrEqual(MAX_TRANSCRIPT_CHARS + 1024 * 1024 + 8);
        expect(c.texts.at(-1)).toBe(megabyte(50));
        expect(c.state.trimmed + c.state.transcript.length).toBe(50);
    });

    it('drops the oldest segments to make room, and keeps ordinary sessions whole', () => {
        const c = new Client().at(1000).connect().send(stateChange('recording'), sessionStart(7), metrics('recording', 7));
        for (let i = 1; i <= 40; i++)
            c.send(said(`Sentence number ${i} of a perfectly ordinary session.`));
        expect(c.state.transcript.length).toBe(40);
        const big = 'y'.repeat(MAX_TRANSCRIPT_CHARS - 100);
        c.send(said(big));
        expect(c.texts.at(-1)).toBe(big);
        expect(c.state.transcript.reduce((n, s) => n + s.text.length, 0)).toBeLessThanOrEqual(MAX_TRANSCRIPT_CHARS);
        expect(c.state.trimmed).toBe(41 - c.state.transcript.length);
        expect(c.state.transcript.length).toBeGreaterThan(1);
    });

    it('bounds a catch-up replay of huge segments the same way', () => {
        const c = new Client().at(1000).connect().send(stateChange('idle'));
        for (let i = 1; i <= 20; i++)
            c.send(said(megabyte(i)));
        c.send(metrics('idle', null));
        expect(c.state.transcript.reduce((n, s) => n + s.text.length, 0)).toBeLessThanOrEqual(MAX_TRANSCRIPT_CHARS + 1024 * 1024 + 8);
        expect(c.texts.at(-1)).toBe(megabyte(20));
    });
});
