import {describe, expect, it} from 'vitest';
import {RateLimiter} from '../../src/core/rateLimiter.js';

describe('RateLimiter', () => {
    it('allows a burst, then one per interval, counting what it held back', () => {
        const limiter = new RateLimiter({intervalMs: 1000, burst: 2});
        expect(limiter.allow('k', 0)).toEqual({allowed: true, suppressed: 0});
        expect(limiter.allow('k', 1)).toEqual({allowed: true, suppressed: 0});
        expect(limiter.allow('k', 2)).toEqual({allowed: false, suppressed: 1});
        expect(limiter.allow('k', 500)).toEqual({allowed: false, suppressed: 2});
        expect(limiter.allow('k', 999)).toEqual({allowed: false, suppressed: 3});
        // The next allowed message can say "(3 similar suppressed)".
        expect(limiter.allow('k', 1000)).toEqual({allowed: true, suppressed: 3});
        expect(limiter.allow('k', 1001)).toEqual({allowed: false, suppressed: 1});
    });

    it('limits each kind of problem on its own', () => {
        const limiter = new RateLimiter({intervalMs: 1000, burst: 1});
        expect(limiter.allow('malformed', 0).allowed).toBe(true);
        expect(limiter.allow('malformed', 1).allowed).toBe(false);
        expect(limiter.allow('oversized', 2).allowed).toBe(true);
    });

    it('refills up to the burst after a long quiet spell, not beyond', () => {
        const limiter = new RateLimiter({intervalMs: 1000, burst: 3});
        for (let i = 0; i < 3; i++)
            limiter.allow('k', 0);
        const later = [0, 1, 2, 3].map(i => limiter.allow('k', 3_600_000 + i).allowed);
        expect(later).toEqual([true, true, true, false]);
    });

    it('survives a clock that goes back', () => {
        const limiter = new RateLimiter({intervalMs: 1000, burst: 1});
        limiter.allow('k', 50_000);
        expect(limiter.allow('k', 10_000).allowed).toBe(false);
        expect(limiter.allow('k', 11_000).allowed).toBe(true);
    });

    it('stays small however many distinct keys the stream invents', () => {
        const limiter = new RateLimiter({intervalMs: 1000, burst: 1});
        for (let i = 0; i < 10_000; i++)
            expect(limiter.allow(`unknown type ${i}`, i).allowed).toBe(true);
        expect((limiter as unknown as {buckets: Map<string, unknown>}).buckets.size).toBeLessThanOrEqual(256);
    });
});
