// SPDX-License-Identifier: GPL-2.0-or-later
// Every main-loop source we schedule. GJS before 1.81.90 destroys, unrun, a callback due during
// a paused garbage collection; a Timer spots its lost source and runs it at our next callback
// or guard: within 2 s of a pause of up to 10 s, within its length up to 2½ min.
import GLib from 'gi://GLib';

const GUARD_MS = [2000, 4000, 6000, 8000, 10_000, 12_000, 20_000, 40_000, 80_000, 160_000];
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

// Every callback of ours that is not a Timer's (a read, a D-Bus reply) calls this.
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

    get pending(): boolean {
        return this._source !== null && !this._source.is_destroyed();
    }

    get lost(): boolean {
        return this._source !== null && this._source.is_destroyed();
    }

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
