// SPDX-License-Identifier: GPL-2.0-or-later
// Benchmark 5, first half (GJS): the client's RSS after 1,000,000 events minus after 10,000,
// both read from /proc right after a full GC (System.gc()), with the raw reader's growth over
// the same bytes as the floor. The stream is the realistic mix, flooded with back-pressure.
// RSS after a second million events tells a leak (still growing) from the allocator's
// high-water mark (flat).
//   node build/bench/memory.mjs [parts-dir]
import type * as net from 'node:net';
import {BenchDaemon, type GjsReader, GjsRunner, flood, rssKiB} from './lib/harness.js';
import {mixLines, toChunks} from './lib/mix.js';
import {type Row, round, writePart} from './lib/stats.js';

const partsDir = process.argv[2] ?? 'build/bench/parts';
const FIRST = 10_000;
const TOTAL = 1_000_000;
const TARGET_MIB = 2;

const mix = mixLines(200_000, 5);
const head = toChunks(mix.slice(0, FIRST));
const rest = toChunks(mix.slice(FIRST));
const whole = toChunks(mix);
const byteLength = (chunks: readonly Buffer[]) => chunks.reduce((n, c) => n + c.length, 0);
// 10,000 + 190,000 + 4 × 200,000 = 1,000,000 events; then 5 × 200,000 more.
const toMillion: Buffer[] = [...rest, ...whole, ...whole, ...whole, ...whole];
const nextMillion: Buffer[] = [...whole, ...whole, ...whole, ...whole, ...whole];

const runner = new GjsRunner();
const daemon = new BenchDaemon(runner.dir);
await daemon.start();

interface Point { events: number; rssKiB: number; rssBeforeGcKiB: number }

async function measure(mode: 'client' | 'raw', known: net.Socket[]): Promise<{points: Point[]; sock: net.Socket}> {
    const reader = runner.reader(mode, daemon.metricsPath);
    const points: Point[] = [];
    try {
        await reader.next('connected');
        const sock = await daemon.newClient(known);
        let events = 0;
        const feed = async (r: GjsReader, chunks: readonly Buffer[], n: number) => {
            await r.ask(`expect ${mode === 'raw' ? byteLength(chunks) : n}`, 'armed');
            const done = r.next('done', 300_000, r.messages.length);
            await flood(sock, chunks);
            await done;
            events += n;
            const rssBeforeGcKiB = rssKiB(r.pid);
            await r.ask('gc', 'gc');
            points.push({events, rssKiB: rssKiB(r.pid), rssBeforeGcKiB});
        };
        try {
            await feed(reader, head, FIRST);
            await feed(reader, toMillion, TOTAL - FIRST);
            await feed(reader, nextMillion, TOTAL);
        } catch (e) {
            await new Promise(resolve => setTimeout(resolve, 500));
            throw new Error(`${mode}: ${(e as Error).message}; last messages ${JSON.stringify(reader.messages.slice(-4))}; stderr ${reader.stderr.slice(-5).join(' | ')}`);
        }
        return {points, sock};
    } finally {
        await reader.exit();
    }
}

let client: Point[], raw: Point[];
try {
    const c = await measure('client', []);
    client = c.points;
    raw = (await measure('raw', [c.sock])).points;
} finally {
    await daemon.stop();
    runner.cleanup();
}

const mib = (kib: number) => Math.abs(kib) < 1024 ? `${Math.round(kib)} KiB` : `${round(kib / 1024, 1)} MiB`;
const growth = (p: Point[], from: number, to: number) => p[to].rssKiB - p[from].rssKiB;
const who = runner.root ? 'shell gjs' : 'host gjs';
const rows: Row[] = [
    {
        bench: `5 memory, ${who}`, measure: 'client RSS after 1M events − after 10k (flood, post-GC)',
        value: mib(growth(client, 0, 1)), floor: `${mib(growth(raw, 0, 1))} raw reader`,
        ratio: `${mib(growth(client, 0, 1) - growth(raw, 0, 1))} vs floor`, target: `< ${TARGET_MIB} MiB`,
        met: growth(client, 0, 1) < TARGET_MIB * 1024,
    },
    {
        bench: `5 memory, ${who}`, measure: 'client RSS after 2M events − after 1M',
        value: mib(growth(client, 1, 2)), floor: `${mib(growth(raw, 1, 2))} raw reader`,
        ratio: '–', target: '(info: flat = no leak)', met: null,
    },
];
writePart(partsDir, {
    name: 'memory-gjs',
    title: 'GJS client memory',
    rows,
    details: {gjs: runner.version, client, raw},
});
for (const row of rows)
    console.log(`${row.bench}  ${row.measure}: ${row.value}  floor ${row.floor}`);
