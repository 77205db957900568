// SPDX-License-Identifier: GPL-2.0-or-later
// Display text for numbers the daemon reports. Locale-aware digits and separators (Intl);
// unit symbols (ms, s, MB, GB, WPM) are the same in every language. Anything missing or not
// a number shows as a dash, so a spoiled field never reads as "NaN" or "0".

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
            // An invalid locale tag (from a setting, say): use the default one.
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

/** "0:05", "12:34", "1:02:03" past an hour. */
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

/** "145 WPM". */
export function formatWpm(wpm: number | null | undefined, locale?: string): string {
    return valid(wpm) ? `${numberFormat(locale, 0).format(Math.round(wpm))} WPM` : MISSING;
}

/** "235 ms" under a second, "1.2 s" from there. */
export function formatLatency(ms: number | null | undefined, locale?: string): string {
    if (!valid(ms))
        return MISSING;
    const rounded = Math.round(ms);
    return rounded < 1000 ? `${numberFormat(locale, 0).format(rounded)} ms` : `${numberFormat(locale, 1).format(ms / 1000)} s`;
}

/** "823 MB", "1.8 GB" from 1024 MB. */
export function formatMemory(mb: number | null | undefined, locale?: string): string {
    if (!valid(mb))
        return MISSING;
    const rounded = Math.round(mb);
    return rounded < 1024 ? `${numberFormat(locale, 0).format(rounded)} MB` : `${numberFormat(locale, 1).format(mb / 1024)} GB`;
}

/** A percentage given as 0–100: "45%", with one decimal under 10 ("4.5%"). */
export function formatPercent(percent: number | null | undefined, locale?: string): string {
    if (!valid(percent))
        return MISSING;
    const digits = Math.abs(percent) < 10 ? 1 : 0;
    return cached(locale, `p${digits}`, l => new Intl.NumberFormat(l, {style: 'percent', maximumFractionDigits: digits})).format(percent / 100);
}

/** A grouped integer: "1,234". */
export function formatCount(n: number | null | undefined, locale?: string): string {
    return valid(n) ? numberFormat(locale, 0).format(Math.round(n)) : MISSING;
}

/** An elapsed time in ms as "now", "3s ago", "2m ago", "1h ago" (Intl's narrow style, so wording varies by locale and ICU). */
export function formatAgo(ms: number | null | undefined, locale?: string): string {
    if (!valid(ms))
        return MISSING;
    const rtf = cached(locale, 'ago', l => new Intl.RelativeTimeFormat(l, {numeric: 'auto', style: 'narrow'}));
    const seconds = Math.max(0, Math.floor(ms / 1000));
    // Under five seconds a ticking count is noise.
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

/** How much of a segment the menu lays out: Pango needs seconds for a megabyte of text. */
export const MAX_SEGMENT_CHARS = 300;
/** The widest text beside the panel icon, whatever figure arrives. */
export const MAX_PANEL_LABEL_CHARS = 12;

/**
 * At most `max` characters of text, ending in "…" when cut. Never splits a surrogate pair;
 * control characters other than newline and tab are made visible, as the parser does.
 */
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

/** A transcript segment as the menu shows it (the full text is what gets copied). */
export function segmentText(text: string): string {
    return ellipsize(text, MAX_SEGMENT_CHARS);
}

/** The text beside the panel icon, kept short whatever the daemon reported. */
export function panelLabelText(text: string): string {
    return ellipsize(text, MAX_PANEL_LABEL_CHARS);
}

/** A daemon-supplied message (control reply, error) as one short line for a note or a log. */
export function oneLine(text: string, max = 200): string {
    return ellipsize(text.replace(/\s+/g, ' ').trim(), max);
}
