// SPDX-License-Identifier: GPL-2.0-or-later
// Stand-in for the shared timer layer until it lands on main: one named GLib timeout.
import GLib from 'gi://GLib';

export class Timer {
    private readonly _name: string;
    private readonly _callback: () => void;
    private readonly _priority: number;
    private _source = 0;

    constructor(name: string, callback: () => void, priority: number = GLib.PRIORITY_DEFAULT) {
        this._name = name;
        this._callback = callback;
        this._priority = priority;
    }

    schedule(delayMs: number): void {
        this.cancel();
        this._source = GLib.timeout_add(this._priority, delayMs, () => {
            this._source = 0;
            this._callback();
            return GLib.SOURCE_REMOVE;
        });
        GLib.Source.set_name_by_id(this._source, `[swictation] ${this._name}`);
    }

    cancel(): void {
        if (this._source)
            GLib.source_remove(this._source);
        this._source = 0;
    }

    get pending(): boolean {
        return this._source !== 0;
    }
}
