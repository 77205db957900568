// SPDX-License-Identifier: GPL-2.0-or-later
// A stand-in for the Swictation daemon's two sockets, behaving as docs/protocol.md describes the
// real one (swictation-broadcaster + swictation-daemon ipc.rs): catch-up on connect, event order
// of a toggle, the 1 s metrics_update, one-request control connections handled one at a time,
// JSON replies with sorted keys and no trailing newline. Plus fault injection for tests.
import * as fs from 'node:fs';
import * as net from 'node:net';
import {join} from 'node:path';
import {CONTROL_SOCKET_NAME, METRICS_SOCKET_NAME} from '../../src/core/socketPaths.js';
import {
    type MetricsSnapshot, type Segment, clockNow, countWords, metricsLine, sessionEndLine,
    sessionStartLine, stateChangeLine, transcriptionLine, unixNow,
} from './events.js';
import type {DaemonFiles} from './daemonFiles.js';
import {describeProbe, probeSocket} from './socketProbe.js';

export interface SimOptions {
    /** Socket directory (both sockets go here); created 0700 when missing, like the daemon. */
    dir: string;
    /** Periodic metrics_update; default 1000; 0 = none. */
    metricsIntervalMs?: number;
    /** Control socket and periodic metrics start only after this delay (model loading); default 0. */
    modelLoadMs?: number;
    log?: (msg: string) => void;
    /** First session id handed out (the daemon's database id); default 1. */
    firstSessionId?: number;
    /** Time a stop toggle spends transcribing the last speech; default random 50–500 ms. */
    stopDelayMs?: number;
    /** Report a GPU in metrics (gpu_memory_mb/percent); default true. false = 0 and 0 like a CPU-only box. */
    gpu?: boolean;
    /** Called after a control `quit`/`exit`/`shutdown` (the daemon has already gone, sockets left behind). */
    onQuit?: () => void;
    /** config.toml and corrections.toml; the corrections rewrite every segment. */
    files?: DaemonFiles;
}

/**
 * normal; error: an error reply; no-reply: reads, never answers nor closes; slow: answers after
 * 5 s; huge-error: a 60 KiB error reply; no-close: answers but keeps the connection open;
 * close: closes at once without reading (the client sees "connection reset").
 */
export type ControlMode = 'normal' | 'error' | 'no-reply' | 'slow' | 'huge-error' | 'no-close' | 'close';
export const CONTROL_MODES: readonly ControlMode[] = ['normal', 'error', 'no-reply', 'slow', 'huge-error', 'no-close', 'close'];

const INVALID_JSON = 'Invalid JSON. Expected: {"action": "toggle|status|quit"}';
const SLOW_REPLY_MS = 5000;
/** A client that reads nothing is dropped once this much is queued for it. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
const GPU_TOTAL_MB = 8192;

function delay(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms));
}

function unlinkQuiet(path: string): void {
    try {
        fs.unlinkSync(path);
    } catch {
        // already gone
    }
}

/** serde_json's `json!` map is a BTreeMap: keys come out sorted. */
function sortedJson(obj: Record<string, string>): string {
    const sorted: Record<string, string> = {};
    for (const k of Object.keys(obj).sort())
        sorted[k] = obj[k];
    return JSON.stringify(sorted);
}

type ParsedRequest = {kind: 'invalid'} | {kind: 'action'; action: string; lower: string};

function parseRequest(request: string): ParsedRequest {
    let v: unknown;
    try {
        v = JSON.parse(request.trim());
    } catch {
        return {kind: 'invalid'};
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v))
        return {kind: 'invalid'};
    const action = (v as Record<string, unknown>).action;
    if (typeof action !== 'string')
        return {kind: 'invalid'};
    return {kind: 'action', action, lower: action.toLowerCase()};
}

export class SimulatedDaemon {
    readonly metricsPath: string;
    readonly controlPath: string;
    readonly controlLog: Array<{request: string; reply: string | null}> = [];
    /** When true, newly accepted metrics clients get nothing at all (no catch-up, no metrics). */
    silent = false;
    controlMode: ControlMode = 'normal';

    private readonly opts: SimOptions;
    private readonly log: (msg: string) => void;
    private metricsServer: net.Server | null = null;
    private controlServer: net.Server | null = null;
    private readonly metricsClients = new Set<net.Socket>();
    private readonly silentClients = new Set<net.Socket>();
    /** Silent clients of a listener given up by rebind(): kept open, as a hung daemon would. */
    private readonly orphans = new Set<net.Socket>();
    private _accepted = 0;
    private _firstAcceptAt: number | null = null;
    /** The socket files this simulator put in place: only these may it remove. */
    private readonly owned = new Map<string, fs.Stats>();
    private bindCount = 0;
    private readonly controlSockets = new Set<net.Socket>();
    private readonly controlQueue: net.Socket[] = [];
    private controlBusy = false;
    private loadTimer: ReturnType<typeof setTimeout> | null = null;
    private metricsTimer: ReturnType<typeof setInterval> | null = null;
    private readyWaiters: Array<() => void> = [];
    private controlReady = false;
    private _running = false;
    /** Bumped by every start/stop/crash so that pending async work can tell it is obsolete. */
    private generation = 0;

    private _state: 'idle' | 'recording' = 'idle';
    private currentSessionId: number | null = null;
    private lastSessionId: number | null = null;
    private nextSessionId: number;
    private segments: Segment[] = [];
    private totalWords = 0;
    private activeTimeS = 0;
    private lastLatencyMs = 0;
    private readonly pendingFinal: string[] = [];
    private toggleChain: Promise<unknown> = Promise.resolve();
    private _toggleCount = 0;

    private rawChain: Promise<void> = Promise.resolve();
    private rawInProgress = false;
    private pendingWrites: Buffer[] = [];

    constructor(opts: SimOptions) {
        this.opts = opts;
        this.log = opts.log ?? (() => {});
        this.metricsPath = join(opts.dir, METRICS_SOCKET_NAME);
        this.controlPath = join(opts.dir, CONTROL_SOCKET_NAME);
        this.nextSessionId = opts.firstSessionId ?? 1;
    }

    // ---- observation -------------------------------------------------------------------------

    get state(): 'idle' | 'recording' {
        return this._state;
    }

    /** Connected metrics clients (silent ones included). */
    get clientCount(): number {
        return this.metricsClients.size + this.silentClients.size;
    }

    /** Metrics connections accepted since construction. */
    get acceptedCount(): number {
        return this._accepted;
    }

    /** When (ms since the epoch) the first metrics connection was accepted; null before. */
    get firstAcceptAt(): number | null {
        return this._firstAcceptAt;
    }

    /** Toggle requests received on the control socket. */
    get toggleCount(): number {
        return this._toggleCount;
    }

    /** The id metrics_update carries: the running or last session's, null before the first. */
    get sessionId(): number | null {
        return this.lastSessionId;
    }

    /** The speech model config.toml named at start (null: no file, the daemon's default). */
    get model(): string | null {
        return (this.opts.files?.config?.stt_model_override as string | undefined) ?? null;
    }

    get running(): boolean {
        return this._running;
    }

    /** Segments of the running or last session (what a new client's catch-up replays). */
    get transcript(): readonly Segment[] {
        return this.segments;
    }

    /** Resolves once the control socket is bound (after modelLoadMs). */
    ready(): Promise<void> {
        if (this.controlReady)
            return Promise.resolve();
        return new Promise(resolve => this.readyWaiters.push(resolve));
    }

    // ---- life cycle --------------------------------------------------------------------------

    async start(): Promise<void> {
        if (this._running)
            throw new Error('The simulated daemon is already running');
        fs.mkdirSync(this.opts.dir, {recursive: true, mode: 0o700});
        for (const path of [this.metricsPath, this.controlPath]) {
            const probe = await probeSocket(path);
            if (probe.kind === 'live')
                throw new Error(`A daemon is already listening on ${path}; stop it first (refusing to replace a live socket)`);
            if (probe.kind === 'foreign' || probe.kind === 'not-socket' || probe.kind === 'error')
                throw new Error(`Refusing to start: ${describeProbe(path, probe)}`);
        }
        // A fresh daemon process: idle, no session yet, empty transcript. Session ids keep counting
        // (they come from the daemon's database).
        this._state = 'idle';
        this.currentSessionId = null;
        this.lastSessionId = null;
        this.segments = [];
        this.totalWords = 0;
        this.activeTimeS = 0;
        this.lastLatencyMs = 0;
        this.pendingFinal.length = 0;
        this.pendingWrites = [];
        this.controlReady = false;

        const gen = ++this.generation;
        // The daemon replaces a stale metrics socket and binds at once; the control socket follows
        // once the models are loaded (a stale control file stays until then).
        this.metricsServer = await this.listen(this.metricsPath, sock => this.onMetricsClient(sock));
        this._running = true;
        this.log(`metrics socket listening on ${this.metricsPath}`);

        const loadMs = this.opts.modelLoadMs ?? 0;
        if (loadMs > 0) {
            this.log(`loading models (${loadMs} ms): control socket and metrics follow`);
            this.loadTimer = setTimeout(() => {
                this.loadTimer = null;
                this.finishLoading(gen).catch(e => this.log(`control socket failed: ${(e as Error).message}`));
            }, loadMs);
        } else {
            await this.finishLoading(gen);
        }
    }

    private async finishLoading(gen: number): Promise<void> {
        if (gen !== this.generation)
            return;
        const server = await this.listen(this.controlPath, sock => this.onControlClient(sock));
        if (gen !== this.generation) {
            server.close();
            return;
        }
        this.controlServer = server;
        this.log(`control socket listening on ${this.controlPath}`);
        const interval = this.opts.metricsIntervalMs ?? 1000;
        if (interval > 0)
            this.metricsTimer = setInterval(() => this.sendMetrics(), interval);
        this.controlReady = true;
        const waiters = this.readyWaiters;
        this.readyWaiters = [];
        waiters.forEach(w => w());
    }

    /**
     * Binds at a private name and renames the socket into place: Node removes a Unix socket's
     * file by name when its listener closes, which would remove whatever a real daemon has put
     * at the path since. Right before the rename, a live listener at the path is re-checked:
     * a daemon that bound it meanwhile (during "model loading", say) keeps it.
     */
    private async listen(path: string, onConnection: (sock: net.Socket) => void): Promise<net.Server> {
        const privatePath = `${path}.sim-${process.pid}-${++this.bindCount}`;
        const server = await new Promise<net.Server>((resolve, reject) => {
            const created = net.createServer({pauseOnConnect: false}, onConnection);
            const onError = (e: Error) => reject(new Error(`Cannot listen on ${path}: ${e.message}`));
            created.once('error', onError);
            created.listen(privatePath, () => {
                created.off('error', onError);
                created.on('error', e => this.log(`server error on ${path}: ${e.message}`));
                resolve(created);
            });
        });
        try {
            fs.chmodSync(privatePath, 0o600);
            const probe = await probeSocket(path);
            if (probe.kind !== 'absent' && probe.kind !== 'stale')
                throw new Error(`not replacing ${path}: ${describeProbe(path, probe)}`);
            fs.renameSync(privatePath, path);
            this.owned.set(path, fs.lstatSync(path));
        } catch (e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Removes the file at `path` only if it is still the socket this simulator bound there. */
    private removeOwn(path: string): void {
        const mine = this.owned.get(path);
        this.owned.delete(path);
        if (!mine)
            return;
        let now: fs.Stats;
        try {
            now = fs.lstatSync(path);
        } catch {
            return;
        }
        if (now.ino === mine.ino && now.dev === mine.dev)
            unlinkQuiet(path);
        else
            this.log(`left ${path} alone: another process has put its own socket there`);
    }

    /** Clean exit: close everything and remove both socket files. */
    async stop(): Promise<void> {
        if (!this._running)
            return;
        await this.shutdown(false);
        this.log('stopped (sockets removed)');
    }

    /**
     * A working daemon takes the path over from a hung one: the old listener goes, its silent
     * clients stay connected and keep hearing nothing, and new sockets are bound at the path.
     */
    async rebind(): Promise<void> {
        const hung = [...this.silentClients];
        this.silentClients.clear();
        await this.shutdown(false);
        for (const sock of hung)
            this.orphans.add(sock);
        this.silent = false;
        await this.start();
    }

    /** Abrupt death: listeners and clients closed, socket files LEFT behind (connect: ECONNREFUSED). */
    async crash(): Promise<void> {
        if (!this._running)
            return;
        await this.shutdown(true);
        this.log('crashed (stale sockets left behind)');
    }

    private async shutdown(keepFiles: boolean): Promise<void> {
        this.generation++;
        this._running = false;
        this.controlReady = false;
        if (this.loadTimer)
            clearTimeout(this.loadTimer);
        if (this.metricsTimer)
            clearInterval(this.metricsTimer);
        this.loadTimer = null;
        this.metricsTimer = null;
        // Stop listening first, so nobody is accepted while the clients are being closed.
        const servers: Array<[net.Server, string]> = [];
        if (this.metricsServer)
            servers.push([this.metricsServer, this.metricsPath]);
        if (this.controlServer)
            servers.push([this.controlServer, this.controlPath]);
        this.metricsServer = null;
        this.controlServer = null;
        const closed = servers.map(([server, path]) => this.closeServer(server, path, keepFiles));
        for (const sock of [...this.metricsClients, ...this.silentClients, ...this.controlSockets, ...this.orphans])
            sock.destroy();
        this.orphans.clear();
        this.metricsClients.clear();
        this.silentClients.clear();
        this.controlSockets.clear();
        this.controlQueue.length = 0;
        this.pendingWrites = [];
        await Promise.all(closed);
    }

    /** Stops listening; the socket file stays for a crash (connect: refused), else goes if still ours. */
    private closeServer(server: net.Server, path: string, keepFile: boolean): Promise<void> {
        const closed = new Promise<void>(resolve => server.close(() => resolve()));
        if (keepFile)
            this.owned.delete(path);
        else
            this.removeOwn(path);
        return closed;
    }

    // ---- metrics socket ----------------------------------------------------------------------

    private onMetricsClient(sock: net.Socket): void {
        if (!this._running) {
            sock.destroy();
            return;
        }
        this._accepted++;
        this._firstAcceptAt ??= Date.now();
        const drop = () => {
            this.metricsClients.delete(sock);
            this.silentClients.delete(sock);
        };
        sock.on('error', drop);
        sock.on('close', drop);
        sock.resume(); // the daemon never reads what clients send
        if (this.silent) {
            this.silentClients.add(sock);
            this.log('metrics client connected (silent)');
            return;
        }
        // Catch-up: current state, the running session, then its (or the last session's) segments.
        const now = unixNow();
        this.writeTo(sock, stateChangeLine(this._state, now));
        if (this.currentSessionId !== null)
            this.writeTo(sock, sessionStartLine(this.currentSessionId, now));
        for (const seg of this.segments)
            this.writeTo(sock, transcriptionLine(seg));
        this.metricsClients.add(sock);
        this.log(`metrics client connected (${this.clientCount} connected)`);
    }

    private writeTo(sock: net.Socket, data: string | Uint8Array): void {
        if (sock.destroyed || !sock.writable)
            return;
        if (sock.writableLength > MAX_QUEUED_BYTES) {
            this.log('dropping a metrics client that reads nothing');
            sock.destroy();
            return;
        }
        try {
            sock.write(data);
        } catch {
            sock.destroy();
        }
    }

    private broadcast(data: string | Buffer): void {
        if (this.rawInProgress) {
            this.pendingWrites.push(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
            return;
        }
        for (const sock of this.metricsClients)
            this.writeTo(sock, data);
    }

    // ---- dictation ---------------------------------------------------------------------------

    /** What the control socket's toggle does; resolves with the daemon's reply message. */
    toggle(): Promise<string> {
        const run = this.toggleChain.then(() => this.doToggle());
        this.toggleChain = run.catch(() => {});
        return run;
    }

    private async doToggle(): Promise<string> {
        if (this._state === 'idle') {
            const sid = this.nextSessionId++;
            this.currentSessionId = sid;
            this.lastSessionId = sid;
            this.segments = [];
            this.totalWords = 0;
            this.activeTimeS = 0;
            this._state = 'recording';
            this.broadcast(sessionStartLine(sid));
            this.broadcast(stateChangeLine('recording'));
            this.log(`session ${sid} started`);
            return `Recording started (Session #${sid})`;
        }
        // Stopping transcribes what is left of the speech first (50–500 ms).
        const gen = this.generation;
        await delay(this.opts.stopDelayMs ?? 50 + Math.random() * 450);
        if (gen !== this.generation || this._state !== 'recording')
            return 'Recording stopped (0 words, 0.0 WPM)';
        for (const text of this.pendingFinal.splice(0))
            this.speak(text);
        const sid = this.currentSessionId;
        this.currentSessionId = null;
        this._state = 'idle';
        if (sid !== null)
            this.broadcast(sessionEndLine(sid));
        this.broadcast(stateChangeLine('idle'));
        this.log(`session ${sid} ended: ${this.totalWords} words`);
        return `Recording stopped (${this.totalWords} words, ${this.sessionWpm().toFixed(1)} WPM)`;
    }

    /** Text the next stop toggle transcribes as the last segment(s), like speech still in the pipeline. */
    queueFinal(text: string): void {
        this.pendingFinal.push(text);
    }

    private sessionWpm(): number {
        return this.activeTimeS > 0 ? this.totalWords / this.activeTimeS * 60 : 0;
    }

    /** A segment the daemon recognised, corrected and kept in the session (speak() also sends it). */
    recordSegment(heard: string): Segment {
        const text = this.opts.files?.apply(heard) ?? heard;
        const words = countWords(text);
        const speakerWpm = 110 + Math.random() * 90;
        const speechS = Math.max(0.35, words * 60 / speakerWpm);
        const seg: Segment = {
            text,
            timestamp: clockNow(),
            wpm: Math.min(300, words / (speechS / 60)),
            latencyMs: 120 + Math.random() * 380,
            words,
        };
        this.segments.push(seg);
        this.totalWords += words;
        this.activeTimeS += speechS;
        this.lastLatencyMs = seg.latencyMs;
        return seg;
    }

    /** One recognised segment: a transcription event, and the session totals grow. */
    speak(text: string): void {
        const seg = this.recordSegment(text);
        this.broadcast(transcriptionLine(seg));
    }

    snapshot(): MetricsSnapshot {
        const recording = this._state === 'recording';
        let gpuMemoryMb = 0;
        let gpuMemoryPercent = 0;
        if (this.opts.gpu ?? true) {
            // NVML reports bytes; the daemon divides by 1 MiB.
            const bytes = (1780 + (recording ? 420 : 0) + Math.random() * 40) * 1048576;
            gpuMemoryMb = Math.round(bytes / 65536) / 16;
            gpuMemoryPercent = gpuMemoryMb / GPU_TOTAL_MB * 100;
        }
        // sysinfo's cpu usage is an f32, widened to f64: 18.44660186767578.
        const cpuPercent = Math.fround(recording ? 12 + Math.random() * 25 : 0.5 + Math.random() * 4);
        return {
            state: this._state,
            sessionId: this.lastSessionId,
            segments: this.segments.length,
            words: this.totalWords,
            wpm: this.sessionWpm(),
            durationS: this.activeTimeS,
            latencyMs: this.lastLatencyMs,
            gpuMemoryMb,
            gpuMemoryPercent,
            cpuPercent,
        };
    }

    /** One metrics_update now. */
    sendMetrics(): void {
        this.broadcast(metricsLine(this.snapshot()));
    }

    // ---- raw data and faults -----------------------------------------------------------------

    /** Writes bytes to every metrics client; byte by byte (other events wait) when asked. */
    writeRaw(data: string | Uint8Array, opts: {byteByByte?: boolean; delayMs?: number} = {}): Promise<void> {
        const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
        if (!opts.byteByByte) {
            this.broadcast(buf);
            return Promise.resolve();
        }
        return this.writeAlone(async gen => {
            const targets = [...this.metricsClients];
            for (let i = 0; i < buf.length && gen === this.generation; i++) {
                for (const sock of targets)
                    this.writeTo(sock, buf.subarray(i, i + 1));
                if (opts.delayMs)
                    await delay(opts.delayMs);
                else
                    await new Promise(resolve => setImmediate(resolve));
            }
        });
    }

    /**
     * Runs `write` once the raw writes queued before it are done. Meanwhile the other events wait
     * (broadcast holds them) and go out after it, unless a restart came in between: they belong
     * to the daemon that was. `write` stops early when `gen` is no longer the generation.
     */
    private writeAlone(write: (gen: number) => Promise<void>): Promise<void> {
        const run = this.rawChain.then(async () => {
            const gen = this.generation;
            this.rawInProgress = true;
            try {
                await write(gen);
            } finally {
                this.rawInProgress = false;
                const pending = this.pendingWrites;
                this.pendingWrites = [];
                if (gen === this.generation)
                    pending.forEach(b => this.broadcast(b));
            }
        });
        this.rawChain = run.catch(() => {});
        return run;
    }

    /** One transcription (recorded like speak()) delivered one byte per write. */
    speakBytewise(text: string, delayMs = 0): Promise<void> {
        const seg = this.recordSegment(text);
        return this.writeRaw(transcriptionLine(seg), {byteByByte: true, delayMs});
    }

    /** A handful of malformed lines in one write; every one ends in "\n" so framing survives. */
    sendGarbage(): void {
        const parts: Buffer[] = [
            Buffer.from('{"type":"transcription","text":"cut off in the midd\n'),
            Buffer.from('[1,2,3]\n'),
            Buffer.from('"just a string"\n'),
            Buffer.from('42\n'),
            Buffer.from('null\n'),
            Buffer.from('{"no_type_here":true}\n'),
            Buffer.concat([Buffer.from('{"type":"bad_utf8","text":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}\n')]),
            Buffer.concat([Buffer.from('{"type":"state_change",'), Buffer.from([0]), Buffer.from('"state":"idle"}\n')]),
            Buffer.from([0, 0, 0, 0x0a]),
            Buffer.from('}{\n'),
        ];
        this.broadcast(Buffer.concat(parts));
    }

    /** An event type this client cannot know yet. */
    sendUnknownEvent(): void {
        this.broadcast(`{"type":"future_thing","timestamp":${unixNow()},"detail":{"level":3,"tags":["a","b"]},"state":"recording"}\n`);
    }

    /** n transcriptions (growing totals) and a final metrics_update, all in ONE write. */
    burst(n: number): void {
        let out = '';
        for (let i = 1; i <= n; i++)
            out += transcriptionLine(this.recordSegment(`burst segment ${i}`));
        out += metricsLine(this.snapshot());
        this.broadcast(Buffer.from(out, 'utf8'));
    }

    /**
     * `bytes` of one line with no newline, written as fast as each client reads it (so no
     * client is dropped for reading slowly), then "\n"; other events wait behind it.
     */
    sendEndlessLine(bytes: number): Promise<void> {
        return this.writeAlone(async gen => {
            const piece = Buffer.alloc(1024 * 1024, 0x78);
            await Promise.all([...this.metricsClients].map(async sock => {
                for (let sent = 0; sent < bytes && gen === this.generation && !sock.destroyed; sent += piece.length) {
                    if (!sock.write(piece.subarray(0, Math.min(piece.length, bytes - sent))))
                        await new Promise<void>(resolve => {
                            sock.once('drain', resolve);
                            sock.once('close', resolve);
                        });
                }
                this.writeTo(sock, '\n');
            }));
        });
    }

    /** A line of `bytes` opening brackets and nothing else (a 1 MiB-deep JSON nest). */
    sendDeepLine(bytes = 1024 * 1024 - 1): void {
        this.broadcast(Buffer.concat([Buffer.alloc(bytes, 0x5b), Buffer.from('\n')]));
    }

    /** One enormous line (default 2 MiB) then "\n", in one write. */
    sendHugeLine(bytes = 2 * 1024 * 1024): void {
        const head = '{"type":"huge_line","padding":"';
        const tail = '"}';
        const fill = Math.max(0, bytes - head.length - tail.length);
        this.broadcast(Buffer.from(`${head}${'x'.repeat(fill)}${tail}\n`, 'utf8'));
    }

    // ---- control socket ----------------------------------------------------------------------

    private onControlClient(sock: net.Socket): void {
        if (!this._running) {
            sock.destroy();
            return;
        }
        if (this.controlMode === 'close') {
            this.controlLog.push({request: '', reply: null});
            sock.destroy();
            return;
        }
        this.controlSockets.add(sock);
        sock.on('close', () => this.controlSockets.delete(sock));
        sock.on('error', () => {});
        sock.pause();
        this.controlQueue.push(sock);
        void this.pumpControl();
    }

    /** The daemon's main loop takes one control connection at a time. */
    private async pumpControl(): Promise<void> {
        if (this.controlBusy)
            return;
        this.controlBusy = true;
        try {
            let sock: net.Socket | undefined;
            while ((sock = this.controlQueue.shift()) !== undefined) {
                try {
                    await this.handleControl(sock);
                } catch (e) {
                    this.log(`control connection error: ${(e as Error).message}`);
                    sock.destroy();
                }
            }
        } finally {
            this.controlBusy = false;
        }
    }

    /** One read of at most 1024 bytes, as `stream.read(&mut [0u8; 1024])`: null when the client closed. */
    private readOnce(sock: net.Socket): Promise<Buffer | null> {
        return new Promise(resolve => {
            if (sock.destroyed) {
                resolve(null);
                return;
            }
            const finish = (b: Buffer | null) => {
                sock.off('data', onData);
                sock.off('end', onEnd);
                sock.off('close', onEnd);
                sock.pause();
                resolve(b);
            };
            const onData = (chunk: Buffer) => finish(chunk.subarray(0, 1024));
            const onEnd = () => finish(null);
            sock.on('data', onData);
            sock.once('end', onEnd);
            sock.once('close', onEnd);
            sock.resume();
        });
    }

    private async handleControl(sock: net.Socket): Promise<void> {
        const gen = this.generation;
        const data = await this.readOnce(sock);
        if (data === null || data.length === 0) {
            sock.destroy();
            return;
        }
        const request = data.toString('utf8');
        const parsed = parseRequest(request);
        if (parsed.kind === 'action' && parsed.lower === 'toggle')
            this._toggleCount++;
        const entry: {request: string; reply: string | null} = {request, reply: null};
        this.controlLog.push(entry);
        this.log(`control request ${JSON.stringify(request)} (mode ${this.controlMode})`);

        if (this.controlMode === 'no-reply')
            return; // read, never answer, never close: the client has to time out
        if (this.controlMode === 'slow') {
            await delay(SLOW_REPLY_MS);
            if (gen !== this.generation)
                return;
        }

        let reply: string;
        if (parsed.kind === 'invalid') {
            reply = sortedJson({status: 'error', error: INVALID_JSON});
        } else if (parsed.lower === 'quit' || parsed.lower === 'exit' || parsed.lower === 'shutdown') {
            // std::process::exit(0): no reply, no cleanup, both socket files stay behind.
            this.log(`control "${parsed.action}": the daemon exits`);
            await this.crash();
            this.opts.onQuit?.();
            return;
        } else if (parsed.lower !== 'toggle' && parsed.lower !== 'status') {
            reply = sortedJson({status: 'error', error: `Unknown action: ${parsed.action}`});
        } else if (this.controlMode === 'error') {
            reply = sortedJson({status: 'error', error: `Failed to ${parsed.lower === 'toggle' ? 'toggle recording' : 'read status'}: simulated daemon error`});
        } else if (this.controlMode === 'huge-error') {
            reply = sortedJson({status: 'error', error: `Failed to toggle recording:\n${'simulated daemon error '.repeat(2800)}`});
        } else if (parsed.lower === 'toggle') {
            try {
                reply = sortedJson({status: 'success', message: await this.toggle()});
            } catch (e) {
                reply = sortedJson({status: 'error', error: (e as Error).message});
            }
        } else {
            reply = sortedJson({status: 'success', state: this._state});
        }
        if (gen !== this.generation)
            return;
        entry.reply = reply;
        if (sock.destroyed)
            return;
        if (this.controlMode === 'no-close')
            sock.write(reply);
        else
            sock.end(reply);
    }
}
