// SPDX-License-Identifier: GPL-2.0-or-later
// A private session bus (`dbus-daemon --session`) and the fake systemd user manager
// (test/gjs/drivers/fakeSystemd.ts) on it, for the GJS integration tests; the e2e scenarios run
// the same fake on the shell's own session bus (test/e2e/sessionSystemd.ts).
import {type ChildProcess, spawn} from 'node:child_process';
import {appendFileSync, existsSync} from 'node:fs';
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

/** How to run the fake manager: on which bus, as whom, and where its complaints go. */
export interface FakeSystemdRun {
    /** Its environment; DBUS_SESSION_BUS_ADDRESS names the bus it owns systemd1 on. */
    env: NodeJS.ProcessEnv;
    /** The bundled program, FAKE_SYSTEMD unless the working directory is not the checkout. */
    program?: string;
    /** The command gjs runs under (setpriv: as the e2e session's user). */
    runAs?: string[];
    /** A file its stderr is added to when it quits (the e2e results); else only in `stderr`. */
    log?: string;
}

/** The fake manager as a child: its reports (calls, ready, exits) and its stdin commands. */
export class FakeSystemd extends GjsClient {
    private readonly _log: string | undefined;

    private constructor(program: string, units: Record<string, FakeUnitConfig>, run: FakeSystemdRun) {
        super(program, [JSON.stringify({units})], {env: run.env, runAs: run.runAs});
        this._log = run.log;
    }

    static async start(units: Record<string, FakeUnitConfig>, run: FakeSystemdRun): Promise<FakeSystemd> {
        const program = run.program ?? FAKE_SYSTEMD;
        if (!existsSync(program))
            throw new Error(`no fake systemd at ${program} (make build)`);
        const fake = new FakeSystemd(program, units, run);
        try {
            await fake.waitFor(r => r.kind === 'ready', 10_000);
        } catch (error) {
            await fake.quit();
            throw error;
        }
        return fake;
    }

    command(cmd: Record<string, unknown>): void {
        this.send(JSON.stringify(cmd));
    }

    calls(method: string): unknown[][] {
        return this.reports.filter(r => r.kind === 'call' && r.method === method).map(r => r.args as unknown[]);
    }

    /** Stops what its units run, releases the name, exits; a unit's simulator may take a moment. */
    async quit(): Promise<void> {
        await this.exit(JSON.stringify({cmd: 'exit'}), 5000);
        if (this._log && this.stderr.length > 0)
            appendFileSync(this._log, this.stderr.map(line => `${line}\n`).join(''));
    }
}
