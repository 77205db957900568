// SPDX-License-Identifier: GPL-2.0-or-later
// Benchmark 1, core throughput (Node): lines -> events -> state through SessionStore.ingestLine,
// against the floor of JSON.parse alone over the same lines, in the same process. Each workload
// is warmed up, then core and floor alternate for REPS repetitions; medians are reported.
//   node build/bench/core.mjs [parts-dir]
import {performance} from 'node:perf_hooks';
import {LineFramer} from '../src/core/lineFramer.js';
import {SessionStore} from '../src/core/sessionStore.js';
import {bigTranscriptionLines, describeMix, mixLines} from './lib/mix.js';
import {type Row, fmtRate, median, round, writePart} from './lib/stats.js';

const partsDir = process.argv[2] ?? 'build/bench/parts';
const REPS = 7;
const TARGET = 1.5;

let sink = 0;

function freshStore(): SessionStore {
    const store = new SessionStore({now: () => 0});
    // The extension's one subscriber only schedules a render; this one costs as little.
    store.subscribe(() => {
        sink++;
    });
    store.dispatch({type: 'connecting', at: 0, socketPath: '/run/user/1000/swictation_metrics.sock'});
    store.dispatch({type: 'connected', at: 0});
    return store;
}

function timeCore(lines: readonly string[]): number {
    const store = freshStore();
    const start = performance.now();
    for (let i = 0; i < lines.length; i++) {
        if (store.ingestLine(lines[i], i) !== null)
            sink++;
    }
    const ms = performance.now() - start;
    if (store.state.counters.events !== lines.length)
        throw new Error(`core: ${store.state.counters.events} events from ${lines.length} lines`);
    return ms;
}

function timeFloor(lines: readonly string[]): number {
    const start = performance.now();
    for (let i = 0; i < lines.length; i++) {
        const v = JSON.parse(lines[i]) as {type?: unknown};
        if (v.type === undefined)
            sink++;
    }
    return performance.now() - start;
}

/** The transport's whole pure path: 16 KiB byte chunks -> LineFramer -> ingestLines. */
function timeFramed(chunks: readonly Uint8Array[], expected: number): number {
    const store = freshStore();
    const framer = new LineFramer();
    const report = () => sink++;
    const start = performance.now();
    let at = 0;
    for (const chunk of chunks)
        store.ingestLines(framer.push(chunk), at++, report);
    const ms = performance.now() - start;
    if (store.state.counters.events !== expected)
        throw new Error(`framed: ${store.state.counters.events} events, expected ${expected}`);
    return ms;
}

/** Floor from bytes: a streaming UTF-8 decode of each chunk, split on "\n", JSON.parse. */
function timeFramedFloor(chunks: readonly Uint8Array[]): number {
    const decoder = new TextDecoder();
    const start = performance.now();
    let rest = '';
    for (const chunk of chunks) {
        const parts = (rest + decoder.decode(chunk, {stream: true})).split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) {
            const v = JSON.parse(line) as {type?: unknown};
            if (v.type === undefined)
                sink++;
        }
    }
    return performance.now() - start;
}

function byteChunks(lines: readonly string[], size = 16 * 1024): Uint8Array[] {
    const all = Buffer.from(lines.join(''), 'utf8');
    const out: Uint8Array[] = [];
    for (let i = 0; i < all.length; i += size)
        out.push(new Uint8Array(all.buffer, all.byteOffset + i, Math.min(size, all.length - i)));
    return out;
}

interface Result { core: number[]; floor: number[]; framed: number[]; framedFloor: number[] }

function run(name: string, withNewline: readonly string[]): {rows: Row[]; details: Record<string, unknown>} {
    const lines = withNewline.map(l => l.slice(0, -1));
    const chunks = byteChunks(withNewline);
    // Warm-up: let the JIT settle on every path before anything is timed.
    for (let i = 0; i < 2; i++) {
        timeFloor(lines);
        timeCore(lines);
        timeFramedFloor(chunks);
        timeFramed(chunks, lines.length);
    }
    const r: Result = {core: [], floor: [], framed: [], framedFloor: []};
    for (let i = 0; i < REPS; i++) {
        r.floor.push(timeFloor(lines));
        r.core.push(timeCore(lines));
        r.framedFloor.push(timeFramedFloor(chunks));
        r.framed.push(timeFramed(chunks, lines.length));
    }
    const core = median(r.core), floor = median(r.floor), framed = median(r.framed), framedFloor = median(r.framedFloor);
    const ratio = core / floor;
    const n = lines.length;
    const rows: Row[] = [
        {
            bench: `1 core, ${name}`, measure: 'ingestLine: parse + reduce (events/s)',
            value: fmtRate(n / core * 1000), floor: `${fmtRate(n / floor * 1000)} JSON.parse`,
            ratio: `${round(ratio, 2)}× time`, target: `≤ ${TARGET}×`, met: ratio <= TARGET,
        },
        {
            bench: `1 core, ${name}`, measure: '+ LineFramer from 16 KiB byte chunks, ingestLines (superseded metrics skipped)',
            value: fmtRate(n / framed * 1000), floor: `${fmtRate(n / framedFloor * 1000)} decode+split+parse`,
            ratio: `${round(framed / framedFloor, 2)}× time`, target: '(info)', met: null,
        },
    ];
    return {rows, details: {lines: describeMix(withNewline), medianMs: {core, floor, framed, framedFloor}, repsMs: r}};
}

const mix = run('mix', mixLines(200_000));
const big = run('4 KiB lines', bigTranscriptionLines(20_000));
writePart(partsDir, {
    name: 'core',
    title: 'Core throughput (Node)',
    rows: [...mix.rows, ...big.rows],
    details: {node: process.version, reps: REPS, mix: mix.details, big4k: big.details, sink},
});
for (const row of [...mix.rows, ...big.rows])
    console.log(`${row.bench.padEnd(22)} ${row.measure.padEnd(40)} ${row.value.padStart(10)}  floor ${row.floor.padEnd(20)} ${row.ratio}`);
