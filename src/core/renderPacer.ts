// SPDX-License-Identifier: GPL-2.0-or-later
// When the UI repaints: every repaint of the top bar is a compositor frame, so changes are
// coalesced, and a flood nobody could read is shown less often still.

export interface RenderPacerOptions {
    intervalMs?: number;
    floodIntervalMs?: number;
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

    get flooding(): boolean {
        return this.flood;
    }

    changed(count = 1): void {
        this.changes += count;
    }

    delay(now: number): number {
        const interval = this.flood ? this.floodIntervalMs : this.intervalMs;
        return Math.max(0, this.lastRenderAt + interval - now);
    }

    rendered(now: number): void {
        this.flood = this.changes >= this.floodChanges;
        this.changes = 0;
        this.lastRenderAt = now;
    }
}
