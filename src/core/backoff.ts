// SPDX-License-Identifier: GPL-2.0-or-later
// Reconnect delays: quick at first, doubling to a ceiling while the daemon stays away. Jitter
// only shortens a delay, so the ceiling holds.

export class Backoff {
    private readonly initialMs: number;
    private readonly maxMs: number;
    private readonly jitter: number;
    private readonly random: () => number;
    private tries = 0;

    constructor(opts: { initialMs?: number; maxMs?: number; jitter?: number; random?: () => number } = {}) {
        this.initialMs = opts.initialMs !== undefined && opts.initialMs > 0 ? opts.initialMs : 250;
        this.maxMs = Math.max(this.initialMs, opts.maxMs !== undefined && opts.maxMs > 0 ? opts.maxMs : 30_000);
        this.jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.2));
        this.random = opts.random ?? Math.random;
    }

    get attempts(): number {
        return this.tries;
    }

    next(): number {
        // Capping the exponent keeps the product from reaching Infinity.
        const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.tries, 30));
        this.tries++;
        return Math.round(base * (1 - this.jitter * this.random()));
    }

    reset(): void {
        this.tries = 0;
    }
}
