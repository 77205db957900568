// SPDX-License-Identifier: GPL-2.0-or-later
// The systemd transport (src/transport/systemdUnit.ts) run by real `gjs` against a fake systemd
// user manager on a private session bus; a started unit runs the bundled simulator.
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {FakeSystemd, type FakeUnitConfig, PrivateBus} from '../support/systemdFake.js';
import {GjsClient, type Report} from './gjsClient.js';

const DRIVER = 'build/gjs/systemdClient.js';
const DAEMON = 'swictation-daemon.service';

let dir: string;
let bus: PrivateBus;
let fake: FakeSystemd | null = null;
let client: GjsClient | null = null;

interface Status extends Report {
    status: string;
    loadState?: string;
    activeState?: string;
    subState?: string;
    unitFileState?: string;
    activeEnterMonotonicUs?: number;
    error?: string;
}

const statusOf = (r: Report): Status | null => (r.kind === 'status' ? r as Status : null);

function simulator(extra: string[] = []): string[] {
    return [process.execPath, 'build/tools/simulator.mjs', '--dir', dir, '--script', 'none', '--quiet', ...extra];
}

async function startFake(units: Record<string, FakeUnitConfig>): Promise<FakeSystemd> {
    fake = await FakeSystemd.start(units, {env: bus.env});
    return fake;
}

function startClient(unit = DAEMON): GjsClient {
    client = new GjsClient(DRIVER, [unit], {env: bus.env});
    client.send('start');
    return client;
}

function waitStatus(c: GjsClient, pred: (s: Status) => boolean, timeoutMs = 5000, from = 0): Promise<Status> {
    return c.waitFor<Status>(r => {
        const s = statusOf(r);
        return s !== null && pred(s);
    }, timeoutMs, from);
}

function waitResult(c: GjsClient, action: string, from: number, timeoutMs = 10_000): Promise<Report & {ok: boolean; error?: string}> {
    return c.waitFor(r => r.kind === 'result' && r.action === action, timeoutMs, from) as Promise<Report & {ok: boolean; error?: string}>;
}

beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swictation-systemd-'));
    bus = await PrivateBus.start(dir);
});

afterEach(async () => {
    await client?.exit();
    client = null;
    await fake?.quit();
    fake = null;
    await bus.stop();
    rmSync(dir, {recursive: true, force: true});
});

describe('systemd user manager over D-Bus (gjs, private bus, fake manager)', () => {
    it('starts the unit with mode "replace"; the daemon comes up after its start delay', async () => {
        const f = await startFake({[DAEMON]: {exec: simulator(), startDelayMs: 400}});
        const c = startClient();
        const stopped = await waitStatus(c, s => s.status === 'unit');
        expect(stopped).toMatchObject({loadState: 'loaded', activeState: 'inactive', unitFileState: 'enabled'});
        expect(f.calls('Subscribe').length).toBe(1);

        const mark = c.mark();
        c.send('run start');
        await waitStatus(c, s => s.activeState === 'activating', 5000, mark);
        const result = await waitResult(c, 'start', mark);
        expect(result.ok).toBe(true);
        const active = await waitStatus(c, s => s.activeState === 'active', 5000, mark);
        expect(active.subState).toBe('running');
        expect(active.activeEnterMonotonicUs).toBeGreaterThan(0);
        expect(f.calls('StartUnit')).toEqual([[DAEMON, 'replace']]);
        // The unit ran the simulator: its sockets are there.
        const deadline = Date.now() + 5000;
        while (!existsSync(join(dir, 'swictation.sock')) && Date.now() < deadline)
            await new Promise(r => setTimeout(r, 50));
        expect(existsSync(join(dir, 'swictation_metrics.sock'))).toBe(true);

        const stopMark = c.mark();
        c.send('run stop');
        expect((await waitResult(c, 'stop', stopMark)).ok).toBe(true);
        await waitStatus(c, s => s.activeState === 'inactive', 5000, stopMark);
        expect(f.calls('StopUnit')).toEqual([[DAEMON, 'replace']]);
    });

    it('restarts a failed unit', async () => {
        const f = await startFake({[DAEMON]: {active: 'failed', exec: simulator()}});
        const c = startClient();
        await waitStatus(c, s => s.activeState === 'failed');
        const mark = c.mark();
        c.send('run restart');
        expect((await waitResult(c, 'restart', mark)).ok).toBe(true);
        await waitStatus(c, s => s.activeState === 'active', 5000, mark);
        expect(f.calls('RestartUnit')).toEqual([[DAEMON, 'replace']]);
    });

    it('reports a start job that fails, in words, and the unit as failed', async () => {
        await startFake({[DAEMON]: {failJob: true, startDelayMs: 100}});
        const c = startClient();
        await waitStatus(c, s => s.activeState === 'inactive');
        const mark = c.mark();
        c.send('run start');
        const result = await waitResult(c, 'start', mark);
        expect(result).toMatchObject({ok: false, error: 'the daemon could not be started'});
        await waitStatus(c, s => s.activeState === 'failed' && s.subState === 'failed', 5000, mark);
        expect(c.logs('warn').some(l => l.includes('start failed: the daemon could not be started'))).toBe(true);
    });

    it('follows a daemon that dies: the unit turns failed without being asked', async () => {
        const f = await startFake({[DAEMON]: {exec: simulator()}});
        const c = startClient();
        await waitStatus(c, s => s.activeState === 'inactive');
        c.send('run start');
        await waitStatus(c, s => s.activeState === 'active');
        const mark = c.mark();
        f.command({cmd: 'kill', unit: DAEMON});
        await waitStatus(c, s => s.activeState === 'failed', 5000, mark);
    });

    it('says a unit that is not installed is not-found, and a start of it fails in words', async () => {
        await startFake({});
        const c = startClient();
        const s = await waitStatus(c, st => st.status === 'unit');
        expect(s.loadState).toBe('not-found');
        const mark = c.mark();
        c.send('run start');
        expect(await waitResult(c, 'start', mark)).toMatchObject({ok: false, error: `${DAEMON} is not installed`});
    });

    it('says so, once, when no systemd manager is on the bus, and picks one up when it appears', async () => {
        const c = startClient();
        await waitStatus(c, s => s.status === 'no-systemd');
        expect(c.logs('info').filter(l => l.includes('no systemd user manager')).length).toBe(1);
        const mark = c.mark();
        const f = await startFake({[DAEMON]: {}});
        await waitStatus(c, s => s.status === 'unit' && s.activeState === 'inactive', 5000, mark);
        const gone = c.mark();
        await f.quit();
        fake = null;
        await waitStatus(c, s => s.status === 'no-systemd', 5000, gone);
    });

    it('enables and disables the unit (start at login), reloading systemd after each', async () => {
        const f = await startFake({[DAEMON]: {fileState: 'enabled'}});
        const c = startClient();
        await waitStatus(c, s => s.unitFileState === 'enabled');
        let mark = c.mark();
        c.send('enable off');
        expect((await waitResult(c, 'enable off', mark)).ok).toBe(true);
        await waitStatus(c, s => s.unitFileState === 'disabled', 5000, mark);
        expect(f.calls('DisableUnitFiles')).toEqual([[[DAEMON], false]]);
        mark = c.mark();
        c.send('enable on');
        expect((await waitResult(c, 'enable on', mark)).ok).toBe(true);
        await waitStatus(c, s => s.unitFileState === 'enabled', 5000, mark);
        expect(f.calls('EnableUnitFiles')).toEqual([[[DAEMON], false, false]]);
        expect(f.calls('Reload').length).toBe(2);
    });

    it('follows another unit when the setting changes (the UI unit)', async () => {
        await startFake({[DAEMON]: {}, 'swictation-ui.service': {active: 'active', fileState: 'static'}});
        const c = startClient();
        await waitStatus(c, s => s.activeState === 'inactive');
        const mark = c.mark();
        c.send('unit swictation-ui.service');
        const ui = await waitStatus(c, s => s.activeState === 'active', 5000, mark);
        expect(ui.unitFileState).toBe('static');
    });

    it('stops listening when stopped: no report after stop()', async () => {
        const f = await startFake({[DAEMON]: {}});
        const c = startClient();
        await waitStatus(c, s => s.activeState === 'inactive');
        c.send('stop');
        await c.waitFor(r => r.kind === 'stopped');
        const mark = c.mark();
        f.command({cmd: 'set', unit: DAEMON, active: 'failed'});
        await f.waitFor(r => r.kind === 'done');
        await new Promise(r => setTimeout(r, 500));
        expect(c.reports.slice(mark).filter(r => r.kind === 'status')).toEqual([]);
    });
});
