// SPDX-License-Identifier: GPL-2.0-or-later
// Imitates what GJS does to a callback that falls due while it sweeps garbage: it does not
// run it. A timeout dropped so is removed; an async read's result is lost. The driver arms
// one loss at a time, so a test can say exactly which callback of the transport is lost.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

export type LostCallback = 'read' | 'tick' | 'watchdog';

// The transport's periodic sources, told apart by their intervals (metricsConnection.ts).
const INTERVALS: Record<Exclude<LostCallback, 'read'>, number> = {tick: 500, watchdog: 6500};

const armed = new Set<LostCallback>();

export function loseNext(what: LostCallback): void {
    armed.add(what);
}

// What GJS up to 1.80 does while a garbage collection is paused mid-sweep: every timeout and
// read of the transport that falls due during the pause is lost.
let pausedUntil = 0;

export function pauseFor(ms: number): void {
    pausedUntil = GLib.get_monotonic_time() + ms * 1000;
}

const inPause = (): boolean => GLib.get_monotonic_time() < pausedUntil;

type SourceFunc = () => boolean;
const timeoutAdd = GLib.timeout_add;
(GLib as {timeout_add: unknown}).timeout_add = (priority: number, interval: number, callback: SourceFunc): number => {
    const kind = (Object.keys(INTERVALS) as Array<keyof typeof INTERVALS>).find(k => INTERVALS[k] === interval);
    return timeoutAdd(priority, interval, () => {
        if (inPause() || (kind && armed.delete(kind)))
            return GLib.SOURCE_REMOVE;
        return callback();
    });
};

const readBytesAsync = Gio.InputStream.prototype.read_bytes_async;
Gio.InputStream.prototype.read_bytes_async = function (this: Gio.InputStream, count: number, priority: number,
    cancellable: Gio.Cancellable | null, callback: Gio.AsyncReadyCallback<Gio.InputStream>) {
    return readBytesAsync.call(this, count, priority, cancellable, (source, result) => {
        if (inPause() || armed.delete('read'))
            return;
        (callback as (s: typeof source, r: typeof result) => void)(source, result);
    });
} as typeof readBytesAsync;
