// SPDX-License-Identifier: GPL-2.0-or-later
// Small statistics and the shared results file format.
import {mkdirSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';

export function median(values: readonly number[]): number {
    return quantile(values, 0.5);
}

/** Linear-interpolated quantile, q in [0, 1]. */
export function quantile(values: readonly number[], q: number): number {
    if (values.length === 0)
        return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function round(value: number, digits = 3): number {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}

/** One benchmark's figures, written to build/bench/parts/NAME.json and merged by report.ts. */
export interface Part {
    name: string;
    title: string;
    /** Rows of the table: what was measured, its figure, the floor's, the ratio and the target. */
    rows: Row[];
    /** Everything else worth keeping (raw repetitions, environment). */
    details: Record<string, unknown>;
}

export interface Row {
    bench: string;
    measure: string;
    value: string;
    floor: string;
    ratio: string;
    target: string;
    /** null when there is no target for this row. */
    met: boolean | null;
}

export function writePart(dir: string, part: Part): void {
    const file = `${dir}/${part.name}.json`;
    mkdirSync(dirname(file), {recursive: true});
    writeFileSync(file, `${JSON.stringify(part, null, 2)}\n`);
}

export function fmtRate(perSecond: number): string {
    if (perSecond >= 1e6)
        return `${round(perSecond / 1e6, 2)} M/s`;
    if (perSecond >= 1e3)
        return `${round(perSecond / 1e3, 1)} k/s`;
    return `${round(perSecond, 1)} /s`;
}

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));
