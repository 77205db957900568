// SPDX-License-Identifier: GPL-2.0-or-later
// Keeps one connection to the daemon's metrics socket: connects, reads through a MetricsStream,
// notices a silent daemon, and retries with back-off. Every step is bounded by a Timer, so a
// callback GJS drops ends in a retry rather than a connection that waits for ever.
import Gio from 'gi://Gio';

import {Backoff} from '../core/backoff.js';
import {isProven, nextCheckDelay} from '../core/connectionPolicy.js';
import {N_} from '../core/i18n.js';
import {DEFAULT_MAX_LINE_BYTES} from '../core/lineFramer.js';
import {ProblemLog} from '../core/rateLimiter.js';
import type {SessionStore} from '../core/sessionStore.js';
import type {SocketPaths} from '../core/socketPaths.js';
import type {Logger} from '../lib/logger.js';
import {Timer, withDeadline} from '../lib/timers.js';
import {closeQuietly, errorMessage, isCancelled} from './gioAsync.js';
import {MetricsStream} from './metricsStream.js';
import {SocketFolder} from './socketFolder.js';
import {type SocketFailure, locateSockets, openSocket} from './socketLocator.js';

// Locating, vetting and connecting to a local socket take milliseconds; longer means lost.
const CONNECT_TIMEOUT_MS = 15_000;
const RESUMED_CHECK_MS = 250;
export const CHECK_TIMER = 'metrics check';

export interface MetricsConnectionOptions {
    store: SessionStore;
    logger: Logger;
    /** The metrics socket path override (GSettings); read at every attempt. */
    socketOverride: () => string;
    maxLineBytes?: number;
}

interface Failure extends SocketFailure {
    /** What the log says, when it needs more than the menu (the path). */
    logged?: string;
}

type Phase =
    | {kind: 'stopped'}
    | {kind: 'waiting'}
    | {kind: 'connecting'; cancellable: Gio.Cancellable}
    | {kind: 'connected'; stream: MetricsStream; proven: boolean}
    | {kind: 'stale'; stream: MetricsStream};

export class MetricsConnection {
    private readonly _store: SessionStore;
    private readonly _logger: Logger;
    private readonly _socketOverride: () => string;
    private readonly _maxLineBytes: number;
    private readonly _backoff = new Backoff();
    private readonly _problems = new ProblemLog();
    private readonly _folder: SocketFolder;
    private readonly _retry = new Timer('metrics retry', () => this._attempt());
    private readonly _check = new Timer(CHECK_TIMER, () => this._checkIn());
    private _phase: Phase = {kind: 'stopped'};
    private _client: Gio.SocketClient | null = null;
    private _paths: SocketPaths | null = null;
    private _lastReported: string | null = null;

    constructor(options: MetricsConnectionOptions) {
        this._store = options.store;
        this._logger = options.logger;
        this._socketOverride = options.socketOverride;
        this._maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
        // A new socket is a daemon that just started: try it at once, without resetting the back-off.
        this._folder = new SocketFolder(this._logger, () => this._attempt());
    }

    get paths(): SocketPaths | null {
        return this._paths;
    }

    start(): void {
        if (this._phase.kind !== 'stopped')
            return;
        this._client = new Gio.SocketClient();
        this._backoff.reset();
        this._attempt();
    }

    /** Cancels every pending call, timer and monitor; afterwards nothing touches the store. */
    stop(): void {
        if (this._phase.kind === 'stopped')
            return;
        this._leave({kind: 'stopped'});
        this._folder.stop();
        this._client = null;
        this._store.dispatch({type: 'disconnected', at: Date.now(), problem: 'closed', detail: 'stopped', retryAt: null});
    }

    /** Drops whatever is going on and connects at once (user's "Reconnect now", settings change). */
    reconnectNow(): void {
        if (this._phase.kind === 'stopped')
            return;
        this._backoff.reset();
        this._attempt();
    }

    private _leave(next: Phase): void {
        this._retry.cancel();
        this._check.cancel();
        const phase = this._phase;
        if (phase.kind === 'connecting')
            phase.cancellable.cancel();
        else if (phase.kind === 'connected' || phase.kind === 'stale')
            phase.stream.close();
        this._phase = next;
    }

    private _attempt(): void {
        const cancellable = new Gio.Cancellable();
        const phase: Phase = {kind: 'connecting', cancellable};
        this._leave(phase);
        const timedOut = (): Failure => {
            cancellable.cancel();
            return {problem: 'error', detail: N_('Connecting took too long; trying again.'),
                logged: `no connection to ${this._paths?.metrics ?? 'the daemon'} after ${CONNECT_TIMEOUT_MS / 1000} s`};
        };
        withDeadline('metrics connect', this._connect(cancellable), CONNECT_TIMEOUT_MS, timedOut).then(outcome => {
            if (outcome instanceof Gio.SocketConnection && this._phase !== phase)
                closeQuietly(outcome);
            else if (outcome instanceof Gio.SocketConnection)
                this._connected(outcome);
            else if (outcome && this._phase === phase)
                this._fail(outcome);
        }).catch(e => {
            if (!isCancelled(e) && this._phase === phase)
                this._fail({problem: 'error', detail: errorMessage(e)});
        });
    }

    /** The connection, or why there is none; null once cancelled. */
    private async _connect(cancellable: Gio.Cancellable): Promise<Gio.SocketConnection | Failure | null> {
        const located = await locateSockets(this._socketOverride(), cancellable);
        if (!located || !located.ok) {
            this._paths = null;
            return located ? {problem: 'error', detail: located.message, logged: located.error}
                : {problem: 'not-found', detail: 'no socket directory: neither $XDG_RUNTIME_DIR nor $HOME is set'};
        }
        const path = located.paths.metrics;
        this._paths = located.paths;
        this._folder.watch(path);
        this._store.dispatch({type: 'connecting', at: Date.now(), socketPath: path});

        return openSocket(this._client!, path, cancellable);
    }

    private _connected(connection: Gio.SocketConnection): void {
        const stream = new MetricsStream(connection, this._maxLineBytes, {
            lines: (lines, oversized) => this._ingest(lines, oversized),
            ended: (problem, detail) => this._fail({problem, detail}),
        });
        this._leave({kind: 'connected', stream, proven: false});
        this._problems.reset();
        this._store.dispatch({type: 'connected', at: Date.now()});
        this._report(`connected to ${this._paths?.metrics}`, false);
        this._check.schedule(nextCheckDelay(this._store.state, false, Date.now()));
    }

    /** Runs when the connection would turn stale or could have proved itself. */
    private _checkIn(): void {
        const phase = this._phase;
        if (phase.kind !== 'connected' && phase.kind !== 'stale')
            return;
        // Judged again once the events a lost read left behind are in.
        if (phase.stream.resume()) {
            this._logger.debug('a read of the metrics socket was lost; resumed');
            this._check.schedule(RESUMED_CHECK_MS);
            return;
        }
        this._store.dispatch({type: 'tick', at: Date.now()});
        this._noteProof();
        const state = this._store.state;
        // The daemon sends metrics every second: a silent connection is dead, whatever the
        // socket says. Reconnect with back-off, still showing "not responding" meanwhile.
        if (phase.kind === 'connected' && state.connection.status === 'stale') {
            this._phase = {kind: 'stale', stream: phase.stream};
            this._report(`no event from ${this._paths?.metrics} for ${Math.round(state.staleAfterMs / 1000)} s: the daemon stopped answering; reconnecting`, true);
            this._retry.schedule(this._backoff.next());
        }
        const proven = this._phase.kind === 'connected' && this._phase.proven;
        this._check.schedule(nextCheckDelay(state, proven, Date.now()));
    }

    private _ingest(lines: string[], oversized: number): void {
        const now = Date.now();
        if (oversized > 0) {
            this._store.dispatch({type: 'oversized', at: now, count: oversized});
            this._logProblem('oversized', `skipped a line longer than ${Math.round(this._maxLineBytes / 1024)} KiB`, now);
        }
        this._store.ingestLines(lines, now, problem => this._logProblem(problemKind(problem), problem, now));
        // An event ended the silence before the reconnect it caused.
        if (this._phase.kind === 'stale' && this._store.state.connection.status === 'connected') {
            this._retry.cancel();
            this._phase = {kind: 'connected', stream: this._phase.stream, proven: false};
        }
        this._noteProof();
    }

    /** A metrics_update proves the connection at once: a daemon killed soon after is retried quickly. */
    private _noteProof(): void {
        const phase = this._phase;
        if (phase.kind === 'connected' && !phase.proven && isProven(this._store.state, Date.now())) {
            phase.proven = true;
            this._backoff.reset();
        }
    }

    private _logProblem(kind: string, message: string, now: number): void {
        const line = this._problems.note(kind, message, now);
        if (line)
            this._logger.warn(line);
    }

    private _fail({problem, detail, logged}: Failure): void {
        if (this._phase.kind === 'stopped')
            return;
        this._leave({kind: 'waiting'});
        const delay = this._backoff.next();
        this._store.dispatch({type: 'disconnected', at: Date.now(), problem, detail, retryAt: Date.now() + delay});
        // Log transitions, not attempts: a daemon that stays away is mentioned once.
        this._report(logged ?? (problem === 'error' && this._paths ? `${this._paths.metrics}: ${detail}` : detail),
            problem !== 'not-found' && problem !== 'refused' && problem !== 'closed');
        this._retry.schedule(delay);
    }

    private _report(message: string, isWarning: boolean): void {
        if (message === this._lastReported)
            return;
        this._lastReported = message;
        if (isWarning)
            this._logger.warn(message);
        else
            this._logger.info(message);
    }
}

/** Groups the store's problem descriptions into the few kinds the log counts separately. */
function problemKind(problem: string): string {
    if (problem.startsWith('malformed'))
        return 'malformed';
    if (problem.startsWith('unknown event type'))
        return 'unknown';
    // "<event type>: <field warnings>"; the event type is one the parser knows.
    return `fields of ${problem.slice(0, problem.indexOf(':'))}`;
}
