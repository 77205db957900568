// SPDX-License-Identifier: GPL-2.0-or-later
// One connection to the metrics socket, read in chunks through the LineFramer: read_line_async
// would buffer an endless line without limit.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {LineFramer} from '../core/lineFramer.js';
import {Timer, heartbeat, monotonicMs} from '../lib/timers.js';
import {closeQuietly, errorMessage, isCancelled} from './gioAsync.js';

const CHUNK_BYTES = 16 * 1024;
// A small read soon after another waits this long, so a daemon writing events one at a time
// costs a wake-up per pause, not per event.
const READ_PAUSE_MS = 100;
const SMALL_READ_BYTES = CHUNK_BYTES / 4;

export interface StreamSink {
    lines(lines: string[], oversized: number): void;
    ended(problem: 'closed' | 'error', detail: string): void;
}

export class MetricsStream {
    private readonly _connection: Gio.SocketConnection;
    private readonly _stream: Gio.DataInputStream;
    private readonly _framer: LineFramer;
    private readonly _sink: StreamSink;
    private readonly _cancellable = new Gio.Cancellable();
    private readonly _pause = new Timer('read pause', () => {
        this._lastRead = monotonicMs();
        this._read();
    }, GLib.PRIORITY_DEFAULT_IDLE);

    private _lastRead = monotonicMs();
    private _reading = false;
    private _closed = false;

    constructor(connection: Gio.SocketConnection, maxLineBytes: number, sink: StreamSink) {
        this._connection = connection;
        this._stream = Gio.DataInputStream.new(connection.get_input_stream());
        this._stream.set_buffer_size(CHUNK_BYTES);
        this._framer = new LineFramer(maxLineBytes);
        this._sink = sink;
        this._read();
    }

    close(): void {
        this._closed = true;
        this._cancellable.cancel();
        this._pause.cancel();
        closeQuietly(this._connection);
    }

    // Restarts a read whose callback GJS dropped; what it read is still in the buffer.
    resume(): boolean {
        if (!this._reading || this._closed || this._stream.has_pending())
            return false;
        this._reading = false;
        const buffered = this._takeBuffered();
        if (buffered.length > 0)
            this._take(buffered);
        else
            this._read();
        return true;
    }

    // fill_async, not read_bytes_async, which on a buffered stream reads in a worker thread;
    // a callback, not a promise, whose continuation would cost the shell another loop iteration.
    private _read(): void {
        this._reading = true;
        this._stream.fill_async(CHUNK_BYTES, GLib.PRIORITY_DEFAULT_IDLE, this._cancellable, (_s, res) => {
            heartbeat();
            this._reading = false;
            let chunk: Uint8Array;
            try {
                chunk = this._stream.fill_finish(res) > 0 ? this._takeBuffered() : new Uint8Array(0);
            } catch (e) {
                if (!this._closed && !isCancelled(e))
                    this._end('error', errorMessage(e));
                return;
            }
            if (!this._closed)
                this._take(chunk);
        });
    }

    private _takeBuffered(): Uint8Array {
        const bytes = this._stream.peek_buffer();
        this._stream.skip(bytes.length, null);
        return bytes;
    }

    private _take(chunk: Uint8Array): void {
        if (chunk.length === 0) {
            this._end('closed', 'the daemon closed the connection');
            return;
        }
        const now = monotonicMs();
        const previous = this._lastRead;
        this._lastRead = now;
        const oversized = this._framer.oversizedLines;
        const lines = this._framer.push(chunk);
        this._sink.lines(lines, this._framer.oversizedLines - oversized);
        if (this._closed)
            return;
        if (chunk.length <= SMALL_READ_BYTES && now - previous < READ_PAUSE_MS)
            this._pause.schedule(READ_PAUSE_MS);
        else
            this._read();
    }

    private _end(problem: 'closed' | 'error', detail: string): void {
        this.close();
        this._sink.ended(problem, detail);
    }
}
