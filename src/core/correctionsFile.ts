// SPDX-License-Identifier: GPL-2.0-or-later
// corrections.toml as the daemon reads it (an entry missing a key, of the wrong type or with an
// unknown enum value makes the whole file fail), and edits of it that rewrite only the entry
// they change: other entries, comments and keys stay byte for byte.
import type {TomlTable} from 'smol-toml';

import {CASE_MODES, type CaseMode, type Correction, MATCH_TYPES, MODES, type MatchType} from './corrections.js';
import {chunks, endLine, parseToml, renderArrayTable, sameValue} from './tomlText.js';

export const CORRECTIONS_FILE = 'corrections.toml';

/** invalid: the daemon would refuse it; layout: too unusual to edit safely; gone: the entry was removed meanwhile. */
export type FileProblem = {ok: false; kind: 'invalid' | 'layout' | 'gone'; error: string};
export type Loaded = {ok: true; corrections: Correction[]} | FileProblem;
export type Edited = {ok: true; text: string; corrections: Correction[]} | FileProblem;

export type CorrectionEdit =
    | {kind: 'learn'; correction: Correction}
    | {kind: 'update'; id: string; corrected: string; matchType: MatchType; caseMode: CaseMode}
    | {kind: 'delete'; id: string};

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function typeName(v: unknown): string {
    if (typeof v === 'bigint')
        return 'integer';
    if (typeof v === 'number')
        return 'float';
    if (v instanceof Date)
        return 'datetime';
    return Array.isArray(v) ? 'sequence' : typeof v === 'object' ? 'map' : typeof v;
}

// The messages follow the daemon's (serde's) wording.
function entryProblem(t: TomlTable): string | null {
    const enums: Array<[string, readonly string[]]> = [['mode', MODES], ['match_type', MATCH_TYPES], ['case_mode', CASE_MODES]];
    for (const key of ['id', 'original', 'corrected', 'mode', 'match_type', 'learned_at', 'use_count']) {
        if (!(key in t))
            return `missing field \`${key}\``;
    }
    for (const key of ['id', 'original', 'corrected', 'learned_at']) {
        if (typeof t[key] !== 'string')
            return `invalid type: ${typeName(t[key])}, expected a string for key \`${key}\``;
    }
    for (const [key, values] of enums) {
        if (key in t && !values.includes(t[key] as string))
            return `unknown variant \`${String(t[key])}\` for key \`${key}\`, expected one of ${values.map(v => `\`${v}\``).join(', ')}`;
    }
    if (!RFC3339.test(t.learned_at as string))
        return `invalid value for key \`learned_at\`: not an RFC 3339 date`;
    if (typeof t.use_count !== 'bigint' || t.use_count < 0n)
        return `invalid value: ${String(t.use_count)}, expected u64 for key \`use_count\``;
    return null;
}

function toCorrection(t: TomlTable): Correction {
    return {
        id: t.id as string,
        original: t.original as string,
        corrected: t.corrected as string,
        mode: t.mode as Correction['mode'],
        matchType: t.match_type as MatchType,
        caseMode: (t.case_mode ?? 'preserve_input') as CaseMode,
        learnedAt: t.learned_at as string,
        useCount: Number(t.use_count),
    };
}

function tableOf(c: Correction): TomlTable {
    return {
        id: c.id, original: c.original, corrected: c.corrected, mode: c.mode, match_type: c.matchType,
        case_mode: c.caseMode, learned_at: c.learnedAt, use_count: BigInt(c.useCount),
    };
}

type Document = {ok: true; doc: TomlTable; tables: TomlTable[]} | FileProblem;

function load(text: string): Document {
    const parsed = parseToml(text);
    if (!parsed.ok)
        return {ok: false, kind: 'invalid', error: parsed.error};
    const list = parsed.doc.corrections ?? [];
    if (!Array.isArray(list) || list.some(t => typeName(t) !== 'map'))
        return {ok: false, kind: 'invalid', error: `invalid type: ${typeName(list)}, expected a sequence of tables for key \`corrections\``};
    const tables = list as TomlTable[];
    for (const [i, t] of tables.entries()) {
        const problem = entryProblem(t);
        if (problem)
            return {ok: false, kind: 'invalid', error: `${problem} in entry ${i + 1} of \`corrections\``};
    }
    return {ok: true, doc: parsed.doc, tables};
}

export function readCorrections(text: string): Loaded {
    const file = load(text);
    return file.ok ? {ok: true, corrections: file.tables.map(toCorrection)} : file;
}

const layout = (error: string): FileProblem => ({ok: false, kind: 'layout', error});

// The blank and comment lines that end an entry's text: they belong to what follows it.
function tailOf(text: string): string {
    const lines = text.split('\n');
    let body = lines.length;
    while (body > 1 && /^[ \t]*(#.*)?$/.test(lines[body - 1]))
        body--;
    return lines.slice(body).join('\n');
}

/** The file's text with one edit made, written only where it changes; the rest stays as it was. */
export function editCorrections(text: string, edit: CorrectionEdit): Edited {
    const file = load(text);
    if (!file.ok)
        return file;
    const {doc, tables} = file;
    const spans = chunks(text).filter(c => c.header === '[[corrections]]');
    const own = (i: number) => {
        const alone = parseToml(text.slice(spans[i].start, spans[i].end));
        return alone.ok && sameValue(alone.doc, {corrections: [tables[i]]});
    };
    if (spans.length !== tables.length || !tables.every((_t, i) => own(i)))
        return layout('the [[corrections]] tables could not be told apart');

    const expected = [...tables];
    let index: number;
    let table: TomlTable | null;
    if (edit.kind === 'learn') {
        const c = edit.correction;
        index = tables.findIndex(t => (t.original as string).trim().toLowerCase() === c.original && t.mode === c.mode);
        table = tableOf(c);
    } else {
        index = tables.findIndex(t => t.id === edit.id);
        if (index < 0)
            return {ok: false, kind: 'gone', error: `no entry with id ${edit.id}`};
        table = edit.kind === 'delete' ? null
            : {...tables[index], corrected: edit.corrected, match_type: edit.matchType, case_mode: edit.caseMode};
    }

    let next: string;
    if (index < 0) {
        next = `${endLine(text)}${text.trim() === '' ? '' : '\n'}${renderArrayTable('corrections', table!)}`;
        expected.push(table!);
    } else {
        const span = spans[index];
        const tail = tailOf(text.slice(span.start, span.end));
        const body = table ? `${renderArrayTable('corrections', table).trimEnd()}\n` : '';
        // A deleted entry takes its blank lines with it, not the comments before the next one.
        next = text.slice(0, span.start) + body + (table || tail.trim() !== '' ? tail : '') + text.slice(span.end);
        if (table)
            expected[index] = table;
        else
            expected.splice(index, 1);
    }

    const result = load(next);
    const want = expected.length > 0 ? {...doc, corrections: expected} : withoutCorrections(doc);
    if (!result.ok || !sameValue(result.doc, want))
        return layout('the edited file would not read back as intended');
    return {ok: true, text: next, corrections: result.tables.map(toCorrection)};
}

function withoutCorrections(doc: TomlTable): TomlTable {
    const rest = {...doc};
    delete rest.corrections;
    return rest;
}
