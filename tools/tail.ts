// SPDX-License-Identifier: GPL-2.0-or-later
// Typed `nc -U` for the daemon's metrics socket: `make tail` (node build/tools/tail.mjs [options]).
// Reads through the same core modules the extension uses (LineFramer, parseLine), prints one line
// per event and one per problem, and reconnects when the daemon comes back.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import {LineFramer} from '../src/core/lineFramer.js';
import {parseLine} from '../src/core/protocol.js';
import {checkedSocketPaths, resolveSocketDir} from '../src/core/socketPaths.js';
import {parseArgs, stamp} from './sim/args.js';
import {describeProbe, inspectPath, peerOwner, terminalSafe} from './sim/socketProbe.js';

const USAGE = `Usage: node build/tools/tail.mjs [--socket PATH] [--raw] [--json]
  --socket PATH   metrics socket (default: where the daemon puts it,
                  $XDG_RUNTIME_DIR or $XDG_DATA_HOME/swictation, swictation_metrics.sock)
  --raw           also print every raw line as received
  --json          print parsed events as JSON objects, one per line
Reconnects (polling every second) when the daemon goes away. Ctrl+C to quit.`;

const STALL_MS = 3000;
const RAW_PREVIEW = 2000;

type Parsed = ReturnType<typeof parseLine>;
type ParsedEvent = Extract<Parsed, {ok: true}>['event'];

function num(v: unknown, digits = 1): string {
    return typeof v === 'number' && Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : '?';
}

function quoted(v: unknown): string {
    return typeof v === 'string' ? JSON.stringify(v) : '?';
}

/** Unix seconds as local time, or "?" when the field was spoiled (the parser bounds it). */
function unixTime(v: unknown): string {
    const date = new Date(typeof v === 'number' ? v * 1000 : NaN);
    return Number.isNaN(date.getTime()) ? '?' : stamp(date);
}

function preview(line: string, max = 120): string {
    const q = JSON.stringify(line.length > max ? line.slice(0, max) : line);
    return line.length > max ? `${q}… (${line.length} chars)` : q;
}

function describe(event: ParsedEvent): string {
    // Field access through a loose view: a spoiled field prints "?" instead of failing.
    const e = event as unknown as Record<string, unknown>;
    switch (event.type) {
    case 'metrics_update':
        return `state=${quoted(e.state)} session=${e.sessionId === null ? 'null' : num(e.sessionId)} ` +
            `segments=${num(e.segments)} words=${num(e.words)} wpm=${num(e.wpm)} duration=${num(e.durationS)}s ` +
            `latency=${num(e.latencyMs)}ms gpu=${num(e.gpuMemoryMb)}MB(${num(e.gpuMemoryPercent)}%) cpu=${num(e.cpuPercent)}%`;
    case 'transcription':
        return `${quoted(e.text)} words=${num(e.words)} wpm=${num(e.wpm)} latency=${num(e.latencyMs)}ms clock=${quoted(e.clock)}`;
    case 'session_start':
    case 'session_end':
        return `session=${num(e.sessionId)} at=${unixTime(e.timestamp)}`;
    case 'state_change':
        return `${quoted(e.state)} at=${unixTime(e.timestamp)}`;
    default:
        return JSON.stringify(event);
    }
}

class Tail {
    private readonly counts = new Map<string, number>();
    private problems = 0;
    private condition = '';

    constructor(private readonly path: string, private readonly raw: boolean, private readonly json: boolean) {}

    private out(line: string): void {
        process.stdout.write(`${line}\n`);
    }

    private info(msg: string): void {
        if (this.json)
            this.out(JSON.stringify({t: stamp(), info: msg}));
        else
            this.out(`${stamp()} -- ${terminalSafe(msg)}`);
    }

    private problem(msg: string): void {
        this.problems++;
        if (this.json)
            this.out(JSON.stringify({t: stamp(), problem: msg}));
        else
            this.out(`${stamp()} !  ${terminalSafe(msg)}`);
    }

    /** Reports a waiting condition once, not on every poll. */
    private waiting(msg: string): void {
        if (msg === this.condition)
            return;
        this.condition = msg;
        this.info(`${msg}; retrying every second (Ctrl+C to quit)`);
    }

    private handleLine(line: string): void {
        if (this.raw) {
            const shown = line.length > RAW_PREVIEW ? `${line.slice(0, RAW_PREVIEW)}… (${line.length} chars)` : line;
            this.out(this.json ? JSON.stringify({t: stamp(), raw: shown}) : `${stamp()} <  ${terminalSafe(shown)}`);
        }
        const parsed = parseLine(line);
        if (!parsed.ok) {
            this.problem(`malformed line: ${parsed.error}: ${preview(line)}`);
            return;
        }
        const {event, warnings} = parsed;
        this.counts.set(event.type, (this.counts.get(event.type) ?? 0) + 1);
        if (event.type === 'unknown') {
            const eventType = (event as unknown as {eventType?: unknown}).eventType;
            this.problem(`unknown event type ${quoted(eventType)} (ignored): ${preview(line)}`);
        } else if (this.json) {
            this.out(JSON.stringify({t: stamp(), event}));
        } else {
            this.out(`${stamp()} ${event.type.padEnd(14)} ${describe(event)}`);
        }
        for (const w of warnings)
            this.problem(`${event.type}: ${w}`);
    }

    /** One connection, until it closes. Resolves with why it ended. */
    private session(): Promise<string> {
        return new Promise(resolve => {
            const sock = net.connect(this.path);
            const framer = new LineFramer();
            let oversized = 0;
            let connected = false;
            let lastData = Date.now();
            let stalled = false;
            let watchdog: ReturnType<typeof setInterval> | null = null;
            const finish = (why: string) => {
                if (watchdog)
                    clearInterval(watchdog);
                sock.destroy();
                resolve(why);
            };
            sock.on('connect', () => {
                // The file was ours; the process behind it must be too (the extension checks
                // the peer's credentials for the same reason).
                if (peerOwner(sock) === 'foreign') {
                    finish(`foreign:the process listening at ${this.path} runs as another user; disconnected`);
                    return;
                }
                connected = true;
                this.condition = '';
                this.info(`connected to ${this.path}`);
                watchdog = setInterval(() => {
                    if (!stalled && Date.now() - lastData > STALL_MS) {
                        stalled = true;
                        this.problem(`no data for ${STALL_MS / 1000} s: the daemon sends metrics_update every second, so the stream looks stalled (models still loading, or a hung daemon)`);
                    }
                }, 500);
            });
            sock.on('data', (chunk: Buffer) => {
                if (stalled)
                    this.info(`data again after ${((Date.now() - lastData) / 1000).toFixed(1)} s of silence`);
                stalled = false;
                lastData = Date.now();
                for (const line of framer.push(chunk))
                    this.handleLine(line);
                if (framer.oversizedLines > oversized) {
                    const n = framer.oversizedLines - oversized;
                    oversized = framer.oversizedLines;
                    this.problem(`${n} oversized line${n > 1 ? 's' : ''} dropped (${oversized} on this connection)`);
                }
            });
            sock.on('end', () => finish('the daemon closed the connection'));
            sock.on('close', () => finish('connection closed'));
            sock.on('error', (e: NodeJS.ErrnoException) => {
                if (connected)
                    finish(`connection lost: ${e.code ?? e.message}`);
                else if (e.code === 'ECONNREFUSED')
                    finish(`stale:${this.path} exists but nobody listens (connection refused): the daemon stopped or crashed`);
                else if (e.code === 'ENOENT')
                    finish(`absent:${this.path} does not exist: the daemon is not running`);
                else if (e.code === 'EACCES')
                    finish(`denied:permission denied on ${this.path}`);
                else
                    finish(`error:cannot connect to ${this.path}: ${e.code ?? ''} ${e.message}`);
            });
        });
    }

    async run(): Promise<never> {
        for (;;) {
            const pre = inspectPath(this.path, {follow: true});
            if (pre && pre.kind === 'absent') {
                this.waiting(`${this.path} does not exist: the daemon is not running`);
            } else if (pre) {
                // Another user's socket (or not a socket at all): never connect to it.
                this.waiting(`refusing to connect: ${describeProbe(this.path, pre)}`);
            } else {
                const why = await this.session();
                const colon = why.indexOf(':');
                const kind = colon > 0 ? why.slice(0, colon) : '';
                if (['stale', 'absent', 'denied', 'error', 'foreign'].includes(kind)) {
                    this.waiting(why.slice(colon + 1));
                } else {
                    this.info(`disconnected: ${why}`);
                    this.condition = '';
                    continue; // try again at once: a restarting daemon may already be back
                }
            }
            await new Promise(r => setTimeout(r, 1000));
        }
    }

    summary(): string {
        const parts = [...this.counts].map(([k, v]) => `${k} ${v}`);
        return `${parts.length ? parts.join(', ') : 'no events'}; ${this.problems} problem${this.problems === 1 ? '' : 's'}`;
    }
}

function main(): void {
    let args;
    try {
        args = parseArgs(process.argv.slice(2), ['socket'], ['raw', 'json', 'help']);
    } catch (e) {
        console.error(`tail: ${(e as Error).message}\n\n${USAGE}`);
        process.exit(2);
    }
    if (args.switches.has('help')) {
        console.log(USAGE);
        return;
    }
    // The extension's own checks: "~/" expanded, relative and too-long paths refused.
    const checked = checkedSocketPaths(args.values.get('socket') ?? '', resolveSocketDir(process.env, p => fs.existsSync(p)), os.homedir());
    if (!checked) {
        console.error('tail: no socket directory: set XDG_RUNTIME_DIR or HOME, or pass --socket PATH');
        process.exit(1);
    }
    if (!checked.ok) {
        console.error(`tail: ${checked.error}`);
        process.exit(1);
    }
    const paths = checked.paths;
    const tail = new Tail(paths.metrics, args.switches.has('raw'), args.switches.has('json'));
    process.stdout.on('error', () => process.exit(0)); // `make tail | head`
    const quit = () => {
        process.stderr.write(`\n${tail.summary()}\n`);
        process.exit(0);
    };
    process.on('SIGINT', quit);
    process.on('SIGTERM', quit);
    void tail.run();
}

main();
