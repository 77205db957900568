// SPDX-License-Identifier: GPL-2.0-or-later
// The fake systemd user manager (build/gjs/fakeSystemd.js) on the shell's own session bus, run
// on the host as the test user, like the simulator. A unit it starts runs the simulator with a
// command socket, so a scenario can ask that daemon what it received.
import {spawn, type ChildProcess} from 'node:child_process';
import {closeSync, existsSync, openSync} from 'node:fs';
import {join} from 'node:path';
import {createInterface} from 'node:readline';

import {type Session, simulatorCommand, sleep} from './driver.js';

export interface FakeUnit {
    load?: 'loaded' | 'not-found' | 'masked';
    active?: 'inactive' | 'failed' | 'active';
    fileState?: string;
    exec?: string[];
    startDelayMs?: number;
    failJob?: boolean;
}

export class FakeSystemd {
    readonly reports: Array<Record<string, unknown>> = [];
    private readonly child: ChildProcess;

    private constructor(child: ChildProcess) {
        this.child = child;
        createInterface({input: child.stdout!}).on('line', line => {
            try {
                this.reports.push(JSON.parse(line) as Record<string, unknown>);
            } catch {
                // gjs warnings on stdout: not reports
            }
        });
    }

    static async start(s: Session, units: Record<string, FakeUnit>): Promise<FakeSystemd> {
        const program = join(s.repo, 'build/gjs/fakeSystemd.js');
        if (!existsSync(program))
            throw new Error(`no fake systemd at ${program} (make build)`);
        const log = openSync(join(s.out, 'fake-systemd.log'), 'a');
        const child = spawn('setpriv', [`--reuid=${s.testerUid}`, `--regid=${s.testerUid}`, '--clear-groups',
            'gjs', '-m', program, JSON.stringify({units})], {
            stdio: ['pipe', 'pipe', log],
            env: {...process.env, HOME: join(s.root, s.sessionDir, 'home'),
                DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(s.root, s.runtimeDir, 'bus')}`},
        });
        closeSync(log);
        const fake = new FakeSystemd(child);
        const deadline = Date.now() + 10_000;
        while (!fake.reports.some(r => r.kind === 'ready')) {
            if (child.exitCode !== null || Date.now() > deadline)
                throw new Error(`the fake systemd did not own org.freedesktop.systemd1 (exit ${child.exitCode}; fake-systemd.log)`);
            await sleep(50);
        }
        return fake;
    }

    /** The simulator a unit runs: `exec` for FakeUnit, with a command socket in the work dir. */
    static simulatorExec(s: Session, name: string, args: string[] = []): {exec: string[]; cmdSocket: string} {
        const cmdSocket = join(s.root, s.sessionDir, 'work', `${name}-cmd.sock`);
        return {
            cmdSocket,
            exec: [process.execPath, join(s.repo, 'build/tools/simulator.mjs'), '--dir', join(s.root, s.runtimeDir),
                '--script', 'none', '--quiet', '--cmd-socket', cmdSocket, ...args],
        };
    }

    static daemonCommand<T = Record<string, unknown>>(cmdSocket: string, command: Record<string, unknown>): Promise<T> {
        return simulatorCommand<T>(cmdSocket, command);
    }

    command(cmd: Record<string, unknown>): void {
        this.child.stdin!.write(`${JSON.stringify(cmd)}\n`);
    }

    calls(method: string): unknown[][] {
        return this.reports.filter(r => r.kind === 'call' && r.method === method).map(r => r.args as unknown[]);
    }

    /** Stops what its units run, releases the name, exits. */
    async quit(): Promise<void> {
        if (this.child.exitCode !== null || this.child.signalCode !== null)
            return;
        const exited = new Promise(resolve => this.child.once('exit', resolve));
        this.command({cmd: 'exit'});
        this.child.stdin!.end();
        const kill = setTimeout(() => this.child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(kill);
    }
}
