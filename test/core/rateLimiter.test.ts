// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import {ProblemLog} from '../../src/core/rateLimiter.js';

describe('ProblemLog', () => {
    it('logs a kind of problem once, then at most once a minute with the count since connect', () => {
        const log = new ProblemLog();
        expect(log.note('malformed', 'malformed line: not JSON', 0)).toBe('malformed line: not JSON');
        const lines: string[] = [];
        // 1,205 bad lines over 59 s: nothing more is logged.
        for (let i = 1; i <= 1204; i++) {
            const line = log.note('malformed', 'malformed line: not JSON', i * 49);
            if (line)
                lines.push(line);
        }
        expect(lines).toEqual([]);
        expect(log.note('malformed', 'malformed line: not JSON', 60_000)).toBe('malformed line: not JSON (1,205 more since connect)');
        expect(log.note('malformed', 'malformed line: not JSON', 60_001)).toBeNull();
        expect(log.note('malformed', 'malformed line: x', 120_000)).toBe('malformed line: x (1,207 more since connect)');
    });

    it('counts each kind on its own, and starts over on a new connection', () => {
        const log = new ProblemLog({intervalMs: 1000});
        expect(log.note('malformed', 'm', 0)).toBe('m');
        expect(log.note('unknown', 'u', 1)).toBe('u');
        expect(log.note('malformed', 'm', 2)).toBeNull();
        log.reset();
        expect(log.note('malformed', 'm', 3)).toBe('m');
    });

    it('keeps its table bounded whatever kinds arrive', () => {
        const log = new ProblemLog();
        let logged = 0;
        for (let i = 0; i < 10_000; i++) {
            if (log.note(`kind ${i}`, 'x', i))
                logged++;
        }
        expect(logged).toBe(64);
    });

    it('does not wait out a clock that went back', () => {
        const log = new ProblemLog({intervalMs: 1000});
        log.note('k', 'k', 100_000);
        expect(log.note('k', 'k', 5)).toBeNull();
        expect(log.note('k', 'k', 1005)).toBe('k (2 more since connect)');
    });
});
