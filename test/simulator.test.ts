// SPDX-License-Identifier: GPL-2.0-or-later
// The simulated daemon (tools/sim) against real Unix sockets: it must behave like the real
// daemon (docs/protocol.md), since the extension is tested against both.
import {spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import {join} from 'node:path';
import * as esbuild from 'esbuild';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {SimulatedDaemon, type SimOptions} from '../tools/sim/daemon.js';
import {DaemonFiles} from '../tools/sim/daemonFiles.js';

let root: string;
let dirCount = 0;
const daemons: SimulatedDaemon[] = [];
const sockets: net.Socket[] = [];

beforeAll(() => {
    root = fs.mkdtempSync(join(os.tmpdir(), 'swsim-'));
});

afterEach(async () => {
    sockets.splice(0).forEach(s => s.destroy());
    await Promise.all(daemons.splice(0).map(d => d.stop()));
});

afterAll(() => {
    fs.rmSync(root, {recursive: true, force: true});
});

function freshDir(): string {
    const dir = join(root, `d${dirCount++}`);
    fs.mkdirSync(dir, {mode: 0o700});
    return dir;
}

async function startSim(opts: Partial<SimOptions> = {}): Promise<SimulatedDaemon> {
    const sim = new SimulatedDaemon({dir: freshDir(), metricsIntervalMs: 0, stopDelayMs: 20, ...opts});
    daemons.push(sim);
    await sim.start();
    return sim;
}

function delay(ms: number): Promise<void> {
    return new Promise(r => setTimeout(r, ms));
}

async function until(cond: () => boolean, timeoutMs = 2000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
        if (Date.now() > end)
            throw new Error('timed out waiting for condition');
        await delay(5);
    }
}

interface Listener {
    lines: string[];
    chunks: string[];
    events: () => Array<Record<string, unknown>>;
    closed: boolean;
}

/**
 * A metrics client that records every line and every read. It resolves once the daemon has
 * accepted it: the client's 'connect' can come first, and a broadcast in between would miss it.
 */
async function listen(sim: SimulatedDaemon): Promise<Listener> {
    const registered = sim.clientCount + 1;
    const sock = net.connect(sim.metricsPath);
    sockets.push(sock);
    const l: Listener = {
        lines: [], chunks: [], closed: false,
        events: () => l.lines.map(x => JSON.parse(x) as Record<string, unknown>),
    };
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
        l.chunks.push(chunk);
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
            l.lines.push(buf.slice(0, nl));
            buf = buf.slice(nl + 1);
        }
    });
    sock.on('close', () => {
        l.closed = true;
    });
    sock.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
        sock.once('connect', () => resolve());
        sock.once('error', reject);
    });
    await until(() => sim.clientCount >= registered);
    return l;
}

/** One control request: write, then read until the daemon closes. null reply when it never answers. */
function control(path: string, request: string, timeoutMs = 2000): Promise<{reply: string; closed: boolean}> {
    return new Promise((resolve, reject) => {
        const sock = net.connect(path);
        sockets.push(sock);
        let reply = '';
        const timer = setTimeout(() => {
            sock.destroy();
            resolve({reply, closed: false});
        }, timeoutMs);
        sock.on('connect', () => sock.write(request));
        sock.setEncoding('utf8');
        sock.on('data', (d: string) => {
            reply += d;
        });
        sock.on('close', () => {
            clearTimeout(timer);
            resolve({reply, closed: true});
        });
        sock.on('error', e => {
            clearTimeout(timer);
            reject(e);
        });
    });
}

function connectError(path: string): Promise<string> {
    return new Promise(resolve => {
        const sock = net.connect(path);
        sock.on('connect', () => {
            sock.destroy();
            resolve('connected');
        });
        sock.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
}

describe('catch-up on connect', () => {
    it('idle with no session: state_change idle only, timestamp now', async () => {
        const sim = await startSim();
        const l = await listen(sim);
        await until(() => l.lines.length >= 1);
        await delay(50);
        const ev = l.events();
        expect(ev).toHaveLength(1);
        expect(ev[0]).toMatchObject({type: 'state_change', state: 'idle'});
        expect(Math.abs((ev[0].timestamp as number) - Date.now() / 1000)).toBeLessThan(2);
        expect(l.lines[0]).toMatch(/"timestamp":\d+\.\d+}$/);
    });

    it('mid-session: state_change recording, session_start (now), the segments oldest first', async () => {
        const sim = await startSim();
        await sim.toggle();
        sim.speak('first part');
        sim.speak('second part');
        await delay(20);
        const l = await listen(sim);
        await until(() => l.lines.length >= 4);
        await delay(50);
        const ev = l.events();
        expect(ev.map(e => e.type)).toEqual(['state_change', 'session_start', 'transcription', 'transcription']);
        expect(ev[0].state).toBe('recording');
        expect(ev[1].session_id).toBe(1);
        expect(Math.abs((ev[1].timestamp as number) - Date.now() / 1000)).toBeLessThan(2);
        expect(ev.slice(2).map(e => e.text)).toEqual(['first part', 'second part']);
        expect(ev.some(e => e.type === 'metrics_update')).toBe(false);
    });

    it('idle after a session: the last session\'s segments with no session_start', async () => {
        const sim = await startSim();
        await sim.toggle();
        sim.speak('kept after the end');
        await sim.toggle();
        const l = await listen(sim);
        await until(() => l.lines.length >= 2);
        await delay(50);
        const ev = l.events();
        expect(ev.map(e => e.type)).toEqual(['state_change', 'transcription']);
        expect(ev[0].state).toBe('idle');
        expect(ev[1].text).toBe('kept after the end');
    });

    it('silent: a new client gets nothing at all', async () => {
        const sim = await startSim({metricsIntervalMs: 30});
        sim.silent = true;
        const l = await listen(sim);
        await delay(120);
        expect(l.lines).toEqual([]);
        expect(sim.clientCount).toBe(1);
    });
});

describe('events', () => {
    it('transcription: HH:MM:SS clock, wpm capped at 300, integral words', async () => {
        const sim = await startSim();
        const l = await listen(sim);
        await sim.toggle();
        sim.speak('Hi');
        sim.speak('<b>great</b> & "plan"\nnext line');
        await until(() => l.lines.length >= 5);
        const tr = l.events().filter(e => e.type === 'transcription');
        expect(tr[0]).toMatchObject({text: 'Hi', words: 1});
        expect(tr[0].timestamp).toMatch(/^\d\d:\d\d:\d\d$/);
        expect(tr[0].wpm as number).toBeLessThanOrEqual(300);
        expect(tr[1].text).toBe('<b>great</b> & "plan"\nnext line');
        expect(l.lines.at(-1)).toContain('\\n');
    });

    it('metrics_update: session_id null before the first session, kept with totals while idle', async () => {
        const sim = await startSim();
        const l = await listen(sim);
        sim.sendMetrics();
        await sim.toggle();
        sim.speak('one two three');
        await sim.toggle();
        sim.sendMetrics();
        await until(() => l.events().filter(e => e.type === 'metrics_update').length >= 2);
        const [before, after] = l.events().filter(e => e.type === 'metrics_update');
        expect(before).toMatchObject({state: 'idle', session_id: null, segments: 0, words: 0});
        expect(after).toMatchObject({state: 'idle', session_id: 1, segments: 1, words: 3});
        const raw = l.lines.find(x => x.includes('"session_id":null'))!;
        expect(raw).toMatch(/^{"type":"metrics_update","state":"idle","session_id":null,"segments":0,"words":0,"wpm":0\.0,"duration_s":0\.0,/);
        expect(typeof after.cpu_percent).toBe('number');
        expect(after.gpu_memory_mb as number).toBeGreaterThan(0);
    });

    it('periodic metrics start only after model loading; the metrics socket accepts at once', async () => {
        const sim = await startSim({metricsIntervalMs: 20, modelLoadMs: 150});
        const l = await listen(sim);
        await until(() => l.lines.length >= 1);
        expect(l.events()[0]).toMatchObject({type: 'state_change', state: 'idle'});
        expect(fs.existsSync(sim.controlPath)).toBe(false);
        await delay(60);
        expect(l.events().some(e => e.type === 'metrics_update')).toBe(false);
        await sim.ready();
        expect(fs.statSync(sim.controlPath).mode & 0o777).toBe(0o600);
        await until(() => l.events().some(e => e.type === 'metrics_update'));
    });

    it('burst: n transcriptions and a metrics_update in one write', async () => {
        const sim = await startSim();
        const l = await listen(sim);
        await until(() => l.lines.length >= 1);
        const before = l.chunks.length;
        sim.burst(100);
        await until(() => l.lines.length >= 102);
        const chunks = l.chunks.slice(before);
        expect(chunks).toHaveLength(1);
        const ev = l.events().slice(1);
        expect(ev.at(-2)).toMatchObject({type: 'transcription', text: 'burst segment 100'});
        expect(ev.at(-1)).toMatchObject({type: 'metrics_update', segments: 100, words: 300});
    });

    it('faults: garbage, unknown, huge and byte-wise data keep the framing intact', async () => {
        const sim = await startSim();
        const l = await listen(sim);
        sim.sendGarbage();
        sim.sendUnknownEvent();
        sim.sendHugeLine(100_000);
        await sim.writeRaw('{"type":"state_change","state":"idle","timestamp":1.5}\n', {byteByByte: true});
        sim.speak('after the faults');
        await until(() => l.lines.some(x => x.includes('after the faults')));
        expect(l.lines.some(x => x.includes('"future_thing"'))).toBe(true);
        expect(l.lines.some(x => x.length >= 99_000)).toBe(true);
        expect(l.lines).toContain('{"type":"state_change","state":"idle","timestamp":1.5}');
        expect(l.lines.filter(x => x.startsWith('{"type":"transcription","text":"after'))).toHaveLength(1);
    });

    it('survives clients that disconnect mid-stream', async () => {
        const sim = await startSim();
        for (let i = 0; i < 5; i++) {
            const s = net.connect(sim.metricsPath);
            s.on('error', () => {});
            s.on('connect', () => s.destroy());
        }
        await delay(30);
        sim.burst(2000);
        sim.sendHugeLine();
        await delay(50);
        const l = await listen(sim);
        await until(() => l.lines.length >= 2001);
        expect(sim.running).toBe(true);
    });
});

describe('control socket', () => {
    it('toggle replies and the event order of start and stop', async () => {
        const sim = await startSim();
        const l = await listen(sim);
        await until(() => l.lines.length >= 1);
        const on = await control(sim.controlPath, '{"action":"toggle"}');
        expect(on).toEqual({reply: '{"message":"Recording started (Session #1)","status":"success"}', closed: true});
        sim.speak('hello there');
        sim.queueFinal('last words');
        const off = await control(sim.controlPath, '{"action":"TOGGLE"}');
        expect(JSON.parse(off.reply)).toEqual({status: 'success', message: expect.stringMatching(/^Recording stopped \(4 words, \d+\.\d WPM\)$/)});
        await until(() => l.lines.length >= 7);
        expect(l.events().map(e => `${e.type}:${e.state ?? e.session_id ?? e.text}`)).toEqual([
            'state_change:idle', 'session_start:1', 'state_change:recording', 'transcription:hello there',
            'transcription:last words', 'session_end:1', 'state_change:idle',
        ]);
        expect(sim.toggleCount).toBe(2);
        expect(sim.controlLog.map(e => e.request)).toEqual(['{"action":"toggle"}', '{"action":"TOGGLE"}']);
    });

    it('status, invalid JSON, unknown action, error mode', async () => {
        const sim = await startSim();
        expect((await control(sim.controlPath, '{"action":"Status"}')).reply).toBe('{"state":"idle","status":"success"}');
        expect(JSON.parse((await control(sim.controlPath, 'toggle')).reply))
            .toEqual({status: 'error', error: 'Invalid JSON. Expected: {"action": "toggle|status|quit"}'});
        expect((await control(sim.controlPath, '{"action":"foo"}')).reply).toBe('{"error":"Unknown action: foo","status":"error"}');
        sim.controlMode = 'error';
        const err = JSON.parse((await control(sim.controlPath, '{"action":"toggle"}')).reply);
        expect(err.status).toBe('error');
        expect(sim.state).toBe('idle');
        expect(sim.toggleCount).toBe(1);
    });

    it('no-reply mode reads but never answers nor closes; quit exits leaving stale sockets', async () => {
        const sim = await startSim();
        sim.controlMode = 'no-reply';
        const r = await control(sim.controlPath, '{"action":"toggle"}', 200);
        expect(r).toEqual({reply: '', closed: false});
        expect(sim.controlLog.at(-1)).toEqual({request: '{"action":"toggle"}', reply: null});
        sim.controlMode = 'normal';
        const q = await control(sim.controlPath, '{"action":"shutdown"}');
        expect(q).toEqual({reply: '', closed: true});
        expect(sim.running).toBe(false);
        expect(await connectError(sim.metricsPath)).toBe('ECONNREFUSED');
        expect(await connectError(sim.controlPath)).toBe('ECONNREFUSED');
    });
});

describe('socket files', () => {
    it('are created 0600 and removed by a clean stop', async () => {
        const sim = await startSim();
        expect(fs.statSync(sim.metricsPath).mode & 0o777).toBe(0o600);
        expect(fs.statSync(sim.controlPath).mode & 0o777).toBe(0o600);
        await sim.stop();
        expect(fs.existsSync(sim.metricsPath)).toBe(false);
        expect(fs.existsSync(sim.controlPath)).toBe(false);
    });

    it('crash() leaves stale files that a new start() replaces; state starts afresh', async () => {
        const sim = await startSim();
        await sim.toggle();
        sim.speak('lost with the crash');
        const l = await listen(sim);
        await sim.crash();
        await until(() => l.closed);
        expect(fs.lstatSync(sim.metricsPath).isSocket()).toBe(true);
        expect(await connectError(sim.metricsPath)).toBe('ECONNREFUSED');
        expect(await connectError(sim.controlPath)).toBe('ECONNREFUSED');
        await sim.start();
        const l2 = await listen(sim);
        await until(() => l2.lines.length >= 1);
        await delay(30);
        expect(l2.events()).toEqual([expect.objectContaining({type: 'state_change', state: 'idle'})]);
        expect(await control(sim.controlPath, '{"action":"status"}')).toEqual({reply: '{"state":"idle","status":"success"}', closed: true});
    });

    it('start() refuses when a live daemon listens', async () => {
        const sim = await startSim();
        const other = new SimulatedDaemon({dir: join(sim.metricsPath, '..'), metricsIntervalMs: 0});
        await expect(other.start()).rejects.toThrow(/already listening/);
        expect(await connectError(sim.metricsPath)).toBe('connected');
    });
});

describe('socket files a real daemon has taken over (issue 11, case 9)', () => {
    /** A "real daemon": replaces the file at `path` with its own listener, as the daemon does at start. */
    async function takeOver(path: string): Promise<net.Server> {
        fs.rmSync(path, {force: true});
        const server = net.createServer(sock => {
            sock.on('error', () => undefined);
            sock.end('{"type":"state_change","state":"idle","timestamp":1.0}\n');
        });
        await new Promise<void>(resolve => server.listen(path, resolve));
        return server;
    }

    it('stop() leaves sockets that another daemon has put at its paths', async () => {
        const sim = await startSim();
        const metrics = await takeOver(sim.metricsPath);
        const control = await takeOver(sim.controlPath);
        try {
            const logged: string[] = [];
            (sim as unknown as {log: (m: string) => void}).log = m => logged.push(m);
            await sim.stop();
            // Before: both files were deleted by path; the extension then could not find the daemon.
            expect(await connectError(sim.metricsPath)).toBe('connected');
            expect(await connectError(sim.controlPath)).toBe('connected');
            expect(logged.some(m => /left .* alone/.test(m))).toBe(true);
        } finally {
            metrics.close();
            control.close();
        }
    });

    it('does not replace a control socket a daemon bound while the simulator was "loading models"', async () => {
        const sim = await startSim({modelLoadMs: 300});
        const real = await takeOver(sim.controlPath);
        const before = fs.lstatSync(sim.controlPath).ino;
        try {
            await delay(600);
            // Before: deleted and replaced by the simulator's own once its "models" were loaded.
            expect(fs.lstatSync(sim.controlPath).ino).toBe(before);
            expect(await connectError(sim.controlPath)).toBe('connected');
            await sim.stop();
            expect(fs.lstatSync(sim.controlPath).ino).toBe(before);
        } finally {
            real.close();
        }
    });
});

describe('the daemon\'s files', () => {
    const CORRECTION = (original: string, corrected: string, caseMode = 'force_pattern') => `[[corrections]]
id = "${original}"
original = "${original}"
corrected = "${corrected}"
mode = "all"
match_type = "exact"
case_mode = "${caseMode}"
learned_at = "2026-12-07T10:49:41.291Z"
use_count = 0
`;

    it('applies the exact corrections to the segments it sends, and follows the file as it changes', async () => {
        const configDir = freshDir();
        const files = new DaemonFiles(configDir, () => {});
        files.watch();
        try {
            const sim = await startSim({files});
            const l = await listen(sim);
            await sim.toggle();
            sim.speak('push it to get hub');
            // Written the way the preferences write it: a new file renamed over the old one.
            fs.writeFileSync(join(configDir, '.corrections.toml.tmp'), CORRECTION('get hub', 'GitHub'));
            fs.renameSync(join(configDir, '.corrections.toml.tmp'), join(configDir, 'corrections.toml'));
            await until(() => files.apply('get hub') === 'GitHub');
            sim.speak('push it to Get  Hub');
            // A file the daemon cannot load leaves no correction in use.
            fs.writeFileSync(join(configDir, 'corrections.toml'), CORRECTION('get hub', 'GitHub').replace('use_count = 0\n', ''));
            await until(() => files.apply('get hub') === 'get hub');
            sim.speak('get hub again');
            await until(() => l.events().filter(e => e.type === 'transcription').length === 3);
            expect(l.events().filter(e => e.type === 'transcription').map(e => e.text))
                .toEqual(['push it to get hub', 'push it to GitHub', 'get hub again']);
        } finally {
            files.stop();
        }
    });

    it('reads config.toml at start and refuses one the daemon would refuse', () => {
        const configDir = freshDir();
        const files = new DaemonFiles(configDir, () => {});
        files.readConfig();
        expect(files.config).toBe(null);
        const config = fs.readFileSync('test/fixtures/daemon/config.toml', 'utf8');
        fs.writeFileSync(join(configDir, 'config.toml'), config.replace('"auto"', '"0.6b-cpu"'));
        files.readConfig();
        expect(files.config?.stt_model_override).toBe('0.6b-cpu');
        fs.writeFileSync(join(configDir, 'config.toml'), config.replace('vad_min_silence = 0.8', 'vad_min_silence = "slow"'));
        expect(() => files.readConfig()).toThrow('Failed to parse config file: invalid type: string "slow", expected f32 for key `vad_min_silence`');
    });
});

describe('simulator CLI', () => {
    let bundle: string;
    beforeAll(async () => {
        bundle = join(root, 'simulator.mjs');
        await esbuild.build({
            entryPoints: ['tools/simulator.ts'], bundle: true, platform: 'node', format: 'esm',
            target: 'node20', outfile: bundle, logLevel: 'error',
        });
    });

    function run(args: string[], until_: (out: string) => boolean = () => false) {
        const child = spawn(process.execPath, [bundle, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
        let out = '';
        child.stdout.on('data', d => {
            out += d;
        });
        child.stderr.on('data', d => {
            out += d;
        });
        const started = new Promise<void>(resolve => {
            const check = () => until_(out) && resolve();
            child.stdout.on('data', check);
        });
        const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
        return {child, started, exited, output: () => out};
    }

    it('refuses to start on a config.toml the daemon would refuse, saying why as the daemon does', async () => {
        const configDir = freshDir();
        fs.writeFileSync(join(configDir, 'config.toml'), fs.readFileSync('test/fixtures/daemon/config.toml', 'utf8').replace(/^num_threads.*\n/m, '').replace(/^socket_path.*\n/m, ''));
        const r = run(['--dir', freshDir(), '--script', 'none', '--config-dir', configDir]);
        expect(await r.exited).toBe(1);
        expect(r.output()).toMatch(/Error: Failed to load configuration\n\nCaused by:\n {4}Failed to parse config file: missing field `socket_path`/);
    });

    it('refuses to start over a live daemon', async () => {
        const sim = await startSim();
        const r = run(['--dir', join(sim.metricsPath, '..'), '--script', 'none']);
        expect(await r.exited).toBe(1);
        expect(r.output()).toMatch(/already listening/);
        expect(await connectError(sim.metricsPath)).toBe('connected');
    });

    it('runs, answers the command socket, and stops cleanly on SIGINT', async () => {
        const dir = freshDir();
        const cmd = join(dir, 'cmd.sock');
        const r = run(['--dir', dir, '--script', 'none', '--quiet', '--cmd-socket', cmd], out => out.includes('Ctrl+C'));
        await r.started;
        const reply = await new Promise<string>((resolve, reject) => {
            const s = net.connect(cmd);
            sockets.push(s);
            let buf = '';
            s.on('connect', () => s.write('{"cmd":"toggle"}\n{"cmd":"status"}\n'));
            s.setEncoding('utf8');
            s.on('data', (d: string) => {
                buf += d;
                if (buf.split('\n').length > 2)
                    resolve(buf);
            });
            s.on('error', reject);
        });
        const [toggle, status] = reply.trim().split('\n').map(x => JSON.parse(x));
        expect(toggle).toMatchObject({ok: true, reply: 'Recording started (Session #1)'});
        expect(status).toMatchObject({ok: true, state: 'recording', sessionId: 1, toggleCount: 0});
        r.child.kill('SIGINT');
        expect(await r.exited).toBe(0);
        expect(fs.existsSync(join(dir, 'swictation_metrics.sock'))).toBe(false);
        expect(fs.existsSync(join(dir, 'swictation.sock'))).toBe(false);
    });
});
