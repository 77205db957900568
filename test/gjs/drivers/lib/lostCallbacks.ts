// SPDX-License-Identifier: GPL-2.0-or-later
// Imitates what GJS up to 1.80 does to a callback that falls due while it sweeps garbage: it
// does not run it. A timeout dropped so is destroyed; an async read's result is lost. A test
// arms one loss at a time, or a pause in which every callback of the extension is lost.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {SOURCE_PREFIX} from '../../../../src/lib/timers.js';
import {CHECK_TIMER} from '../../../../src/transport/metricsConnection.js';

export type LostCallback = 'read' | 'check' | 'guard';

const armed = new Set<LostCallback>();

export function loseNext(what: LostCallback): void {
    armed.add(what);
}

let pausedUntil = 0;

export function pauseFor(ms: number): void {
    pausedUntil = GLib.get_monotonic_time() + ms * 1000;
}

const inPause = (): boolean => GLib.get_monotonic_time() < pausedUntil;

function kindOf(name: string | null): LostCallback | null {
    if (name === SOURCE_PREFIX + CHECK_TIMER)
        return 'check';
    return name === `${SOURCE_PREFIX}guard` ? 'guard' : null;
}

// The extension adds its timeouts with GLib.timeout_add (src/lib/timers.ts).
const timeoutAdd = GLib.timeout_add;
GLib.timeout_add = function (priority: number, interval: number, callback: () => boolean) {
    return timeoutAdd(priority, interval, () => {
        const name = GLib.main_current_source()?.get_name() ?? null;
        const kind = kindOf(name);
        if ((inPause() && name?.startsWith(SOURCE_PREFIX)) || (kind && armed.delete(kind)))
            return GLib.SOURCE_REMOVE;
        return callback();
    });
} as typeof timeoutAdd;

// The transport reads with fill_async (metricsStream.ts).
const fillAsync = Gio.BufferedInputStream.prototype.fill_async;
Gio.BufferedInputStream.prototype.fill_async = function (this: Gio.BufferedInputStream, count: number, priority: number,
    cancellable: Gio.Cancellable | null, callback: Gio.AsyncReadyCallback<Gio.BufferedInputStream>) {
    return fillAsync.call(this, count, priority, cancellable, (source, result) => {
        if (inPause() || armed.delete('read'))
            return;
        (callback as (s: typeof source, r: typeof result) => void)(source, result);
    });
} as typeof fillAsync;

// The control client reads its reply with read_bytes_async (controlClient.ts).
const readBytesAsync = Gio.InputStream.prototype.read_bytes_async;
Gio.InputStream.prototype.read_bytes_async = function (this: Gio.InputStream, count: number, priority: number,
    cancellable: Gio.Cancellable | null, callback: Gio.AsyncReadyCallback<Gio.InputStream>) {
    return readBytesAsync.call(this, count, priority, cancellable, (source, result) => {
        if (!inPause())
            (callback as (s: typeof source, r: typeof result) => void)(source, result);
    });
} as typeof readBytesAsync;
