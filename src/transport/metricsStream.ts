// SPDX-License-Identifier: GPL-2.0-or-later
// One connection to the metrics socket, read as raw chunks from one persistent
// Gio.DataInputStream through the core's LineFramer: read_line_async would buffer an endless
// line without limit, and chunks let a burst drain one main-loop iteration at a time.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {LineFramer} from '../core/lineFramer.js';
import {Timer, heartbeat, monotonicMs} from '../lib/timers.js';
import {closeQuietly, errorMessage, isCancelled, readBuffered} from './gioAsync.js';

const CHUNK_BYTES = 16 * 1024;
// After a small read that came less than READ_PAUSE_MS after the one before, wait that long:
// a daemon writing a stream of events one at a time then costs a wake-up per pause, not per
// event. A bigger read means a bulk writer, whose next read follows at once.
const READ_PAUSE_MS = 100;
const SMALL_READ_BYTES = CHUNK_BYTES / 4;

export interface StreamSink {
    /** Complete lines of one read, and how many lines too long to keep it skipped. */
    lines(lines: string[], oversized: number): void;
    /** The stream ended by itself: the daemon closed it, or a read failed. */
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

    /** Ends the stream; the sink hears nothing more from it. */
    close(): void {
        this._closed = true;
        this._cancellable.cancel();
        this._pause.cancel();
        closeQuietly(this._connection);
    }

    /**
     * Restarts a read whose callback GJS dropped: the stream is no longer busy, yet no result
     * came. What that read brought is still in the stream's buffer. True if it was lost.
     */
    resume(): boolean {
        if (!this._reading || this._closed || this._stream.has_pending())
            return false;
        this._reading = false;
        const buffered = this._stream.peek_buffer();
        this._stream.skip(buffered.length, null);
        if (buffered.length > 0)
            this._take(buffered);
        else
            this._read();
        return true;
    }

    private _read(): void {
        this._reading = true;
        readBuffered(this._stream, CHUNK_BYTES, GLib.PRIORITY_DEFAULT_IDLE, this._cancellable).then(chunk => {
            heartbeat();
            this._reading = false;
            if (!this._closed)
                this._take(chunk);
        }, e => {
            this._reading = false;
            if (!this._closed && !isCancelled(e))
                this._end('error', errorMessage(e));
        });
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
