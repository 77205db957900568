// SPDX-License-Identifier: GPL-2.0-or-later
// Promise wrappers around the few Gio async calls the transport uses. Written out here rather
// than with Gio._promisify so the extension never patches prototypes the shell shares.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

export function connectUnix(client: Gio.SocketClient, path: string, cancellable: Gio.Cancellable): Promise<Gio.SocketConnection> {
    const address = Gio.UnixSocketAddress.new(path);
    return new Promise((resolve, reject) => {
        client.connect_async(address, cancellable, (_src, res) => {
            try {
                resolve(client.connect_finish(res));
            } catch (e) {
                reject(e);
            }
        });
    });
}

export function readBytes(stream: Gio.InputStream, count: number, priority: number, cancellable: Gio.Cancellable): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
        stream.read_bytes_async(count, priority, cancellable, (_src, res) => {
            try {
                const bytes = stream.read_bytes_finish(res);
                resolve(bytes.get_data() ?? new Uint8Array(0));
            } catch (e) {
                reject(e);
            }
        });
    });
}

/**
 * The bytes of the stream's next read, taken out of its buffer. Not read_bytes_async:
 * GBufferedInputStream has no async read of its own, so GInputStream's runs every read in a
 * worker thread (a thread hop, a new eventfd and a wake-up of the main loop per event);
 * fill_async reads the pollable socket stream from the main loop itself. skip() of what is
 * buffered is memory only: it never reaches the socket.
 */
export function readBuffered(stream: Gio.BufferedInputStream, count: number, priority: number, cancellable: Gio.Cancellable): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
        stream.fill_async(count, priority, cancellable, (_src, res) => {
            try {
                if (stream.fill_finish(res) <= 0) {
                    resolve(new Uint8Array(0));
                    return;
                }
                const bytes = stream.peek_buffer();
                stream.skip(bytes.length, null);
                resolve(bytes);
            } catch (e) {
                reject(e);
            }
        });
    });
}

export function writeAll(stream: Gio.OutputStream, data: Uint8Array, cancellable: Gio.Cancellable): Promise<void> {
    return new Promise((resolve, reject) => {
        stream.write_all_async(data, GLib.PRIORITY_DEFAULT, cancellable, (_src, res) => {
            try {
                stream.write_all_finish(res);
                resolve();
            } catch (e) {
                reject(e);
            }
        });
    });
}

export function queryInfo(file: Gio.File, attributes: string, cancellable: Gio.Cancellable): Promise<Gio.FileInfo> {
    return new Promise((resolve, reject) => {
        file.query_info_async(attributes, Gio.FileQueryInfoFlags.NONE, GLib.PRIORITY_DEFAULT, cancellable, (_src, res) => {
            try {
                resolve(file.query_info_finish(res));
            } catch (e) {
                reject(e);
            }
        });
    });
}

/** Closes without blocking the main loop; errors on close are of no interest. */
export function closeQuietly(stream: Gio.IOStream | null): void {
    if (!stream || stream.is_closed())
        return;
    stream.close_async(GLib.PRIORITY_DEFAULT, null, (_src, res) => {
        try {
            stream.close_finish(res);
        } catch {
            // Already gone: nothing to release.
        }
    });
}

export function isCancelled(e: unknown): boolean {
    return e instanceof GLib.Error && e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED);
}

export function ioErrorCode(e: unknown): number | null {
    return e instanceof GLib.Error && e.domain === Gio.io_error_quark() ? e.code : null;
}

export function errorMessage(e: unknown): string {
    if (e instanceof GLib.Error || e instanceof Error)
        return e.message;
    return String(e);
}

/** The uid this process runs as; Gio.Credentials is the one portable way to ask from GJS. */
export function ownUid(): number {
    return new Gio.Credentials().get_unix_user() as unknown as number;
}
