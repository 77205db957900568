// SPDX-License-Identifier: GPL-2.0-or-later
// The end-to-end driver: talks to the GNOME Shell that test/e2e/run.sh started, from the host.
// run.sh describes the session in $E2E_SESSION (session.json); everything inside the shell goes
// through bridge.js, a gjs process in the root running as the test user on the session bus.
import {spawn, type ChildProcess} from 'node:child_process';
import {chmodSync, closeSync, copyFileSync, existsSync, openSync, readFileSync, rmSync} from 'node:fs';
import {createConnection} from 'node:net';
import {basename, join} from 'node:path';
import {createInterface} from 'node:readline';

export interface Session {
    version: number;            // 48, 50, 51
    shellVersion: string;       // "GNOME Shell 48.7"
    root: string;               // the Debian root on the host
    repo: string;
    uuid: string;               // the product
    helperUuid: string;
    out: string;                // $E2E_OUT/gnome-VERSION on the host
    shellLog: string;
    shellPid: number;
    sessionDir: string;         // inside the root: home/, work/
    runtimeDir: string;         // inside the root: XDG_RUNTIME_DIR, where the daemon's sockets go
    testerUid: number;
    env: Record<string, string>;
}

export function loadSession(file = process.env.E2E_SESSION): Session {
    if (!file)
        throw new Error('E2E_SESSION is not set: run the scenarios through test/e2e/run.sh');
    return JSON.parse(readFileSync(file, 'utf8')) as Session;
}

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** A command run inside the root as the test user, in the session's environment. */
function testerCommand(s: Session, argv: string[]): [string, string[]] {
    const env = Object.entries(s.env).map(([k, v]) => `${k}=${v}`);
    return ['chroot', [`--userspec=${s.testerUid}:${s.testerUid}`, s.root, '/usr/bin/env', '-i', ...env, ...argv]];
}

export interface RunResult { code: number | null; stdout: string; stderr: string }

export interface ExtensionInfo {
    state: number;
    stateName: string;          // ACTIVE, INACTIVE, ERROR, OUT_OF_DATE, ... as this shell names them
    error: string | null;
    path: string;
    type: number;               // 1 system, 2 per user
}

/** One log entry that counts as a problem: its first line and the stack lines after it. */
export interface LogProblem { line: number; text: string }

const PROBLEM = /JS ERROR|JS WARNING|CRITICAL/;
// Lines that belong to the entry above them: stacks ("Stack trace:", indented frames,
// "func@file:line:col", gjs's "#0 ..." dumps).
const CONTINUATION = /^(\s+\S|#\d|\S*@\S*:\d+(:\d+)?\s*$|== Stack trace|Stack trace:)/;

/** Problems in a gnome-shell log: entries with JS ERROR, JS WARNING or CRITICAL, with stacks. */
export function logProblems(text: string, mentioning: string[] = [], firstLine = 0): LogProblem[] {
    const lines = text.split('\n');
    const found: LogProblem[] = [];
    for (let i = firstLine; i < lines.length; i++) {
        if (!PROBLEM.test(lines[i]))
            continue;
        let end = i + 1;
        for (let j = i + 1; j < lines.length && (lines[j].trim() === '' || CONTINUATION.test(lines[j])); j++) {
            if (lines[j].trim() !== '')
                end = j + 1;
        }
        const entry = lines.slice(i, end).join('\n');
        if (mentioning.length === 0 || mentioning.some(m => entry.includes(m)))
            found.push({line: i + 1, text: entry});
        i = end - 1;
    }
    return found;
}

/** Width and height of a PNG file, from its IHDR chunk. */
export function pngSize(file: string): {width: number; height: number} {
    const b = readFileSync(file);
    if (b.length < 24 || b.toString('latin1', 1, 4) !== 'PNG' || b.toString('latin1', 12, 16) !== 'IHDR')
        throw new Error(`${file} is not a PNG`);
    return {width: b.readUInt32BE(16), height: b.readUInt32BE(20)};
}

export class Shell {
    readonly session: Session;
    private bridge: ChildProcess;
    private pending = new Map<number, {resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void}>();
    private nextId = 1;
    private keyboardReported = false;

    private constructor(session: Session) {
        this.session = session;
        const [cmd, args] = testerCommand(session, ['gjs', '-m', `${session.sessionDir}/work/bridge.js`]);
        const log = openSync(join(session.out, 'bridge.log'), 'a');
        this.bridge = spawn(cmd, args, {stdio: ['pipe', 'pipe', log]});
        closeSync(log);
        createInterface({input: this.bridge.stdout!}).on('line', line => {
            const answer = JSON.parse(line) as Record<string, unknown> & {id: number};
            const waiter = this.pending.get(answer.id);
            this.pending.delete(answer.id);
            waiter?.resolve(answer);
        });
        this.bridge.on('exit', code => {
            for (const w of this.pending.values())
                w.reject(new Error(`bridge.js exited (${code})`));
            this.pending.clear();
        });
    }

    static async connect(session = loadSession()): Promise<Shell> {
        const shell = new Shell(session);
        await shell.evalJs('true');
        return shell;
    }

    close(): void {
        this.bridge.stdin?.end();
    }

    private request(op: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
        const id = this.nextId++;
        return new Promise((resolve, reject) => {
            this.pending.set(id, {resolve, reject});
            this.bridge.stdin!.write(`${JSON.stringify({id, op, ...params})}\n`);
        }).then(answer => {
            const a = answer as Record<string, unknown>;
            if (!a.ok)
                throw new Error(`${op}: ${a.error}`);
            return a;
        });
    }

    /** Evaluates JS in the shell (Main, global, imports.gi.* are in scope); returns its JSON value. */
    async evalJs<T = unknown>(code: string): Promise<T> {
        const {success, result} = await this.request('eval', {code}) as {success: boolean; result: string};
        if (!success)
            throw new Error(result ? `Eval threw: ${result}\n  in: ${code}` : 'Eval refused: is the helper extension (unsafe mode) enabled?');
        return (result === '' ? undefined : JSON.parse(result)) as T;
    }

    /** Polls a JS expression until it is truthy; returns its value. */
    async waitFor<T = unknown>(expr: string, timeoutMs = 5000, intervalMs = 100): Promise<T> {
        const deadline = Date.now() + timeoutMs;
        let last: unknown;
        for (;;) {
            try {
                last = await this.evalJs<T>(expr);
            } catch (e) {
                last = e;
            }
            if (last && !(last instanceof Error))
                return last as T;
            if (Date.now() >= deadline)
                throw new Error(`waitFor timed out after ${timeoutMs} ms: ${expr} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
            await sleep(intervalMs);
        }
    }

    /** A PNG of the whole screen, written to $E2E_OUT/gnome-V/NAME.png; returns that path. */
    async screenshot(name: string): Promise<string> {
        const inRoot = `${this.session.sessionDir}/work/${name}.png`;
        await this.request('screenshot', {path: inRoot});
        return this.collect(inRoot, name);
    }

    /** Crops a screenshot taken with screenshot() (the top bar: y 0, full width, h px). */
    async crop(fromName: string, name: string, rect: {x?: number; y?: number; w?: number; h: number}): Promise<string> {
        const work = `${this.session.sessionDir}/work`;
        await this.request('crop', {src: `${work}/${fromName}.png`, dst: `${work}/${name}.png`,
            x: rect.x ?? 0, y: rect.y ?? 0, w: rect.w ?? 1 << 20, h: rect.h});
        return this.collect(`${work}/${name}.png`, name);
    }

    private collect(inRoot: string, name: string): string {
        const dest = join(this.session.out, `${name}.png`);
        copyFileSync(join(this.session.root, inRoot), dest);
        return dest;
    }

    /**
     * Presses keys like a user, through a Clutter virtual keyboard: all pressed in order, then
     * released in reverse. Names are Clutter keysym names: ['Super_L', 'Shift_L', 'd'].
     */
    async pressKeys(keys: string[]): Promise<void> {
        await this.keys([...keys.map(k => ['press', k] as const), ...[...keys].reverse().map(k => ['release', k] as const)]);
    }

    /** Sends key events one by one, in order, e.g. [['press', 'F9'], ['release', 'F9']]. */
    async keys(events: ReadonlyArray<readonly ['press' | 'release', string]>): Promise<void> {
        // A new virtual device's first events can be lost while the seat is still adding it
        // (seen on 48 and 50: Super did not open the overview). Create it first, then press a
        // harmless Shift until the stage sees it arrive.
        const added = await this.evalJs<boolean>(`(() => {
            const {Clutter} = imports.gi;
            if (globalThis.swictationE2EKeyboard) return false;
            const backend = typeof Clutter.get_default_backend === 'function'
                ? Clutter.get_default_backend() : global.stage.get_context().get_backend();
            globalThis.swictationE2EKeyboard = backend.get_default_seat().create_virtual_device(Clutter.InputDeviceType.KEYBOARD_DEVICE);
            const w = globalThis.swictationE2EKeyboardSeen = {seen: false};
            w.id = global.stage.connect('captured-event', (_s, e) => {
                if (e.type() === Clutter.EventType.KEY_PRESS && e.get_key_symbol() === Clutter.KEY_Shift_L) w.seen = true;
                return Clutter.EVENT_PROPAGATE;
            });
            return true;
        })()`);
        if (added) {
            const deadline = Date.now() + 5000;
            for (;;) {
                const seen = await this.evalJs<boolean>(`(() => {
                    const {Clutter, GLib} = imports.gi;
                    const w = globalThis.swictationE2EKeyboardSeen;
                    if (!w.seen) {
                        const kbd = globalThis.swictationE2EKeyboard;
                        kbd.notify_keyval(GLib.get_monotonic_time(), Clutter.KEY_Shift_L, Clutter.KeyState.PRESSED);
                        kbd.notify_keyval(GLib.get_monotonic_time(), Clutter.KEY_Shift_L, Clutter.KeyState.RELEASED);
                    }
                    return w.seen;
                })()`);
                if (seen || Date.now() > deadline)
                    break;
                await sleep(100);
            }
            const seen = await this.evalJs<boolean>(`(() => { const w = globalThis.swictationE2EKeyboardSeen;
                global.stage.disconnect(w.id); delete globalThis.swictationE2EKeyboardSeen; return w.seen; })()`);
            if (!seen)
                console.log('# the virtual keyboard did not reach the stage within 5 s');
            await sleep(300);
        }
        const seatFrom = await this.evalJs<string>(`(() => {
            const {Clutter, GLib} = imports.gi;
            const events = ${JSON.stringify(events)};
            const sym = k => { const v = Clutter['KEY_' + k]; if (v === undefined) throw new Error('no keysym ' + k); return v; };
            let from = typeof Clutter.get_default_backend === 'function'
                ? 'Clutter.get_default_backend()' : 'global.stage.get_context().get_backend()';
            if (!globalThis.swictationE2EKeyboard) {
                // 48: the default backend; 49+: only the stage's context has it.
                const backend = typeof Clutter.get_default_backend === 'function'
                    ? Clutter.get_default_backend()
                    : (from = 'global.stage.get_context().get_backend()', global.stage.get_context().get_backend());
                globalThis.swictationE2EKeyboard = backend.get_default_seat().create_virtual_device(Clutter.InputDeviceType.KEYBOARD_DEVICE);
            }
            const kbd = globalThis.swictationE2EKeyboard;
            for (const [what, k] of events)
                kbd.notify_keyval(GLib.get_monotonic_time(), sym(k), what === 'press' ? Clutter.KeyState.PRESSED : Clutter.KeyState.RELEASED);
            return from;
        })()`);
        if (!this.keyboardReported) {
            console.log(`# virtual keyboard seat from ${seatFrom}`);
            this.keyboardReported = true;
        }
    }

    async extension(uuid = this.session.uuid): Promise<ExtensionInfo | null> {
        return this.evalJs<ExtensionInfo | null>(`(() => {
            const e = Main.extensionManager.lookup(${JSON.stringify(uuid)});
            if (!e) return null;
            const names = Object.entries(globalThis.swictationE2E?.ExtensionState ?? {});
            const name = (names.find(([, v]) => v === e.state) ?? [String(e.state)])[0];
            return {state: e.state, stateName: name, error: e.error ? String(e.error) : null, path: e.path, type: e.type};
        })()`);
    }

    async enableExtension(uuid = this.session.uuid): Promise<void> {
        await this.evalJs(`Main.extensionManager.enableExtension(${JSON.stringify(uuid)})`);
    }

    async disableExtension(uuid = this.session.uuid): Promise<void> {
        await this.evalJs(`Main.extensionManager.disableExtension(${JSON.stringify(uuid)})`);
    }

    async hideOverview(): Promise<void> {
        await this.evalJs('Main.overview.hide()');
        await this.waitFor('!Main.overview.visible && !Main.overview.animationInProgress');
    }

    /** Removes every notification (the unsafe-mode banner among them) from the tray. */
    async clearNotifications(): Promise<void> {
        await this.evalJs('Main.messageTray.getSources().forEach(s => s.destroy()); true');
    }

    /** Runs a command inside the root as the test user, in the session (gsettings, gnome-extensions). */
    runInSession(argv: string[], timeoutMs = 30_000): Promise<RunResult> {
        const [cmd, args] = testerCommand(this.session, argv);
        return new Promise(resolve => {
            const child = spawn(cmd, args, {stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs});
            let stdout = '', stderr = '';
            child.stdout.on('data', d => (stdout += d));
            child.stderr.on('data', d => (stderr += d));
            child.on('close', code => resolve({code, stdout, stderr}));
        });
    }

    /** The shell's log so far, and its line count (a mark for logSince). */
    log(): {text: string; lines: number} {
        const text = readFileSync(this.session.shellLog, 'utf8');
        return {text, lines: text.split('\n').length - 1};
    }

    /** Problems in the log that mention the extension (its uuid is in every path of its files). */
    extensionLogProblems(sinceLine = 0, mentioning = [this.session.uuid]): LogProblem[] {
        return logProblems(this.log().text, mentioning, sinceLine);
    }
}

/** One command line to a simulator's --cmd-socket; its one-line JSON answer. */
export function simulatorCommand<T = Record<string, unknown>>(cmdSocket: string, command: Record<string, unknown>, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
        const sock = createConnection(cmdSocket);
        let data = '';
        const timer = setTimeout(() => { sock.destroy(); reject(new Error(`simulator: no answer to ${JSON.stringify(command)}`)); }, timeoutMs);
        sock.on('connect', () => sock.write(`${JSON.stringify(command)}\n`));
        sock.on('data', d => {
            data += d;
            const nl = data.indexOf('\n');
            if (nl >= 0) {
                clearTimeout(timer);
                sock.end();
                try { resolve(JSON.parse(data.slice(0, nl)) as T); } catch (e) { reject(e as Error); }
            }
        });
        sock.on('error', e => { clearTimeout(timer); reject(e); });
    });
}

/**
 * A copy of a built program (one bundled file) in the session's work folder, for the test user
 * to run: the checkout may be in a folder that only root can enter (a mktemp -d one, a 0750
 * home), where the test user could not read it.
 */
export function sessionCopy(s: Session, built: string): string {
    const source = join(s.repo, built);
    if (!existsSync(source))
        throw new Error(`no ${built} in ${s.repo} (make build)`);
    const program = join(s.root, s.sessionDir, 'work', basename(built));
    copyFileSync(source, program);
    chmodSync(program, 0o644);
    return program;
}

/**
 * The simulated Swictation daemon (build/tools/simulator.mjs), run on the host as the test
 * user so that its sockets, in the session's XDG_RUNTIME_DIR, belong to that user.
 */
export class Simulator {
    readonly cmdSocket: string;
    private child: ChildProcess;

    private constructor(child: ChildProcess, cmdSocket: string) {
        this.child = child;
        this.cmdSocket = cmdSocket;
    }

    static async start(s: Session, opts: {script?: 'demo' | 'none'; args?: string[]; name?: string; standbyFor?: Simulator} = {}): Promise<Simulator> {
        const work = join(s.root, s.sessionDir, 'work');
        const program = sessionCopy(s, 'build/tools/simulator.mjs');
        const cmdSocket = join(work, `${opts.name ?? 'simulator'}-cmd.sock`);
        rmSync(cmdSocket, {force: true});   // left behind by a simulator that was killed
        const log = openSync(join(s.out, `${opts.name ?? 'simulator'}.log`), 'a');
        const standby = opts.standbyFor ? ['--standby-pid', String(opts.standbyFor.pid)] : [];
        const child = spawn('setpriv', [`--reuid=${s.testerUid}`, `--regid=${s.testerUid}`, '--clear-groups',
            process.execPath, program, '--dir', join(s.root, s.runtimeDir), '--script', opts.script ?? 'demo',
            '--cmd-socket', cmdSocket, ...standby, ...(opts.args ?? [])],
        {cwd: work, stdio: ['ignore', log, log], env: {...process.env, HOME: join(s.root, s.sessionDir, 'home')}});
        closeSync(log);
        const sim = new Simulator(child, cmdSocket);
        if (!opts.standbyFor)
            await sim.ready();
        return sim;
    }

    /** The process id (setpriv execs the simulator, so it is node's). */
    get pid(): number {
        return this.child.pid ?? -1;
    }

    /** Waits until the command socket answers (a standby one opens it once it has started). */
    async ready(timeoutMs = 10_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        // The file appears when the socket is bound, a moment before it listens: connect.
        const answers = () => new Promise<boolean>(resolve => {
            const sock = createConnection(this.cmdSocket);
            sock.on('connect', () => { sock.destroy(); resolve(true); });
            sock.on('error', () => resolve(false));
        });
        while (!existsSync(this.cmdSocket) || !await answers()) {
            if (this.child.exitCode !== null || Date.now() > deadline)
                throw new Error(`simulator did not open ${this.cmdSocket} (exit ${this.child.exitCode})`);
            await sleep(20);
        }
    }

    /** Sends a signal to the simulator process itself (SIGKILL: a crash, sockets left behind). */
    signal(sig: NodeJS.Signals): void {
        this.child.kill(sig);
    }

    /** Sends one command line, returns the simulator's one-line JSON answer. */
    cmd<T = Record<string, unknown>>(command: Record<string, unknown>, timeoutMs = 10_000): Promise<T> {
        return simulatorCommand<T>(this.cmdSocket, command, timeoutMs);
    }

    status() {
        return this.cmd<{ok: boolean; state: string; clientCount: number; toggleCount: number; sessionId: number | null; acceptedCount: number; firstAcceptAt: number | null}>({cmd: 'status'});
    }

    /** Asks the simulator to exit (it removes its sockets), then TERM, then KILL. */
    async stop(): Promise<void> {
        const running = () => this.child.exitCode === null && this.child.signalCode === null;
        if (!running())
            return;
        const exited = new Promise(resolve => this.child.once('exit', resolve));
        await this.cmd({cmd: 'exit'}, 1000).catch(() => undefined);
        const term = setTimeout(() => this.child.kill('SIGTERM'), 2000);
        const kill = setTimeout(() => this.child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(term);
        clearTimeout(kill);
    }
}

/** Assertions and the closing line `N passed, N failed`. */
export class Report {
    passed = 0;
    failed = 0;
    scenario = '';

    ok(condition: unknown, what: string, detail?: unknown): boolean {
        const name = this.scenario ? `${this.scenario}: ${what}` : what;
        if (condition) {
            this.passed++;
            console.log(`ok - ${name}`);
        } else {
            this.failed++;
            console.log(`not ok - ${name}`);
            if (detail !== undefined)
                console.log(`    ${(typeof detail === 'string' ? detail : JSON.stringify(detail)).replace(/\n/g, '\n    ')}`);
        }
        return Boolean(condition);
    }

    equal<T>(actual: T, expected: T, what: string): boolean {
        return this.ok(Object.is(actual, expected), what, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }

    fail(what: string, detail?: unknown): void {
        this.ok(false, what, detail);
    }

    summary(): string {
        return `${this.passed} passed, ${this.failed} failed`;
    }
}

/** What each scenario gets. */
export interface Context {
    shell: Shell;
    t: Report;
    session: Session;
    /** Starts a simulator that is stopped when the scenario ends. */
    simulator(opts?: Parameters<typeof Simulator.start>[1]): Promise<Simulator>;
}

export interface Scenario {
    name: string;
    /**
     * The session language it is written for ('de': run.sh with E2E_LANG=de_DE.UTF-8). Without
     * one, it runs in the English session; a scenario runs only in the session of its language.
     */
    language?: string;
    /** Default 120 s. */
    timeoutMs?: number;
    run(ctx: Context): Promise<void>;
}
