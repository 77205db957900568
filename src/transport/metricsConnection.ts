// The one connection to the daemon's metrics socket. Reads arrive as raw chunks on one
// persistent Gio.DataInputStream and go through the core's LineFramer: read_line_async would
// buffer an endless line without limit, and reading chunk by chunk lets a burst of thousands of
// events drain in slices, one main-loop iteration per chunk, so the shell never stalls on it.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {Backoff} from '../core/backoff.js';
import {DEFAULT_MAX_LINE_BYTES, LineFramer} from '../core/lineFramer.js';
import {RateLimiter} from '../core/rateLimiter.js';
import type {ConnectionProblem} from '../core/sessionState.js';
import type {SessionStore} from '../core/sessionStore.js';
import type {SocketPaths} from '../core/socketPaths.js';
import {closeQuietly, connectUnix, errorMessage, ioErrorCode, isCancelled, readBytes} from './gioAsync.js';
import type {Logger} from './logger.js';
import {locateSockets, vetSocketFile} from './socketLocator.js';

const CHUNK_BYTES = 16 * 1024;
const TICK_SECONDS = 1;
// After a read that drained the socket, wait this long before the next: a daemon sending
// events one write at a time then costs one wake-up per pause, not one per event (the kernel
// keeps what arrives meanwhile, and the framer takes it in one go). A read that fills the
// chunk means more is waiting, and the next one follows at once, so bursts are not slowed.
const READ_PAUSE_MS = 100;

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
    private readonly _problems = new RateLimiter({intervalMs: 10_000, burst: 3});

    private _phase: Phase = 'stopped';
    // Bumped whenever the current attempt is abandoned: late callbacks of an older epoch do nothing.
    private _epoch = 0;
    private _cancellable: Gio.Cancellable | null = null;
    private _client: Gio.SocketClient | null = null;
    private _connection: Gio.SocketConnection | null = null;
    private _retrySource = 0;
    private _tickSource = 0;
    private _pauseSource = 0;
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
        this._cancelPause();
        closeQuietly(this._connection);
        this._connection = null;
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

    private _removeSource(field: '_retrySource' | '_tickSource' | '_pauseSource'): void {
        if (this[field]) {
            GLib.source_remove(this[field]);
            this[field] = 0;
        }
    }

    private _attempt(): void {
        this._phase = 'connecting';
        const epoch = ++this._epoch;
        this._cancellable = new Gio.Cancellable();
        this._run(epoch, this._cancellable).catch(e => {
            if (!isCancelled(e) && epoch === this._epoch)
                this._fail(epoch, 'error', errorMessage(e));
        });
    }

    private async _run(epoch: number, cancellable: Gio.Cancellable): Promise<void> {
        const paths = await locateSockets(this._socketOverride(), cancellable);
        if (epoch !== this._epoch)
            return;
        this._paths = paths;
        if (!paths) {
            this._fail(epoch, 'not-found', 'no socket directory: neither $XDG_RUNTIME_DIR nor $HOME is set');
            return;
        }
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
                this._fail(epoch, 'error', `${paths.metrics}: ${errorMessage(e)}`);
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

        this._phase = 'connected';
        this._backoff.reset();
        this._store.dispatch({type: 'connected', at: Date.now()});
        this._report(`connected to ${paths.metrics}`, false);
        this._tickSource = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, TICK_SECONDS, () => {
            this._store.dispatch({type: 'tick', at: Date.now()});
            return GLib.SOURCE_CONTINUE;
        });

        await this._readLoop(epoch, connection, cancellable);
    }

    private async _readLoop(epoch: number, connection: Gio.SocketConnection, cancellable: Gio.Cancellable): Promise<void> {
        const stream = Gio.DataInputStream.new(connection.get_input_stream());
        stream.set_buffer_size(CHUNK_BYTES);
        const framer = new LineFramer(this._maxLineBytes);
        for (;;) {
            let chunk: Uint8Array;
            try {
                chunk = await readBytes(stream, CHUNK_BYTES, GLib.PRIORITY_DEFAULT_IDLE, cancellable);
            } catch (e) {
                if (!isCancelled(e) && epoch === this._epoch)
                    this._fail(epoch, 'error', `reading ${this._paths?.metrics}: ${errorMessage(e)}`);
                return;
            }
            if (epoch !== this._epoch)
                return;
            if (chunk.length === 0) {
                this._fail(epoch, 'closed', 'the daemon closed the connection');
                return;
            }
            this._ingest(framer, chunk);
            if (chunk.length < CHUNK_BYTES) {
                await this._pause();
                if (epoch !== this._epoch)
                    return;
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
            this._logProblem('oversized', `skipped ${oversized} line(s) longer than ${Math.round(this._maxLineBytes / 1024)} KiB`, now);
        }
        for (const line of lines) {
            const problem = this._store.ingestLine(line, now);
            if (problem)
                this._logProblem(problem.split(':', 1)[0], problem, now);
        }
    }

    private _logProblem(key: string, message: string, now: number): void {
        const {allowed, suppressed} = this._problems.allow(key, now);
        if (allowed)
            this._logger.warn(suppressed > 0 ? `${message} (${suppressed} similar suppressed)` : message);
    }

    private _fail(epoch: number, problem: ConnectionProblem, detail: string): void {
        if (epoch !== this._epoch)
            return;
        this._epoch++;
        this._cancellable?.cancel();
        this._cancellable = null;
        this._removeSource('_tickSource');
        this._cancelPause();
        closeQuietly(this._connection);
        this._connection = null;

        const delay = this._backoff.next();
        const retryAt = Date.now() + delay;
        this._phase = 'waiting';
        this._store.dispatch({type: 'disconnected', at: Date.now(), problem, detail, retryAt});
        // Log transitions, not attempts: a daemon that stays away is mentioned once.
        this._report(detail, problem !== 'not-found' && problem !== 'refused' && problem !== 'closed');
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
            if (event !== Gio.FileMonitorEvent.CREATED || file.get_basename() !== name)
                return;
            if (this._phase === 'waiting') {
                this._removeSource('_retrySource');
                this._backoff.reset();
                this._attempt();
            }
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
