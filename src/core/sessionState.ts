// SPDX-License-Identifier: GPL-2.0-or-later
// Everything the UI shows, as a pure reducer over connection changes and daemon events, kept
// outside the UI so that nothing sent before the UI listens is lost.
import type {DaemonEvent, DaemonState, MetricsUpdateEvent} from './protocol.js';
import {NO_SEGMENTS, applyEvent, bounded, draftOf, setDaemonState, showCatchUp} from './sessionEvents.js';

export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected' | 'stale';
export type ConnectionProblem = 'not-found' | 'refused' | 'foreign-owner' | 'closed' | 'error';

export interface Segment {
    /** Kept when a catch-up re-sends the segment. */
    key: number;
    text: string;
    clock: string | null;
    words: number | null;
    wpm: number | null;
    latencyMs: number | null;
}
export interface SessionMetrics { words: number | null; segments: number | null; wpm: number | null; durationS: number | null; latencyMs: number | null }
/** Kept whole so that a field the parser learns reaches metricRows.ts with no change here. */
export type SystemMetrics = Readonly<Partial<Omit<MetricsUpdateEvent, 'type'>>>;
export interface ConnectionInfo {
    status: ConnectionStatus;
    socketPath: string | null;
    problem: ConnectionProblem | null;
    detail: string | null;
    since: number;
    retryAt: number | null;
}
export interface Counters { events: number; malformedLines: number; unknownEvents: number; oversizedLines: number; fieldWarnings: number }

/**
 * What the daemon writes on connect: state_change, session_start if a session runs, then the
 * segments of the running or last session, never a metrics_update.
 */
export interface CatchUp {
    readonly phase: 'state' | 'session' | 'segments';
    readonly base: readonly Segment[];
    readonly skip: number;
    readonly cursor: number;
    readonly replayed: readonly Segment[];
    readonly count: number;
}

export interface SessionState {
    readonly connection: ConnectionInfo;
    readonly daemonState: DaemonState | null;
    readonly sessionId: number | null;
    readonly recordingSince: number | null;
    readonly session: SessionMetrics;
    readonly system: SystemMetrics;
    readonly transcript: readonly Segment[];
    readonly trimmed: number;
    readonly maxSegments: number;
    readonly lastEventAt: number | null;
    readonly counters: Counters;
    readonly staleAfterMs: number;
    readonly nextKey: number;
    readonly catchUp: CatchUp | null;
    /** Only after a metrics_update does silence mean stale: a loading daemon's begin 5–60 s late. */
    readonly heartbeat: boolean;
    readonly interruptedRecording: { readonly sessionId: number; readonly since: number } | null;
}

export type Action =
    | { type: 'connecting'; at: number; socketPath: string }
    | { type: 'connected'; at: number }
    | { type: 'disconnected'; at: number; problem: ConnectionProblem; detail?: string; retryAt?: number | null }
    | { type: 'event'; at: number; event: DaemonEvent; warnings?: number; superseded?: number }
    | { type: 'malformed'; at: number }
    | { type: 'oversized'; at: number; count: number }
    | { type: 'tick'; at: number }
    | { type: 'configure'; maxSegments?: number; staleAfterMs?: number };

export const DEFAULT_MAX_SEGMENTS = 50;
export const DEFAULT_STALE_AFTER_MS = 5000;
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

// The daemon answers a new client at once, so a silent connection is hung; a catch-up followed
// by silence (a daemon that listens before its models load) is given longer.
export function staleAt(state: SessionState): number | null {
    const {connection, lastEventAt} = state;
    if (connection.status !== 'connected')
        return null;
    const heard = lastEventAt !== null && lastEventAt >= connection.since;
    const limit = heard && !state.heartbeat ? STARTING_STALE_FACTOR * state.staleAfterMs : state.staleAfterMs;
    return (heard ? lastEventAt : connection.since) + limit;
}

// The transcript and session totals are history and stay; live figures go.
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

function withCounters(state: SessionState, counters: Counters): SessionState {
    const draft = draftOf(state);
    draft.counters = counters;
    return draft;
}
