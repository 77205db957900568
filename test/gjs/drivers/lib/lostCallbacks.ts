// SPDX-License-Identifier: GPL-2.0-or-later
// Imitates what GJS does to a callback that falls due while it sweeps garbage: it does not
// run it. A timeout dropped so is removed; an async read's result is lost. The driver arms
// one loss at a time, so a test can say exactly which callback of the transport is lost.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {TICK_SOURCE} from '../../../../src/transport/metricsConnection.js';

export type LostCallback = 'read' | 'tick' | 'watchdog';

// The transport's tick, told apart by its name; the watchdog's short timeout by its interval
// (metricsConnection.ts).
const WATCHDOG_MS = 6500;

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
    return timeoutAdd(priority, interval, () => {
        const kind = GLib.main_current_source()?.get_name() === TICK_SOURCE ? 'tick' : interval === WATCHDOG_MS ? 'watchdog' : null;
        if (inPause() || (kind && armed.delete(kind)))
            return GLib.SOURCE_REMOVE;
        return callback();
    });
};

// The transport reads with fill_async (gioAsync.ts: readBuffered).
const fillAsync = Gio.BufferedInputStream.prototype.fill_async;
Gio.BufferedInputStream.prototype.fill_async = function (this: Gio.BufferedInputStream, count: number, priority: number,
    cancellable: Gio.Cancellable | null, callback: Gio.AsyncReadyCallback<Gio.BufferedInputStream>) {
    return fillAsync.call(this, count, priority, cancellable, (source, result) => {
        if (inPause() || armed.delete('read'))
            return;
        (callback as (s: typeof source, r: typeof result) => void)(source, result);
    });
} as typeof fillAsync;
