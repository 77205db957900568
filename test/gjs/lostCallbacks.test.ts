// SPDX-License-Identifier: GPL-2.0-or-later
// What the top bar runs (transport, toggle command, unit service, paced render and seconds
// ticker) in real gjs while every callback of the extension is lost for 6 s, as GJS 1.80 loses
// them during a garbage collection: within 3 s of the pause's end it shows the truth again.
// And how often it renders a flood: each render is a frame of the whole panel.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {SimulatedDaemon} from '../../tools/sim/daemon.js';
import {FakeSystemd, PrivateBus} from '../support/systemdFake.js';
import {GjsClient, type Report} from './gjsClient.js';

const DRIVER = 'build/gjs/viewClient.js';
const UNIT = 'swictation-daemon.service';
const PAUSE_MS = 6000;
const BACK_WITHIN_MS = 3000;

interface Render extends Report {
    at: number;
    recording: boolean;
    title: string;
    label: string;
    note: string | null;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

let dir: string;
let bus: PrivateBus;
const cleanups: Array<() => Promise<void> | void> = [];

beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swictation-lost-'));
    bus = await PrivateBus.start(dir);
    cleanups.push(() => bus.stop());
});

afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse())
        await cleanup();
    rmSync(dir, {recursive: true, force: true});
});

function startClient(panelLabel = 'elapsed'): GjsClient {
    const c = new GjsClient(DRIVER, [join(dir, 'swictation_metrics.sock'), UNIT, panelLabel], {env: bus.env});
    cleanups.push(() => c.exit());
    c.send('start');
    return c;
}

function waitRender(c: GjsClient, pred: (r: Render) => boolean, timeoutMs: number, from: number): Promise<Render> {
    return c.waitFor<Render>(r => r.kind === 'render' && pred(r as Render), timeoutMs, from);
}

async function recordingClient(panelLabel?: string): Promise<{daemon: SimulatedDaemon; c: GjsClient}> {
    const daemon = new SimulatedDaemon({dir, metricsIntervalMs: 1000});
    cleanups.push(() => daemon.stop());
    await daemon.start();
    await daemon.toggle();
    const c = startClient(panelLabel);
    await waitRender(c, r => r.recording, 5000, 0);
    await sleep(1500);
    return {daemon, c};
}

/** Pauses the client's callbacks for PAUSE_MS; resolves with the mark and time of its end. */
async function pause(c: GjsClient, during: () => Promise<unknown> = async () => {}): Promise<{mark: number; at: number}> {
    const from = c.mark();
    c.send(`pause ${PAUSE_MS}`);
    await sleep(1000);
    await during();
    const resumed = await c.waitFor<Report & {at: number}>(r => r.kind === 'resumed', PAUSE_MS + 5000, from);
    return {mark: c.reports.indexOf(resumed), at: resumed.at};
}

describe('a 6 s pause in which GJS loses every callback of the extension (gjs, real socket)', () => {
    it('shows the end of a recording that stopped in the pause, then a new one, and its time ticks', async () => {
        const {daemon, c} = await recordingClient();
        const ended = await pause(c, () => daemon.toggle());
        // Before: the lost render left its source id set, and no render ever came again.
        const idle = await waitRender(c, r => !r.recording, BACK_WITHIN_MS, ended.mark);
        console.log(`# idle shown ${idle.at - ended.at} ms after the pause`);
        await daemon.toggle();
        const again = await waitRender(c, r => r.recording, BACK_WITHIN_MS, c.mark());
        // Before: the lost seconds tick left the elapsed time frozen.
        const later = await waitRender(c, r => r.recording && r.label !== again.label && r.label !== '0:00', BACK_WITHIN_MS, c.mark());
        expect(later.label).toMatch(/^0:0[1-4]$/);
    }, 40_000);

    it('keeps ticking the elapsed time of a recording that goes on through the pause', async () => {
        const {c} = await recordingClient();
        const ended = await pause(c);
        const first = await waitRender(c, r => r.recording, BACK_WITHIN_MS, ended.mark);
        const next = await waitRender(c, r => r.recording && r.label !== first.label, 1500, c.mark());
        console.log(`# ticking again ${first.at - ended.at} ms after the pause: ${first.label}, ${next.label}`);
        expect(next.at).toBeGreaterThan(first.at);
    }, 40_000);

    it('toggles again after a toggle whose reply was lost in the pause', async () => {
        const {daemon, c} = await recordingClient();
        const ended = await pause(c, async () => {
            c.send('toggle');
            await sleep(500);
        });
        const toggles = daemon.toggleCount;
        // A read lost in the pause turns the connection stale: it reconnects first.
        await waitRender(c, r => r.title === 'Idle', BACK_WITHIN_MS + 5000, ended.mark);
        // Before: the request never settled, and every later toggle was ignored as in flight.
        c.send('toggle');
        await waitRender(c, r => r.recording, BACK_WITHIN_MS, c.mark());
        expect(daemon.toggleCount).toBe(toggles + 1);
    }, 40_000);

    it('finishes a start-then-toggle whose waits were lost in the pause, and toggles after it', async () => {
        const simulator = [process.execPath, 'build/tools/simulator.mjs', '--dir', dir, '--script', 'none', '--quiet'];
        const fake = await FakeSystemd.start({[UNIT]: {exec: simulator, startDelayMs: 1500}}, {env: bus.env});
        cleanups.push(() => fake.quit());
        const c = startClient();
        await waitRender(c, r => !r.recording && r.title !== 'Connecting…', 5000, 0);
        const ended = await pause(c, async () => {
            c.send('toggle can-start');
            await sleep(200);
        });
        // Before: the wait's lost tick kept the sequence active for good, ignoring every toggle.
        const recording = await waitRender(c, r => r.recording, BACK_WITHIN_MS, ended.mark);
        console.log(`# started and recording ${recording.at - ended.at} ms after the pause`);
        c.send('toggle');
        await waitRender(c, r => !r.recording, BACK_WITHIN_MS, c.mark());
    }, 40_000);
});

describe('the top bar in a flood (gjs, real socket)', () => {
    it('shows a word count changing 400 times a second about once a second, then its last value', async () => {
        const {daemon, c} = await recordingClient('words');
        const from = c.mark();
        const start = Date.now();
        for (let i = 0; i < 40; i++) {
            daemon.burst(40);
            await sleep(100);
        }
        // At a reader's pace (every 250 ms) the last 3 s would render 12 times.
        const during = c.reports.slice(from).filter(r => r.kind === 'render' && (r as Render).at >= start + 1000);
        expect(during.length).toBeLessThanOrEqual(4);
        const words = daemon.snapshot().words;
        const last = await waitRender(c, r => Number(r.label.replace(/\D/g, '')) === words, 2000, from);
        expect(last.recording).toBe(true);
    }, 30_000);
});
