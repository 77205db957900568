// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import {copyOsdText, earlierRows, englishPlural, formatSpan, historyRowText, planCopy} from '../../src/core/historyText.js';
import {present} from '../../src/core/presentation.js';
import {copySource, recordingTransition, SessionHistory, textOf} from '../../src/core/sessionHistory.js';
import type {SessionState} from '../../src/core/sessionState.js';
import {SessionStore} from '../../src/core/sessionStore.js';

const SOCKET = '/run/user/1000/swictation_metrics.sock';
// A local 14:02 on some day, so the row's time does not depend on the test machine's zone.
const T0 = new Date(2026, 11, 2, 14, 2, 0).getTime();

const stateChange = (state: string) => ({type: 'state_change', state, timestamp: 1699000000.0});
const sessionStart = (id: number) => ({type: 'session_start', session_id: id, timestamp: 1699000001.0});
const sessionEnd = (id: number) => ({type: 'session_end', session_id: id, timestamp: 1699000042.5});
const said = (text: string) =>
    ({type: 'transcription', text, timestamp: '14:23:15', wpm: 145.2, latency_ms: 234.5, words: text.split(' ').length});
const metrics = (state: string, sessionId: number | null, words = 0, durationS = 0) => ({
    type: 'metrics_update', state, session_id: sessionId, segments: 0, words, wpm: 0.0, duration_s: durationS, latency_ms: null,
    gpu_memory_mb: 0, gpu_memory_percent: 0, cpu_percent: 1,
});

/** The store, the history subscribed to it as the shell wires them, and a clock. */
class Login {
    now = T0;
    readonly store: SessionStore;
    readonly history: SessionHistory;

    constructor(opts: {limit?: number; maxSegments?: number} = {}) {
        this.store = new SessionStore({maxSegments: opts.maxSegments, now: () => this.now});
        this.history = new SessionHistory({limit: opts.limit, now: () => this.now});
        this.history.observe(this.store.state);
        this.store.subscribe(state => this.history.observe(state));
    }

    get state(): SessionState {
        return this.store.state;
    }

    send(...objects: object[]): this {
        for (const object of objects)
            this.store.ingestLine(JSON.stringify(object), this.now);
        return this;
    }

    after(ms: number): this {
        this.now += ms;
        return this;
    }

    connect(): this {
        this.store.dispatch({type: 'connecting', at: this.now, socketPath: SOCKET});
        this.store.dispatch({type: 'connected', at: this.now});
        return this;
    }

    disconnect(): this {
        this.store.dispatch({type: 'disconnected', at: this.now, problem: 'closed', retryAt: this.now + 250});
        return this;
    }

    /** One dictation from idle: start, the segments, end, idle (the daemon's order). */
    dictate(id: number, texts: string[], seconds = 60): this {
        this.send(sessionStart(id), stateChange('recording'));
        for (const text of texts)
            this.after(1000).send(said(text));
        const words = texts.reduce((n, t) => n + t.split(' ').length, 0);
        this.after(seconds * 1000 - texts.length * 1000).send(metrics('recording', id, words, seconds));
        this.send(sessionEnd(id), stateChange('idle'));
        return this;
    }

    get listed(): string[][] {
        return this.history.sessions.map(s => s.segments.map(x => x.text));
    }
}

describe('earlier sessions', () => {
    it('keeps each session a new one replaces, newest first, with its time, length and words', () => {
        const login = new Login().connect().send(stateChange('idle'));
        login.dictate(1, ['Dear team,', 'the release is on Friday.'], 180);
        expect(login.listed).toEqual([]);
        login.after(60_000).dictate(2, ['Second session here.'], 30);
        expect(login.listed).toEqual([['Dear team,', 'the release is on Friday.']]);
        const first = login.history.sessions[0];
        expect(first).toMatchObject({sessionId: 1, startedAt: T0, words: 7, durationS: 180});
        expect(historyRowText(first, englishPlural, 'en-GB')).toBe('14:02 · 3 min · 7 words');

        login.after(60_000).dictate(3, ['Third.'], 5);
        expect(login.listed).toEqual([['Second session here.'], ['Dear team,', 'the release is on Friday.']]);
        expect(textOf(login.history.sessions[1].segments)).toBe('Dear team,\nthe release is on Friday.');
    });

    it('is bounded to the last sessions, each bounded like the transcript; 0 turns it off', () => {
        const login = new Login({limit: 3, maxSegments: 2}).connect().send(stateChange('idle'));
        for (let id = 1; id <= 6; id++)
            login.dictate(id, [`one ${id}`, `two ${id}`, `three ${id}`]);
        expect(login.listed).toEqual([['two 5', 'three 5'], ['two 4', 'three 4'], ['two 3', 'three 3']]);

        login.history.setLimit(1);
        expect(login.listed).toEqual([['two 5', 'three 5']]);
        login.history.setLimit(0);
        expect(login.listed).toEqual([]);
        login.dictate(7, ['seven']);
        expect(login.listed).toEqual([]);
    });

    it('lists no session that said nothing, even after toggles in quick succession', () => {
        const login = new Login().connect().send(stateChange('idle'));
        login.dictate(1, ['kept']);
        for (let id = 2; id <= 5; id++)
            login.dictate(id, [], 1);
        login.dictate(6, ['later']);
        login.dictate(7, []);
        expect(login.listed).toEqual([['later'], ['kept']]);
    });

    it('does not split a session when a reconnect mid-session replays its segments', () => {
        const login = new Login().connect().send(stateChange('idle'));
        login.dictate(1, ['before']);
        login.send(sessionStart(2), stateChange('recording'), said('alpha beta'), said('gamma'));
        login.disconnect().after(2000).connect();
        // The catch-up: the state, the running session, all its segments (one we missed).
        login.send(stateChange('recording'), sessionStart(2), said('alpha beta'), said('gamma'), said('delta'));
        login.send(metrics('recording', 2, 4, 10));
        expect(login.state.transcript.map(s => s.text)).toEqual(['alpha beta', 'gamma', 'delta']);
        expect(login.listed).toEqual([['before']]);
        login.send(sessionEnd(2), stateChange('idle'));
        login.dictate(3, ['next']);
        expect(login.listed).toEqual([['alpha beta', 'gamma', 'delta'], ['before']]);
    });

    it('does not duplicate the last session when an idle catch-up replays it', () => {
        const login = new Login().connect().send(stateChange('idle'));
        login.dictate(1, ['first']);
        login.dictate(2, ['second one']);
        for (let i = 0; i < 3; i++) {
            login.disconnect().after(1000).connect();
            login.send(stateChange('idle'), said('second one'), metrics('idle', null));
        }
        expect(login.listed).toEqual([['first']]);
        login.dictate(3, ['third']);
        expect(login.listed).toEqual([['second one'], ['first']]);
        // A session that said nothing, then a catch-up that replays the last one that did
        // (already archived): shown again, but not listed twice.
        login.send(sessionStart(4), stateChange('recording'));
        login.disconnect().after(1000).connect();
        login.send(stateChange('idle'), said('third'), metrics('idle', null));
        expect(login.state.transcript.map(s => s.text)).toEqual(['third']);
        login.dictate(5, ['fifth']);
        expect(login.listed).toEqual([['third'], ['second one'], ['first']]);
    });

    it('archives the held session when the catch-up replays one we never saw, and only once', () => {
        const login = new Login().connect().send(stateChange('idle'));
        login.dictate(1, ['held']);
        login.disconnect().after(60_000).connect();
        // Meanwhile the daemon ran session 2 without us; idle now, it replays that one.
        login.send(stateChange('idle'), said('missed a'), said('missed b'), metrics('idle', 2, 4, 20));
        expect(login.listed).toEqual([['held']]);
        expect(login.state.transcript.map(s => s.text)).toEqual(['missed a', 'missed b']);
        login.dictate(3, ['now']);
        expect(login.listed).toEqual([['missed a', 'missed b'], ['held']]);
    });

    it('archives the held session when the catch-up announces another running session', () => {
        const login = new Login().connect().send(stateChange('idle'));
        login.dictate(1, ['held']);
        login.disconnect().after(1000).connect();
        login.send(stateChange('recording'), sessionStart(2), said('new session'), metrics('recording', 2, 2, 3));
        expect(login.listed).toEqual([['held']]);
        expect(login.state.transcript.map(s => s.text)).toEqual(['new session']);
    });

    it('keeps the transcript across a daemon restart with nothing to replay, archiving it once', () => {
        const login = new Login().connect().send(stateChange('idle'));
        login.dictate(5, ['before the restart']);
        login.disconnect().after(10_000).connect().send(stateChange('idle'), metrics('idle', null));
        expect(login.listed).toEqual([]);
        login.dictate(1, ['after']);
        expect(login.listed).toEqual([['before the restart']]);
    });

    it('clears on request', () => {
        const login = new Login().connect().send(stateChange('idle'));
        login.dictate(1, ['a']).dictate(2, ['b']);
        let changes = 0;
        login.history.changed.add(() => changes++);
        login.history.clear();
        expect(login.listed).toEqual([]);
        expect(changes).toBe(1);
    });

    it('shows counts but neither shows nor copies the text when the transcript is hidden', () => {
        const login = new Login().connect().send(stateChange('idle'));
        login.dictate(1, ['a secret plan']).dictate(2, ['x']);
        const hidden = earlierRows(login.history.sessions, true, englishPlural, 'en-GB');
        expect(hidden).toHaveLength(1);
        expect(hidden[0].text).toMatch(/ · 3 words$/);
        expect(hidden[0].text).not.toContain('secret');
        expect(hidden[0].copyable).toBe(false);
        expect(earlierRows(login.history.sessions, false, englishPlural)[0].copyable).toBe(true);

        const segments = login.history.sessions[0].segments;
        expect(planCopy(segments, true)).toEqual({text: null, outcome: {kind: 'hidden'}});
        expect(planCopy(segments, false)).toEqual({text: 'a secret plan', outcome: {kind: 'copied', words: 3}});
        expect(planCopy(copySource(login.state, login.history), true).text).toBeNull();
        expect(planCopy([], false)).toEqual({text: null, outcome: {kind: 'empty'}});
    });
});

describe('words dictated today', () => {
    it('adds the sessions of this login and the one on screen, once each', () => {
        const login = new Login({limit: 0}).connect().send(stateChange('idle'));
        expect(login.history.wordsToday(login.state)).toBe(0);
        login.dictate(1, ['one two three']);
        expect(login.history.wordsToday(login.state)).toBe(3);
        login.send(sessionStart(2), stateChange('recording'), said('four five'));
        expect(login.history.wordsToday(login.state)).toBe(5);
        // A reconnect's catch-up re-sends the same segments: no double count.
        login.disconnect().connect().send(stateChange('recording'), sessionStart(2), said('four five'));
        expect(login.history.wordsToday(login.state)).toBe(5);
        login.send(sessionEnd(2), stateChange('idle'));
        login.dictate(3, ['six']);
        expect(login.history.wordsToday(login.state)).toBe(6);
    });

    it('starts again from zero the next day', () => {
        const login = new Login().connect().send(stateChange('idle'));
        login.dictate(1, ['yesterday words']);
        login.dictate(2, ['more']);
        expect(login.history.wordsToday(login.state)).toBe(3);
        const tomorrow = new Date(2026, 11, 3, 9, 0, 0).getTime();
        expect(login.history.wordsToday(login.state, tomorrow)).toBe(0);
    });

    it('is the panel text in the "today" mode, also while idle', () => {
        const login = new Login().connect().send(stateChange('idle'));
        login.dictate(1, ['a b c d e f g h i j k l m']);
        const p = present(login.state, {now: login.now, panelLabel: 'today', hideTranscript: false, wordsToday: login.history.wordsToday(login.state), locale: 'en-US'});
        expect(p.panelLabel).toBe('13');
    });
});

describe('copy and cues', () => {
    it('copies the session on screen, or the last one when idle and the screen is empty', () => {
        const login = new Login().connect().send(stateChange('idle'));
        expect(copySource(login.state, login.history)).toEqual([]);
        login.dictate(1, ['first text']);
        expect(textOf(copySource(login.state, login.history))).toBe('first text');
        login.dictate(2, []);
        expect(textOf(copySource(login.state, login.history))).toBe('first text');
        login.send(sessionStart(3), stateChange('recording'));
        expect(copySource(login.state, login.history)).toEqual([]);
        login.send(said('live words'));
        expect(textOf(copySource(login.state, login.history))).toBe('live words');
    });

    it('words the OSD', () => {
        const _ = (s: string) => s;
        expect(copyOsdText({kind: 'copied', words: 412}, _, englishPlural, 'en-US')).toBe('Copied 412 words');
        expect(copyOsdText({kind: 'copied', words: 1}, _, englishPlural, 'en-US')).toBe('Copied 1 word');
        expect(copyOsdText({kind: 'empty'}, _, englishPlural)).toBe('Nothing dictated to copy');
        expect(formatSpan(45)).toBe('45 s');
        expect(formatSpan(3900)).toBe('1 h 5 min');
    });

    it('sees one start and one stop per toggle, and none for a reconnect', () => {
        const login = new Login();
        const seen: string[] = [];
        let prev = login.state;
        login.store.subscribe(state => {
            const t = recordingTransition(prev, state);
            prev = state;
            if (t)
                seen.push(t);
        });
        login.connect().send(stateChange('idle'));
        login.send(sessionStart(1), stateChange('recording'), metrics('recording', 1), said('x'));
        login.send(sessionEnd(1), metrics('idle', 1), stateChange('idle'));
        expect(seen).toEqual(['started', 'stopped']);
        login.send(sessionStart(2), stateChange('recording'));
        login.disconnect().connect().send(stateChange('recording'), sessionStart(2));
        expect(seen).toEqual(['started', 'stopped', 'started']);
        login.send(stateChange('processing'), stateChange('idle'));
        expect(seen).toEqual(['started', 'stopped', 'started', 'stopped']);
    });
});
