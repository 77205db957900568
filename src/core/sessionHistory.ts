// SPDX-License-Identifier: GPL-2.0-or-later
// Earlier sessions of this login, and the words dictated today, in memory only. The daemon
// re-sends only the last session and its typing can fail silently, so this may be the only
// copy of what was said.
import {Listeners} from './listeners.js';
import type {Segment, SessionState} from './sessionState.js';

export const DEFAULT_HISTORY_LENGTH = 10;

export interface ArchivedSession {
    readonly id: number;
    readonly sessionId: number | null;
    readonly startedAt: number;
    readonly durationS: number;
    readonly words: number;
    readonly segments: readonly Segment[];
}

export function segmentWords(segment: Segment): number {
    if (segment.words !== null && Number.isFinite(segment.words) && segment.words >= 0)
        return Math.round(segment.words);
    return countWords(segment.text);
}

export function countWords(text: string): number {
    const trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/u).length : 0;
}

export function textOf(segments: readonly Segment[]): string {
    return segments.map(s => s.text).join('\n');
}

function wordsOf(segments: readonly Segment[]): number {
    let words = 0;
    for (const segment of segments)
        words += segmentWords(segment);
    return words;
}

function signature(segments: readonly Segment[]): string {
    return segments.map(s => s.text).join('\u0000');
}

function sharesSegment(a: readonly Segment[], b: readonly Segment[]): boolean {
    const held = new Set(a);
    return b.some(s => held.has(s));
}

export function dayOf(ms: number): string {
    const d = new Date(ms);
    return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

interface Current {
    sessionId: number | null;
    startedAt: number | null;
    lastAt: number | null;
    metricsWords: number | null;
    durationS: number | null;
}

function freshCurrent(): Current {
    return {sessionId: null, startedAt: null, lastAt: null, metricsWords: null, durationS: null};
}

export class SessionHistory {
    private _limit: number;
    private readonly _now: () => number;
    private _sessions: readonly ArchivedSession[] = [];
    private _previous: SessionState | null = null;
    private _current: Current = freshCurrent();
    private _nextId = 1;
    private _lastSignature: string | null = null;
    private _day = '';
    private _dayWords = 0;
    /** Told when the list of earlier sessions changes. */
    readonly changed = new Listeners();

    constructor(opts: {limit?: number; now?: () => number} = {}) {
        this._limit = SessionHistory._validLimit(opts.limit, DEFAULT_HISTORY_LENGTH);
        this._now = opts.now ?? Date.now;
    }

    private static _validLimit(limit: number | undefined, fallback: number): number {
        return limit !== undefined && Number.isFinite(limit) && limit >= 0 ? Math.floor(limit) : fallback;
    }

    get sessions(): readonly ArchivedSession[] {
        return this._sessions;
    }

    get limit(): number {
        return this._limit;
    }

    setLimit(limit: number): void {
        const next = SessionHistory._validLimit(limit, this._limit);
        if (next === this._limit)
            return;
        this._limit = next;
        if (this._sessions.length > next) {
            this._sessions = this._sessions.slice(0, next);
            this.changed.notify();
        }
    }

    clear(): void {
        if (this._sessions.length === 0)
            return;
        this._sessions = [];
        this.changed.notify();
    }

    find(id: number): ArchivedSession | null {
        return this._sessions.find(s => s.id === id) ?? null;
    }

    observe(next: SessionState): void {
        const prev = this._previous;
        this._previous = next;
        if (prev === null || prev === next) {
            this._follow(next);
            return;
        }
        for (const segments of this._replaced(prev, next)) {
            this._archive(segments);
            this._current = freshCurrent();
        }
        this._follow(next);
    }

    private _replaced(prev: SessionState, next: SessionState): (readonly Segment[])[] {
        const out: (readonly Segment[])[] = [];
        let held = prev.transcript;
        // A finished catch-up sharing nothing with what we held replayed another session; one
        // ended by a disconnect may just have been cut short.
        const catchUp = prev.catchUp;
        if (catchUp && !next.catchUp && catchUp.count > 0 && next.connection.status !== 'disconnected' &&
            next.connection.status !== 'connecting') {
            if (catchUp.base.length > 0 && !sharesSegment(catchUp.base, catchUp.replayed))
                out.push(catchUp.base);
            held = catchUp.replayed;
        }
        if (held.length > 0 && next.transcript.length === 0)
            out.push(held);
        return out;
    }

    private _follow(state: SessionState): void {
        const current = this._current;
        if (state.catchUp)
            return;
        if (state.sessionId !== null)
            current.sessionId = state.sessionId;
        if (current.startedAt === null) {
            if (state.recordingSince !== null)
                current.startedAt = state.recordingSince;
            else if (state.transcript.length > 0)
                current.startedAt = state.lastEventAt ?? this._now();
        }
        if (state.transcript.length > 0 && state.lastEventAt !== null)
            current.lastAt = state.lastEventAt;
        if (state.sessionId !== null && state.sessionId === current.sessionId) {
            if (state.session.words !== null)
                current.metricsWords = state.session.words;
            if (state.session.durationS !== null)
                current.durationS = state.session.durationS;
        }
    }

    private _archive(segments: readonly Segment[]): void {
        const sig = signature(segments);
        if (sig === this._lastSignature)
            return;
        this._lastSignature = sig;
        const current = this._current;
        const words = Math.max(wordsOf(segments), current.metricsWords ?? 0);
        const startedAt = current.startedAt ?? current.lastAt ?? this._now();
        const durationS = current.durationS !== null && current.durationS > 0
            ? current.durationS
            : Math.max(0, ((current.lastAt ?? startedAt) - startedAt) / 1000);
        this._countToday(startedAt, words);
        if (this._limit === 0)
            return;
        const archived: ArchivedSession = {id: this._nextId++, sessionId: current.sessionId, startedAt, durationS, words, segments};
        this._sessions = [archived, ...this._sessions].slice(0, this._limit);
        this.changed.notify();
    }

    private _countToday(at: number, words: number): void {
        const day = dayOf(at);
        if (day !== this._day) {
            this._day = day;
            this._dayWords = 0;
        }
        this._dayWords += words;
    }

    wordsToday(state: SessionState, now: number = this._now()): number {
        const today = dayOf(now);
        let words = this._day === today ? this._dayWords : 0;
        const current = this._current;
        const startedAt = current.startedAt ?? current.lastAt;
        if (state.transcript.length > 0 && startedAt !== null && dayOf(startedAt) === today &&
            signature(state.transcript) !== this._lastSignature)
            words += Math.max(wordsOf(state.transcript), current.metricsWords ?? 0);
        return words;
    }

}

export function copySource(state: SessionState, history: SessionHistory): readonly Segment[] {
    if (state.transcript.length > 0)
        return state.transcript;
    if (state.daemonState === 'recording')
        return [];
    return history.sessions[0]?.segments ?? [];
}

export type RecordingTransition = 'started' | 'stopped' | null;

// Only between two known states: a reconnect or a lost connection is not a start or a stop.
export function recordingTransition(prev: SessionState, next: SessionState): RecordingTransition {
    const was = prev.daemonState;
    const is = next.daemonState;
    if (was === is || was === null || is === null)
        return null;
    if (is === 'recording')
        return 'started';
    if (was === 'recording')
        return 'stopped';
    return null;
}
