// SPDX-License-Identifier: GPL-2.0-or-later
// The one connection to the daemon's metrics socket. Reads arrive as raw chunks on one
// persistent Gio.DataInputStream and go through the core's LineFramer: read_line_async would
// buffer an endless line without limit, and reading chunk by chunk lets a burst of thousands of
// events drain in slices, one main-loop iteration per chunk, so the shell never stalls on it.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {Backoff} from '../core/backoff.js';
import {N_} from '../core/i18n.js';
import {DEFAULT_MAX_LINE_BYTES, LineFramer} from '../core/lineFramer.js';
import {ProblemLog} from '../core/rateLimiter.js';
import {type ConnectionProblem, staleAt} from '../core/sessionState.js';
import type {SessionStore} from '../core/sessionStore.js';
import type {SocketPaths} from '../core/socketPaths.js';
import {closeQuietly, connectUnix, errorMessage, ioErrorCode, isCancelled, readBuffered, removeSource} from './gioAsync.js';
import type {Logger} from '../lib/logger.js';
import {locateSockets, vetSocketFile} from './socketLocator.js';
import {PUSH_EVERY_MS, Watchdog} from './watchdog.js';

const CHUNK_BYTES = 16 * 1024;
// The tick runs when the connection would turn stale (staleAt) if nothing came meanwhile, not
// on a fixed beat: at the daemon's pace of an event a second, every 5 s rather than twice a
// second, since every wake-up of the shell's main loop costs it. At least every MAX_TICK_MS,
// which bounds what a jump of the wall clock can delay; a tick more than TICK_LATE_MS late
// means the main loop stood still.
const MIN_TICK_MS = 50;
const MAX_TICK_MS = 5000;
const TICK_LATE_MS = 1000;
// A connection proves itself with a metrics_update (the daemon sends one every second) or
// by staying up this long after its catch-up; only then is the back-off reset, so a daemon
// that accepts and closes at once is retried less and less often.
const PROVEN_AFTER_MS = 10_000;
// GJS up to 1.80 can drop every callback that falls due during a pause of several seconds
// (see watchdog.ts): the tick, the read's result, a retry. The watchdog fires once all of our
// callbacks have stopped; it and the tick and reads, whichever still run, make up for the
// others: a tick more than TICK_LOST_MS overdue is restarted, a connection whose loop has
// not read for READ_LOST_MS with data waiting is replaced, an attempt that never came back
// or a one-shot timeout more than TIMEOUT_LOST_MS overdue (its source id would still say it
// is pending) is done again. The short watchdog fires after more than READ_LOST_MS of silence.
const READ_LOST_MS = 5000;
const WATCHDOG_MS = [READ_LOST_MS + PUSH_EVERY_MS + 500, 20_000];
const TICK_LOST_MS = 5000;
const CONNECT_LOST_MS = 15_000;
// Named, so that a main-loop profile (and a test) can tell them apart.
export const TICK_SOURCE = '[swictation] metrics tick';
const TIMEOUT_LOST_MS = 2000;
// Creation events in the socket's folder are coalesced: the first is acted on after this
// pause, and attempts they cause are at least FOLDER_MIN_INTERVAL_MS apart.
const FOLDER_DEBOUNCE_MS = 100;
const FOLDER_MIN_INTERVAL_MS = 1000;
// After a read that drained the socket and came less than this after the one before, wait this
// long before the next: a daemon sending a stream of events one write at a time then costs one
// wake-up per pause, not one per event (the kernel keeps what arrives meanwhile, and the framer
// takes it in one go). At the daemon's own pace, events a second or so apart, a pause would
// only add a wake-up per event. A read of more than SMALL_READ_BYTES (dozens of events) means
// they come in bulk: its wake-up is already shared, and the next read follows at once, so a
// burst is not slowed each time the reader catches up with the writer.
const READ_PAUSE_MS = 100;
const SMALL_READ_BYTES = CHUNK_BYTES / 4;

export interface MetricsConnectionOptions {
    store: SessionStore;
    logger: Logger;
    /** The metrics socket path override (GSettings); read at every attempt. */
    socketOverride: () => string;
    maxLineBytes?: number;
}

type Phase = 'stopped' | 'connecting' | 'connected' | 'waiting';

export class MetricsConnection {
    private readonly _store: SessionStore;
    private readonly _logger: Logger;
    private readonly _socketOverride: () => string;
    private readonly _maxLineBytes: number;
    private readonly _backoff = new Backoff();
    private readonly _problems = new ProblemLog();
    private readonly _watchdog = new Watchdog(WATCHDOG_MS, now => {
        this._heartbeat(now);
        this._checkLiveness(now, true);
    });

    private _phase: Phase = 'stopped';
    // Bumped whenever the current attempt is abandoned: late callbacks of an older epoch do nothing.
    private _epoch = 0;
    private _cancellable: Gio.Cancellable | null = null;
    private _client: Gio.SocketClient | null = null;
    private _connection: Gio.SocketConnection | null = null;
    private _retrySource = 0;
    private _tickSource = 0;
    private _pauseSource = 0;
    private _staleSource = 0;
    private _folderSource = 0;
    /** Monotonic ms: when the phase began, the read loop last moved, the tick last ran, … */
    private _phaseSince = 0;
    private _lastRead = 0;
    private _tickDue = 0;
    private _retryDue = 0;
    private _staleDue = 0;
    private _folderDue = 0;
    private _lastFolderAttempt = -Infinity;
    private _proved = false;
    private _endPause: (() => void) | null = null;
    private _monitor: Gio.FileMonitor | null = null;
    private _monitorHandler = 0;
    private _monitoredDir: string | null = null;
    private _paths: SocketPaths | null = null;
    private _lastReported: string | null = null;

    constructor(options: MetricsConnectionOptions) {
        this._store = options.store;
        this._logger = options.logger;
        this._socketOverride = options.socketOverride;
        this._maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    }

    get paths(): SocketPaths | null {
        return this._paths;
    }

    start(): void {
        if (this._phase !== 'stopped')
            return;
        this._client = new Gio.SocketClient();
        this._backoff.reset();
        this._attempt();
    }

    /** Cancels every pending call, source and monitor; afterwards nothing touches the store. */
    stop(): void {
        if (this._phase === 'stopped')
            return;
        this._abandonAttempt();
        this._phase = 'stopped';
        this._watchdog.stop();
        this._removeSource('_folderSource');
        this._unwatchDir();
        this._client = null;
        this._store.dispatch({type: 'disconnected', at: Date.now(), problem: 'closed', detail: 'stopped', retryAt: null});
    }

    /** Drops whatever is going on and connects at once (user's "Reconnect now", settings change). */
    reconnectNow(): void {
        if (this._phase === 'stopped')
            return;
        this._abandonAttempt();
        this._backoff.reset();
        this._attempt();
    }

    private _abandonAttempt(): void {
        this._epoch++;
        this._cancellable?.cancel();
        this._cancellable = null;
        this._removeSource('_retrySource');
        this._removeSource('_tickSource');
        this._removeSource('_staleSource');
        this._cancelPause();
        closeQuietly(this._connection);
        this._connection = null;
    }

    private _setPhase(phase: Phase): void {
        this._phase = phase;
        this._phaseSince = monotonicMs();
    }

    private _pause(): Promise<void> {
        return new Promise(resolve => {
            this._endPause = resolve;
            this._pauseSource = GLib.timeout_add(GLib.PRIORITY_DEFAULT_IDLE, READ_PAUSE_MS, () => {
                this._pauseSource = 0;
                this._endPause = null;
                resolve();
                return GLib.SOURCE_REMOVE;
            });
        });
    }

    // Ends a pending pause at once; the read loop then sees its epoch is over and returns.
    private _cancelPause(): void {
        this._removeSource('_pauseSource');
        this._endPause?.();
        this._endPause = null;
    }

    private _removeSource(field: '_retrySource' | '_tickSource' | '_pauseSource' | '_staleSource' | '_folderSource'): void {
        removeSource(this[field]);
        this[field] = 0;
    }

    private _attempt(): void {
        this._setPhase('connecting');
        this._heartbeat(monotonicMs());
        const epoch = ++this._epoch;
        this._cancellable = new Gio.Cancellable();
        this._run(epoch, this._cancellable).catch(e => {
            if (!isCancelled(e) && epoch === this._epoch)
                this._fail(epoch, 'error', errorMessage(e));
        });
    }

    private async _run(epoch: number, cancellable: Gio.Cancellable): Promise<void> {
        const located = await locateSockets(this._socketOverride(), cancellable);
        if (epoch !== this._epoch)
            return;
        if (!located) {
            this._paths = null;
            this._fail(epoch, 'not-found', 'no socket directory: neither $XDG_RUNTIME_DIR nor $HOME is set');
            return;
        }
        if (!located.ok) {
            this._paths = null;
            this._fail(epoch, 'error', located.message, located.error);
            return;
        }
        const paths = located.paths;
        this._paths = paths;
        this._watchDir(paths.metrics);
        this._store.dispatch({type: 'connecting', at: Date.now(), socketPath: paths.metrics});

        const verdict = await vetSocketFile(paths.metrics, cancellable);
        if (epoch !== this._epoch)
            return;
        if (!verdict.ok) {
            this._fail(epoch, verdict.problem, verdict.detail);
            return;
        }

        let connection: Gio.SocketConnection;
        try {
            connection = await connectUnix(this._client!, paths.metrics, cancellable);
        } catch (e) {
            if (isCancelled(e) || epoch !== this._epoch)
                return;
            const code = ioErrorCode(e);
            if (code === Gio.IOErrorEnum.CONNECTION_REFUSED)
                this._fail(epoch, 'refused', `${paths.metrics}: connection refused (daemon not running; stale socket)`);
            else if (code === Gio.IOErrorEnum.NOT_FOUND)
                this._fail(epoch, 'not-found', `no socket at ${paths.metrics}`);
            else
                this._fail(epoch, 'error', errorMessage(e));
            return;
        }
        if (epoch !== this._epoch) {
            closeQuietly(connection);
            return;
        }
        this._connection = connection;

        // The file check above can race with a swap of the socket; the peer's credentials cannot.
        if (!connection.get_socket().get_credentials().is_same_user(new Gio.Credentials())) {
            this._fail(epoch, 'foreign-owner', `the process behind ${paths.metrics} runs as another user; disconnected`);
            return;
        }

        this._setPhase('connected');
        this._proved = false;
        this._lastRead = monotonicMs();
        this._problems.reset();
        this._store.dispatch({type: 'connected', at: Date.now()});
        this._report(`connected to ${paths.metrics}`, false);
        this._startTick(epoch);

        await this._readLoop(epoch, connection, cancellable);
    }

    private _startTick(epoch: number): void {
        this._removeSource('_tickSource');
        const delay = this._nextTickDelay();
        this._tickDue = monotonicMs() + delay;
        this._tickSource = GLib.timeout_add(GLib.PRIORITY_DEFAULT, delay, () => {
            this._tickSource = 0;
            this._tick(epoch);
            if (epoch === this._epoch && this._phase === 'connected' && !this._tickSource)
                this._startTick(epoch);
            return GLib.SOURCE_REMOVE;
        });
        GLib.Source.set_name_by_id(this._tickSource, TICK_SOURCE);
    }

    /** Until the connection would turn stale, or could have proved itself. */
    private _nextTickDelay(): number {
        const state = this._store.state;
        const now = Date.now();
        let due = staleAt(state) ?? now + MAX_TICK_MS;
        if (!this._proved)
            due = Math.min(due, state.connection.since + PROVEN_AFTER_MS);
        return Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, due - now + 1));
    }

    private _tick(epoch: number): void {
        const now = monotonicMs();
        const late = now - this._tickDue;
        this._heartbeat(now);
        this._store.dispatch({type: 'tick', at: Date.now()});
        const state = this._store.state;
        if (epoch !== this._epoch)
            return;
        // After the whole main loop stood still, the tick runs late, before the read (whose
        // priority is lower) has had its turn: then the reads are judged at the next tick.
        if (this._checkLiveness(now, late < TICK_LATE_MS))
            return;
        this._noteProof();
        const {status} = state.connection;
        // The daemon sends metrics every second: a silent connection is dead, whatever the
        // socket says. Reconnect with back-off, still showing "not responding" meanwhile.
        if (status === 'stale' && !this._staleSource) {
            const delay = this._backoff.next();
            this._report(`no event from ${this._paths?.metrics} for ${Math.round(state.staleAfterMs / 1000)} s: the daemon stopped answering; reconnecting`, true);
            this._staleDue = now + delay;
            this._staleSource = GLib.timeout_add(GLib.PRIORITY_DEFAULT, delay, () => {
                this._staleSource = 0;
                this._reconnectStale();
                return GLib.SOURCE_REMOVE;
            });
        }
    }

    /**
     * A metrics_update proves the connection at once (the tick may be seconds away, and a
     * daemon killed meanwhile would be retried with the back-off of one that never worked);
     * staying up PROVEN_AFTER_MS after its catch-up proves it at the tick then due.
     */
    private _noteProof(): void {
        if (this._proved)
            return;
        const state = this._store.state;
        const {status, since} = state.connection;
        if (status === 'connected' &&
            (state.heartbeat || (state.lastEventAt !== null && state.lastEventAt >= since && Date.now() - since >= PROVEN_AFTER_MS))) {
            this._proved = true;
            this._backoff.reset();
        }
    }

    private _reconnectStale(): void {
        this._abandonAttempt();
        this._attempt();
    }

    /** Called by every callback of ours: restarts a tick GJS dropped, and pushes the watchdog. */
    private _heartbeat(now: number): void {
        if (this._phase === 'stopped')
            return;
        if (this._phase === 'connected' && now - this._tickDue > TICK_LOST_MS) {
            this._logger.debug(`the connection's tick is ${Math.round((now - this._tickDue) / 1000)} s overdue; restarted`);
            this._startTick(this._epoch);
        }
        this._watchdog.push(now);
    }

    /** Makes up for whatever GJS dropped; true if it tore the connection down or restarted it. */
    private _checkLiveness(now: number, judgeReads: boolean): boolean {
        const epoch = this._epoch;
        switch (this._phase) {
        case 'connected':
            if (judgeReads && now - this._lastRead > READ_LOST_MS && this._bytesWaiting() > 0) {
                this._fail(epoch, 'error', N_('The connection stopped reading; reconnecting.'),
                    `the read loop stopped with ${this._bytesWaiting()} bytes waiting; reconnecting`);
                return true;
            }
            if (this._staleSource && now > this._staleDue + TIMEOUT_LOST_MS) {
                this._removeSource('_staleSource');
                this._reconnectStale();
                return true;
            }
            break;
        case 'connecting':
            if (now - this._phaseSince > CONNECT_LOST_MS) {
                this._fail(epoch, 'error', N_('Connecting took too long; trying again.'),
                    `no connection to ${this._paths?.metrics ?? 'the daemon'} after ${CONNECT_LOST_MS / 1000} s`);
                return true;
            }
            break;
        case 'waiting':
            if (now > this._retryDue + TIMEOUT_LOST_MS) {
                this._removeSource('_retrySource');
                this._attempt();
                return true;
            }
            break;
        case 'stopped':
            break;
        }
        if (this._folderSource && now > this._folderDue + TIMEOUT_LOST_MS) {
            this._removeSource('_folderSource');
            this._socketCreated();
        }
        return false;
    }

    private _bytesWaiting(): number {
        try {
            return this._connection?.get_socket().get_available_bytes() ?? 0;
        } catch {
            return 0;
        }
    }

    private async _readLoop(epoch: number, connection: Gio.SocketConnection, cancellable: Gio.Cancellable): Promise<void> {
        const stream = Gio.DataInputStream.new(connection.get_input_stream());
        stream.set_buffer_size(CHUNK_BYTES);
        const framer = new LineFramer(this._maxLineBytes);
        for (;;) {
            let chunk: Uint8Array;
            const previous = this._lastRead;
            try {
                chunk = await readBuffered(stream, CHUNK_BYTES, GLib.PRIORITY_DEFAULT_IDLE, cancellable);
                this._lastRead = monotonicMs();
                this._heartbeat(this._lastRead);
            } catch (e) {
                if (!isCancelled(e) && epoch === this._epoch)
                    this._fail(epoch, 'error', errorMessage(e));
                return;
            }
            if (epoch !== this._epoch)
                return;
            if (chunk.length === 0) {
                this._fail(epoch, 'closed', 'the daemon closed the connection');
                return;
            }
            this._ingest(framer, chunk);
            if (chunk.length <= SMALL_READ_BYTES && this._lastRead - previous < READ_PAUSE_MS) {
                await this._pause();
                if (epoch !== this._epoch)
                    return;
                this._lastRead = monotonicMs();
            }
        }
    }

    private _ingest(framer: LineFramer, chunk: Uint8Array): void {
        const oversizedBefore = framer.oversizedLines;
        const lines = framer.push(chunk);
        const now = Date.now();
        const oversized = framer.oversizedLines - oversizedBefore;
        if (oversized > 0) {
            this._store.dispatch({type: 'oversized', at: now, count: oversized});
            this._logProblem('oversized', `skipped a line longer than ${Math.round(this._maxLineBytes / 1024)} KiB`, now);
        }
        this._store.ingestLines(lines, now, problem => this._logProblem(problemKind(problem), problem, now));
        this._noteProof();
        // An event ended the silence before the reconnect it caused.
        if (this._staleSource && this._store.state.connection.status === 'connected')
            this._removeSource('_staleSource');
    }

    private _logProblem(kind: string, message: string, now: number): void {
        const line = this._problems.note(kind, message, now);
        if (line)
            this._logger.warn(line);
    }

    /** `detail` is what the menu shows (GLib's or an N_-marked text for 'error'); `logged`, the log's. */
    private _fail(epoch: number, problem: ConnectionProblem, detail: string, logged = detail): void {
        if (epoch !== this._epoch)
            return;
        this._epoch++;
        this._cancellable?.cancel();
        this._cancellable = null;
        this._removeSource('_tickSource');
        this._removeSource('_staleSource');
        this._cancelPause();
        closeQuietly(this._connection);
        this._connection = null;

        const delay = this._backoff.next();
        const retryAt = Date.now() + delay;
        this._setPhase('waiting');
        this._retryDue = monotonicMs() + delay;
        this._store.dispatch({type: 'disconnected', at: Date.now(), problem, detail, retryAt});
        // Log transitions, not attempts: a daemon that stays away is mentioned once. An 'error'
        // detail is written for the menu, which shows the path beside it; the log needs the path.
        this._report(problem === 'error' && this._paths && logged === detail ? `${this._paths.metrics}: ${detail}` : logged,
            problem !== 'not-found' && problem !== 'refused' && problem !== 'closed');
        this._retrySource = GLib.timeout_add(GLib.PRIORITY_DEFAULT, delay, () => {
            this._retrySource = 0;
            this._attempt();
            return GLib.SOURCE_REMOVE;
        });
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

    // The daemon creates its socket at start: watching the directory lets us connect at once
    // instead of waiting out the back-off.
    private _watchDir(socketPath: string): void {
        const dir = GLib.path_get_dirname(socketPath);
        if (dir === this._monitoredDir)
            return;
        this._unwatchDir();
        try {
            this._monitor = Gio.File.new_for_path(dir).monitor_directory(Gio.FileMonitorFlags.NONE, null);
        } catch (e) {
            this._logger.info(`cannot watch ${dir} (${errorMessage(e)}); relying on retries`);
            return;
        }
        this._monitoredDir = dir;
        const name = GLib.path_get_basename(socketPath);
        this._monitorHandler = this._monitor.connect('changed', (_m, file, _other, event) => {
            if (event === Gio.FileMonitorEvent.CREATED && file.get_basename() === name)
                this._socketCreated();
        });
    }

    // A new socket file is a daemon that has just started (or one that took the path over from
    // a dead one): try it at once, whatever the current phase. Without resetting the back-off,
    // and coalesced, so that a flood of events in the folder cannot drive a flood of attempts.
    private _socketCreated(): void {
        if (this._folderSource || this._phase === 'stopped')
            return;
        const wait = Math.max(FOLDER_DEBOUNCE_MS, this._lastFolderAttempt + FOLDER_MIN_INTERVAL_MS - monotonicMs());
        this._folderDue = monotonicMs() + wait;
        this._folderSource = GLib.timeout_add(GLib.PRIORITY_DEFAULT, Math.ceil(wait), () => {
            this._folderSource = 0;
            this._lastFolderAttempt = monotonicMs();
            this._abandonAttempt();
            this._attempt();
            return GLib.SOURCE_REMOVE;
        });
    }

    private _unwatchDir(): void {
        if (this._monitor) {
            this._monitor.disconnect(this._monitorHandler);
            this._monitor.cancel();
        }
        this._monitor = null;
        this._monitorHandler = 0;
        this._monitoredDir = null;
    }
}

function monotonicMs(): number {
    return GLib.get_monotonic_time() / 1000;
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
