// SPDX-License-Identifier: GPL-2.0-or-later
// A dead man's switch for an owner whose callbacks GJS may drop. GJS up to 1.80 refuses to run
// any JS callback while an incremental garbage collection is between two slices of its sweep
// (it tests a flag that stays set for the whole sweep; 1.82 tests whether a slice is running).
// When the CPU is contended a 10 ms slice runs out of time mid-sweep, and the next slice can
// be seconds away (6 to 8 s seen in a plain gjs process reading a flood on a busy core): every
// timeout that falls due meanwhile is dropped and, never having returned TRUE, removed, and an
// async call's result is lost. A timeout that fires often cannot guard the
// others, as it is the first to fall due in such a pause. These timeouts are instead pushed
// further away by every callback of the owner, so they never fall due while anything of it
// runs, and fire once all of its callbacks have stopped, after the pause, if the pause was
// shorter than their delay less PUSH_EVERY_MS: the short one for a quick recovery, the long
// one for the longest pause.
import GLib from 'gi://GLib';

import {removeSource} from './gioAsync.js';

// Re-adding a source costs a little, so a push re-arms at most this often. Hence a watchdog
// fires between delay - PUSH_EVERY_MS and delay after the owner's last callback.
export const PUSH_EVERY_MS = 1000;

export class Watchdog {
    private readonly _delaysMs: readonly number[];
    private readonly _onSilence: (now: number) => void;
    private readonly _sources: number[];
    private _pushedAt = -Infinity;

    /** onSilence(now) runs when none of the owner's callbacks has pushed for one of delaysMs. */
    constructor(delaysMs: readonly number[], onSilence: (now: number) => void) {
        this._delaysMs = delaysMs;
        this._onSilence = onSilence;
        this._sources = delaysMs.map(() => 0);
    }

    /**
     * Called by every callback of the owner. Removes and re-adds the sources rather than
     * trusting their ids: a source whose callback GJS dropped is gone, though its id is kept.
     */
    push(now: number): void {
        if (now - this._pushedAt < PUSH_EVERY_MS)
            return;
        this._pushedAt = now;
        this._delaysMs.forEach((delay, i) => {
            removeSource(this._sources[i]);
            // Below the reads' priority: when everything falls due at once after the whole
            // main loop stood still, the owner's other callbacks have their turn first.
            this._sources[i] = GLib.timeout_add(GLib.PRIORITY_LOW, delay, () => {
                this._onSilence(GLib.get_monotonic_time() / 1000);
                return GLib.SOURCE_CONTINUE;
            });
        });
    }

    stop(): void {
        this._sources.forEach(removeSource);
        this._sources.fill(0);
        this._pushedAt = -Infinity;
    }
}
