// SPDX-License-Identifier: GPL-2.0-or-later
// One request on the daemon's control socket. The daemon serves these one at a time on its main
// loop, so the client connects only to send, writes the whole request at once, reads the reply
// to EOF and gives up after a timeout rather than ever holding the daemon's queue.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {
    CLOSED_WITHOUT_REPLY, CONTROL_TIMEOUT_MS, type ControlAction, type ControlResult, encodeControlRequest, isCompleteJsonValue,
    MAX_CONTROL_REPLY_BYTES, parseControlReply,
} from '../core/control.js';
import {oneLine} from '../core/format.js';
import {N_} from '../core/i18n.js';
import {closeQuietly, connectUnix, errorMessage, ioErrorCode, isCancelled, readBytes, writeAll} from './gioAsync.js';
import {withDeadline} from '../lib/timers.js';
import {vetSocketFile} from './socketLocator.js';

export interface ControlRequestOptions {
    timeoutMs?: number;
    /** Cancelled by the owner (the extension's disable()): the request ends at once. */
    cancellable?: Gio.Cancellable | null;
}

export function sendControl(path: string, action: ControlAction, options: ControlRequestOptions = {}): Promise<ControlResult> {
    const timeoutMs = options.timeoutMs ?? CONTROL_TIMEOUT_MS;
    const cancellable = new Gio.Cancellable();
    const parent = options.cancellable ?? null;
    const parentHandler = parent?.connect(() => cancellable.cancel()) ?? 0;
    const expire = (): ControlResult => {
        cancellable.cancel();
        return {ok: false, kind: 'timeout', error: `The daemon did not answer within ${(timeoutMs / 1000).toFixed(0)} s.`};
    };
    return withDeadline('control request', request(path, action, cancellable), timeoutMs, expire).finally(() => {
        if (parentHandler)
            parent!.disconnect(parentHandler);
    });
}

async function request(path: string, action: ControlAction, cancellable: Gio.Cancellable): Promise<ControlResult> {
    let connection: Gio.SocketConnection | null = null;
    try {
        const verdict = await vetSocketFile(path, cancellable);
        if (!verdict.ok)
            return {ok: false, kind: 'connect', error: verdict.problem === 'not-found' ? N_('The daemon is not running.')
                : verdict.problem === 'foreign-owner' ? N_('The daemon\'s control socket belongs to another user.') : verdict.detail};
        connection = await connectUnix(new Gio.SocketClient(), path, cancellable);
        if (!connection.get_socket().get_credentials().is_same_user(new Gio.Credentials()))
            return {ok: false, kind: 'connect', error: N_('The daemon\'s control socket belongs to another user.')};

        await writeAll(connection.get_output_stream(), new TextEncoder().encode(encodeControlRequest(action)), cancellable);
        const reply = await readReply(connection.get_input_stream(), cancellable);
        return parseControlReply(reply);
    } catch (e) {
        if (isCancelled(e))
            return {ok: false, kind: 'connect', error: N_('Cancelled.')};
        const code = ioErrorCode(e);
        if (code === Gio.IOErrorEnum.CONNECTION_REFUSED)
            return {ok: false, kind: 'connect', error: N_('The daemon is not running (connection refused).')};
        // ECONNRESET and EPIPE: the daemon dropped the request (Gio words them as the system does).
        if (code === Gio.IOErrorEnum.CONNECTION_CLOSED || code === Gio.IOErrorEnum.BROKEN_PIPE)
            return {ok: false, kind: 'no-reply', error: CLOSED_WITHOUT_REPLY};
        return {ok: false, kind: 'connect', error: oneLine(errorMessage(e))};
    } finally {
        closeQuietly(connection);
    }
}

/** Reads until the daemon closes, or until one complete JSON value is in (then it is done). */
async function readReply(stream: Gio.InputStream, cancellable: Gio.Cancellable): Promise<string> {
    // GJS 1.74's TextDecoder has no streaming mode: keep the bytes, decode them whole.
    let all = new Uint8Array(0);
    for (;;) {
        const chunk = await readBytes(stream, 4096, GLib.PRIORITY_DEFAULT, cancellable);
        if (chunk.length === 0)
            break;
        const joined = new Uint8Array(all.length + chunk.length);
        joined.set(all);
        joined.set(chunk, all.length);
        all = joined;
        if (all.length > MAX_CONTROL_REPLY_BYTES || isCompleteJsonValue(new TextDecoder().decode(all)))
            break;
    }
    return new TextDecoder().decode(all);
}
