// SPDX-License-Identifier: GPL-2.0-or-later
// Where the daemon puts its sockets: $XDG_RUNTIME_DIR when set and present, else
// $XDG_DATA_HOME/swictation.
import {N_} from './i18n.js';

export const METRICS_SOCKET_NAME = 'swictation_metrics.sock';
export const CONTROL_SOCKET_NAME = 'swictation.sock';

export interface SocketEnvironment {
    XDG_RUNTIME_DIR?: string | null;
    XDG_DATA_HOME?: string | null;
    HOME?: string | null;
}

function joinPath(dir: string, name: string): string {
    return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

export function socketDirCandidates(env: SocketEnvironment): string[] {
    const dirs: string[] = [];
    if (env.XDG_RUNTIME_DIR)
        dirs.push(env.XDG_RUNTIME_DIR);
    const dataHome = env.XDG_DATA_HOME || (env.HOME ? joinPath(env.HOME, '.local/share') : null);
    if (dataHome)
        dirs.push(joinPath(dataHome, 'swictation'));
    return dirs;
}

// Falls back, as the daemon does, only when $XDG_RUNTIME_DIR is unset or missing.
export function resolveSocketDir(env: SocketEnvironment, dirExists: (path: string) => boolean): string | null {
    const candidates = socketDirCandidates(env);
    return candidates.find(dirExists) ?? candidates[candidates.length - 1] ?? null;
}

export interface SocketPaths {
    metrics: string;
    control: string;
}

export function socketPaths(override: string, dir: string | null): SocketPaths | null {
    const trimmed = override.trim();
    if (trimmed) {
        const slash = trimmed.lastIndexOf('/');
        const base = slash >= 0 ? trimmed.slice(0, slash) || '/' : '.';
        return {metrics: trimmed, control: joinPath(base, CONTROL_SOCKET_NAME)};
    }
    if (!dir)
        return null;
    return {metrics: joinPath(dir, METRICS_SOCKET_NAME), control: joinPath(dir, CONTROL_SOCKET_NAME)};
}

// sun_path holds 108 bytes with the NUL; a longer path would be cut, not refused.
export const MAX_SOCKET_PATH_BYTES = 107;

/** `error` in full for the log, `message` (N_-marked) for the menu. */
export type CheckedSocketPaths = {ok: true; paths: SocketPaths} | {ok: false; error: string; message: string};

// Relative overrides other than "~/" are refused (the shell's working directory means
// nothing), and so is a path too long for a socket address: truncated, it reaches another.
export function checkedSocketPaths(override: string, dir: string | null, home: string | null): CheckedSocketPaths | null {
    let metricsOverride = override.trim();
    if (metricsOverride.startsWith('~/')) {
        if (!home)
            return {ok: false, error: `cannot expand "~/": no home directory (${metricsOverride})`, message: N_('There is no home directory to expand ~/ in.')};
        metricsOverride = joinPath(home, metricsOverride.slice(2));
    }
    if (metricsOverride && !metricsOverride.startsWith('/'))
        return {
            ok: false, error: `socket path "${metricsOverride}" is not absolute: give a full path (or one starting with ~/)`,
            message: N_('The socket path is not absolute: give a full path, or one starting with ~/.'),
        };
    const paths = socketPaths(metricsOverride, dir);
    if (!paths)
        return null;
    for (const path of [paths.metrics, paths.control]) {
        const bytes = new TextEncoder().encode(path).length;
        if (bytes > MAX_SOCKET_PATH_BYTES)
            return {
                ok: false, error: `socket path too long (${bytes} bytes; a Unix socket path holds at most ${MAX_SOCKET_PATH_BYTES}): ${path}`,
                message: N_('The socket path is too long for a Unix socket (at most 107 bytes).'),
            };
    }
    return {ok: true, paths};
}
