// SPDX-License-Identifier: GPL-2.0-or-later
// Benchmark 3, main-loop stalls (GJS): the simulator broadcasts the realistic mix at 1,000
// events/s, one write per event, to two GJS processes at once: the extension's client and the
// floor (the raw reader: same stream class, same reads, bytes discarded). After a warm-up, for
// WINDOW_S seconds each process times, on its own main loop, every callback the client runs:
//  - the fill_async callback (finish the read, take the bytes, resolve the promise);
//  - the promise job's _ingest that follows it (framer, parse, reduce, listeners);
//  - the coalesced render (present()), as services/controller.ts schedules it (the widgets' part of
//    a render needs a shell: benchmark 4 covers it);
//  and the lateness of a 1 ms GLib timeout: every stall, GC and OS scheduling included.
//   node build/bench/stalls.mjs [parts-dir]
import {BenchDaemon, GjsRunner, paced} from './lib/harness.js';
import {mixLines} from './lib/mix.js';
import {type Row, round, writePart} from './lib/stats.js';

const partsDir = process.argv[2] ?? 'build/bench/parts';
const RATE = 1000;
const WARMUP_S = 3;
const WINDOW_S = Number(process.env.BENCH_STALLS_S ?? 30);
const TARGET_MAX_MS = 4;
const TARGET_P99_MS = 1;

const lines = mixLines(60_000, 11).map(l => Buffer.from(l, 'utf8'));
const runner = new GjsRunner();
const daemon = new BenchDaemon(runner.dir);
await daemon.start();
const client = runner.reader('client', daemon.metricsPath, ['--instrument']);
const raw = runner.reader('raw', daemon.metricsPath, ['--instrument']);

interface Summary { n: number; maxMs: number; p99Ms: number; p999Ms: number; medianMs: number; totalMs: number }
let c: Record<string, Summary> & {events: number; chunks: number};
let r: Record<string, Summary> & {chunks: number};
let sent = 0;
try {
    await client.next('connected');
    await raw.next('connected');
    await daemon.newClient([]);
    while (daemon.clients().length < 2)
        await new Promise(resolve => setTimeout(resolve, 10));
    const broadcast = (line: Buffer) => void daemon.sim.writeRaw(line);
    await paced(broadcast, lines, RATE, WARMUP_S);
    await client.ask('stalls-start', 'stalls-started');
    await raw.ask('stalls-start', 'stalls-started');
    sent = await paced(broadcast, lines, RATE, WINDOW_S);
    await new Promise(resolve => setTimeout(resolve, 200));
    c = await client.ask('stalls-stop', 'stalls') as unknown as typeof c;
    r = await raw.ask('stalls-stop', 'stalls') as unknown as typeof r;
} finally {
    await client.exit();
    await raw.exit();
    await daemon.stop();
    runner.cleanup();
}

const ms = (v: number) => `${round(v, 3)} ms`;
const who = runner.root ? 'shell gjs' : 'host gjs';
const rows: Row[] = [
    {
        bench: `3 stalls, ${who}`, measure: `longest client callback (read cb, ingest or render), ${RATE}/s × ${WINDOW_S} s`,
        value: ms(c.all.maxMs), floor: `${ms(r.readCallback.maxMs)} raw read cb`,
        ratio: `${round(c.all.maxMs / r.readCallback.maxMs, 1)}×`, target: `< ${TARGET_MAX_MS} ms`, met: c.all.maxMs < TARGET_MAX_MS,
    },
    {
        bench: `3 stalls, ${who}`, measure: 'p99 client callback',
        value: ms(c.all.p99Ms), floor: `${ms(r.readCallback.p99Ms)} raw read cb`,
        ratio: `${round(c.all.p99Ms / r.readCallback.p99Ms, 1)}×`, target: `< ${TARGET_P99_MS} ms`, met: c.all.p99Ms < TARGET_P99_MS,
    },
    {
        bench: `3 stalls, ${who}`, measure: 'read cb + ingest per chunk, max / p99',
        value: `${ms(c.perChunk.maxMs)} / ${ms(c.perChunk.p99Ms)}`, floor: '–', ratio: '–', target: '(info)', met: null,
    },
    {
        bench: `3 stalls, ${who}`, measure: '1 ms timer lateness max / p99 (GC, OS incl.)',
        value: `${ms(c.lateness.maxMs)} / ${ms(c.lateness.p99Ms)}`, floor: `${ms(r.lateness.maxMs)} / ${ms(r.lateness.p99Ms)} raw`,
        ratio: '–', target: '(info)', met: null,
    },
];
writePart(partsDir, {
    name: 'stalls',
    title: 'Main-loop stalls (GJS)',
    rows,
    details: {gjs: runner.version, rate: RATE, windowS: WINDOW_S, warmupS: WARMUP_S, sent, client: c, raw: r},
});
for (const row of rows)
    console.log(`${row.bench}  ${row.measure}: ${row.value}  floor ${row.floor}`);
