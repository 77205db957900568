// SPDX-License-Identifier: GPL-2.0-or-later
// Editing a TOML file as text, with the parser's help: a change rewrites only the lines it
// touches, so comments, layout and keys nobody here understands stay as they were. Every
// edit is checked by parsing the result and comparing it with what was meant.
import {type TomlTable, TomlError, parse, stringify} from 'smol-toml';

export type Parsed = {ok: true; doc: TomlTable} | {ok: false; error: string};

/** Integers stay BigInt, so `4` and `4.0` keep the types the daemon sees. */
export function parseToml(text: string): Parsed {
    try {
        return {ok: true, doc: parse(text, {integersAsBigInt: true}) as TomlTable};
    } catch (e) {
        if (e instanceof TomlError)
            return {ok: false, error: `${e.message.split('\n')[0]} (line ${e.line}, column ${e.column})`};
        throw e;
    }
}

export function sameValue(a: unknown, b: unknown): boolean {
    if (a instanceof Date || b instanceof Date)
        return a instanceof Date && b instanceof Date && a.toISOString() === b.toISOString();
    if (Array.isArray(a) || Array.isArray(b))
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
    if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
        const ka = Object.keys(a), kb = Object.keys(b);
        return ka.length === kb.length && ka.every(k => Object.hasOwn(b, k) &&
            sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
    }
    return Object.is(a, b);
}

/** One `[[name]]` table as TOML text. Numbers are floats; integers are BigInt (see parseToml). */
export function renderArrayTable(name: string, table: TomlTable): string {
    return stringify({[name]: [table]}, {numbersAsFloat: true});
}

/** A float as TOML writes it: always with a fraction, so it never reads back as an integer. */
export function floatText(n: number): string {
    return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

export interface Chunk {
    start: number;
    end: number;
    /** The header line's text (`[[corrections]]`, `[hotkeys]`); null before the first header. */
    header: string | null;
}

const HEADER = /^[ \t]*(\[\[?[^\]\n]*\]\]?)[ \t]*(#.*)?$/gm;

/**
 * The text cut at every line that looks like a table header. A line inside a multi-line
 * string or array can look like one too: callers check each chunk with the parser.
 */
export function chunks(text: string): Chunk[] {
    const out: Chunk[] = [{start: 0, end: text.length, header: null}];
    for (const m of text.matchAll(HEADER)) {
        out[out.length - 1].end = m.index;
        out.push({start: m.index, end: text.length, header: m[1].replace(/\s+/g, '')});
    }
    return out;
}

/** Text with a newline at its end, unless it is empty. */
export function endLine(text: string): string {
    return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * `key = value` set in the top-level table (before any header): the value of an existing
 * line is replaced and its comment kept; a missing key gets a line of its own. Null when the
 * key's line is not a plain one-line `key = value`.
 */
export function setTopLevel(text: string, key: string, valueText: string): string | null {
    const head = chunks(text)[0];
    const top = text.slice(head.start, head.end);
    const line = new RegExp(`^([ \\t]*${key}[ \\t]*=[ \\t]*)(.*)$`, 'm').exec(top);
    if (!line)
        return `${endLine(top)}${key} = ${valueText}\n${text.slice(head.end)}`;
    // The value ends where a `#` (or the line) ends something that parses on its own.
    const rest = line[2];
    const cuts = [...rest.matchAll(/#/g)].map(m => m.index).concat(rest.length);
    const cut = cuts.find(at => parseToml(`v = ${rest.slice(0, at)}`).ok);
    if (cut === undefined)
        return null;
    const old = rest.slice(0, cut);
    const spacing = old.slice(old.trimEnd().length);
    const start = line.index + line[1].length;
    return text.slice(0, start) + valueText + spacing + rest.slice(cut) + text.slice(start + rest.length);
}
