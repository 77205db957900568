// SPDX-License-Identifier: GPL-2.0-or-later
// Display text for the daemon's numbers. Unit symbols are the same in every language; a
// missing figure shows as a dash, never as "NaN" or "0".

const MISSING = '—';

// Building an Intl formatter is far costlier than using one, and these run every second.
const formatters = new Map<string, Intl.NumberFormat | Intl.RelativeTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.RelativeTimeFormat>(locale: string | undefined, key: string, make: (locale: string | undefined) => T): T {
    const id = `${locale ?? ''}|${key}`;
    let formatter = formatters.get(id) as T | undefined;
    if (!formatter) {
        try {
            formatter = make(locale);
        } catch {
            formatter = make(undefined);
        }
        formatters.set(id, formatter);
    }
    return formatter;
}

function numberFormat(locale: string | undefined, fractionDigits: number, extra: Intl.NumberFormatOptions = {}, key = ''): Intl.NumberFormat {
    return cached(locale, `n${fractionDigits}${key}`, l => new Intl.NumberFormat(l, {
        minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits, ...extra,
    }));
}

function valid(value: number | null | undefined): value is number {
    return typeof value === 'number' && Number.isFinite(value);
}

export function formatDuration(seconds: number | null | undefined, locale?: string): string {
    if (!valid(seconds))
        return MISSING;
    const total = Math.max(0, Math.floor(seconds));
    const plain = numberFormat(locale, 0, {useGrouping: false}, 'plain');
    const padded = numberFormat(locale, 0, {useGrouping: false, minimumIntegerDigits: 2}, 'pad2');
    const h = Math.floor(total / 3600);
    const m = Math.floor(total / 60) % 60;
    const s = padded.format(total % 60);
    return h > 0 ? `${plain.format(h)}:${padded.format(m)}:${s}` : `${plain.format(m)}:${s}`;
}

export function formatWpm(wpm: number | null | undefined, locale?: string): string {
    return valid(wpm) ? `${numberFormat(locale, 0).format(Math.round(wpm))} WPM` : MISSING;
}

export function formatLatency(ms: number | null | undefined, locale?: string): string {
    if (!valid(ms))
        return MISSING;
    const rounded = Math.round(ms);
    return rounded < 1000 ? `${numberFormat(locale, 0).format(rounded)} ms` : `${numberFormat(locale, 1).format(ms / 1000)} s`;
}

export function formatMemory(mb: number | null | undefined, locale?: string): string {
    if (!valid(mb))
        return MISSING;
    const rounded = Math.round(mb);
    return rounded < 1024 ? `${numberFormat(locale, 0).format(rounded)} MB` : `${numberFormat(locale, 1).format(mb / 1024)} GB`;
}

export function formatPercent(percent: number | null | undefined, locale?: string): string {
    if (!valid(percent))
        return MISSING;
    const digits = Math.abs(percent) < 10 ? 1 : 0;
    return cached(locale, `p${digits}`, l => new Intl.NumberFormat(l, {style: 'percent', maximumFractionDigits: digits})).format(percent / 100);
}

export function formatCount(n: number | null | undefined, locale?: string): string {
    return valid(n) ? numberFormat(locale, 0).format(Math.round(n)) : MISSING;
}

export function formatAgo(ms: number | null | undefined, locale?: string): string {
    if (!valid(ms))
        return MISSING;
    const rtf = cached(locale, 'ago', l => new Intl.RelativeTimeFormat(l, {numeric: 'auto', style: 'narrow'}));
    const seconds = Math.max(0, Math.floor(ms / 1000));
    if (seconds < 5)
        return rtf.format(0, 'second');
    if (seconds < 60)
        return rtf.format(-seconds, 'second');
    if (seconds < 3600)
        return rtf.format(-Math.floor(seconds / 60), 'minute');
    if (seconds < 86400)
        return rtf.format(-Math.floor(seconds / 3600), 'hour');
    return rtf.format(-Math.floor(seconds / 86400), 'day');
}

// Pango needs seconds to lay out a megabyte of text.
export const MAX_SEGMENT_CHARS = 300;
export const MAX_PANEL_LABEL_CHARS = 12;

export function ellipsize(text: string, max: number): string {
    let out = text;
    if (out.length > max) {
        let end = Math.max(0, max - 1);
        const code = out.charCodeAt(end - 1);
        if (code >= 0xd800 && code <= 0xdbff)
            end--;
        out = `${out.slice(0, end)}…`;
    }
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u0008\u000b-\u001f\u007f]/.test(out)
        // eslint-disable-next-line no-control-regex
        ? out.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, c => String.fromCharCode(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)))
        : out;
}

export function segmentText(text: string): string {
    return ellipsize(text, MAX_SEGMENT_CHARS);
}

export function panelLabelText(text: string): string {
    return ellipsize(text, MAX_PANEL_LABEL_CHARS);
}

export function oneLine(text: string, max = 200): string {
    return ellipsize(text.replace(/\s+/g, ' ').trim(), max);
}
