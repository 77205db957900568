// SPDX-License-Identifier: GPL-2.0-or-later
// Each kind of problem is logged the first time on a connection, then at most once a minute
// with a count, never once per line.

const MAX_KINDS = 64;

interface Kind {
    more: number;
    loggedAt: number;
}

const grouped = new Intl.NumberFormat('en-US');

export class ProblemLog {
    private readonly intervalMs: number;
    private readonly kinds = new Map<string, Kind>();

    constructor(opts: { intervalMs?: number } = {}) {
        this.intervalMs = opts.intervalMs !== undefined && opts.intervalMs > 0 ? opts.intervalMs : 60_000;
    }

    reset(): void {
        this.kinds.clear();
    }

    note(kind: string, message: string, now: number): string | null {
        const seen = this.kinds.get(kind);
        if (!seen) {
            if (this.kinds.size >= MAX_KINDS)
                return null;
            this.kinds.set(kind, {more: 0, loggedAt: now});
            return message;
        }
        seen.more++;
        if (now < seen.loggedAt)
            seen.loggedAt = now;
        if (now - seen.loggedAt < this.intervalMs)
            return null;
        seen.loggedAt = now;
        return `${message} (${grouped.format(seen.more)} more since connect)`;
    }
}
