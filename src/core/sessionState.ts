// SPDX-License-Identifier: GPL-2.0-or-later
// Everything the UI shows, as a pure reducer over connection changes and daemon events. The
// state lives outside the UI so nothing sent before the UI listens is lost, and every screen
// renders from the same facts.
import type {DaemonEvent, DaemonState, MetricsUpdateEvent, SessionStartEvent, TranscriptionEvent} from './protocol.js';

export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected' | 'stale';
export type ConnectionProblem = 'not-found' | 'refused' | 'foreign-owner' | 'closed' | 'error';

export interface Segment {
    /** Unique and increasing, for UI diffing; a segment keeps its key when a catch-up re-sends it. */
    key: number;
    text: string;
    clock: string | null;
    words: number | null;
    wpm: number | null;
    latencyMs: number | null;
}
export interface SessionMetrics { words: number | null; segments: number | null; wpm: number | null; durationS: number | null; latencyMs: number | null }
/**
 * The figures of the connection's last metrics_update, as parsed: {} before the first one and
 * while not connected. Kept whole so that a field the parser learns reaches the menu's row
 * table (metricRows.ts) with no change here.
 */
export type SystemMetrics = Readonly<Partial<Omit<MetricsUpdateEvent, 'type'>>>;
export interface ConnectionInfo {
    status: ConnectionStatus;
    socketPath: string | null;
    /** Why the last connection failed or ended; kept while reconnecting, cleared once connected. */
    problem: ConnectionProblem | null;
    detail: string | null;
    /** When the current status began. */
    since: number;
    retryAt: number | null;
}
export interface Counters { events: number; malformedLines: number; unknownEvents: number; oversizedLines: number; fieldWarnings: number }

/**
 * The catch-up the daemon writes on connect: state_change, session_start if a session runs,
 * then every segment of the running or last session, oldest first, and never a
 * metrics_update. The replayed segments are the truth for that session: they are matched in
 * order against the transcript held at connect time (matches keep their keys, no
 * duplicates), and when the catch-up ends they replace it. A catch-up with no segments
 * changes nothing.
 */
export interface CatchUp {
    /** What may come next: the catch-up's state_change, its session_start, or segments. */
    readonly phase: 'state' | 'session' | 'segments';
    /** The transcript held at connect ([] when the catch-up announced another session). */
    readonly base: readonly Segment[];
    /** The replay's first `skip` segments are older than base[0] (SessionState.trimmed). */
    readonly skip: number;
    /** base[0, cursor) has been matched or passed by the replay. */
    readonly cursor: number;
    /** The newest segments replayed so far, bounded like the transcript. */
    readonly replayed: readonly Segment[];
    /** How many segments have been replayed. */
    readonly count: number;
}

export interface SessionState {
    readonly connection: ConnectionInfo;
    /** null = unknown: never connected, not connected now, or a state this client does not know. */
    readonly daemonState: DaemonState | null;
    readonly sessionId: number | null;
    /** Local ms time this recording run was first seen; null when not recording. */
    readonly recordingSince: number | null;
    readonly session: SessionMetrics;
    readonly system: SystemMetrics;
    /** Bounded, oldest first. */
    readonly transcript: readonly Segment[];
    /** How many of the shown session's first segments the bound has pushed out. */
    readonly trimmed: number;
    readonly maxSegments: number;
    readonly lastEventAt: number | null;
    readonly counters: Counters;
    readonly staleAfterMs: number;
    /** The key the next new segment gets. */
    readonly nextKey: number;
    /** Set from connect until the catch-up is over; see CatchUp. */
    readonly catchUp: CatchUp | null;
    /**
     * A metrics_update has arrived on this connection. Only then does silence mean stale: a
     * starting daemon sends its first state_change while its models load and the 1 s
     * metrics begin 5 to 60 s later.
     */
    readonly heartbeat: boolean;
    /** The recording run a disconnect interrupted, so a reconnect keeps its elapsed time. */
    readonly interruptedRecording: { readonly sessionId: number; readonly since: number } | null;
}

export type Action =
    | { type: 'connecting'; at: number; socketPath: string }
    | { type: 'connected'; at: number }
    | { type: 'disconnected'; at: number; problem: ConnectionProblem; detail?: string; retryAt?: number | null }
    /** superseded: earlier metrics_update lines of the same read this one stands for (counted, never parsed). */
    | { type: 'event'; at: number; event: DaemonEvent; warnings?: number; superseded?: number }
    | { type: 'malformed'; at: number }
    /** count: lines dropped since the last report (a delta, not the framer's total). */
    | { type: 'oversized'; at: number; count: number }
    | { type: 'tick'; at: number }
    | { type: 'configure'; maxSegments?: number; staleAfterMs?: number };

export const DEFAULT_MAX_SEGMENTS = 50;
/**
 * The transcript's text is bounded too (UTF-16 units, so about 512 KiB of memory): fifty
 * segments of a megabyte each would otherwise all be kept. The newest segment always stays,
 * whole, so that copying it gives what was said.
 */
export const MAX_TRANSCRIPT_CHARS = 256 * 1024;
export const DEFAULT_STALE_AFTER_MS = 5000;
/** After a catch-up and before the first metrics_update, silence means stale this many times later. */
export const STARTING_STALE_FACTOR = 4;

type Draft = { -readonly [K in keyof SessionState]: SessionState[K] };

const NO_SEGMENTS: readonly Segment[] = Object.freeze([]);
const NO_SYSTEM: SystemMetrics = Object.freeze({});
const NO_SESSION: SessionMetrics = Object.freeze({words: null, segments: null, wpm: null, durationS: null, latencyMs: null});

function positiveInteger(value: number | undefined, fallback: number): number {
    return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

function positive(value: number | undefined, fallback: number): number {
    return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

export function initialState(opts: { maxSegments?: number; staleAfterMs?: number; at?: number } = {}): SessionState {
    return {
        connection: {status: 'disconnected', socketPath: null, problem: null, detail: null, since: opts.at ?? 0, retryAt: null},
        daemonState: null,
        sessionId: null,
        recordingSince: null,
        session: NO_SESSION,
        system: NO_SYSTEM,
        transcript: NO_SEGMENTS,
        trimmed: 0,
        maxSegments: positiveInteger(opts.maxSegments, DEFAULT_MAX_SEGMENTS),
        lastEventAt: null,
        counters: {events: 0, malformedLines: 0, unknownEvents: 0, oversizedLines: 0, fieldWarnings: 0},
        staleAfterMs: positive(opts.staleAfterMs, DEFAULT_STALE_AFTER_MS),
        nextKey: 1,
        catchUp: null,
        heartbeat: false,
        interruptedRecording: null,
    };
}

/** Returns the same object when the action changes nothing. */
export function reduce(state: SessionState, action: Action): SessionState {
    switch (action.type) {
    case 'connecting':
        if (state.connection.status === 'connecting' && state.connection.socketPath === action.socketPath)
            return state;
        return leaveConnection(state, {
            ...state.connection, status: 'connecting', socketPath: action.socketPath, since: action.at, retryAt: null,
        });
    case 'connected':
        return {
            ...state,
            connection: {...state.connection, status: 'connected', problem: null, detail: null, since: action.at, retryAt: null},
            catchUp: {phase: 'state', base: state.transcript, skip: state.trimmed, cursor: 0, replayed: NO_SEGMENTS, count: 0},
            heartbeat: false,
        };
    case 'disconnected': {
        const {connection} = state;
        const detail = action.detail ?? null;
        const retryAt = action.retryAt ?? null;
        if (connection.status === 'disconnected' && connection.problem === action.problem && connection.detail === detail && connection.retryAt === retryAt)
            return state;
        const since = connection.status === 'disconnected' ? connection.since : action.at;
        return leaveConnection(state, {...connection, status: 'disconnected', problem: action.problem, detail, since, retryAt});
    }
    case 'event':
        return applyEvent(state, action.event, action.at, action.warnings ?? 0, action.superseded ?? 0);
    case 'malformed':
        return withCounters(state, {...state.counters, malformedLines: state.counters.malformedLines + 1});
    case 'oversized':
        if (!(action.count > 0))
            return state;
        return withCounters(state, {...state.counters, oversizedLines: state.counters.oversizedLines + action.count});
    case 'tick': {
        const due = staleAt(state);
        if (due === null || action.at <= due)
            return state;
        return {...state, connection: {...state.connection, status: 'stale', since: action.at}};
    }
    case 'configure':
        return configure(state, action.maxSegments, action.staleAfterMs);
    default:
        return state;
    }
}

/**
 * When a connected connection turns stale if nothing more arrives (wall-clock ms), or null
 * when it is not connected; the transport ticks then rather than on a fixed beat. The daemon
 * answers a new client at once with its catch-up, so a connection that has carried nothing at
 * all is hung, and it sends metrics every second. It creates its sockets only once its models
 * are loaded, so a catch-up followed by silence is given longer (a daemon variant that listens
 * earlier), but not for ever.
 */
export function staleAt(state: SessionState): number | null {
    const {connection, lastEventAt} = state;
    if (connection.status !== 'connected')
        return null;
    const heard = lastEventAt !== null && lastEventAt >= connection.since;
    const limit = heard && !state.heartbeat ? STARTING_STALE_FACTOR * state.staleAfterMs : state.staleAfterMs;
    return (heard ? lastEventAt : connection.since) + limit;
}

/**
 * Not connected any more (or not yet): what the daemon is doing is unknown, so recording and
 * live GPU/CPU figures go; the transcript and session totals are history and stay.
 */
function leaveConnection(state: SessionState, connection: ConnectionInfo): SessionState {
    const draft: Draft = {...state, connection, catchUp: null, heartbeat: false, system: NO_SYSTEM};
    if (state.daemonState === 'recording' && state.sessionId !== null && state.recordingSince !== null)
        draft.interruptedRecording = {sessionId: state.sessionId, since: state.recordingSince};
    setDaemonState(draft, null, 0);
    return draft;
}

function configure(state: SessionState, maxSegments: number | undefined, staleAfterMs: number | undefined): SessionState {
    const max = positiveInteger(maxSegments, state.maxSegments);
    const stale = positive(staleAfterMs, state.staleAfterMs);
    if (max === state.maxSegments && stale === state.staleAfterMs)
        return state;
    const transcript = bounded(state.transcript, max);
    const draft: Draft = {
        ...state, maxSegments: max, staleAfterMs: stale, transcript, trimmed: state.trimmed + state.transcript.length - transcript.length,
    };
    if (state.catchUp) {
        draft.catchUp = {...state.catchUp, replayed: bounded(state.catchUp.replayed, max)};
        showCatchUp(draft, draft.catchUp);
    }
    return draft;
}

/**
 * A fresh copy to update in place before anyone sees it. Spelled out because object spread
 * of a state this wide costs V8 about a microsecond, as much as parsing the event's JSON.
 */
function draftOf(state: SessionState): Draft {
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

/** A stream of garbage is as frequent as one of events: keep its path as cheap. */
function withCounters(state: SessionState, counters: Counters): SessionState {
    const draft = draftOf(state);
    draft.counters = counters;
    return draft;
}

function applyEvent(state: SessionState, event: DaemonEvent, at: number, warnings: number, superseded: number): SessionState {
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
function showCatchUp(draft: Draft, catchUp: CatchUp): void {
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

function setDaemonState(draft: Draft, state: DaemonState | null, at: number): void {
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
function bounded(segments: readonly Segment[], max: number): readonly Segment[] {
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
