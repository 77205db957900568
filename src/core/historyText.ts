// SPDX-License-Identifier: GPL-2.0-or-later
// The words of the Earlier submenu and of the copy confirmation, kept pure to test in Node.
import {formatCount} from './format.js';
import {englishPlural, type Translate, type TranslatePlural} from './i18n.js';
import {type ArchivedSession, segmentWords, textOf} from './sessionHistory.js';
import type {Segment} from './sessionState.js';

export type Plural = TranslatePlural;
export {englishPlural};

const clocks = new Map<string, Intl.DateTimeFormat>();

export function formatClock(ms: number, locale?: string): string {
    const id = locale ?? '';
    let format = clocks.get(id);
    if (!format) {
        try {
            format = new Intl.DateTimeFormat(locale, {hour: 'numeric', minute: '2-digit'});
        } catch {
            format = new Intl.DateTimeFormat(undefined, {hour: 'numeric', minute: '2-digit'});
        }
        clocks.set(id, format);
    }
    return format.format(new Date(ms));
}

export function formatSpan(seconds: number, locale?: string): string {
    const s = Math.max(0, Math.round(Number.isFinite(seconds) ? seconds : 0));
    if (s < 60)
        return `${formatCount(s, locale)} s`;
    const minutes = Math.round(s / 60);
    if (minutes < 60)
        return `${formatCount(minutes, locale)} min`;
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? `${formatCount(h, locale)} h ${formatCount(m, locale)} min` : `${formatCount(h, locale)} h`;
}

export function wordsText(words: number, ngettext: Plural, locale?: string): string {
    return ngettext('%d word', '%d words', words).replace('%d', formatCount(words, locale));
}

export function historyRowText(session: ArchivedSession, ngettext: Plural, locale?: string): string {
    return `${formatClock(session.startedAt, locale)} · ${formatSpan(session.durationS, locale)} · ${wordsText(session.words, ngettext, locale)}`;
}

export type CopyOutcome =
    | {kind: 'copied'; words: number}
    | {kind: 'hidden'}
    | {kind: 'empty'};

export function copyOsdText(outcome: CopyOutcome, _: Translate, ngettext: Plural, locale?: string): string {
    switch (outcome.kind) {
    case 'copied':
        return ngettext('Copied %d word', 'Copied %d words', outcome.words).replace('%d', formatCount(outcome.words, locale));
    case 'hidden':
        return _('Not copied: transcript text is hidden');
    case 'empty':
        return _('Nothing dictated to copy');
    }
}

export function planCopy(segments: readonly Segment[], hideTranscript: boolean): {text: string | null; outcome: CopyOutcome} {
    // Hidden text is never copied, as "Copy all" does for the current session.
    if (hideTranscript)
        return {text: null, outcome: {kind: 'hidden'}};
    if (segments.length === 0)
        return {text: null, outcome: {kind: 'empty'}};
    return {text: textOf(segments), outcome: {kind: 'copied', words: segments.reduce((n, s) => n + segmentWords(s), 0)}};
}

export interface EarlierRow {
    id: number;
    text: string;
    copyable: boolean;
}

export function earlierRows(sessions: readonly ArchivedSession[], hideTranscript: boolean, ngettext: Plural, locale?: string): EarlierRow[] {
    return sessions.map(session => ({id: session.id, text: historyRowText(session, ngettext, locale), copyable: !hideTranscript}));
}
