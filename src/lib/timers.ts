// SPDX-License-Identifier: GPL-2.0-or-later
// Every main-loop source we schedule. GJS before 1.81.90 destroys, unrun, a callback due during
// a paused garbage collection; a Timer past its due time runs at our next callback or guard:
// within 2 s of a pause of up to 20 s, within its length up to 2½ min.
import GLib from 'gi://GLib';

// Every 2 s up to 24 s. Moved ahead by our callbacks, at most once a second, so while events
// arrive no guard wakes the shell.
const GUARD_MS = [2000, 4000, 6000, 8000, 10_000, 12_000, 14_000, 16_000, 18_000, 20_000, 22_000, 24_000, 40_000, 80_000, 160_000];
const REARM_EVERY_MS = 1000;
// This late, a timeout was lost, or the loop is too busy for running it now to matter.
const OVERDUE_MS = 500;
export const SOURCE_PREFIX = '[swictation] ';

interface Timeout { id: number; due: number }

const pending = new Set<Timer>();
let guards: Timeout[] = [];
let armedAt = -Infinity;

// By id, never as a GLib.Source: a destroyed source stays in the main context, walked by every
// iteration of the shell's main loop, until the garbage collector frees its JS wrapper.
function addTimeout(name: string, delayMs: number, priority: number, callback: () => void): Timeout {
    const delay = Math.max(0, Math.ceil(delayMs));
    const due = monotonicMs() + delay;
    const id = GLib.timeout_add(priority, delay, () => {
        callback();
        return GLib.SOURCE_REMOVE;
    });
    GLib.Source.set_name_by_id(id, SOURCE_PREFIX + name);
    return {id, due};
}

// A timeout past its due time has run, is about to, or was lost; only one not yet due surely
// still exists to be removed.
function removeTimeout(timeout: Timeout): void {
    if (monotonicMs() < timeout.due)
        GLib.source_remove(timeout.id);
}

function runOverdue(): void {
    for (const timer of pending) {
        if (timer.overdue)
            timer.fire();
    }
}

// Every callback of ours that is not a Timer's (a read, a D-Bus reply) calls this.
export function heartbeat(): void {
    if (!pending.size)
        return;
    runOverdue();
    const now = monotonicMs();
    if (now - armedAt < REARM_EVERY_MS || !pending.size)
        return;
    armedAt = now;
    guards.forEach(removeTimeout);
    guards = GUARD_MS.map(ms => addTimeout('guard', ms, GLib.PRIORITY_LOW, runOverdue));
}

/** A one-shot main-loop timeout that still runs when GJS drops its callback. */
export class Timer {
    private readonly _name: string;
    private readonly _callback: () => void;
    private readonly _priority: number;
    private _timeout: Timeout | null = null;

    constructor(name: string, callback: () => void, priority: number = GLib.PRIORITY_DEFAULT) {
        this._name = name;
        this._callback = callback;
        this._priority = priority;
    }

    get pending(): boolean {
        return this._timeout !== null && !this.overdue;
    }

    get overdue(): boolean {
        return this._timeout !== null && monotonicMs() >= this._timeout.due + OVERDUE_MS;
    }

    schedule(delayMs: number): void {
        if (this._timeout)
            removeTimeout(this._timeout);
        // A timeout replaced while overdue may still come; only the latest fires.
        const timeout: Timeout = addTimeout(this._name, delayMs, this._priority, () => {
            if (this._timeout === timeout)
                this.fire();
        });
        this._timeout = timeout;
        if (!pending.size)
            armedAt = -Infinity;
        pending.add(this);
        heartbeat();
    }

    cancel(): void {
        if (this._timeout)
            removeTimeout(this._timeout);
        this._timeout = null;
        pending.delete(this);
        if (!pending.size) {
            guards.forEach(removeTimeout);
            guards = [];
        }
    }

    fire(): void {
        this.cancel();
        heartbeat();
        this._callback();
    }
}

// An operation whose async callback GJS dropped still ends by its deadline.
export function withDeadline<T>(name: string, work: Promise<T>, ms: number, expire: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        const timer = new Timer(name, () => resolve(expire()));
        timer.schedule(ms);
        work.then(value => {
            timer.cancel();
            resolve(value);
        }, error => {
            timer.cancel();
            reject(error);
        });
    });
}

export function monotonicMs(): number {
    return GLib.get_monotonic_time() / 1000;
}
