// SPDX-License-Identifier: GPL-2.0-or-later
// Every main-loop source the extension schedules. GJS before 1.81.90 (Ubuntu 24.04 has 1.80)
// refuses any JS callback that falls due while a garbage collection is paused mid-sweep,
// seconds on a busy machine: a refused timeout is destroyed unrun and an async result is lost.
// A Timer keeps its GLib.Source, so a destroyed source that never ran tells it was lost; the
// next callback of ours, or a guard after a silence, runs it. Pauses up to 2 min are covered.
import GLib from 'gi://GLib';

// After a callback of ours, one-shot guards fall due at these delays: whichever comes first
// after a pause runs what the pause lost, within about the pause's length.
const GUARD_MS = [2000, 4000, 7500, 15_000, 30_000, 60_000, 120_000];
// Callbacks closer together than this share one look for lost timers and one re-arm of the guards.
const SWEEP_EVERY_MS = 1000;
export const SOURCE_PREFIX = '[swictation] ';

const pending = new Set<Timer>();
let guards: GLib.Source[] = [];
let sweptAt = -Infinity;

function addSource(name: string, delayMs: number, priority: number, callback: () => void): GLib.Source {
    const source = GLib.timeout_source_new(Math.max(0, Math.ceil(delayMs)));
    source.set_priority(priority);
    source.set_name(SOURCE_PREFIX + name);
    source.set_callback(() => {
        callback();
        return GLib.SOURCE_REMOVE;
    });
    source.attach(null);
    return source;
}

function runLost(): void {
    for (const timer of [...pending]) {
        if (timer.lost)
            timer.fire();
    }
}

/**
 * Called by every callback of the extension that is not a Timer's (a read, a D-Bus reply):
 * runs the timers whose callback was lost, and pushes the guards further away.
 */
export function heartbeat(): void {
    const now = GLib.get_monotonic_time() / 1000;
    if (now - sweptAt < SWEEP_EVERY_MS || !pending.size)
        return;
    sweptAt = now;
    runLost();
    guards.forEach(g => g.destroy());
    guards = pending.size ? GUARD_MS.map(ms => addSource('guard', ms, GLib.PRIORITY_LOW, runLost)) : [];
}

/** A one-shot main-loop timeout that survives GJS dropping its callback. */
export class Timer {
    private readonly _name: string;
    private readonly _callback: () => void;
    private readonly _priority: number;
    private _source: GLib.Source | null = null;

    constructor(name: string, callback: () => void, priority: number = GLib.PRIORITY_DEFAULT) {
        this._name = name;
        this._callback = callback;
        this._priority = priority;
    }

    /** Due and not yet run. A lost timer is not pending: scheduling it again replaces it. */
    get pending(): boolean {
        return this._source !== null && !this._source.is_destroyed();
    }

    get lost(): boolean {
        return this._source !== null && this._source.is_destroyed();
    }

    /** Arms the timer, replacing the pending run if there is one. */
    schedule(delayMs: number): void {
        this._source?.destroy();
        this._source = addSource(this._name, delayMs, this._priority, () => this.fire());
        if (!pending.size)
            sweptAt = -Infinity;
        pending.add(this);
        heartbeat();
    }

    cancel(): void {
        this._source?.destroy();
        this._source = null;
        pending.delete(this);
        if (!pending.size) {
            guards.forEach(g => g.destroy());
            guards = [];
        }
    }

    /** Runs the callback now, in place of the pending run. */
    fire(): void {
        this.cancel();
        heartbeat();
        this._callback();
    }
}

/**
 * Settles with `expire()` after `ms` unless `work` settles first: an operation whose own
 * async callback GJS dropped still ends by its deadline.
 */
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
