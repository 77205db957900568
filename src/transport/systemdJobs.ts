// SPDX-License-Identifier: GPL-2.0-or-later
// Calls to the systemd user manager and waits for the jobs they start, each bounded in time.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {Timer, heartbeat, withDeadline} from '../lib/timers.js';

const SYSTEMD = 'org.freedesktop.systemd1';
const CALL_TIMEOUT_MS = 25_000;
/** A start job of a Type=simple unit ends at once; anything longer is shown by the state. */
const JOB_WAIT_MS = 30_000;

export function callSystemd(bus: Gio.DBusConnection, path: string, iface: string, method: string, params: GLib.Variant | null,
    replyType: string | null, cancellable: Gio.Cancellable): Promise<GLib.Variant> {
    const reply = new Promise<GLib.Variant>((resolve, reject) => {
        bus.call(SYSTEMD, path, iface, method, params, replyType ? new GLib.VariantType(replyType) : null,
            Gio.DBusCallFlags.NO_AUTO_START, CALL_TIMEOUT_MS, cancellable, (_c, res) => {
                heartbeat();
                try {
                    resolve(bus.call_finish(res));
                } catch (e) {
                    reject(e);
                }
            });
    });
    return withDeadline('D-Bus call', reply, CALL_TIMEOUT_MS + 1000,
        () => Promise.reject(new Error(`${method}: no reply from systemd within ${CALL_TIMEOUT_MS / 1000} s`)));
}

interface JobWaiter {
    resolve(result: string): void;
    timer: Timer;
}

/** Jobs' results as JobRemoved tells them, for whoever waits for them. */
export class JobWaits {
    private readonly _waiting = new Map<string, JobWaiter>();
    // JobRemoved can overtake the reply to StartUnit: results of jobs nobody waits for yet.
    private readonly _ended = new Map<string, string>();

    /** The job's result ('done', 'failed', …); 'done' if it takes longer than JOB_WAIT_MS. */
    wait(job: string): Promise<string> {
        const ended = this._ended.get(job);
        if (ended !== undefined) {
            this._ended.delete(job);
            return Promise.resolve(ended);
        }
        return new Promise(resolve => {
            const timer = new Timer('systemd job', () => {
                this._waiting.delete(job);
                resolve('done');
            });
            timer.schedule(JOB_WAIT_MS);
            this._waiting.set(job, {resolve, timer});
        });
    }

    ended(job: string, result: string): void {
        const waiter = this._waiting.get(job);
        if (!waiter) {
            // Only jobs of ours can be waited for later; keep the map small either way.
            if (this._ended.size > 16)
                this._ended.clear();
            this._ended.set(job, result);
            return;
        }
        this._waiting.delete(job);
        waiter.timer.cancel();
        waiter.resolve(result);
    }

    cancelAll(): void {
        for (const waiter of this._waiting.values()) {
            waiter.timer.cancel();
            waiter.resolve('canceled');
        }
        this._waiting.clear();
        this._ended.clear();
    }
}
