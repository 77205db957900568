// SPDX-License-Identifier: GPL-2.0-or-later
// Runs the GJS transport driver as a child process and lets a test wait on what it reports.
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process';
import {createInterface} from 'node:readline';

export interface Report {
    kind: string;
    [key: string]: unknown;
}

export interface StateReport extends Report {
    status: string;
    problem: string | null;
    detail: string | null;
    retryAt: number | null;
    daemonState: string | null;
    sessionId: number | null;
    words: number | null;
    transcriptLength: number;
    firstText: string | null;
    lastText: string | null;
    counters: {events: number; malformedLines: number; unknownEvents: number; oversizedLines: number; fieldWarnings: number};
    texts?: string[];
    dispatchesAfterStop?: number;
}

export class GjsClient {
    readonly reports: Report[] = [];
    readonly stderr: string[] = [];
    private readonly _child: ChildProcessWithoutNullStreams;
    private readonly _waiters = new Set<() => void>();
    private _exited = false;

    /**
     * cpu: run gjs on that CPU only (taskset), to share it with a busy loop.
     * env: its environment (a private session bus for the systemd tests).
     * runAs: the command gjs runs under, e.g. setpriv to run it as the e2e session's user.
     */
    constructor(driver: string, args: string[], opts: {cpu?: number; env?: NodeJS.ProcessEnv; runAs?: string[]} = {}) {
        const argv = ['gjs', '-m', driver, ...args];
        if (opts.runAs)
            argv.unshift(...opts.runAs);
        if (opts.cpu !== undefined)
            argv.unshift('taskset', '-c', String(opts.cpu));
        this._child = spawn(argv[0], argv.slice(1), {stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env});
        createInterface({input: this._child.stdout}).on('line', line => {
            try {
                this.reports.push(JSON.parse(line) as Report);
            } catch {
                this.reports.push({kind: 'stdout', line});
            }
            this._wake();
        });
        createInterface({input: this._child.stderr}).on('line', line => this.stderr.push(line));
        this._child.on('exit', () => {
            this._exited = true;
            this._wake();
        });
    }

    private _wake(): void {
        for (const w of [...this._waiters])
            w();
    }

    send(command: string): void {
        this._child.stdin.write(`${command}\n`);
    }

    get states(): StateReport[] {
        return this.reports.filter(r => r.kind === 'state') as StateReport[];
    }

    get latest(): StateReport | undefined {
        return this.states.at(-1);
    }

    logs(level?: string): string[] {
        return this.reports.filter(r => r.kind === 'log' && (!level || r.level === level)).map(r => String(r.message));
    }

    /** Resolves with the first report (from index `from` on) that satisfies `pred`. */
    waitFor<T extends Report = Report>(pred: (r: Report) => boolean, timeoutMs = 5000, from = 0): Promise<T> {
        return new Promise((resolve, reject) => {
            let scanned = from;
            const check = (): boolean => {
                for (; scanned < this.reports.length; scanned++) {
                    if (pred(this.reports[scanned])) {
                        resolve(this.reports[scanned] as T);
                        return true;
                    }
                }
                if (this._exited) {
                    reject(new Error(`gjs exited; stderr:\n${this.stderr.join('\n')}`));
                    return true;
                }
                return false;
            };
            if (check())
                return;
            const waiter = (): void => {
                if (check())
                    done();
            };
            const timer = setTimeout(() => {
                done();
                reject(new Error(`timed out after ${timeoutMs} ms; last report: ${JSON.stringify(this.reports.at(-1))}\nstderr:\n${this.stderr.join('\n')}`));
            }, timeoutMs);
            const done = (): void => {
                clearTimeout(timer);
                this._waiters.delete(waiter);
            };
            this._waiters.add(waiter);
        });
    }

    /** Index to pass as `from` so a wait only considers what arrives after this point. */
    mark(): number {
        return this.reports.length;
    }

    waitForState(pred: (s: StateReport) => boolean, timeoutMs = 5000, from = 0): Promise<StateReport> {
        return this.waitFor<StateReport>(r => r.kind === 'state' && pred(r as StateReport), timeoutMs, from);
    }

    async probe(arg = ''): Promise<StateReport> {
        const from = this.reports.length;
        this.send(`probe ${arg}`);
        return this.waitFor<StateReport>(r => r.kind === 'probe', 5000, from);
    }

    /** Sends the program its exit command and waits for it to go, killing it after killAfterMs. */
    async exit(command = 'exit', killAfterMs = 3000): Promise<void> {
        if (this._exited)
            return;
        this.send(command);
        await new Promise<void>(resolve => {
            const timer = setTimeout(() => {
                this._child.kill('SIGKILL');
                resolve();
            }, killAfterMs);
            this._child.once('exit', () => {
                clearTimeout(timer);
                resolve();
            });
        });
    }
}
