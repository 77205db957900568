// SPDX-License-Identifier: GPL-2.0-or-later
// When the UI repaints. Every repaint of the top bar is a compositor frame, so changes are
// coalesced: the first after a quiet spell shows at once, changes that keep coming show at
// most every `intervalMs`, and a flood (a daemon far above its 1 s rate, a long catch-up)
// stretches that to `floodIntervalMs`: nobody reads four repaints a second of a stream that
// fast, and the end of the flood still shows within one interval. At the daemon's real rate
// (a few changes a second) the flood interval never applies.

export interface RenderPacerOptions {
    intervalMs?: number;
    floodIntervalMs?: number;
    /** A repaint that covers at least this many changes means a flood. */
    floodChanges?: number;
}

export class RenderPacer {
    private readonly intervalMs: number;
    private readonly floodIntervalMs: number;
    private readonly floodChanges: number;
    private lastRenderAt = -Infinity;
    private changes = 0;
    private flood = false;

    constructor(opts: RenderPacerOptions = {}) {
        this.intervalMs = opts.intervalMs ?? 250;
        this.floodIntervalMs = Math.max(this.intervalMs, opts.floodIntervalMs ?? 1000);
        this.floodChanges = opts.floodChanges ?? 50;
    }

    /** The last repaint covered a flood of changes. */
    get flooding(): boolean {
        return this.flood;
    }

    /** A change arrived (counted only: in a flood this runs per event). */
    changed(): void {
        this.changes++;
    }

    /** How many ms from `now` the changes so far should be rendered. */
    delay(now: number): number {
        const interval = this.flood ? this.floodIntervalMs : this.intervalMs;
        return Math.max(0, this.lastRenderAt + interval - now);
    }

    /** Everything so far has been rendered (by the scheduled render or any other). */
    rendered(now: number): void {
        this.flood = this.changes >= this.floodChanges;
        this.changes = 0;
        this.lastRenderAt = now;
    }
}
