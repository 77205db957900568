// SPDX-License-Identifier: GPL-2.0-or-later
// What is at a socket path: nothing, a live listener, a stale file (connect refused), or
// something we must not touch (not a socket, owned by another user).
import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

export type SocketProbe =
    | {kind: 'absent'}
    | {kind: 'live'}
    | {kind: 'stale'}
    | {kind: 'foreign'; uid: number}
    | {kind: 'not-socket'}
    | {kind: 'error'; message: string};

/**
 * Who owns the file and what it is, without connecting; null when it is a socket of ours.
 * follow: look through a symlink, as the extension does (its checks are on the target).
 */
export function inspectPath(path: string, opts: {follow?: boolean} = {}): SocketProbe | null {
    let st: fs.Stats;
    try {
        st = opts.follow ? fs.statSync(path) : fs.lstatSync(path);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT')
            return {kind: 'absent'};
        return {kind: 'error', message: (e as Error).message};
    }
    const myUid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
    if (st.uid !== myUid)
        return {kind: 'foreign', uid: st.uid};
    if (!st.isSocket())
        return {kind: 'not-socket'};
    return null;
}

/** Connects (and immediately disconnects) to tell a live listener from a stale file. */
export function probeSocket(path: string, timeoutMs = 1000): Promise<SocketProbe> {
    const pre = inspectPath(path);
    if (pre)
        return Promise.resolve(pre);
    return new Promise(resolve => {
        const sock = net.connect(path);
        const done = (r: SocketProbe) => {
            clearTimeout(timer);
            sock.removeAllListeners();
            sock.on('error', () => {});
            sock.destroy();
            resolve(r);
        };
        // A listener that accepts nothing within the timeout is still a listener.
        const timer = setTimeout(() => done({kind: 'live'}), timeoutMs);
        sock.once('connect', () => done({kind: 'live'}));
        sock.once('error', (e: NodeJS.ErrnoException) => {
            if (e.code === 'ECONNREFUSED')
                done({kind: 'stale'});
            else if (e.code === 'ENOENT')
                done({kind: 'absent'});
            else
                done({kind: 'error', message: `${e.code ?? ''} ${e.message}`.trim()});
        });
    });
}

export function describeProbe(path: string, p: SocketProbe): string {
    switch (p.kind) {
    case 'absent': return `${path} does not exist`;
    case 'live': return `a daemon is listening on ${path}`;
    case 'stale': return `${path} is stale (connection refused: its daemon stopped or crashed)`;
    case 'foreign': return `${path} is owned by uid ${p.uid}, not by you (uid ${process.getuid?.() ?? '?'}): not trusted`;
    case 'not-socket': return `${path} exists but is not a socket`;
    case 'error': return `${path}: ${p.message}`;
    }
}

/**
 * Whether the process at the other end of a connected Unix socket runs as this user. Node
 * has no SO_PEERCRED; on Linux, `ss` names the peer socket's inode, and a process of ours
 * must hold it (/proc/PID/fd; another user's processes do not show their fds). 'unknown'
 * where that cannot be found out.
 */
export function peerOwner(sock: net.Socket): 'ours' | 'foreign' | 'unknown' {
    const fd = (sock as unknown as {_handle?: {fd?: number}})._handle?.fd;
    if (typeof fd !== 'number' || fd < 0)
        return 'unknown';
    let own: string, table: string;
    try {
        own = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/self/fd/${fd}`))?.[1] ?? '';
        table = execFileSync('ss', ['-xnH'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000});
    } catch {
        return 'unknown';
    }
    // "u_str ESTAB 0 0 <local path or *> <inode> <peer path or *> <peer inode>"
    let peer: string | null = null;
    for (const line of table.split('\n')) {
        const f = line.trim().split(/\s+/);
        if (f.length >= 8 && f[f.length - 3] === own)
            peer = f[f.length - 1];
    }
    if (!own || !peer)
        return 'unknown';
    const myUid = process.getuid?.();
    for (const pid of fs.readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
        try {
            if (fs.statSync(`/proc/${pid}`).uid !== myUid)
                continue;
            for (const fd_ of fs.readdirSync(`/proc/${pid}/fd`)) {
                if (fs.readlinkSync(`/proc/${pid}/fd/${fd_}`) === `socket:[${peer}]`)
                    return 'ours';
            }
        } catch {
            // The process ended, or its fds are not ours to read.
        }
    }
    return 'foreign';
}

/** Daemon text made safe for a terminal: control characters (escape sequences) shown escaped. */
export function terminalSafe(text: string): string {
    // eslint-disable-next-line no-control-regex
    return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
