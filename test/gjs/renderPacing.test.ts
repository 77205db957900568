// SPDX-License-Identifier: GPL-2.0-or-later
// How often the top bar renders a flood of events, in real gjs: each render is a compositor
// frame of the whole panel, so what nobody can read is shown about once a second.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {SimulatedDaemon} from '../../tools/sim/daemon.js';
import {PrivateBus} from '../support/systemdFake.js';
import {GjsClient, type Report} from './gjsClient.js';

interface Render extends Report {
    at: number;
    recording: boolean;
    label: string;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const isRender = (r: Report): r is Render => r.kind === 'render';

let dir: string;
let bus: PrivateBus;
const cleanups: Array<() => Promise<void> | void> = [];

beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swictation-pacing-'));
    bus = await PrivateBus.start(dir);
    cleanups.push(() => bus.stop());
});

afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse())
        await cleanup();
    rmSync(dir, {recursive: true, force: true});
});

describe('the top bar in a flood (gjs, real socket)', () => {
    it('shows a word count changing 400 times a second about once a second, then its last value', async () => {
        const daemon = new SimulatedDaemon({dir, metricsIntervalMs: 1000});
        cleanups.push(() => daemon.stop());
        await daemon.start();
        await daemon.toggle();
        const c = new GjsClient('build/gjs/viewClient.js', [join(dir, 'swictation_metrics.sock'), 'swictation-daemon.service', 'words'], {env: bus.env});
        cleanups.push(() => c.exit());
        c.send('start');
        await c.waitFor<Render>(r => isRender(r) && r.recording, 5000, 0);
        await sleep(1500);
        const from = c.mark();
        const start = Date.now();
        for (let i = 0; i < 40; i++) {
            daemon.burst(40);
            await sleep(100);
        }
        const during = c.reports.slice(from).filter(isRender).filter(r => r.at >= start + 1000);
        // Before: every 250 ms, the pace for a reader's changes.
        expect(during.length).toBeLessThanOrEqual(4);
        const words = daemon.snapshot().words;
        const last = await c.waitFor<Render>(r => isRender(r) && Number(r.label.replace(/\D/g, '')) === words, 2000, from);
        expect(last.recording).toBe(true);
    }, 30_000);
});
