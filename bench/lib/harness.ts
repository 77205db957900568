// SPDX-License-Identifier: GPL-2.0-or-later
// Node side of the GJS benchmarks: the simulated daemon, the GJS reader processes, floods with
// back-pressure and paced streams.
import {type ChildProcessWithoutNullStreams, spawn, spawnSync} from 'node:child_process';
import {once} from 'node:events';
import {copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import type * as net from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createInterface} from 'node:readline';
import {SimulatedDaemon} from '../../tools/sim/daemon.js';
import {sleep} from './stats.js';

export interface Msg { kind: string; [key: string]: unknown }

/**
 * Where the GJS programs run. GNOME Shell 48's own gjs (1.82, SpiderMonkey 128) lives in the
 * e2e harness's Debian root; when BENCH_GJS_ROOT names it, the programs run there (chroot), so
 * the figures are the engine the extension really runs on. Otherwise the host's gjs (Debian
 * 12: 1.74, SpiderMonkey 102, older than any shell the extension supports).
 * A private directory holds the program and the daemon's sockets, reachable from both sides.
 */
export class GjsRunner {
    readonly root: string | null;
    readonly dir: string;
    readonly program: string;
    readonly version: string;

    constructor(program = 'build/bench/gjs-client.js', root = process.env.BENCH_GJS_ROOT || null) {
        // chroot and mount need root; otherwise the host's gjs.
        this.root = root && process.getuid?.() === 0 && existsSync(join(root, 'usr/bin/gjs')) ? root : null;
        this.dir = mkdtempSync(join(this.root ? join(this.root, 'tmp') : tmpdir(), 'swictation-bench-'));
        this.program = join(this.dir, 'gjs-client.js');
        copyFileSync(program, this.program);
        process.once('exit', () => this.cleanup());
        const [cmd, args] = this.command(['--version']);
        this.version = `${spawnSync(cmd, args, {encoding: 'utf8'}).stdout.trim()}${this.root ? ` (in ${this.root})` : ' (host)'}`;
    }

    /** A path on the host as the GJS process sees it. */
    inside(hostPath: string): string {
        return this.root ? hostPath.slice(this.root.length) : hostPath;
    }

    command(gjsArgs: string[]): [string, string[]] {
        if (!this.root)
            return ['gjs', gjsArgs];
        const pass = Object.entries(process.env).filter(([k]) => k.startsWith('JS_GC') || k.startsWith('GJS_')).map(([k, v]) => `${k}=${v}`);
        // gjs schedules garbage collection from its RSS in /proc/self: give the root a /proc,
        // in a mount namespace of its own that ends with the process. Every step execs, so the
        // child's pid is gjs's.
        const script = 'mount --bind /proc "$0/proc" && mount --bind /dev "$0/dev" && exec chroot "$0" "$@"';
        // No D-Bus: an e2e run of the same root may have its buses up, and GIO would connect to
        // them (the network monitor behind Gio.SocketClient); when that run ends, the bus
        // connection's exit-on-close sends gjs a SIGTERM.
        const noBus = ['DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent', 'DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent'];
        return ['unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, this.root,
            '/usr/bin/env', '-i', 'PATH=/usr/bin:/bin', 'LANG=C.UTF-8', ...noBus, ...pass, 'gjs', ...gjsArgs]];
    }

    reader(mode: 'client' | 'raw', socketPath: string, flags: string[] = []): GjsReader {
        return new GjsReader(this.command(['-m', this.inside(this.program), mode, this.inside(socketPath), ...flags]));
    }

    cleanup(): void {
        rmSync(this.dir, {recursive: true, force: true});
    }
}

/** VmRSS of a process, in KiB. */
export function rssKiB(pid: number): number {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (!m)
        throw new Error(`no VmRSS for ${pid}`);
    return Number(m[1]);
}

/**
 * CPU time a process has run so far, in ns, on its main thread and on all its other threads
 * (GIO's worker pool among them), from the scheduler's own accounting in /proc.
 */
export function threadCpuNs(pid: number): {main: number; others: number} {
    const ran = (tid: string) => Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    let others = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
        if (tid !== String(pid))
            others += ran(tid);
    }
    return {main: ran(String(pid)), others};
}

/** A `gjs -m gjs-client.js` process and the JSON lines it prints. */
export class GjsReader {
    readonly messages: Msg[] = [];
    readonly stderr: string[] = [];
    private readonly child: ChildProcessWithoutNullStreams;
    private waiters: Array<() => void> = [];
    private exited = false;

    constructor([cmd, args]: [string, string[]]) {
        // chroot and env exec: the child's pid is gjs's.
        this.child = spawn(cmd, args, {stdio: ['pipe', 'pipe', 'pipe']});
        createInterface({input: this.child.stdout}).on('line', line => {
            try {
                this.messages.push(JSON.parse(line) as Msg);
            } catch {
                this.messages.push({kind: 'stdout', line});
            }
            this.wake();
        });
        createInterface({input: this.child.stderr}).on('line', line => this.stderr.push(line));
        // A child that dies mid-run shows up as a failed wait with its stderr, not as an
        // unhandled EPIPE/ECONNRESET on its pipes.
        for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr])
            stream.on('error', () => undefined);
        this.child.on('exit', (code, signal) => {
            this.exited = true;
            this.stderr.push(`(exited: code ${code}, signal ${signal})`);
            this.wake();
        });
    }

    get pid(): number {
        return this.child.pid ?? -1;
    }

    private wake(): void {
        const w = this.waiters;
        this.waiters = [];
        w.forEach(f => f());
    }

    send(command: string): void {
        this.child.stdin.write(`${command}\n`);
    }

    /** Waits for the first message of that kind at or after index `from`. */
    async next(kind: string, timeoutMs = 60_000, from = 0): Promise<Msg> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const found = this.messages.slice(from).find(m => m.kind === kind);
            if (found)
                return found;
            if (this.exited)
                throw new Error(`gjs exited while waiting for "${kind}": ${this.stderr.slice(-10).join('\n')}`);
            const left = deadline - Date.now();
            if (left <= 0)
                throw new Error(`gjs: no "${kind}" within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5))}; stderr: ${this.stderr.slice(-10).join('\n')}`);
            await new Promise<void>(resolve => {
                const t = setTimeout(resolve, left);
                this.waiters.push(() => {
                    clearTimeout(t);
                    resolve();
                });
            });
        }
    }

    /** Sends a command and waits for the answer of that kind. */
    async ask(command: string, kind: string, timeoutMs?: number): Promise<Msg> {
        const from = this.messages.length;
        this.send(command);
        return this.next(kind, timeoutMs, from);
    }

    async exit(): Promise<void> {
        if (this.exited)
            return;
        this.send('exit');
        const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
        await once(this.child, 'exit').catch(() => undefined);
        clearTimeout(t);
    }
}

/** The simulated daemon in a private directory, with no periodic metrics (the benchmarks send the stream). */
export class BenchDaemon {
    readonly dir: string;
    readonly sim: SimulatedDaemon;

    constructor(parent: string) {
        this.dir = join(parent, 'run');
        this.sim = new SimulatedDaemon({dir: this.dir, metricsIntervalMs: 0});
    }

    async start(): Promise<void> {
        await this.sim.start();
    }

    get metricsPath(): string {
        return this.sim.metricsPath;
    }

    /**
     * The connected clients' sockets. The simulator broadcasts without back-pressure (and drops a
     * client with 64 MiB queued); a flood of a million events needs the socket itself.
     */
    clients(): net.Socket[] {
        const set = (this.sim as unknown as {metricsClients?: Set<net.Socket>}).metricsClients;
        if (!(set instanceof Set))
            throw new Error('SimulatedDaemon has no metricsClients set any more: update bench/lib/harness.ts');
        return [...set];
    }

    /** Waits for a client that was not in `known` to connect and receive its catch-up. */
    async newClient(known: readonly net.Socket[], timeoutMs = 10_000): Promise<net.Socket> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const fresh = this.clients().find(s => !known.includes(s));
            if (fresh) {
                await sleep(100);
                return fresh;
            }
            if (Date.now() > deadline)
                throw new Error('no new client connected to the simulator');
            await sleep(10);
        }
    }

    async stop(): Promise<void> {
        await this.sim.stop();
    }
}

/** Writes every chunk, waiting for 'drain' whenever the socket's buffer is full. */
export async function flood(sock: net.Socket, chunks: readonly Buffer[]): Promise<void> {
    for (const c of chunks) {
        if (!sock.write(c))
            await once(sock, 'drain');
    }
}

/**
 * Writes lines one per write at `rate` lines/s for `seconds` (a 1 ms timer; each tick writes
 * what is due), the way the daemon writes each event on its own.
 */
export async function paced(write: (line: Buffer) => void, lines: readonly Buffer[], rate: number, seconds: number): Promise<number> {
    const start = performance.now();
    const total = Math.round(rate * seconds);
    let sent = 0;
    await new Promise<void>(resolve => {
        const timer = setInterval(() => {
            const due = Math.min(total, Math.floor((performance.now() - start) * rate / 1000));
            for (; sent < due; sent++)
                write(lines[sent % lines.length]);
            if (sent >= total) {
                clearInterval(timer);
                resolve();
            }
        }, 1);
    });
    return sent;
}
