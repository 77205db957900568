// SPDX-License-Identifier: GPL-2.0-or-later
// Benchmarks 4 and 5 (second half) in a real headless GNOME Shell: run by test/e2e/run.sh in
// place of the test scenarios (E2E_MAIN=bench/shell/main.ts), against the session it started.
// bench/feeder.mjs, run as the session's user, is the daemon: at its real pace (1 metrics/s,
// while dictating a segment every 0.7 s) or flooding the realistic mix. For each condition
// (real pace with the elapsed-time label, with no label, idle, with the menu open, a flood)
// the shell's CPU time (every thread's schedstat, in ns; this program runs in the harness's
// PID namespace, where the PIDs of session.json are valid), the stage's paints and the
// extension's actor property changes are counted over windows run off, on, on, off on one
// shell; the floor is the shell's own clock with seconds, extension off, run the same way. Its
// RSS over longer windows (on, off, off, on), after a full GC at both ends of each.
//   E2E_MAIN=bench/shell/main.ts BENCH_PARTS=DIR test/e2e/run.sh 48
// BENCH_CONDITIONS=pace-elapsed,clock runs only those; BENCH_MEM_S=0 skips the RSS windows;
// BENCH_LOOP_S=0 the main-loop iteration counts.
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process';
import {once} from 'node:events';
import {readFileSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createInterface} from 'node:readline';
import {Shell, sleep} from '../../test/e2e/driver.js';
import {setSetting} from '../../test/e2e/ui.js';
import {type Row, round, writePart} from '../lib/stats.js';

const partsDir = process.env.BENCH_PARTS ?? 'build/bench/parts';
const CPU_S = Number(process.env.BENCH_CPU_S ?? 60);
const MEM_S = Number(process.env.BENCH_MEM_S ?? 180);
const LOOP_S = Number(process.env.BENCH_LOOP_S ?? 10);
const SETTLE_S = 3;
const WARM_UP_S = 20;
const ACTIVE = 1;

const shell = await Shell.connect();
const session = shell.session;
const uuid = JSON.stringify(session.uuid);
const pid = findShell();
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

// CPU time of every thread of the shell, in ns (schedstat(5)): the ticks of /proc/PID/stat
// count 10 ms at a time, a tenth of what a 30 s window has to resolve. `raster`: Mesa's
// llvmpipe threads, the software rasterizer that stands in for a GPU here.
function cpuNs(): {all: number; raster: number} {
    const ns = {all: 0, raster: 0};
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
        try {
            const n = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
            ns.all += n;
            if (readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').startsWith('llvmpipe'))
                ns.raster += n;
        } catch {
            // The thread ended between the listing and the read.
        }
    }
    return ns;
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

/**
 * What a window runs under. `feed`: the feeder's command; `label`: the panel label setting;
 * `menu`: the menu is open during the enabled windows. `floor`: the extension stays off and the
 * windows compare, on the "on" side, the shell's clock with seconds ('clock': one repaint a
 * second) or a JS timeout that parses one metrics line a second ('js': the least any client
 * handling the daemon's 1 s metrics in the shell's JS can cost) against nothing.
 */
interface Condition { key: string; feed: string; label: 'elapsed' | 'none'; menu: boolean; floor?: 'clock' | 'js' }

// The measurement: a segment every 0.7 s (the daemon sends one every 1 to 5 s).
const SEGMENT_MS = 700;
const CONDITIONS: Condition[] = [
    {key: 'pace-elapsed', feed: `pace recording ${SEGMENT_MS}`, label: 'elapsed', menu: false},
    {key: 'pace-none', feed: `pace recording ${SEGMENT_MS}`, label: 'none', menu: false},
    {key: 'idle', feed: 'pace idle', label: 'elapsed', menu: false},
    {key: 'menu', feed: `pace recording ${SEGMENT_MS}`, label: 'elapsed', menu: true},
    {key: 'clock', feed: 'pace idle', label: 'elapsed', menu: false, floor: 'clock'},
    {key: 'js', feed: 'pace idle', label: 'elapsed', menu: false, floor: 'js'},
    {key: 'flood', feed: 'rate 1000', label: 'elapsed', menu: false},
];

interface CpuWindow {
    label: string; condition: string; on: boolean; seconds: number; cpuPercent: number; cpuNs: number; rasterNs: number;
    paints: number; updates: number | null; events: number | null;
}

// Counters inside the shell, installed once: the stage's paints, and property changes of the
// extension's actors (the button, its menu and everything in them) while a window runs.
const COUNTERS_JS = `(() => {
    const g = globalThis;
    if (!g.__swBench) {
        g.__swBench = {paints: 0, updates: 0, watched: []};
        g.__swBench.paintId = global.stage.connect('after-paint', () => { g.__swBench.paints++; });
    }
    return true;
})()`;
const paints = () => shell.evalJs<number>('globalThis.__swBench.paints');
const watchUpdates = () => shell.evalJs<number>(`(() => {
    const b = globalThis.__swBench;
    const button = Main.panel.statusArea[${uuid}];
    const actors = [];
    const walk = a => { actors.push(a); for (const c of a.get_children()) walk(c); };
    if (button) { walk(button); if (button.menu?.actor) walk(button.menu.actor); }
    b.updates = 0;
    b.watched = actors.map(a => [a, a.connect('notify', () => { b.updates++; })]);
    return actors.length;
})()`);
const unwatchUpdates = () => shell.evalJs<number>(`(() => {
    const b = globalThis.__swBench;
    for (const [a, id] of b.watched) a.disconnect(id);
    b.watched = [];
    return b.updates;
})()`);
const menuOpen = (open: boolean) =>
    shell.evalJs(`(() => { const m = Main.panel.statusArea[${uuid}]?.menu; if (m) ${open ? 'm.open(false)' : 'm.close(false)'}; return true; })()`);

async function enter(c: Condition, on: boolean): Promise<boolean> {
    const enabled = on && !c.floor;
    if (c.floor === 'clock')
        await clockSeconds(on);
    if (c.floor === 'js')
        await jsTimer(on);
    await setEnabled(feeder, enabled);
    if (enabled && c.menu) {
        await menuOpen(true);
        await shell.waitFor(`Main.panel.statusArea[${uuid}]?.menu?.isOpen === true`, 5000);
    }
    await sleep(SETTLE_S * 1000);
    return enabled;
}

async function cpuWindow(c: Condition, on: boolean, windowS: number): Promise<CpuWindow> {
    const enabled = await enter(c, on);
    const e0 = enabled ? await eventsSeen() : null;
    if (enabled)
        await watchUpdates();
    const p0 = await paints();
    const s0 = cpuNs();
    const t0 = performance.now();
    await sleep(windowS * 1000);
    const s1 = cpuNs();
    const seconds = (performance.now() - t0) / 1000;
    const p1 = await paints();
    const updates = enabled ? await unwatchUpdates() : null;
    const e1 = enabled ? await eventsSeen() : null;
    if (enabled && c.menu)
        await menuOpen(false);
    const w: CpuWindow = {
        label: `${c.key} ${on ? 'on' : 'off'}`, condition: c.key, on, seconds,
        cpuNs: s1.all - s0.all, cpuPercent: (s1.all - s0.all) / 1e7 / seconds, rasterNs: s1.raster - s0.raster,
        paints: p1 - p0, updates, events: e0 !== null && e1 !== null ? e1 - e0 : null,
    };
    log(`${w.label}: ${round(w.cpuPercent, 2)}% of a core (${round((w.cpuNs) / 1e6, 1)} ms in ${round(seconds, 1)} s, ` +
        `llvmpipe ${round(w.rasterNs / 1e6, 1)} ms), ` +
        `${round(w.paints / seconds, 2)} paints/s, ${w.updates === null ? '-' : round(w.updates / seconds, 2)} actor updates/s, ${w.events ?? '-'} events seen`);
    return w;
}

// Main-loop iterations a second: the ppoll calls of the shell's main thread, counted by strace
// in windows of their own, since tracing slows the shell.
async function loopWindow(c: Condition, on: boolean, windowS: number): Promise<LoopWindow> {
    const enabled = await enter(c, on);
    const out = join(tmpdir(), `swictation-strace-${c.key}-${on ? 'on' : 'off'}.txt`);
    const strace = spawn('strace', ['-c', '-e', 'trace=ppoll,poll', '-o', out, '-p', String(pid)], {stdio: 'ignore'});
    const t0 = performance.now();
    await sleep(windowS * 1000);
    strace.kill('SIGINT');
    await once(strace, 'exit');
    const seconds = (performance.now() - t0) / 1000;
    if (enabled && c.menu)
        await menuOpen(false);
    // strace -c rows: % time, seconds, usecs/call, calls, [errors,] syscall.
    const calls = readFileSync(out, 'utf8').split('\n').map(l => l.trim().split(/\s+/))
        .filter(f => /^p?poll$/.test(f[f.length - 1])).reduce((n, f) => n + Number(f[3]), 0);
    log(`${c.key} ${on ? 'on' : 'off'}: ${round(calls / seconds, 1)} main-loop iterations/s`);
    return {condition: c.key, on, perS: calls / seconds};
}

interface LoopWindow { condition: string; on: boolean; perS: number }

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
await shell.hideOverview();
await shell.clearNotifications();
const logStart = shell.log().lines;
const feeder = new Feeder();
await feeder.ask('status', 'status');
const cpu: CpuWindow[] = [];
const mem: MemWindow[] = [];
const loops: LoopWindow[] = [];
const clockSeconds = (on: boolean) =>
    shell.evalJs(`new imports.gi.Gio.Settings({schema_id: 'org.gnome.desktop.interface'}).set_boolean('clock-show-seconds', ${on}); true`);
const METRICS_LINE = JSON.stringify(JSON.stringify({type: 'metrics_update', state: 'idle', session_id: 7, segments: 2, words: 9,
    wpm: 120.5, duration_s: 4.5, latency_ms: 210, gpu_memory_mb: 1800, gpu_memory_percent: 22, cpu_percent: 3.5}));
const jsTimer = (on: boolean) => shell.evalJs(`(() => {
    const {GLib} = imports.gi; const g = globalThis;
    if (g.__swBenchTimer) GLib.source_remove(g.__swBenchTimer);
    g.__swBenchTimer = ${on} ? GLib.timeout_add(GLib.PRIORITY_DEFAULT, 1000, () => { g.__swBenchParsed = JSON.parse(${METRICS_LINE}); return GLib.SOURCE_CONTINUE; }) : 0;
    return true;
})()`);
const only = (process.env.BENCH_CONDITIONS ?? '').split(',').filter(Boolean);
try {
    log(`${session.shellVersion}, pid ${pid}; windows: cpu 2 × ${CPU_S / 2} s, memory 2 × ${MEM_S / 2} s`);
    await shell.evalJs(COUNTERS_JS);
    // A freshly started shell keeps settling (caches, the first collections) for a while: a
    // window right after start-up measured up to a whole percent more, whichever side it was.
    await setEnabled(feeder, true);
    await feeder.ask(`pace recording ${SEGMENT_MS}`, 'pace');
    await sleep(WARM_UP_S * 1000);
    // Each condition as off, on, on, off: a drift of the machine over the four windows cancels out.
    for (const c of CONDITIONS.filter(k => !only.length || only.includes(k.key))) {
        await setSetting(shell, session.uuid, 'panel-label', c.label);
        await feeder.ask(c.feed, c.feed.split(' ')[0]);
        for (const on of [false, true, true, false])
            cpu.push(await cpuWindow(c, on, CPU_S / 2));
        if (LOOP_S > 0) {
            for (const on of [false, true])
                loops.push(await loopWindow(c, on, LOOP_S));
        }
        await clockSeconds(false);
        await jsTimer(false);
    }
    await setSetting(shell, session.uuid, 'panel-label', 'elapsed');
    if (MEM_S > 0) {
        for (const enabled of [true, false, false, true])
            mem.push(await memWindow(feeder, enabled, 100, MEM_S / 2));
    }
} finally {
    await clockSeconds(false).catch(() => undefined);
    await jsTimer(false).catch(() => undefined);
    await feeder.ask('rate 0', 'rate').catch(() => undefined);
    await shell.enableExtension().catch(() => undefined);
    await feeder.stop();
}
const problems = shell.extensionLogProblems(logStart);
shell.close();

/** CPU % of a core, paints and actor updates a second, over all windows of one kind, weighted by their lengths. */
function of(condition: string, on: boolean): {cpu: number; raster: number; paints: number; updates: number | null} {
    const windows = cpu.filter(w => w.condition === condition && w.on === on);
    const sum = (f: (w: CpuWindow) => number) => windows.reduce((n, w) => n + f(w), 0);
    const seconds = sum(w => w.seconds);
    return {
        cpu: sum(w => w.cpuNs) / 1e7 / seconds,
        raster: sum(w => w.rasterNs) / 1e7 / seconds,
        paints: sum(w => w.paints) / seconds,
        updates: windows.every(w => w.updates !== null) ? sum(w => w.updates ?? 0) / seconds : null,
    };
}
const measured = (condition: string) => cpu.some(w => w.condition === condition);
const pct = (v: number) => `${round(v, 2)}%`;
const signed = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : '−'}${pct(Math.abs(v))}` : '–');
const times = (v: number, digits: number) => (Number.isFinite(v) ? `${round(v, digits)}×` : '–');
const perS = (v: number | null) => (v === null ? '–' : `${round(v, 2)}/s`);
const memGrowth = (enabled: boolean) => mem.filter(w => w.enabled === enabled).reduce((n, w) => n + w.growthKiB, 0);
const mib = (kib: number) => `${round(kib / 1024, 2)} MiB`;
const bench = `4 shell CPU, ${session.version}`;
const floorOf = (key: string) => (measured(key) ? of(key, true).cpu - of(key, false).cpu : NaN);
const clock = floorOf('clock');
const js = floorOf('js');
const iterations = (key: string) => {
    const on = loops.find(w => w.condition === key && w.on), off = loops.find(w => w.condition === key && !w.on);
    return on && off ? `${on.perS - off.perS >= 0 ? '+' : '−'}${round(Math.abs(on.perS - off.perS), 1)}/s` : '–';
};
const TITLES: Record<string, string> = {
    'pace-elapsed': `real pace, dictating (1 metrics/s, a segment every ${SEGMENT_MS / 1000} s), elapsed-time label`,
    'pace-none': 'real pace, dictating, no panel label',
    'idle': 'idle: connected, not recording, 1 metrics/s',
    'menu': 'real pace, dictating, menu open',
    'flood': '1,000 events/s (the mix)',
};
const rows: Row[] = [];
for (const c of CONDITIONS) {
    if (!measured(c.key))
        continue;
    const on = of(c.key, true), off = of(c.key, false);
    if (c.floor) {
        const what = c.floor === 'clock' ? 'the shell\'s clock with seconds (one repaint a second)'
            : 'a JS timeout parsing one metrics line a second (the least a client can cost)';
        rows.push({
            bench, measure: `floor: ${what}, extension off: on − off; paints/s on (off)`,
            value: `${signed(floorOf(c.key))} of a core; ${perS(on.paints)} (${perS(off.paints)})`, floor: `${pct(off.cpu)} off`,
            ratio: '–', target: '(floor)', met: null,
        });
        continue;
    }
    const overhead = on.cpu - off.cpu;
    const target = c.key === 'pace-elapsed' ? {text: '≤ 1.15× clock floor', met: overhead <= 1.15 * clock}
        : c.key === 'pace-none' ? {text: '≤ 0.1%', met: overhead <= 0.1}
        : c.key === 'idle' ? {text: '≤ 0.05%', met: overhead <= 0.05}
        : c.key === 'flood' ? {text: '< 2%', met: overhead < 2}
        : {text: '≤ 1%, ≤ 2 paints/s', met: overhead <= 1 && on.paints <= 2};
    rows.push({
        bench, measure: `${TITLES[c.key]}: on − off (of it llvmpipe); paints/s on (off); extension actor updates/s; main-loop iterations/s on − off`,
        value: `${signed(overhead)} of a core (${signed(on.raster - off.raster)}); ${perS(on.paints)} (${perS(off.paints)}); ${perS(on.updates)}; ${iterations(c.key)}`,
        floor: `${signed(clock)} clock, ${signed(js)} JS`,
        ratio: `${times(overhead / clock, 2)} clock, ${times(overhead / js, 1)} JS`, target: target.text, met: target.met,
    });
}
if (mem.length) {
    rows.push({
        bench: `5 shell RSS, ${session.version}`, measure: `gnome-shell RSS growth, 100 event/s, ${MEM_S} s (post-GC)`,
        value: `${mib(memGrowth(true))} on`, floor: `${mib(memGrowth(false))} off`,
        ratio: `${mib(memGrowth(true) - memGrowth(false))} on − off`, target: '< 2 MiB',
        met: memGrowth(true) - memGrowth(false) < 2048,
    });
}
writePart(partsDir, {
    name: 'shell',
    title: `Real headless ${session.shellVersion}`,
    rows,
    details: {shellVersion: session.shellVersion, segmentMs: SEGMENT_MS, cpuS: CPU_S, memS: MEM_S, settleS: SETTLE_S, warmUpS: WARM_UP_S, cpu, mem, loops,
        extensionLogProblems: problems.map(p => p.text)},
});
for (const row of rows)
    console.log(`${row.bench}  ${row.measure}: ${row.value}  ${row.floor}  ${row.ratio}`);
if (problems.length)
    console.log(`# the extension logged ${problems.length} problem(s) during the benchmark:\n${problems.map(p => p.text).join('\n')}`);
process.exit(0);
