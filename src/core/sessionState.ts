// SPDX-License-Identifier: GPL-2.0-or-later
// Everything the UI shows, as a pure reducer over connection changes and daemon events. The
// state lives outside the UI so nothing sent before the UI listens is lost, and every screen
// renders from the same facts.
import type {DaemonEvent, DaemonState, MetricsUpdateEvent} from './protocol.js';
import {NO_SEGMENTS, applyEvent, bounded, draftOf, setDaemonState, showCatchUp} from './sessionEvents.js';

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
export const DEFAULT_STALE_AFTER_MS = 5000;
/** After a catch-up and before the first metrics_update, silence means stale this many times later. */
export const STARTING_STALE_FACTOR = 4;

export type Draft = { -readonly [K in keyof SessionState]: SessionState[K] };

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

/** A stream of garbage is as frequent as one of events: keep its path as cheap. */
function withCounters(state: SessionState, counters: Counters): SessionState {
    const draft = draftOf(state);
    draft.counters = counters;
    return draft;
}
