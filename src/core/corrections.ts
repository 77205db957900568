// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon's learned corrections (docs/daemon-files.md): what an entry holds, how a new one
// is learned, and how exact ones rewrite a segment. Pure, no TOML: the simulator applies them,
// the preferences learn them.

export const MODES = ['all', 'secretary', 'code'] as const;
export const MATCH_TYPES = ['exact', 'phonetic'] as const;
export const CASE_MODES = ['preserve_input', 'force_pattern', 'smart'] as const;
export type Mode = typeof MODES[number];
export type MatchType = typeof MATCH_TYPES[number];
export type CaseMode = typeof CASE_MODES[number];

export interface Correction {
    id: string;
    original: string;
    corrected: string;
    mode: Mode;
    matchType: MatchType;
    caseMode: CaseMode;
    learnedAt: string;
    useCount: number;
}

/** What the user asks for: a phrase heard, what was meant, how to match and capitalise it. */
export interface CorrectionDraft {
    original: string;
    corrected: string;
    matchType: MatchType;
    caseMode: CaseMode;
}

export type DraftProblem = 'no-original' | 'no-corrected' | 'same';

export function draftProblem(draft: CorrectionDraft): DraftProblem | null {
    const original = draft.original.trim();
    if (original === '')
        return 'no-original';
    if (draft.corrected.trim() === '')
        return 'no-corrected';
    if (draft.corrected.trim() === original)
        return 'same';
    return null;
}

/** A correction learned the way the daemon's own window learns one. */
export function learn(draft: CorrectionDraft, id: string, now: Date): Correction {
    return {
        id,
        original: draft.original.trim().toLowerCase(),
        corrected: draft.corrected.trim(),
        mode: 'all',
        matchType: draft.matchType,
        caseMode: draft.caseMode,
        learnedAt: now.toISOString(),
        useCount: 0,
    };
}

const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
const isLetter = (c: string) => c.toLowerCase() !== c.toUpperCase();

function allCapitals(word: string): boolean {
    const chars = [...word];
    return chars.length > 1 && chars.every(c => !isLetter(c) || isUpper(c)) && chars.some(isLetter);
}

/** The replacement's capitals, from the spoken word's and the entry's case mode. */
export function withCase(spoken: string, corrected: string, mode: CaseMode): string {
    if (mode === 'force_pattern')
        return corrected;
    if (mode === 'smart')
        return allCapitals(spoken) ? corrected.toUpperCase() : corrected;
    if (allCapitals(spoken))
        return corrected.toUpperCase();
    const first = [...spoken][0] ?? '';
    if (isUpper(first))
        return corrected.charAt(0).toUpperCase() + corrected.slice(1);
    return corrected.toLowerCase();
}

/**
 * The segment with the exact corrections of mode `all` applied, as the daemon does: on
 * whitespace-separated words, case-insensitively, phrases of 4, 3 and 2 words before single
 * words; the words come out joined by single spaces.
 */
export function applyExact(text: string, corrections: readonly Correction[]): string {
    const table = new Map<string, Correction>();
    for (const c of corrections) {
        if (c.mode === 'all' && c.matchType === 'exact')
            table.set(c.original.toLowerCase(), c);
    }
    if (table.size === 0)
        return text;
    const words = text.split(/\s+/).filter(w => w !== '');
    const out: string[] = [];
    for (let i = 0; i < words.length;) {
        let taken = 1;
        let replacement = words[i];
        for (const n of [4, 3, 2, 1]) {
            if (i + n > words.length)
                continue;
            const hit = table.get(words.slice(i, i + n).join(' ').toLowerCase());
            if (hit && (n > 1 || !hit.original.includes(' '))) {
                replacement = withCase(words[i], hit.corrected, hit.caseMode);
                taken = n;
                break;
            }
        }
        out.push(replacement);
        i += taken;
    }
    return out.join(' ');
}

/** The corrections whose heard or meant text holds every word of the query. */
export function searchCorrections(corrections: readonly Correction[], query: string): Correction[] {
    const words = query.toLowerCase().split(/\s+/).filter(w => w !== '');
    return corrections.filter(c => {
        const text = `${c.original} ${c.corrected}`.toLowerCase();
        return words.every(w => text.includes(w));
    });
}
