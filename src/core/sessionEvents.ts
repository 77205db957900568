// SPDX-License-Identifier: GPL-2.0-or-later
// How each daemon event changes the session state, live and while the catch-up replays it.
import type {DaemonEvent, DaemonState, MetricsUpdateEvent, SessionStartEvent, TranscriptionEvent} from './protocol.js';
import type {CatchUp, Draft, Segment, SessionState, SystemMetrics} from './sessionState.js';

export const NO_SEGMENTS: readonly Segment[] = Object.freeze([]);
// UTF-16 units; the newest segment always stays whole, so copying it gives what was said.
export const MAX_TRANSCRIPT_CHARS = 256 * 1024;
// Spelled out: object spread of a state this wide is as slow as parsing the event.
export function draftOf(state: SessionState): Draft {
    return {
        connection: state.connection,
        daemonState: state.daemonState,
        sessionId: state.sessionId,
        recordingSince: state.recordingSince,
        session: state.session,
        system: state.system,
        transcript: state.transcript,
        trimmed: state.trimmed,
        maxSegments: state.maxSegments,
        lastEventAt: state.lastEventAt,
        counters: state.counters,
        staleAfterMs: state.staleAfterMs,
        nextKey: state.nextKey,
        catchUp: state.catchUp,
        heartbeat: state.heartbeat,
        interruptedRecording: state.interruptedRecording,
    };
}

export function applyEvent(state: SessionState, event: DaemonEvent, at: number, warnings: number, superseded: number): SessionState {
    const {counters, connection} = state;
    const draft = draftOf(state);
    draft.lastEventAt = at;
    draft.counters = {
        events: counters.events + 1 + superseded,
        malformedLines: counters.malformedLines,
        unknownEvents: event.type === 'unknown' ? counters.unknownEvents + 1 : counters.unknownEvents,
        oversizedLines: counters.oversizedLines,
        fieldWarnings: counters.fieldWarnings + warnings,
    };
    if (connection.status === 'stale')
        draft.connection = {...connection, status: 'connected', since: at};
    if (draft.catchUp && catchUpEvent(draft, draft.catchUp, event, at))
        return draft;

    switch (event.type) {
    case 'state_change':
        setDaemonState(draft, event.state, at);
        break;
    case 'session_start':
        startSession(draft, event);
        break;
    case 'session_end':
        draft.interruptedRecording = null;
        break;
    case 'transcription': {
        const before = draft.transcript.length;
        draft.transcript = appendBounded(draft.transcript, newSegment(draft, event), draft.maxSegments);
        draft.trimmed += before + 1 - draft.transcript.length;
        if (event.latencyMs !== null && event.latencyMs !== draft.session.latencyMs)
            draft.session = {...draft.session, latencyMs: event.latencyMs};
        break;
    }
    case 'metrics_update':
        applyMetrics(draft, event, at);
        break;
    case 'unknown':
        break;
    }
    return draft;
}

// False when the event is live (which may end the catch-up).
function catchUpEvent(draft: Draft, catchUp: CatchUp, event: DaemonEvent, at: number): boolean {
    switch (event.type) {
    case 'state_change':
        if (catchUp.phase !== 'state')
            break;
        draft.catchUp = {...catchUp, phase: 'session'};
        setDaemonState(draft, event.state, at);
        return true;
    case 'session_start':
        if (catchUp.phase === 'segments')
            break;
        catchUpSession(draft, catchUp, event);
        return true;
    case 'transcription':
        replaySegment(draft, catchUp, event);
        return true;
    case 'unknown':
        return false;
    case 'session_end':
    case 'metrics_update':
        break;
    }
    finishCatchUp(draft, catchUp);
    return false;
}

// The id we hold means a reconnect mid-session: keep the transcript for the replay to match.
function catchUpSession(draft: Draft, catchUp: CatchUp, event: SessionStartEvent): void {
    const interrupted = draft.interruptedRecording;
    if (event.sessionId !== null && event.sessionId === draft.sessionId) {
        draft.catchUp = {...catchUp, phase: 'segments'};
        if (interrupted && interrupted.sessionId === event.sessionId && draft.daemonState === 'recording')
            draft.recordingSince = interrupted.since;
    } else {
        startSession(draft, event);
        draft.catchUp = {phase: 'segments', base: NO_SEGMENTS, skip: 0, cursor: 0, replayed: NO_SEGMENTS, count: 0};
    }
    draft.interruptedRecording = null;
}

// The next held segment with the same text is the same segment; otherwise one we missed.
function replaySegment(draft: Draft, catchUp: CatchUp, event: TranscriptionEvent): void {
    const {base, cursor, count} = catchUp;
    let match = count < catchUp.skip ? base.length : cursor;
    while (match < base.length && base[match].text !== event.text)
        match++;
    const found = match < base.length;
    const segment = found ? base[match] : newSegment(draft, event);
    const next: CatchUp = {
        phase: 'segments',
        base,
        skip: catchUp.skip,
        cursor: found ? match + 1 : cursor,
        replayed: appendBounded(catchUp.replayed, segment, draft.maxSegments),
        count: count + 1,
    };
    draft.catchUp = next;
    if (!found || match !== cursor)
        showCatchUp(draft, next);
}

// The replayed segments are kept bounded; only with held ones after them can they be too many.
export function showCatchUp(draft: Draft, catchUp: CatchUp): void {
    const {base, cursor, replayed} = catchUp;
    const shown = cursor < base.length ? bounded(replayed.concat(base.slice(cursor)), draft.maxSegments) : replayed;
    if (!sameSegments(shown, draft.transcript))
        draft.transcript = shown;
}

// An empty catch-up (a restarted daemon) keeps the last session's words on screen.
function finishCatchUp(draft: Draft, catchUp: CatchUp): void {
    draft.catchUp = null;
    draft.interruptedRecording = null;
    if (catchUp.count === 0)
        return;
    draft.trimmed = catchUp.count - catchUp.replayed.length;
    if (!sameSegments(catchUp.replayed, draft.transcript))
        draft.transcript = catchUp.replayed;
}

function startSession(draft: Draft, event: SessionStartEvent): void {
    draft.sessionId = event.sessionId;
    draft.transcript = NO_SEGMENTS;
    draft.trimmed = 0;
    draft.session = {words: 0, segments: 0, wpm: null, durationS: 0, latencyMs: draft.session.latencyMs};
    draft.interruptedRecording = null;
}

// The last report wins, which repairs a missed state_change; a restarted daemon's null
// session does not erase the totals we still show.
function applyMetrics(draft: Draft, event: MetricsUpdateEvent, at: number): void {
    draft.heartbeat = true;
    if (event.state !== null)
        setDaemonState(draft, event.state, at);

    if (event.sessionId !== null || draft.sessionId === null) {
        draft.sessionId = event.sessionId;
        const latencyMs = event.latencyMs ?? draft.session.latencyMs;
        const old = draft.session;
        if (old.words !== event.words || old.segments !== event.segments || old.wpm !== event.wpm || old.durationS !== event.durationS || old.latencyMs !== latencyMs)
            draft.session = {words: event.words, segments: event.segments, wpm: event.wpm, durationS: event.durationS, latencyMs};
    }

    if (!sameFigures(draft.system, event))
        draft.system = event;
}

function sameFigures(shown: SystemMetrics, event: MetricsUpdateEvent): boolean {
    // The CPU figure changes nearly every second: a quick no before the loop, slow per key.
    if (shown.cpuPercent !== event.cpuPercent)
        return false;
    for (const key in event) {
        if (shown[key as keyof SystemMetrics] !== event[key as keyof SystemMetrics])
            return false;
    }
    return true;
}

export function setDaemonState(draft: Draft, state: DaemonState | null, at: number): void {
    if (state === draft.daemonState)
        return;
    draft.daemonState = state;
    draft.recordingSince = state === 'recording' ? at : null;
}

function newSegment(draft: Draft, event: TranscriptionEvent): Segment {
    const key = draft.nextKey;
    draft.nextKey = key + 1;
    return {key, text: event.text, clock: event.clock, words: event.words, wpm: event.wpm, latencyMs: event.latencyMs};
}

function textLength(segments: readonly Segment[], from = 0): number {
    let total = 0;
    for (let i = from; i < segments.length; i++)
        total += segments[i].text.length;
    return total;
}

export function bounded(segments: readonly Segment[], max: number): readonly Segment[] {
    let from = Math.max(0, segments.length - max);
    let total = textLength(segments, from);
    while (total > MAX_TRANSCRIPT_CHARS && from < segments.length - 1)
        total -= segments[from++].text.length;
    return from === 0 ? segments : segments.slice(from);
}

function appendBounded(segments: readonly Segment[], segment: Segment, max: number): readonly Segment[] {
    const out = segments.slice(segments.length >= max ? segments.length - max + 1 : 0);
    out.push(segment);
    return textLength(out) > MAX_TRANSCRIPT_CHARS ? bounded(out, max) : out;
}

function sameSegments(a: readonly Segment[], b: readonly Segment[]): boolean {
    if (a === b)
        return true;
    if (a.length !== b.length)
        return false;
    for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i])
            return false;
    }
    return true;
}
