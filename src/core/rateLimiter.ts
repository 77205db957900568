// Keeps problem logging clear but quiet: a token bucket per kind of problem, and a count of
// what was held back so the next message can say "(12 similar suppressed)".

interface Bucket {
    tokens: number;
    refilledAt: number;
    suppressed: number;
}

/** Keys can come from the stream (unknown event types): keep the table bounded. */
const MAX_KEYS = 256;

export class RateLimiter {
    private readonly intervalMs: number;
    private readonly burst: number;
    private readonly buckets = new Map<string, Bucket>();

    /** Up to `burst` messages at once, then one per `intervalMs`. */
    constructor(opts: { intervalMs?: number; burst?: number } = {}) {
        this.intervalMs = opts.intervalMs !== undefined && opts.intervalMs > 0 ? opts.intervalMs : 30_000;
        this.burst = opts.burst !== undefined && opts.burst >= 1 ? Math.floor(opts.burst) : 3;
    }

    /** suppressed: how many were refused for this key since the last one allowed. */
    allow(key: string, now: number): { allowed: boolean; suppressed: number } {
        let bucket = this.buckets.get(key);
        if (!bucket) {
            if (this.buckets.size >= MAX_KEYS)
                this.buckets.delete(this.buckets.keys().next().value as string);
            bucket = {tokens: this.burst, refilledAt: now, suppressed: 0};
            this.buckets.set(key, bucket);
        } else {
            const earned = Math.floor((now - bucket.refilledAt) / this.intervalMs);
            if (earned > 0) {
                bucket.tokens = Math.min(this.burst, bucket.tokens + earned);
                bucket.refilledAt += earned * this.intervalMs;
            } else if (earned < 0) {
                // The clock went back: restart the interval rather than wait for it.
                bucket.refilledAt = now;
            }
        }
        if (bucket.tokens < 1) {
            bucket.suppressed++;
            return {allowed: false, suppressed: bucket.suppressed};
        }
        bucket.tokens--;
        const suppressed = bucket.suppressed;
        bucket.suppressed = 0;
        return {allowed: true, suppressed};
    }
}
