// SPDX-License-Identifier: GPL-2.0-or-later
// Benchmarks 4 and 5 (second half) in a real headless GNOME Shell: run by test/e2e/run.sh in
// place of the test scenarios (E2E_MAIN=bench/shell/main.ts), against the session it started.
// bench/feeder.mjs, run as the session's user, broadcasts the realistic mix on the daemon's
// metrics socket at a set rate. The shell's CPU time (utime + stime of /proc/PID/stat; this
// program runs in the harness's PID namespace, where the PIDs of session.json are valid) is
// read over fixed windows with the extension off, on, on, off on one shell; its RSS over
// longer ones (on, off, off, on), after a full GC at both ends of each.
//   E2E_MAIN=bench/shell/main.ts BENCH_PARTS=DIR test/e2e/run.sh 48
import {type ChildProcessWithoutNullStreams, execFileSync, spawn} from 'node:child_process';
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {createInterface} from 'node:readline';
import {Shell, sleep} from '../../test/e2e/driver.js';
import {type Row, round, writePart} from '../lib/stats.js';

const partsDir = process.env.BENCH_PARTS ?? 'build/bench/parts';
const CPU_S = Number(process.env.BENCH_CPU_S ?? 60);
const MEM_S = Number(process.env.BENCH_MEM_S ?? 180);
const SETTLE_S = 3;
const WARM_UP_S = 20;
const ACTIVE = 1;

const shell = await Shell.connect();
const session = shell.session;
const uuid = JSON.stringify(session.uuid);
const pid = findShell();
const hz = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim());
const log = (msg: string) => console.log(`# ${new Date().toISOString().slice(11, 19)} ${msg}`);

/**
 * session.json's shellPid is the harness's subshell that started the shell (chroot, env and
 * gnome-shell exec in turn, so usually it is the shell itself); take the gnome-shell process
 * at or below it.
 */
function findShell(): number {
    const comm = (p: number) => {
        try {
            return readFileSync(`/proc/${p}/comm`, 'utf8').trim();
        } catch {
            return '';
        }
    };
    const children = (p: number): number[] => {
        try {
            return readdirSync(`/proc/${p}/task`).flatMap(t =>
                readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
        } catch {
            return [];
        }
    };
    const queue = [session.shellPid];
    while (queue.length) {
        const p = queue.shift()!;
        if (comm(p) === 'gnome-shell')
            return p;
        queue.push(...children(p));
    }
    throw new Error(`no gnome-shell process at or below pid ${session.shellPid}`);
}

function stat(): {ticks: number; comm: string} {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5); fields[0] here is field 3.
    return {ticks: Number(fields[11]) + Number(fields[12]), comm};
}

function rssKiB(): number {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

// ---- the feeder ------------------------------------------------------------------------------
class Feeder {
    private readonly child: ChildProcessWithoutNullStreams;
    private readonly lines: Array<Record<string, unknown>> = [];
    private waiters: Array<() => void> = [];

    constructor() {
        const uid = String(session.testerUid);
        this.child = spawn('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', process.execPath,
            join(session.repo, 'build/bench/feeder.mjs'), '--dir', join(session.root, session.runtimeDir)],
        {stdio: ['pipe', 'pipe', 'pipe'], env: {...process.env, HOME: join(session.root, session.sessionDir, 'home')}});
        createInterface({input: this.child.stdout}).on('line', l => {
            this.lines.push(JSON.parse(l) as Record<string, unknown>);
            const w = this.waiters;
            this.waiters = [];
            w.forEach(f => f());
        });
        this.child.stderr.on('data', d => process.stderr.write(`feeder: ${d}`));
    }

    async ask(command: string, kind: string): Promise<Record<string, unknown>> {
        const from = this.lines.length;
        this.child.stdin.write(`${command}\n`);
        const deadline = Date.now() + 10_000;
        for (;;) {
            const found = this.lines.slice(from).find(l => l.kind === kind);
            if (found)
                return found;
            if (Date.now() > deadline)
                throw new Error(`feeder: no ${kind} after ${command}`);
            await new Promise<void>(resolve => {
                this.waiters.push(resolve);
                setTimeout(resolve, 200);
            });
        }
    }

    async clients(): Promise<number> {
        return (await this.ask('status', 'status')).clients as number;
    }

    async stop(): Promise<void> {
        this.child.stdin.write('exit\n');
        await new Promise(resolve => {
            this.child.once('exit', resolve);
            setTimeout(() => this.child.kill('SIGKILL'), 5000);
        });
    }
}

// ---- the extension ---------------------------------------------------------------------------
/** Events the extension's store has counted (reaches into the running extension; null if it moved). */
function eventsSeen(): Promise<number | null> {
    return shell.evalJs<number | null>(`Main.extensionManager.lookup(${uuid})?.stateObj?._controller?._store?.state?.counters?.events ?? null`);
}

async function setEnabled(feeder: Feeder, enabled: boolean): Promise<void> {
    if (enabled)
        await shell.enableExtension();
    else
        await shell.disableExtension();
    await shell.waitFor(`(Main.extensionManager.lookup(${uuid})?.state === ${ACTIVE}) === ${enabled}`, 10_000);
    // Connected (enabled) or gone (disabled), as the daemon sees it.
    const deadline = Date.now() + 10_000;
    while ((await feeder.clients() > 0) !== enabled) {
        if (Date.now() > deadline)
            throw new Error(`the extension did not ${enabled ? 'connect' : 'disconnect'}`);
        await sleep(100);
    }
}

interface CpuWindow { label: string; enabled: boolean; rate: number; seconds: number; cpuPercent: number; ticks: number; events: number | null }

async function cpuWindow(feeder: Feeder, enabled: boolean, rate: number, windowS: number): Promise<CpuWindow> {
    await setEnabled(feeder, enabled);
    await feeder.ask(`rate ${rate}`, 'rate');
    await sleep(SETTLE_S * 1000);
    const e0 = enabled ? await eventsSeen() : null;
    const s0 = stat();
    const t0 = performance.now();
    await sleep(windowS * 1000);
    const s1 = stat();
    const seconds = (performance.now() - t0) / 1000;
    const e1 = enabled ? await eventsSeen() : null;
    const w: CpuWindow = {
        label: `${enabled ? 'enabled' : 'disabled'} @ ${rate}/s`, enabled, rate, seconds,
        ticks: s1.ticks - s0.ticks, cpuPercent: (s1.ticks - s0.ticks) / hz / seconds * 100,
        events: e0 !== null && e1 !== null ? e1 - e0 : null,
    };
    log(`${w.label}: ${round(w.cpuPercent, 2)}% of a core (${w.ticks} ticks in ${round(seconds, 1)} s, ${w.events ?? '-'} events seen)`);
    return w;
}

interface MemWindow { label: string; enabled: boolean; rate: number; seconds: number; startKiB: number; endKiB: number; growthKiB: number; peakKiB: number; samples: number[] }

/** The shell's RSS after a full GC. */
async function gcRss(): Promise<number> {
    await shell.evalJs('imports.system.gc(); true');
    await sleep(1000);
    return rssKiB();
}

async function memWindow(feeder: Feeder, enabled: boolean, rate: number, windowS: number): Promise<MemWindow> {
    await setEnabled(feeder, enabled);
    await feeder.ask(`rate ${rate}`, 'rate');
    await sleep(SETTLE_S * 1000);
    const startKiB = await gcRss();
    const samples: number[] = [];
    const t0 = performance.now();
    const deadline = t0 + windowS * 1000;
    while (performance.now() < deadline) {
        await sleep(Math.min(10_000, deadline - performance.now()));
        samples.push(rssKiB());
    }
    const seconds = (performance.now() - t0) / 1000;
    const endKiB = await gcRss();
    const w: MemWindow = {
        label: `${enabled ? 'enabled' : 'disabled'} @ ${rate}/s`, enabled, rate, seconds, startKiB, endKiB,
        growthKiB: endKiB - startKiB, peakKiB: Math.max(startKiB, ...samples), samples,
    };
    log(`${w.label}: RSS ${startKiB} -> ${endKiB} KiB (${w.growthKiB >= 0 ? '+' : ''}${w.growthKiB}) over ${round(seconds, 1)} s`);
    return w;
}

// ---- the run ---------------------------------------------------------------------------------
const {comm} = stat();
if (comm !== 'gnome-shell')
    throw new Error(`pid ${pid} is ${comm}, not gnome-shell`);
await shell.hideOverview();
await shell.clearNotifications();
const logStart = shell.log().lines;
const feeder = new Feeder();
await feeder.ask('status', 'status');
const cpu: CpuWindow[] = [];
const mem: MemWindow[] = [];
const clockSeconds = (on: boolean) =>
    shell.evalJs(`new imports.gi.Gio.Settings({schema_id: 'org.gnome.desktop.interface'}).set_boolean('clock-show-seconds', ${on}); true`);
try {
    log(`${session.shellVersion}, pid ${pid}, CLK_TCK ${hz}; windows: cpu 2 × ${CPU_S / 2} s, memory 2 × ${MEM_S / 2} s`);
    // A freshly started shell keeps settling (caches, the first collections) for a while: a
    // window right after start-up measured up to a whole percent more, whichever side it was.
    await setEnabled(feeder, true);
    await feeder.ask('rate 1', 'rate');
    await sleep(WARM_UP_S * 1000);
    // Each rate as off, on, on, off: a drift of the machine over the four windows cancels out.
    for (const rate of [1, 1000]) {
        for (const enabled of [false, true, true, false])
            cpu.push(await cpuWindow(feeder, enabled, rate, CPU_S / 2));
    }
    // The physical cost of one repaint a second on this renderer: the shell's own clock with
    // seconds, extension off. The elapsed-time label pays the same while recording.
    await clockSeconds(true);
    cpu.push({...await cpuWindow(feeder, false, 1, CPU_S / 2), label: 'clock-seconds'});
    await clockSeconds(false);
    for (const enabled of [true, false, false, true])
        mem.push(await memWindow(feeder, enabled, 100, MEM_S / 2));
} finally {
    await clockSeconds(false).catch(() => undefined);
    await feeder.ask('rate 0', 'rate').catch(() => undefined);
    await shell.enableExtension().catch(() => undefined);
    await feeder.stop();
}
const problems = shell.extensionLogProblems(logStart);
shell.close();

/** CPU % of a core over all windows of one kind, weighted by their lengths. */
function cpuOf(label: string): number {
    const windows = cpu.filter(w => w.label === label);
    const ticks = windows.reduce((n, w) => n + w.ticks, 0);
    const seconds = windows.reduce((n, w) => n + w.seconds, 0);
    return ticks / hz / seconds * 100;
}
const on = (rate: number) => cpuOf(`enabled @ ${rate}/s`);
const off = (rate: number) => cpuOf(`disabled @ ${rate}/s`);
const pct = (v: number) => `${round(v, 2)}%`;
const memGrowth = (enabled: boolean) => mem.filter(w => w.enabled === enabled).reduce((n, w) => n + w.growthKiB, 0);
const mib = (kib: number) => `${round(kib / 1024, 2)} MiB`;
const rows: Row[] = [
    ...([[1, 1], [1000, 3]] as const).map(([rate, target]): Row => ({
        bench: `4 shell CPU, ${session.version}`, measure: `gnome-shell CPU, ${rate} event/s, ${CPU_S} s, on − off`,
        value: `${pct(on(rate))} on`, floor: `${pct(off(rate))} off`,
        ratio: `+${pct(on(rate) - off(rate))} of a core`, target: `< ${target}%`, met: on(rate) - off(rate) < target,
    })),
    {
        bench: `4 shell CPU, ${session.version}`, measure: `one repaint a second: the shell's clock with seconds, extension off, ${CPU_S / 2} s`,
        value: `${pct(cpuOf('clock-seconds'))}`, floor: `${pct(off(1))} off`,
        ratio: `+${pct(cpuOf('clock-seconds') - off(1))} of a core`, target: '(info)', met: null,
    },
    {
        bench: `5 shell RSS, ${session.version}`, measure: `gnome-shell RSS growth, 100 event/s, ${MEM_S} s (post-GC)`,
        value: `${mib(memGrowth(true))} on`, floor: `${mib(memGrowth(false))} off`,
        ratio: `${mib(memGrowth(true) - memGrowth(false))} on − off`, target: '< 2 MiB',
        met: memGrowth(true) - memGrowth(false) < 2048,
    },
];
writePart(partsDir, {
    name: 'shell',
    title: `Real headless ${session.shellVersion}`,
    rows,
    details: {shellVersion: session.shellVersion, clkTck: hz, cpuS: CPU_S, memS: MEM_S, settleS: SETTLE_S, warmUpS: WARM_UP_S, cpu, mem,
        extensionLogProblems: problems.map(p => p.text)},
});
for (const row of rows)
    console.log(`${row.bench}  ${row.measure}: ${row.value}  ${row.floor}  ${row.ratio}`);
if (problems.length)
    console.log(`# the extension logged ${problems.length} problem(s) during the benchmark:\n${problems.map(p => p.text).join('\n')}`);
process.exit(0);
