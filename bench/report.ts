// SPDX-License-Identifier: GPL-2.0-or-later
// Merges the parts the benchmarks wrote into bench/results.json and prints the table (also as
// markdown in build/bench/table.md, for the README).
//   node build/bench/report.mjs PARTS_DIR OUT_JSON [STEPS_FILE]
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {cpus, totalmem} from 'node:os';
import {join} from 'node:path';
import type {Part, Row} from './lib/stats.js';

const [partsDir = 'build/bench/parts', outJson = 'bench/results.json', stepsFile] = process.argv.slice(2);
const ORDER = ['core', 'transport', 'stalls', 'shell', 'memory-gjs'];

const parts: Part[] = existsSync(partsDir)
    ? readdirSync(partsDir).filter(f => f.endsWith('.json')).map(f => JSON.parse(readFileSync(join(partsDir, f), 'utf8')) as Part)
    : [];
parts.sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
// "name seconds status" per line, written by bench/run.sh.
const steps = stepsFile && existsSync(stepsFile)
    ? readFileSync(stepsFile, 'utf8').trim().split('\n').filter(Boolean).map(l => {
        const [name, seconds, status] = l.split(' ');
        return {name, seconds: Number(seconds), status};
    })
    : [];
const wallS = Number(process.env.BENCH_WALL_S ?? NaN);
const missing = steps.filter(s => s.status !== 'ok').map(s => s.name);

const rows: Row[] = parts.flatMap(p => p.rows);
const mark = (r: Row) => r.met === null ? '' : r.met ? 'met' : 'MISSED';
const header = ['benchmark', 'measure', 'value', 'floor / baseline', 'ratio', 'target', ''];
const cells = rows.map(r => [r.bench, r.measure, r.value, r.floor, r.ratio, r.target, mark(r)]);

const widths = header.map((h, i) => Math.max(h.length, ...cells.map(c => c[i].length)));
const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
console.log(line(header));
console.log(widths.map(w => '-'.repeat(w)).join('  '));
cells.forEach(c => console.log(line(c)));
const md = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...cells.map(c => `| ${c.join(' | ')} |`)].join('\n');
writeFileSync('build/bench/table.md', `${md}\n`);

const cpu = cpus();
const gjsVersion = (() => {
    try {
        return execFileSync('gjs', ['--version'], {encoding: 'utf8'}).trim();
    } catch {
        return null;
    }
})();
const results = {
    date: new Date().toISOString(),
    machine: {cpu: cpu[0]?.model ?? '?', cores: cpu.length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, hostGjs: gjsVersion},
    wallSeconds: Number.isFinite(wallS) ? Math.round(wallS) : null,
    steps,
    missing,
    summary: {met: rows.filter(r => r.met === true).length, missed: rows.filter(r => r.met === false).length},
    rows,
    parts: Object.fromEntries(parts.map(p => [p.name, {title: p.title, details: p.details}])),
};
writeFileSync(outJson, `${JSON.stringify(results, null, 2)}\n`);
console.log('');
console.log(`${results.summary.met} targets met, ${results.summary.missed} missed${missing.length ? `; FAILED steps: ${missing.join(', ')}` : ''}.`);
if (steps.length)
    console.log(`Steps: ${steps.map(s => `${s.name} ${Math.round(s.seconds)} s${s.status === 'ok' ? '' : ` (${s.status})`}`).join(', ')}.`);
if (results.wallSeconds !== null)
    console.log(`Total wall time: ${Math.floor(results.wallSeconds / 60)} min ${results.wallSeconds % 60} s. Written: ${outJson}, build/bench/table.md.`);
