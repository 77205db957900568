// SPDX-License-Identifier: GPL-2.0-or-later
// The GJS side of benchmarks 2, 3 and 5: a plain `gjs -m` program that reads the metrics
// socket either with the extension's transport (MetricsConnection -> LineFramer ->
// SessionStore, plus the top-bar button's ViewUpdates and render of present()) or as the floor: the
// same Gio.DataInputStream, the same 16 KiB fill_async at the same priority and the bytes taken
// out of its buffer as the transport does, counted and discarded. Driven by bench/lib/gjsReader.ts over stdin/stdout (JSON lines).
//   gjs -m gjs-client.js client|raw SOCKET [--instrument]
// Commands: `expect N` (done when N more events, or bytes in raw mode, have arrived), `gc`, `stalls-start`, `stalls-stop`, `exit`.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import System from 'system';

import {Listeners} from '../src/core/listeners.js';
import {panelView, present} from '../src/core/presentation.js';
import type {SessionState} from '../src/core/sessionState.js';
import {SessionStore} from '../src/core/sessionStore.js';
import {MetricsConnection} from '../src/transport/metricsConnection.js';
import type {ViewContext} from '../src/ui/viewContext.js';
import {ViewUpdates} from '../src/ui/viewUpdates.js';
import {readStdinCommands} from '../test/gjs/drivers/lib/stdinCommands.js';

const CHUNK_BYTES = 16 * 1024;
const [mode, socketPath, ...flags] = System.programArgs;
const instrument = flags.includes('--instrument');
const loop = new GLib.MainLoop(null, false);
const now = () => GLib.get_monotonic_time(); // µs

function emit(record: object): void {
    print(JSON.stringify(record));
}

// ---- completion of one `expect` -------------------------------------------------------------
let target = Infinity;
let armedAt = 0;
let firstAt = 0;

function arm(amount: number, current: number): void {
    target = current + amount;
    armedAt = now();
    firstAt = 0;
}

function finish(current: number, extra: object): void {
    const t = now();
    target = Infinity;
    emit({kind: 'done', ms: (t - firstAt) / 1000, sinceArmedMs: (t - armedAt) / 1000, count: current, ...extra});
}

// ---- stall instrumentation (benchmark 3) -----------------------------------------------------
// What the client runs on the main loop per chunk: the fill_async callback (finish, take the
// bytes out of the buffer, resolve the promise) and, in the promise job that follows, _ingest (framer, parse,
// reduce, listeners). GJS runs promise jobs in a dispatch of their own (checked: other ready
// sources run in between), so each is a separate stall; both are timed, and their sum per chunk
// is reported as a conservative per-chunk figure. The render idle is timed on its own. A 1 ms
// GLib timeout measures lateness: everything that held the loop, GC included.
const stalls = {on: false, readCb: [] as number[], ingest: [] as number[], perChunk: [] as number[], render: [] as number[], lateness: [] as number[], events: 0, chunks: 0};
let lastReadCb = 0;
let probeSource = 0;

if (instrument) {
    type FillAsync = (count: number, priority: number, cancellable: Gio.Cancellable | null, callback: (s: unknown, r: unknown) => void) => void;
    const proto = Gio.BufferedInputStream.prototype as unknown as {fill_async: FillAsync};
    const original = proto.fill_async;
    proto.fill_async = function (this: Gio.BufferedInputStream, count, priority, cancellable, callback) {
        return original.call(this, count, priority, cancellable, (s: unknown, r: unknown) => {
            const t0 = now();
            callback(s, r);
            lastReadCb = now() - t0;
            if (stalls.on)
                stalls.readCb.push(lastReadCb);
        });
    };
    const conn = MetricsConnection.prototype as unknown as {_ingest: (framer: unknown, chunk: Uint8Array) => void};
    const ingest = conn._ingest;
    conn._ingest = function (this: MetricsConnection, framer: unknown, chunk: Uint8Array) {
        const t0 = now();
        ingest.call(this, framer, chunk);
        const d = now() - t0;
        if (stalls.on) {
            stalls.ingest.push(d);
            stalls.perChunk.push(d + lastReadCb);
            stalls.chunks++;
        }
    };
}

function startProbe(): void {
    let last = now();
    probeSource = GLib.timeout_add(GLib.PRIORITY_DEFAULT, 1, () => {
        const t = now();
        if (stalls.on)
            stalls.lateness.push(Math.max(0, t - last - 1000));
        last = t;
        return GLib.SOURCE_CONTINUE;
    });
}

function stallReport(): object {
    const summary = (values: number[]) => {
        const sorted = Float64Array.from(values).sort();
        const q = (p: number) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1000 : null;
        const sum = values.reduce((a, b) => a + b, 0);
        const over = (ms: number) => sorted.reduce((n, v) => n + (v > ms * 1000 ? 1 : 0), 0);
        return {
            n: sorted.length, maxMs: q(1), p99Ms: q(0.99), p999Ms: q(0.999), medianMs: q(0.5), totalMs: sum / 1000,
            over1ms: over(1), over4ms: over(4), over16ms: over(16), top: Array.from(sorted.slice(-5)).map(v => v / 1000),
        };
    };
    return {
        kind: 'stalls', events: stalls.events, chunks: stalls.chunks,
        // Every callback on its own: each is one main-loop dispatch.
        all: summary([...stalls.readCb, ...stalls.ingest, ...stalls.render]),
        readCallback: summary(stalls.readCb), ingest: summary(stalls.ingest), perChunk: summary(stalls.perChunk),
        render: summary(stalls.render), lateness: summary(stalls.lateness),
    };
}

// ---- the extension's client ------------------------------------------------------------------
function runClient(): {events: () => number} {
    const store = new SessionStore();
    let renders = 0;
    let wasConnected = false;
    // As the top-bar button decides: a render when what it shows changed, paced; the render
    // computes what the widgets would show (the widgets need a shell).
    const shows = {panelLabel: 'words', hideTranscript: false, menu: false} as const;
    const ctx = {store, command: {noteChanged: new Listeners()}, daemon: {changed: new Listeners()}} as unknown as ViewContext;
    // Held by its subscription to the store.
    new ViewUpdates(ctx, () => {
        const t0 = now();
        if (present(store.state, {...shows, now: Date.now()}).title !== '')
            renders++;
        if (stalls.on)
            stalls.render.push(now() - t0);
    }, (state, at) => panelView(present(state, {...shows, now: at})));
    store.subscribe((state: SessionState) => {
        const events = state.counters.events;
        if (stalls.on)
            stalls.events++;
        if (firstAt === 0 && target !== Infinity)
            firstAt = now();
        if (events >= target)
            finish(events, {counters: state.counters, renders, transcript: state.transcript.length});
        if (state.connection.status === 'connected' && !wasConnected) {
            wasConnected = true;
            emit({kind: 'connected'});
        } else if (state.connection.status === 'disconnected' && wasConnected) {
            wasConnected = false;
            emit({kind: 'disconnected', detail: state.connection.detail});
        }
    });
    const connection = new MetricsConnection({
        store,
        socketOverride: () => socketPath,
        logger: {
            info: message => emit({kind: 'log', level: 'info', message}),
            warn: message => emit({kind: 'log', level: 'warn', message}),
            debug: () => undefined,
        },
    });
    connection.start();
    return {events: () => store.state.counters.events};
}

// ---- the floor: same stream class, same reads, bytes discarded -------------------------------
function runRaw(): {events: () => number} {
    let bytes = 0;
    // Held for the reader's lifetime: a connection the garbage collector frees is closed.
    let connection: Gio.SocketConnection | null = null;
    const client = new Gio.SocketClient();
    client.connect_async(Gio.UnixSocketAddress.new(socketPath), null, (_c, res) => {
        connection = client.connect_finish(res);
        const stream = Gio.DataInputStream.new(connection.get_input_stream());
        stream.set_buffer_size(CHUNK_BYTES);
        emit({kind: 'connected'});
        const onRead = (_s: unknown, r: Gio.AsyncResult) => {
            const size = stream.fill_finish(r) > 0 ? stream.peek_buffer().length : 0;
            if (size === 0) {
                emit({kind: 'disconnected', detail: 'eof'});
                return;
            }
            if (firstAt === 0 && target !== Infinity)
                firstAt = now();
            bytes += size;
            stream.skip(size, null);
            if (bytes >= target)
                finish(bytes, {});
            stream.fill_async(CHUNK_BYTES, GLib.PRIORITY_DEFAULT_IDLE, null, onRead);
        };
        stream.fill_async(CHUNK_BYTES, GLib.PRIORITY_DEFAULT_IDLE, null, onRead);
    });
    return {events: () => bytes};
}

const reader = mode === 'raw' ? runRaw() : runClient();

function handle(command: string): void {
    const [verb, a] = command.trim().split(/\s+/);
    switch (verb) {
    case 'expect':
        arm(Number(a), reader.events());
        emit({kind: 'armed', from: reader.events(), target});
        break;
    case 'gc':
        // The driver reads this process's RSS from /proc.
        System.gc();
        emit({kind: 'gc', count: reader.events()});
        break;
    case 'stalls-start':
        Object.assign(stalls, {on: true, readCb: [], ingest: [], perChunk: [], render: [], lateness: [], events: 0, chunks: 0});
        if (!probeSource)
            startProbe();
        emit({kind: 'stalls-started'});
        break;
    case 'stalls-stop':
        stalls.on = false;
        if (probeSource)
            GLib.source_remove(probeSource);
        probeSource = 0;
        emit(stallReport());
        break;
    case 'exit':
        loop.quit();
        break;
    default:
        emit({kind: 'error', message: `unknown command ${verb}`});
    }
}

readStdinCommands(handle, () => loop.quit());
emit({kind: 'ready', mode, instrument});
loop.run();
