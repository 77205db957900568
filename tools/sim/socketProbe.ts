// What is at a socket path: nothing, a live listener, a stale file (connect refused), or
// something we must not touch (not a socket, owned by another user).
import * as fs from 'node:fs';
import * as net from 'node:net';

export type SocketProbe =
    | {kind: 'absent'}
    | {kind: 'live'}
    | {kind: 'stale'}
    | {kind: 'foreign'; uid: number}
    | {kind: 'not-socket'}
    | {kind: 'error'; message: string};

/** Who owns the file and what it is, without connecting. null when the path does not exist. */
export function inspectPath(path: string): SocketProbe | null {
    let st: fs.Stats;
    try {
        st = fs.lstatSync(path);
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
