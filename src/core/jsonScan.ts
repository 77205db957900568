// SPDX-License-Identifier: GPL-2.0-or-later
// One bracket scan of JSON text, for the control client (has the whole reply arrived?) and
// the metrics stream (is a line nested too deep for JSON.parse?). Strings are skipped.

export const JSON_INCOMPLETE = -1;
export const JSON_TOO_DEEP = -2;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

// The index just past the first object or array that opens at or after `from`. Calling it
// again from there scans the next value as one pass would; it allocates nothing.
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
