// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import {ellipsize, formatAgo, formatCount, formatDuration, formatLatency, formatMemory, formatPercent, formatWpm, MAX_SEGMENT_CHARS, oneLine} from '../../src/core/format.js';

const all = [formatAgo, formatCount, formatDuration, formatLatency, formatMemory, formatPercent, formatWpm];

describe('format', () => {
    it('shows a dash for anything missing or not a number', () => {
        for (const format of all) {
            for (const value of [null, undefined, NaN, Infinity])
                expect(format(value, 'en')).toBe('—');
        }
    });

    it('formats durations as m:ss, and h:mm:ss past an hour', () => {
        expect(formatDuration(5.9, 'en')).toBe('0:05');
        expect(formatDuration(754, 'en')).toBe('12:34');
        expect(formatDuration(3723, 'en')).toBe('1:02:03');
        expect(formatDuration(-3, 'en')).toBe('0:00');
    });

    it('rounds words per minute', () => {
        expect(formatWpm(145.2, 'en')).toBe('145 WPM');
        expect(formatWpm(144.5, 'en')).toBe('145 WPM');
    });

    it('switches latency to seconds at one second, rounding included', () => {
        expect(formatLatency(234.5, 'en')).toBe('235 ms');
        expect(formatLatency(999.4, 'en')).toBe('999 ms');
        expect(formatLatency(999.6, 'en')).toBe('1.0 s');
        expect(formatLatency(1234, 'en')).toBe('1.2 s');
    });

    it('switches memory to GB at 1024 MB', () => {
        expect(formatMemory(823.4, 'en')).toBe('823 MB');
        expect(formatMemory(1023.7, 'en')).toBe('1.0 GB');
        expect(formatMemory(1823.4, 'en')).toBe('1.8 GB');
    });

    it('formats percentages, with a decimal under 10', () => {
        expect(formatPercent(45.2, 'en')).toBe('45%');
        expect(formatPercent(18.44660186767578, 'en')).toBe('18%');
        expect(formatPercent(4.5, 'en')).toBe('4.5%');
        expect(formatPercent(0, 'en')).toBe('0%');
    });

    it('groups counts', () => {
        expect(formatCount(1234, 'en')).toBe('1,234');
        expect(formatCount(1234567.4, 'en')).toBe('1,234,567');
    });

    it('follows the locale', () => {
        expect(formatCount(1234, 'de')).toBe('1.234');
        expect(formatLatency(1234, 'de')).toBe('1,2 s');
        expect(formatPercent(45.2, 'de')).toBe('45\u00a0%');
    });

    it('falls back to the default locale on a bad tag instead of throwing', () => {
        expect(() => formatCount(1, 'not a locale!!')).not.toThrow();
        expect(formatCount(1, 'not a locale!!')).toBe(formatCount(1));
    });

    it('says how long ago, coarser as time passes', () => {
        expect(formatAgo(0, 'en')).toBe('now');
        expect(formatAgo(4999, 'en')).toBe('now');
        expect(formatAgo(3_000, 'en')).toBe('now');
        expect(formatAgo(12_000, 'en')).toBe('12s ago');
        expect(formatAgo(150_000, 'en')).toBe('2m ago');
        expect(formatAgo(3_700_000, 'en')).toBe('1h ago');
        expect(formatAgo(2 * 86_400_000, 'en')).toBe('2d ago');
        expect(formatAgo(-5000, 'en')).toBe('now');
    });
});

describe('ellipsize', () => {
    it('cuts long text to the limit with an ellipsis, never inside a surrogate pair', () => {
        expect(ellipsize('short', 10)).toBe('short');
        expect(ellipsize('0123456789abc', 10)).toBe('012345678…');
        expect(ellipsize('12345678😀😀', 10)).toBe('12345678…');
        expect(ellipsize('x'.repeat(5_000_000), MAX_SEGMENT_CHARS)).toHaveLength(MAX_SEGMENT_CHARS);
    });

    it('makes control characters visible and keeps newlines and tabs', () => {
        expect(ellipsize('a\u0000b\u001b[31mc\nd\te\u007f', 100)).toBe('a\u2400b\u241b[31mc\nd\te\u2421');
    });

    it('puts a long daemon message on one short line', () => {
        const line = oneLine(`Failed:\n${'reason '.repeat(10_000)}`);
        expect(line.length).toBeLessThanOrEqual(200);
        expect(line).not.toMatch(/\n/);
        expect(line.startsWith('Failed: reason reason')).toBe(true);
    });
});
