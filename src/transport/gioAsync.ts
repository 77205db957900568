// SPDX-License-Identifier: GPL-2.0-or-later
// Promise wrappers around the Gio async calls the transport uses, without Gio._promisify,
// which patches prototypes the shell shares.
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

// Gio.Credentials is the one portable way to ask from GJS.
export function ownUid(): number {
    return new Gio.Credentials().get_unix_user() as unknown as number;
}
