// SPDX-License-Identifier: GPL-2.0-or-later
// Benchmark 2, transport throughput (GJS, real Unix socket): the simulator floods 200,000
// events of the realistic mix down its metrics socket to (a) the extension's client in GJS,
// (b) the floor: GJS reading the same bytes from the same kind of socket with the same stream
// class and discarding them, (c) socat -u UNIX-CONNECT:... /dev/null, a C-speed reader.
// Each reader is warmed up; then the three alternate for REPS floods; medians are reported.
// Times are taken in Node, from the first write of the flood to the reader's "done" (the GJS
// readers count events or bytes; socat's exit at end of stream). Then the daemon's own pace:
// PACE_RATE events a second, one write each, to each GJS reader in turn, and the CPU time the
// reader's process spent per event, on its main thread and on any other.
//   node build/bench/transport.mjs [parts-dir]
import {spawn, spawnSync} from 'node:child_process';
import {once} from 'node:events';
import {performance} from 'node:perf_hooks';
import {BenchDaemon, type GjsReader, GjsRunner, flood, paced, threadCpuNs} from './lib/harness.js';
import {describeMix, mixLines, toChunks} from './lib/mix.js';
import {type Row, fmtRate, median, round, sleep, writePart} from './lib/stats.js';

const partsDir = process.argv[2] ?? 'build/bench/parts';
const EVENTS = 200_000;
const REPS = 5;
const TARGET = 0.5;
const PACE_RATE = 5;
const PACE_S = 20;
const PACE_WARM_UP_S = 40;

// The pace windows go on from where the floods' mix ends, as a daemon's stream would.
const all = mixLines(EVENTS + 2 * PACE_RATE * (PACE_S + PACE_WARM_UP_S));
const lines = all.slice(0, EVENTS);
let paceFrom = EVENTS;
const chunks = toChunks(lines);
const bytes = chunks.reduce((n, c) => n + c.length, 0);
const warmLines = mixLines(40_000, 7);
const warm = toChunks(warmLines);
const warmBytes = warm.reduce((n, c) => n + c.length, 0);

const runner = new GjsRunner();
const daemon = new BenchDaemon(runner.dir);
await daemon.start();

async function timed(reader: GjsReader, sock: import('node:net').Socket, data: readonly Buffer[], amount: number) {
    await reader.ask(`expect ${amount}`, 'armed');
    const from = reader.messages.length;
    const t0 = performance.now();
    const done = reader.next('done', 300_000, from);
    await flood(sock, data);
    const d = await done;
    return {nodeMs: performance.now() - t0, gjsMs: d.ms as number, done: d};
}

const hasSocat = spawnSync('socat', ['-V'], {stdio: 'ignore'}).status === 0;
async function socat(data: readonly Buffer[]): Promise<number> {
    const known = daemon.clients();
    const child = spawn('socat', ['-u', `UNIX-CONNECT:${daemon.metricsPath}`, '/dev/null'], {stdio: 'ignore'});
    const exited = once(child, 'exit');
    const sock = await daemon.newClient(known);
    const t0 = performance.now();
    await flood(sock, data);
    sock.end();
    await exited;
    return performance.now() - t0;
}

const client = runner.reader('client', daemon.metricsPath);
await client.next('connected');
const clientSock = await daemon.newClient([]);
const raw = runner.reader('raw', daemon.metricsPath);
await raw.next('connected');
const rawSock = await daemon.newClient([clientSock]);

/** CPU µs per event while `sock` sends the mix one line a write at PACE_RATE. */
async function atPace(reader: GjsReader, sock: import('node:net').Socket, seconds = PACE_S): Promise<{main: number; others: number}> {
    const before = threadCpuNs(reader.pid);
    const next = all.slice(paceFrom, paceFrom += PACE_RATE * seconds);
    const sent = await paced(line => sock.write(line), next.map(l => Buffer.from(l)), PACE_RATE, seconds);
    await sleep(300);
    const after = threadCpuNs(reader.pid);
    return {main: (after.main - before.main) / 1000 / sent, others: (after.others - before.others) / 1000 / sent};
}

const reps = {client: [] as number[], clientInGjs: [] as number[], raw: [] as number[], rawInGjs: [] as number[], socat: [] as number[]};
let lastDone: Record<string, unknown> = {};
const pace = {client: {main: NaN, others: NaN}, raw: {main: NaN, others: NaN}};
try {
    await timed(client, clientSock, warm, warmLines.length);
    await timed(raw, rawSock, warm, warmBytes);
    if (hasSocat)
        await socat(warm);
    for (let i = 0; i < REPS; i++) {
        const c = await timed(client, clientSock, chunks, EVENTS);
        reps.client.push(c.nodeMs);
        reps.clientInGjs.push(c.gjsMs);
        lastDone = c.done;
        const r = await timed(raw, rawSock, chunks, bytes);
        reps.raw.push(r.nodeMs);
        reps.rawInGjs.push(r.gjsMs);
        if (hasSocat)
            reps.socat.push(await socat(chunks));
    }
    // The first ~200 events after the floods cost 1.5–2.5 ms each (the JIT warming up again): not counted.
    await atPace(client, clientSock, PACE_WARM_UP_S);
    pace.client = await atPace(client, clientSock);
    await atPace(raw, rawSock, PACE_WARM_UP_S);
    pace.raw = await atPace(raw, rawSock);
} finally {
    await client.exit();
    await raw.exit();
    await daemon.stop();
    runner.cleanup();
}

const counters = lastDone.counters as {malformedLines: number; fieldWarnings: number} | undefined;
if (!counters || counters.malformedLines !== 0)
    throw new Error(`the client saw malformed lines: ${JSON.stringify(lastDone)}`);

const c = median(reps.client), r = median(reps.raw), s = median(reps.socat);
const share = r / c; // client events/s as a share of the raw floor's
const mib = bytes / 1048576;
const rows: Row[] = [
    {
        bench: `2 transport, ${runner.root ? 'shell gjs' : 'host gjs'}`, measure: `client events/s (${EVENTS / 1000}k events, ${round(mib, 1)} MiB)`,
        value: fmtRate(EVENTS / c * 1000), floor: `${fmtRate(EVENTS / r * 1000)} raw read (${round(mib / r * 1000, 0)} MiB/s)`,
        ratio: `${round(share * 100, 0)}% of floor`, target: `≥ ${TARGET * 100}%`, met: share >= TARGET,
    },
];
rows.push({
    bench: `2 transport, ${runner.root ? 'shell gjs' : 'host gjs'}`, measure: `CPU per event at ${PACE_RATE} events/s, one write each: main thread + other threads`,
    value: `${round(pace.client.main, 0)} + ${round(pace.client.others, 0)} µs`,
    floor: `${round(pace.raw.main, 0)} + ${round(pace.raw.others, 0)} µs raw read`,
    ratio: `${round((pace.client.main + pace.client.others) / (pace.raw.main + pace.raw.others), 2)}× time`, target: '(info)', met: null,
});
if (hasSocat) {
    rows.push({
        bench: `2 transport, ${runner.root ? 'shell gjs' : 'host gjs'}`, measure: 'same, against socat (C reader)',
        value: fmtRate(EVENTS / c * 1000), floor: `${fmtRate(EVENTS / s * 1000)} socat (${round(mib / s * 1000, 0)} MiB/s)`,
        ratio: `${round(s / c * 100, 1)}% of floor`, target: '(info)', met: null,
    });
}
writePart(partsDir, {
    name: 'transport',
    title: 'Transport throughput (GJS, Unix socket)',
    rows,
    details: {
        gjs: runner.version, events: EVENTS, bytes, reps: REPS,
        mix: describeMix(lines), medianMs: {client: c, raw: r, socat: s}, repsMs: reps, lastClientReport: lastDone, paceCpuUsPerEvent: pace,
        socat: hasSocat ? 'socat -u UNIX-CONNECT:PATH /dev/null' : 'not installed (apt-get install socat)',
    },
});
for (const row of rows)
    console.log(`${row.bench}  ${row.measure}: ${row.value}  floor ${row.floor}  ${row.ratio}`);
