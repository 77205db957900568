// SPDX-License-Identifier: GPL-2.0-or-later
// A test-only command socket: one JSON object per line in, one JSON line out, so end-to-end tests
// running the shell in another process can drive the simulator.
import * as fs from 'node:fs';
import * as net from 'node:net';
import {CONTROL_MODES, type ControlMode, type SimulatedDaemon} from './daemon.js';

export interface CommandHooks {
    /** stop, wait, start (the CLI's restart). */
    restart(gapMs: number): Promise<void>;
    /** End the simulator process. */
    exit(): void;
}


type Reply = Record<string, unknown>;

export async function runCommand(sim: SimulatedDaemon, hooks: CommandHooks, msg: Record<string, unknown>): Promise<Reply> {
    const text = typeof msg.text === 'string' ? msg.text : undefined;
    const num = (v: unknown, dflt: number) => (typeof v === 'number' && Number.isFinite(v) ? v : dflt);
    switch (msg.cmd) {
    case 'toggle':
        return {ok: true, reply: await sim.toggle(), state: sim.state};
    case 'speak':
        if (text === undefined)
            return {ok: false, error: 'speak needs "text"'};
        // deliver: false records the segment without sending it: a broadcast the client missed,
        // which only its next catch-up brings.
        if (msg.deliver === false)
            sim.recordSegment(text);
        else
            sim.speak(text);
        return {ok: true};
    case 'final':
        if (text === undefined)
            return {ok: false, error: 'final needs "text"'};
        sim.queueFinal(text);
        return {ok: true};
    case 'metrics':
        sim.sendMetrics();
        return {ok: true};
    case 'burst':
        sim.burst(Math.max(0, Math.floor(num(msg.n, 1000))));
        return {ok: true};
    case 'garbage':
        sim.sendGarbage();
        return {ok: true};
    case 'unknown':
        sim.sendUnknownEvent();
        return {ok: true};
    case 'huge':
        sim.sendHugeLine(num(msg.bytes, 2 * 1024 * 1024));
        return {ok: true};
    case 'bytewise':
        await sim.speakBytewise(text ?? 'Split across writes: ü 日本 🎉 done.', num(msg.delayMs, 0));
        return {ok: true};
    case 'raw':
        if (text === undefined)
            return {ok: false, error: 'raw needs "text"'};
        await sim.writeRaw(text, {byteByByte: msg.byteByByte === true, delayMs: num(msg.delayMs, 0)});
        return {ok: true};
    case 'deep':
        sim.sendDeepLine(num(msg.bytes, 1024 * 1024 - 1));
        return {ok: true};
    case 'rebind':
        await sim.rebind();
        return {ok: true};
    case 'crash':
        await sim.crash();
        return {ok: true};
    case 'stop':
        await sim.stop();
        return {ok: true};
    case 'start':
        if (!sim.running)
            await sim.start();
        return {ok: true};
    case 'restart':
        await hooks.restart(num(msg.gapMs, 1000));
        return {ok: true};
    case 'silent':
        sim.silent = msg.on !== false;
        return {ok: true, silent: sim.silent};
    case 'control-mode':
        if (!CONTROL_MODES.includes(msg.mode as ControlMode))
            return {ok: false, error: `mode must be one of ${CONTROL_MODES.join(', ')}`};
        sim.controlMode = msg.mode as ControlMode;
        return {ok: true, mode: sim.controlMode};
    case 'status':
        return {
            ok: true, state: sim.state, clientCount: sim.clientCount, toggleCount: sim.toggleCount,
            sessionId: sim.sessionId, running: sim.running, segments: sim.transcript.length,
            controlMode: sim.controlMode, silent: sim.silent, acceptedCount: sim.acceptedCount, firstAcceptAt: sim.firstAcceptAt,
            model: sim.model, transcript: sim.transcript.map(s => s.text),
        };
    case 'control-log':
        return {ok: true, log: sim.controlLog};
    case 'exit':
        setTimeout(() => hooks.exit(), 10);
        return {ok: true};
    default:
        return {ok: false, error: `unknown cmd ${JSON.stringify(msg.cmd)}`};
    }
}

export class CommandServer {
    private server: net.Server | null = null;
    private readonly sockets = new Set<net.Socket>();

    constructor(private readonly path: string, private readonly sim: SimulatedDaemon,
        private readonly hooks: CommandHooks, private readonly log: (msg: string) => void = () => {}) {}

    start(): Promise<void> {
        try {
            if (fs.lstatSync(this.path).isSocket())
                fs.unlinkSync(this.path);
        } catch {
            // absent
        }
        return new Promise((resolve, reject) => {
            const server = net.createServer(sock => this.onClient(sock));
            server.once('error', reject);
            server.listen(this.path, () => {
                fs.chmodSync(this.path, 0o600);
                this.server = server;
                resolve();
            });
        });
    }

    private onClient(sock: net.Socket): void {
        this.sockets.add(sock);
        sock.on('close', () => this.sockets.delete(sock));
        sock.on('error', () => {});
        let buf = '';
        let chain = Promise.resolve();
        sock.setEncoding('utf8');
        sock.on('data', (chunk: string) => {
            buf += chunk;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, nl).trim();
                buf = buf.slice(nl + 1);
                if (!line)
                    continue;
                chain = chain.then(async () => {
                    let reply: Reply;
                    try {
                        const msg = JSON.parse(line) as unknown;
                        if (msg === null || typeof msg !== 'object' || Array.isArray(msg))
                            reply = {ok: false, error: 'expected a JSON object'};
                        else
                            reply = await runCommand(this.sim, this.hooks, msg as Record<string, unknown>);
                    } catch (e) {
                        reply = {ok: false, error: (e as Error).message};
                    }
                    this.log(`command ${line} -> ${JSON.stringify(reply)}`);
                    if (!sock.destroyed)
                        sock.write(`${JSON.stringify(reply)}\n`);
                });
            }
        });
    }

    close(): Promise<void> {
        for (const s of this.sockets)
            s.destroy();
        const server = this.server;
        this.server = null;
        if (!server)
            return Promise.resolve();
        return new Promise(resolve => server.close(() => resolve()));
    }
}
