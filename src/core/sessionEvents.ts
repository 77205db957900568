// SPDX-License-Identifier: GPL-2.0-or-later
// How each daemon event changes the session state, live and while the catch-up replays it.
import type {DaemonEvent, DaemonState, MetricsUpdateEvent, SessionStartEvent, TranscriptionEvent} from './protocol.js';
import type {CatchUp, Draft, Segment, SessionState, SystemMetrics} from './sessionState.js';

export const NO_SEGMENTS: readonly Segment[] = Object.freeze([]);
/**
 * The transcript's text is bounded too (UTF-16 units, so about 512 KiB of memory): fifty
 * segments of a megabyte each would otherwise all be kept. The newest segment always stays,
 * whole, so that copying it gives what was said.
 */
export const MAX_TRANSCRIPT_CHARS = 256 * 1024;
/**
 * A fresh copy to update in place before anyone sees it. Spelled out because object spread
 * of a state this wide costs V8 about a microsecond, as much as parsing the event's JSON.
 */
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

/**
 * Handles an event that belongs to the catch-up; returns false when the event is live (and
 * ends the catch-up if it shows the catch-up is over).
 */
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
        // Perhaps a future part of the catch-up: it proves nothing about its end.
        return false;
    case 'session_end':
    case 'metrics_update':
        break;
    }
    finishCatchUp(draft, catchUp);
    return false;
}

/**
 * The catch-up's session_start (timestamp = now, not the real start). The id we already
 * hold means a reconnect mid-session: keep the transcript for the replay to match, and the
 * elapsed time of the interrupted recording. Any other id is a session we do not have.
 */
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

/**
 * A replayed segment: the next held segment with the same text (searching forward, so held
 * segments the daemon does not have are passed over) is the same segment; otherwise it is
 * one we missed. Segments older than the held ones (the bound pushed them out) match
 * nothing. Live segments that follow a running session's catch-up land here too and,
 * matching nothing past the cursor, are appended. Text said twice is two segments in both
 * lists, matched one to one in order.
 */
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
    // Replaying the next held segment leaves what is shown as it was.
    if (!found || match !== cursor)
        showCatchUp(draft, next);
}

/** Shows the replay so far followed by the held segments it has not reached. */
export function showCatchUp(draft: Draft, catchUp: CatchUp): void {
    const rest = catchUp.base.slice(catchUp.cursor);
    const shown = bounded(rest.length ? catchUp.replayed.concat(rest) : catchUp.replayed, draft.maxSegments);
    if (!sameSegments(shown, draft.transcript))
        draft.transcript = shown;
}

/**
 * The replay replaces the held transcript: held segments it never matched belong to another
 * session. A catch-up with no segments leaves the transcript alone: after a daemon restart
 * the new daemon has no session to replay, and the user keeps seeing the words of the last
 * session (with its totals, see applyMetrics) until the next session_start clears them.
 */
function finishCatchUp(draft: Draft, catchUp: CatchUp): void {
    draft.catchUp = null;
    draft.interruptedRecording = null;
    if (catchUp.count === 0)
        return;
    draft.trimmed = catchUp.count - catchUp.replayed.length;
    if (!sameSegments(catchUp.replayed, draft.transcript))
        draft.transcript = catchUp.replayed;
}

/** A session begins: a new transcript and totals; the last segment's latency carries over. */
function startSession(draft: Draft, event: SessionStartEvent): void {
    draft.sessionId = event.sessionId;
    draft.transcript = NO_SEGMENTS;
    draft.trimmed = 0;
    draft.session = {words: 0, segments: 0, wpm: null, durationS: 0, latencyMs: draft.session.latencyMs};
    draft.interruptedRecording = null;
}

/**
 * The 1 s metrics: the last report received wins, which also repairs a missed or reordered
 * state_change. Session totals replace ours, except that a daemon reporting no session
 * (session_id null: it restarted) does not erase the totals of the session we still show.
 */
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

    // The same object while nothing changes, so whoever compares by identity sees no change.
    if (!sameFigures(draft.system, event))
        draft.system = event;
}

function sameFigures(shown: SystemMetrics, event: MetricsUpdateEvent): boolean {
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

function textLength(segments: readonly Segment[]): number {
    let total = 0;
    for (const segment of segments)
        total += segment.text.length;
    return total;
}

/** The newest segments that fit both bounds; the newest one always. */
export function bounded(segments: readonly Segment[], max: number): readonly Segment[] {
    let from = Math.max(0, segments.length - max);
    let total = textLength(from === 0 ? segments : segments.slice(from));
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
