// SPDX-License-Identifier: GPL-2.0-or-later
// Reconnect delays: quick at first (the daemon restarts in well under a second), doubling
// to a ceiling while it stays away, so an absent daemon costs almost nothing. Jitter only
// shortens a delay, so the ceiling holds.

export class Backoff {
    private readonly initialMs: number;
    private readonly maxMs: number;
    private readonly jitter: number;
    private readonly random: () => number;
    private tries = 0;

    /** jitter: the fraction (0–1) by which a delay may be randomly shortened. */
    constructor(opts: { initialMs?: number; maxMs?: number; jitter?: number; random?: () => number } = {}) {
        this.initialMs = opts.initialMs !== undefined && opts.initialMs > 0 ? opts.initialMs : 250;
        this.maxMs = Math.max(this.initialMs, opts.maxMs !== undefined && opts.maxMs > 0 ? opts.maxMs : 30_000);
        this.jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.2));
        this.random = opts.random ?? Math.random;
    }

    /** Delays returned since the last reset. */
    get attempts(): number {
        return this.tries;
    }

    /** The delay before the next attempt, in ms. */
    next(): number {
        // Past 2^30 the product is far beyond any ceiling; capping the exponent avoids Infinity.
        const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.tries, 30));
        this.tries++;
        return Math.round(base * (1 - this.jitter * this.random()));
    }

    reset(): void {
        this.tries = 0;
    }
}
