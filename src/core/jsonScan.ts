// SPDX-License-Identifier: GPL-2.0-or-later
// One bracket scan of JSON text, shared by the control client (has the whole reply arrived?)
// and the metrics stream (is a line nested too deep to hand to JSON.parse?). It looks at
// brackets outside strings only: whether the rest is valid JSON is for JSON.parse to say after.

/** jsonValueEnd found no object or array closing before the end of the text. */
export const JSON_INCOMPLETE = -1;
/** jsonValueEnd met brackets nested deeper than its limit before the value closed. */
export const JSON_TOO_DEEP = -2;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Where the first object or array that opens at or after `from` closes again: the index just
 * past its closing bracket. JSON_TOO_DEEP as soon as brackets nest deeper than `maxDepth`,
 * JSON_INCOMPLETE if the text ends first. One pass over the characters, no allocation, so it
 * can run on every line the daemon sends; calling it again from the returned index scans the
 * next value with the same state the single pass would have had there (depth 0, no string).
 * A stray closing bracket before any opening one takes the depth below zero: a value then ends
 * only where the count, having risen above zero, falls back to it.
 */
export function jsonValueEnd(text: string, from = 0, maxDepth = Infinity): number {
    let depth = 0;
    let inString = false;
    for (let i = from; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
            if (c === BACKSLASH) // the next character is escaped, even a quote
                i++;
            else if (c === QUOTE)
                inString = false;
        } else if (c === QUOTE) {
            inString = true;
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            if (++depth > maxDepth)
                return JSON_TOO_DEEP;
        } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            if (--depth === 0)
                return i + 1;
        }
    }
    return JSON_INCOMPLETE;
}
