// SPDX-License-Identifier: GPL-2.0-or-later
// What a user reads in the panel and the menu, for the situations protocol.md describes.
import {describe, expect, it} from 'vitest';

import {METRIC_ROWS} from '../../src/core/metricRows.js';
import {type Presentation, type PresentationOptions, controlErrorText, menuView, panelView, present, sameView, type PanelLabelMode} from '../../src/core/presentation.js';
import {SessionHistory} from '../../src/core/sessionHistory.js';
import {type DaemonEvent, parseLine} from '../../src/core/protocol.js';
import {type Action, type SessionState, initialState, reduce} from '../../src/core/sessionState.js';

const T0 = 1_700_000_000_000;
const opts = (over: Partial<PresentationOptions> = {}): PresentationOptions =>
    ({now: T0 + 10_000, panelLabel: 'elapsed', hideTranscript: false, locale: 'en-US', ...over});

function run(actions: Action[], state = initialState({at: T0})): SessionState {
    return actions.reduce(reduce, state);
}

const ev = (event: DaemonEvent, at = T0 + 1000): Action => ({type: 'event', at, event});
const metrics = (over: Partial<Extract<DaemonEvent, {type: 'metrics_update'}>> = {}, at = T0 + 2000): Action => ev({
    type: 'metrics_update', state: 'recording', sessionId: 42, segments: 3, words: 27, wpm: 145.2, durationS: 30.5,
    latencyMs: 234.5, gpuMemoryMb: 1823.4, gpuMemoryPercent: 45.2, cpuPercent: 18.44660186767578, ...over,
}, at);

/** The menu's figures by row id (null: the row is hidden). */
const rows = (p: Presentation) => Object.fromEntries(METRIC_ROWS.map((row, i) => [row.id, p.rows[i]]));

const connected: Action[] = [
    {type: 'connecting', at: T0, socketPath: '/run/user/1000/swictation_metrics.sock'},
    {type: 'connected', at: T0},
];

describe('presentation', () => {
    it('shows a recording session with its number, figures and transcript, text verbatim', () => {
        const state = run([
            ...connected,
            ev({type: 'state_change', state: 'idle', timestamp: 1}),
            ev({type: 'session_start', sessionId: 42, timestamp: 1}),
            ev({type: 'state_change', state: 'recording', timestamp: 1}),
            ev({type: 'transcription', text: '<b>great</b> & "plan"', clock: '14:23:15', wpm: 120, latencyMs: 200, words: 3}),
            metrics(),
        ]);
        const p = present(state, opts());
        expect(p.icon).toBe('recording');
        expect(p.recording).toBe(true);
        expect(p.title).toBe('Recording — session #42');
        expect(rows(p)).toEqual({words: '27', segments: '3', wpm: '145 WPM', speech: '0:30', latency: '235 ms',
            gpu: '1.8 GB / 3.9 GB (45%)', cpu: '18%'});
        expect(p.transcript.map(r => [r.clock, r.text])).toEqual([['14:23:15', '<b>great</b> & "plan"']]);
        expect(p.copyable).toBe(true);
        expect(p.connection).toBe('Connected');
    });

    it('shows the elapsed recording time beside the icon, and nothing once idle', () => {
        const recording = run([...connected, ev({type: 'state_change', state: 'recording', timestamp: 1}, T0 + 1000)]);
        expect(present(recording, opts({now: T0 + 1000 + 65_000})).panelLabel).toBe('1:05');
        // Whole seconds of the clock: the label turns over with the second-aligned ticker.
        const offBeat = run([...connected, ev({type: 'state_change', state: 'recording', timestamp: 1}, T0 + 1900)]);
        expect(present(offBeat, opts({now: T0 + 2000})).panelLabel).toBe('0:01');
        expect(present(offBeat, opts({now: T0 + 2999})).panelLabel).toBe('0:01');
        expect(present(offBeat, opts({now: T0 + 3000})).panelLabel).toBe('0:02');
        expect(present(recording, opts({now: T0 + 1000 + 3_725_000})).panelLabel).toBe('1:02:05');
        const idle = run([ev({type: 'state_change', state: 'idle', timestamp: 2}, T0 + 2000)], recording);
        expect(present(idle, opts()).panelLabel).toBe('');
        expect(present(recording, opts({panelLabel: 'none'})).panelLabel).toBe('');
    });

    it('shows how much GPU memory is used out of how much (the total follows from the share)', () => {
        const state = run([...connected, metrics({gpuMemoryMb: 2048, gpuMemoryPercent: 25})]);
        expect(rows(present(state, opts())).gpu).toBe('2.0 GB / 8.0 GB (25%)');
        const noShare = run([...connected, metrics({gpuMemoryMb: 512, gpuMemoryPercent: 0})]);
        expect(rows(present(noShare, opts())).gpu).toBe('512 MB');
    });

    it('hides the system rows once the daemon is gone, and keeps the session totals', () => {
        const state = run([...connected, metrics(), {type: 'disconnected', at: T0 + 3000, problem: 'closed'}]);
        const r = rows(present(state, opts()));
        expect([r.gpu, r.cpu]).toEqual([null, null]);
        expect(r.words).toBe('27');
    });

    it('hides GPU memory when there is no GPU', () => {
        const state = run([...connected, metrics({gpuMemoryMb: 0, gpuMemoryPercent: 0})]);
        expect(rows(present(state, opts())).gpu).toBeNull();
    });

    it('never shows "recording" once the daemon is gone', () => {
        const recording = run([...connected, ev({type: 'state_change', state: 'recording', timestamp: 1}), metrics()]);
        const lost = reduce(recording, {type: 'disconnected', at: T0 + 3000, problem: 'closed', retryAt: T0 + 7000});
        const p = present(lost, opts({now: T0 + 3000}));
        expect(p.recording).toBe(false);
        expect(p.icon).toBe('offline');
        expect(p.panelLabel).toBe('');
        expect(p.title).toBe('Daemon not running — reconnecting in 4 s');
        expect(p.daemonPresent).toBe(false);
    });

    it('says why it is not connected', () => {
        const refused = run([{type: 'disconnected', at: T0, problem: 'refused', retryAt: null}]);
        expect(present(refused, opts()).connection).toMatch(/refused/i);
        expect(present(refused, opts()).title).toBe('Daemon not running');
        const foreign = run([{type: 'disconnected', at: T0, problem: 'foreign-owner', retryAt: T0 + 30_000}]);
        expect(present(foreign, opts()).title).toBe('Socket owned by another user');
        expect(present(foreign, opts()).connection).toMatch(/another user/);
    });

    it('keeps counts but hides dictated words in privacy mode', () => {
        const state = run([
            ...connected,
            ev({type: 'state_change', state: 'recording', timestamp: 1}),
            ev({type: 'transcription', text: 'my secret', clock: '10:00:00', wpm: 100, latencyMs: 100, words: 2}),
        ]);
        const p = present(state, opts({hideTranscript: true}));
        expect(p.transcript.map(r => r.text)).toEqual(['2 words']);
        expect(p.copyable).toBe(false);
        // Nor can it be taken to the preferences' Correct….
        expect(p.transcript.map(r => r.correctable)).toEqual([false]);
        expect(present(state, opts()).transcript.map(r => r.correctable)).toEqual([true]);
        expect(JSON.stringify(p)).not.toContain('my secret');
    });

    it('builds transcript rows only when asked (no menu open, nothing shows them)', () => {
        const state = run([...connected, ev({type: 'transcription', text: 'one', clock: '10:00:00', wpm: 100, latencyMs: 100, words: 1})]);
        expect(present(state, opts({menu: false})).transcript).toEqual([]);
        expect(present(state, opts()).transcript.map(r => r.text)).toEqual(['one']);
    });

    it('says when the daemon is still loading its models', () => {
        const starting = run([...connected, ev({type: 'state_change', state: 'idle', timestamp: 1})]);
        expect(present(starting, opts({now: T0 + 1000})).connection).toBe('Connected');
        expect(present(starting, opts({now: T0 + 20_000})).connection).toMatch(/still starting/);
        const live = run([metrics({state: 'idle'}, T0 + 20_000)], starting);
        expect(present(live, opts({now: T0 + 20_500})).connection).toBe('Connected');
    });

    it('passes every sentence through the translation function', () => {
        const state = run([...connected, ev({type: 'state_change', state: 'idle', timestamp: 1})]);
        const p = present(state, opts({now: T0 + 1000}), s => `«${s}»`);
        expect(p.title).toBe('«Idle»');
        expect(p.connection).toBe('«Connected»');
    });

    // What a view does (ViewUpdates): both states presented at the same time, then compared.
    const now = T0 + 3500;
    const wordsToday = (state: SessionState) => {
        const history = new SessionHistory({limit: 5, now: () => now});
        history.observe(state);
        return history.wordsToday(state, now);
    };
    const panel = (state: SessionState, label: PanelLabelMode) =>
        panelView(present(state, opts({now, panelLabel: label, menu: false, wordsToday: wordsToday(state)})));
    const panelDiffers = (a: SessionState, b: SessionState, label: PanelLabelMode) => !sameView(panel(a, label), panel(b, label));
    const menuDiffers = (a: SessionState, b: SessionState) => !sameView(menuView(present(a, opts({now}))), menuView(present(b, opts({now}))));

    it('knows which steps change the top bar: state and connection, the figure in the label, not a metrics report', () => {
        const recording = run([...connected, ev({type: 'state_change', state: 'recording', timestamp: 1}), metrics()]);
        const nextReport = run([metrics({words: 30, wpm: 150, cpuPercent: 40}, T0 + 3000)], recording);
        const segment = run([ev({type: 'transcription', text: 'more', clock: null, wpm: null, latencyMs: null, words: 1}, T0 + 3000)], recording);
        for (const next of [nextReport, segment])
            expect(panelDiffers(recording, next, 'elapsed')).toBe(false);
        expect(panelDiffers(recording, nextReport, 'words')).toBe(true);
        expect(panelDiffers(recording, nextReport, 'wpm')).toBe(true);
        // Words today grow with a segment, and with a report of more words than the segments hold.
        expect(panelDiffers(recording, segment, 'today')).toBe(true);
        const reportAfter = run([metrics({words: 30, wpm: 150, cpuPercent: 40}, T0 + 3200)], segment);
        expect(panelDiffers(segment, reportAfter, 'today')).toBe(true);
        expect(panelDiffers(reportAfter, run([metrics({words: 30, wpm: 150, cpuPercent: 50}, T0 + 3300)], reportAfter), 'today')).toBe(false);
        const idle = run([ev({type: 'state_change', state: 'idle', timestamp: 2}, T0 + 3000)], recording);
        expect(panelDiffers(recording, idle, 'none')).toBe(true);
        const lost = reduce(recording, {type: 'disconnected', at: T0 + 3000, problem: 'closed'});
        expect(panelDiffers(recording, lost, 'none')).toBe(true);
    });

    it('knows which steps an open menu shows at once: the state, the connection; a report or a segment waits for the tick', () => {
        const recording = run([...connected, ev({type: 'state_change', state: 'recording', timestamp: 1}), metrics()]);
        const nextReport = run([metrics({words: 30, wpm: 150, cpuPercent: 40}, T0 + 3000)], recording);
        expect(menuDiffers(recording, nextReport)).toBe(false);
        const segment = run([ev({type: 'transcription', text: 'more', clock: null, wpm: null, latencyMs: null, words: 1}, T0 + 3000)], recording);
        expect(menuDiffers(recording, segment)).toBe(false);
        const idle = run([ev({type: 'state_change', state: 'idle', timestamp: 2}, T0 + 3000)], recording);
        expect(menuDiffers(recording, idle)).toBe(true);
        const lost = reduce(recording, {type: 'disconnected', at: T0 + 3000, problem: 'closed'});
        expect(menuDiffers(recording, lost)).toBe(true);
        const stale = reduce(recording, {type: 'tick', at: T0 + 60_000});
        expect(stale.connection.status).toBe('stale');
        expect(menuDiffers(recording, stale)).toBe(true);
    });

    it('says "1 word" and "2 words", and lets the translation choose its plural form', () => {
        const state = run([
            ...connected,
            ev({type: 'transcription', text: 'hello', clock: '10:00:00', wpm: 100, latencyMs: 100, words: 1}),
            ev({type: 'transcription', text: 'my secret', clock: '10:00:01', wpm: 100, latencyMs: 100, words: 2}),
            ev({type: 'transcription', text: 'a b c d e f g h i j k l', clock: '10:00:02', wpm: 100, latencyMs: 100, words: 1234}),
        ]);
        expect(present(state, opts({hideTranscript: true})).transcript.map(r => r.text)).toEqual(['1 word', '2 words', '1,234 words']);
        // A German catalogue: the number picks the form, the locale formats the number.
        const de = (singular: string, plural: string, n: number) =>
            ({'%d word': n === 1 ? '%d Wort' : '%d Wörter'} as Record<string, string>)[singular] ?? (n === 1 ? singular : plural);
        expect(present(state, opts({hideTranscript: true, locale: 'de-DE'}), s => s, de).transcript.map(r => r.text))
            .toEqual(['1 Wort', '2 Wörter', '1.234 Wörter']);
    });

    it('asks for the plural of the seconds before a reconnect', () => {
        const state = run([...connected, {type: 'disconnected', at: T0 + 1000, problem: 'not-found', retryAt: T0 + 1000 + 1000}]);
        const asked: Array<[string, number]> = [];
        const p = present(state, opts({now: T0 + 1000}), s => s, (singular, plural, n) => {
            asked.push([singular, n]);
            return n === 1 ? singular : plural;
        });
        expect(p.title).toBe('Daemon not running — reconnecting in 1 s');
        expect(asked).toEqual([['Daemon not running — reconnecting in %d s', 1]]);
    });

    it('shows the transport\'s texts through the translation, and the daemon\'s own words as they came', () => {
        const translate = (s: string) => `«${s}»`;
        const state = run([...connected, {type: 'disconnected', at: T0 + 1000, problem: 'error', detail: 'Something other than a socket is at the socket path.'}]);
        expect(present(state, opts(), translate).connection).toBe('«Something other than a socket is at the socket path.»');
        expect(controlErrorText({ok: false, kind: 'connect', error: 'The daemon is not running.'}, translate)).toBe('«The daemon is not running.»');
        expect(controlErrorText({ok: false, kind: 'timeout', error: 'x'}, translate)).toBe('«The daemon did not answer in time.»');
        expect(controlErrorText({ok: false, kind: 'invalid-reply', error: 'the daemon\'s reply is not JSON (12 chars)'}, translate))
            .toBe('«The daemon\'s reply could not be understood.»');
        expect(controlErrorText({ok: false, kind: 'daemon', error: 'Model not loaded'}, translate)).toBe('Model not loaded');
    });
});

describe('presentation of hostile input (issue 11)', () => {
    it('shows at most a few hundred characters of a 1 MiB segment, ellipsized (case 5)', () => {
        const text = `Start ${'word '.repeat(210_000)}`;
        const state = run([...connected, ev({type: 'transcription', text, clock: '14:23:15', wpm: 120, latencyMs: 200, words: 3})]);
        const row = present(state, opts()).transcript[0];
        expect(row.text.length).toBeLessThanOrEqual(300);
        expect(row.text.startsWith('Start word word')).toBe(true);
        expect(row.text.endsWith('…')).toBe(true);
        // The state keeps it whole: "Copy" copies what was said.
        expect(state.transcript[0].text).toBe(text);
    });

    it('keeps the panel label short whatever figure arrives (case 6)', () => {
        const lines = [
            '{"type":"metrics_update","state":"recording","session_id":9223372036854775808,"words":1e308,"wpm":1e308}',
            '{"type":"metrics_update","state":"recording","session_id":1,"words":-5,"wpm":-1}',
        ];
        for (const line of lines) {
            const parsed = parseLine(line);
            if (!parsed.ok)
                throw new Error(parsed.error);
            const state = run([...connected, ev(parsed.event)]);
            for (const panelLabel of ['words', 'wpm', 'elapsed'] as const)
                expect(present(state, opts({panelLabel})).panelLabel.length).toBeLessThanOrEqual(12);
            expect(present(state, opts()).title).not.toMatch(/9223372036854776000|-\d/);
        }
        // Even a figure that never went through the parser.
        const forged = run([...connected, metrics({words: 1e300})]);
        expect(present(forged, opts({panelLabel: 'words'})).panelLabel.length).toBeLessThanOrEqual(12);
    });
});
