// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon creates its socket at start: watching the socket's folder lets the connection try
// a new daemon at once instead of waiting out its back-off. Creations are coalesced, so a flood
// of events in the folder cannot drive a flood of attempts.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {folderAttemptDelay} from '../core/connectionPolicy.js';
import type {Logger} from '../lib/logger.js';
import {Timer, heartbeat, monotonicMs} from '../lib/timers.js';
import {errorMessage} from './gioAsync.js';

export class SocketFolder {
    private readonly _logger: Logger;
    private readonly _timer: Timer;
    private _monitor: Gio.FileMonitor | null = null;
    private _handler = 0;
    private _dir: string | null = null;
    private _lastAttempt = -Infinity;

    /** `created` runs when the socket file appears (again), debounced. */
    constructor(logger: Logger, created: () => void) {
        this._logger = logger;
        this._timer = new Timer('socket folder', () => {
            this._lastAttempt = monotonicMs();
            created();
        });
    }

    watch(socketPath: string): void {
        const dir = GLib.path_get_dirname(socketPath);
        if (dir === this._dir)
            return;
        this.stop();
        try {
            this._monitor = Gio.File.new_for_path(dir).monitor_directory(Gio.FileMonitorFlags.NONE, null);
        } catch (e) {
            this._logger.info(`cannot watch ${dir} (${errorMessage(e)}); relying on retries`);
            return;
        }
        this._dir = dir;
        const name = GLib.path_get_basename(socketPath);
        this._handler = this._monitor.connect('changed', (_m, file, _other, event) => {
            heartbeat();
            if (event === Gio.FileMonitorEvent.CREATED && file.get_basename() === name && !this._timer.pending)
                this._timer.schedule(folderAttemptDelay(this._lastAttempt, monotonicMs()));
        });
    }

    stop(): void {
        this._timer.cancel();
        this._monitor?.disconnect(this._handler);
        this._monitor?.cancel();
        this._monitor = null;
        this._dir = null;
    }
}
