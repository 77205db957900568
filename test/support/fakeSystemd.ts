// SPDX-License-Identifier: GPL-2.0-or-later
// A private session bus (`dbus-daemon --session`) and the fake systemd user manager
// (test/gjs/drivers/fakeSystemd.ts) on it, for the GJS integration tests.
import {type ChildProcess, spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {join} from 'node:path';

import {GjsClient} from '../gjs/gjsClient.js';

export const FAKE_SYSTEMD = 'build/gjs/fakeSystemd.js';

export interface FakeUnitConfig {
    load?: 'loaded' | 'not-found' | 'masked';
    active?: 'inactive' | 'failed' | 'active';
    fileState?: string;
    exec?: string[];
    startDelayMs?: number;
    failJob?: boolean;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export class PrivateBus {
    readonly address: string;
    private readonly _child: ChildProcess;

    private constructor(child: ChildProcess, address: string) {
        this._child = child;
        this.address = address;
    }

    static async start(dir: string): Promise<PrivateBus> {
        const socket = join(dir, 'bus');
        const child = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', `--address=unix:path=${socket}`],
            {stdio: 'ignore'});
        const deadline = Date.now() + 5000;
        while (!existsSync(socket)) {
            if (child.exitCode !== null || Date.now() > deadline)
                throw new Error(`dbus-daemon did not start (exit ${child.exitCode}); is the dbus-daemon package installed?`);
            await sleep(20);
        }
        return new PrivateBus(child, `unix:path=${socket}`);
    }

    get env(): NodeJS.ProcessEnv {
        return {...process.env, DBUS_SESSION_BUS_ADDRESS: this.address};
    }

    async stop(): Promise<void> {
        if (this._child.exitCode !== null)
            return;
        const gone = new Promise(r => this._child.once('exit', r));
        this._child.kill('SIGTERM');
        await gone;
    }
}

/** The fake manager as a child: its reports (calls, ready, exits) and its stdin commands. */
export class FakeSystemd extends GjsClient {
    static async start(bus: PrivateBus, units: Record<string, FakeUnitConfig>): Promise<FakeSystemd> {
        const fake = new FakeSystemd(FAKE_SYSTEMD, [JSON.stringify({units})], {env: bus.env});
        await fake.waitFor(r => r.kind === 'ready');
        return fake;
    }

    command(cmd: Record<string, unknown>): void {
        this.send(JSON.stringify(cmd));
    }

    calls(method: string): unknown[][] {
        return this.reports.filter(r => r.kind === 'call' && r.method === method).map(r => r.args as unknown[]);
    }

    async quit(): Promise<void> {
        this.command({cmd: 'exit'});
        await this.exit();
    }
}
