// One request on the daemon's control socket. The daemon serves these one at a time on its main
// loop, so the client connects only to send, writes the whole request at once, reads the reply
// to EOF and gives up after a timeout rather than ever holding the daemon's queue.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {type ControlAction, type ControlResult, encodeControlRequest, parseControlReply} from '../core/control.js';
import {closeQuietly, connectUnix, errorMessage, ioErrorCode, isCancelled, readBytes, writeAll} from './gioAsync.js';
import {vetSocketFile} from './socketLocator.js';

const DEFAULT_TIMEOUT_MS = 3000;
const MAX_REPLY_BYTES = 64 * 1024;

export interface ControlRequestOptions {
    timeoutMs?: number;
    /** Cancelled by the owner (the extension's disable()): the request ends at once. */
    cancellable?: Gio.Cancellable | null;
}

export async function sendControl(path: string, action: ControlAction, options: ControlRequestOptions = {}): Promise<ControlResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const cancellable = new Gio.Cancellable();
    const parent = options.cancellable ?? null;
    const parentHandler = parent ? parent.connect(() => cancellable.cancel()) : 0;
    let timedOut = false;
    let timeoutSource = GLib.timeout_add(GLib.PRIORITY_DEFAULT, timeoutMs, () => {
        timedOut = true;
        timeoutSource = 0;
        cancellable.cancel();
        return GLib.SOURCE_REMOVE;
    });

    let connection: Gio.SocketConnection | null = null;
    try {
        const verdict = await vetSocketFile(path, cancellable);
        if (!verdict.ok)
            return {ok: false, kind: 'connect', error: verdict.problem === 'not-found' ? 'The daemon is not running.' : verdict.detail};
        connection = await connectUnix(new Gio.SocketClient(), path, cancellable);
        if (!connection.get_socket().get_credentials().is_same_user(new Gio.Credentials()))
            return {ok: false, kind: 'connect', error: `the process behind ${path} runs as another user`};

        await writeAll(connection.get_output_stream(), new TextEncoder().encode(encodeControlRequest(action)), cancellable);
        const reply = await readToEnd(connection.get_input_stream(), cancellable);
        return parseControlReply(reply);
    } catch (e) {
        if (timedOut)
            return {ok: false, kind: 'timeout', error: `The daemon did not answer within ${(timeoutMs / 1000).toFixed(0)} s.`};
        if (isCancelled(e))
            return {ok: false, kind: 'connect', error: 'cancelled'};
        if (ioErrorCode(e) === Gio.IOErrorEnum.CONNECTION_REFUSED)
            return {ok: false, kind: 'connect', error: 'The daemon is not running (connection refused).'};
        return {ok: false, kind: 'connect', error: errorMessage(e)};
    } finally {
        if (timeoutSource)
            GLib.source_remove(timeoutSource);
        if (parent && parentHandler)
            parent.disconnect(parentHandler);
        closeQuietly(connection);
    }
}

async function readToEnd(stream: Gio.InputStream, cancellable: Gio.Cancellable): Promise<string> {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
        const chunk = await readBytes(stream, 4096, GLib.PRIORITY_DEFAULT, cancellable);
        if (chunk.length === 0)
            break;
        parts.push(chunk);
        total += chunk.length;
        if (total > MAX_REPLY_BYTES)
            break;
    }
    const all = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
        all.set(part, offset);
        offset += part.length;
    }
    return new TextDecoder().decode(all);
}
