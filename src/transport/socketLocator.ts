// SPDX-License-Identifier: GPL-2.0-or-later
// Finds and vets the daemon's sockets without blocking: every file-system look-up is async.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {N_} from '../core/i18n.js';
import {type CheckedSocketPaths, checkedSocketPaths, socketDirCandidates} from '../core/socketPaths.js';
import type {ConnectionProblem} from '../core/sessionState.js';
import {closeQuietly, connectUnix, errorMessage, ioErrorCode, isCancelled, ownUid, queryInfo} from './gioAsync.js';

async function dirExists(path: string, cancellable: Gio.Cancellable): Promise<boolean> {
    try {
        const info = await queryInfo(Gio.File.new_for_path(path), 'standard::type', cancellable);
        return info.get_file_type() === Gio.FileType.DIRECTORY;
    } catch (e) {
        if (ioErrorCode(e) === Gio.IOErrorEnum.CANCELLED)
            throw e;
        return false;
    }
}

/**
 * Resolves both socket paths as the daemon would, unless `override` names the metrics socket;
 * an override that cannot be used says why.
 */
export async function locateSockets(override: string, cancellable: Gio.Cancellable): Promise<CheckedSocketPaths | null> {
    const home = GLib.get_home_dir();
    if (override.trim())
        return checkedSocketPaths(override, null, home);
    const candidates = socketDirCandidates({
        XDG_RUNTIME_DIR: GLib.getenv('XDG_RUNTIME_DIR'),
        XDG_DATA_HOME: GLib.getenv('XDG_DATA_HOME'),
        HOME: home,
    });
    for (const dir of candidates) {
        if (await dirExists(dir, cancellable))
            return checkedSocketPaths('', dir, home);
    }
    // None exists yet: watch where the daemon would create it.
    return checkedSocketPaths('', candidates[candidates.length - 1] ?? null, home);
}

export type SocketFileVerdict =
    | {ok: true}
    | {ok: false; problem: 'not-found' | 'foreign-owner' | 'error'; detail: string};

/**
 * Checks that the socket file exists, is a socket, and belongs to this user before we connect.
 * An 'error' detail is shown in the menu: GLib's own (translated) message or an N_-marked text.
 */
export async function vetSocketFile(path: string, cancellable: Gio.Cancellable): Promise<SocketFileVerdict> {
    let info: Gio.FileInfo;
    try {
        info = await queryInfo(Gio.File.new_for_path(path), 'standard::type,unix::uid,unix::mode', cancellable);
    } catch (e) {
        const code = ioErrorCode(e);
        if (code === Gio.IOErrorEnum.CANCELLED)
            throw e;
        if (code === Gio.IOErrorEnum.NOT_FOUND)
            return {ok: false, problem: 'not-found', detail: `no socket at ${path}`};
        return {ok: false, problem: 'error', detail: errorMessage(e)};
    }
    const uid = info.get_attribute_uint32('unix::uid');
    if (uid !== ownUid())
        return {ok: false, problem: 'foreign-owner', detail: `${path} belongs to uid ${uid}, not to you; refusing to connect`};
    const S_IFMT = 0o170000, S_IFSOCK = 0o140000;
    if ((info.get_attribute_uint32('unix::mode') & S_IFMT) !== S_IFSOCK)
        return {ok: false, problem: 'error', detail: N_('Something other than a socket is at the socket path.')};
    return {ok: true};
}

export interface SocketFailure {
    problem: ConnectionProblem;
    /** What the menu shows: GLib's message or an N_-marked text. */
    detail: string;
}

/** Vets the socket file, connects, and checks that the peer runs as this user. */
export async function openSocket(client: Gio.SocketClient, path: string, cancellable: Gio.Cancellable): Promise<Gio.SocketConnection | SocketFailure | null> {
    const verdict = await vetSocketFile(path, cancellable);
    if (!verdict.ok)
        return {problem: verdict.problem, detail: verdict.detail};
    let connection: Gio.SocketConnection;
    try {
        connection = await connectUnix(client, path, cancellable);
    } catch (e) {
        if (isCancelled(e))
            return null;
        const code = ioErrorCode(e);
        if (code === Gio.IOErrorEnum.CONNECTION_REFUSED)
            return {problem: 'refused', detail: `${path}: connection refused (daemon not running; stale socket)`};
        if (code === Gio.IOErrorEnum.NOT_FOUND)
            return {problem: 'not-found', detail: `no socket at ${path}`};
        return {problem: 'error', detail: errorMessage(e)};
    }
    // The file check above can race with a swap of the socket; the peer's credentials cannot.
    if (!connection.get_socket().get_credentials().is_same_user(new Gio.Credentials())) {
        closeQuietly(connection);
        return {problem: 'foreign-owner', detail: `the process behind ${path} runs as another user; disconnected`};
    }
    return connection;
}
