// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import {JSON_INCOMPLETE, JSON_TOO_DEEP, jsonValueEnd} from '../../src/core/jsonScan.js';

describe('jsonValueEnd: where the first object or array closes', () => {
    it('ends a flat object at its closing brace, leaving what follows', () => {
        const reply = '{"status":"success","state":"idle"}';
        expect(jsonValueEnd(reply)).toBe(reply.length);
        expect(jsonValueEnd(`${reply}\n{"status":"error"}`)).toBe(reply.length);
        expect(jsonValueEnd(`  ${reply}`)).toBe(reply.length + 2);
    });

    it('follows nesting of both kinds to the outermost close', () => {
        expect(jsonValueEnd('{"a":[1,{"b":[]}],"c":{}}')).toBe(25);
        expect(jsonValueEnd('[[],[[]]]')).toBe(9);
        expect(jsonValueEnd('{"a":[1,{"b":[]}]')).toBe(JSON_INCOMPLETE);
    });

    it('reads no bracket inside a string', () => {
        expect(jsonValueEnd('{"text":"a } and ] in text"')).toBe(JSON_INCOMPLETE);
        expect(jsonValueEnd('{"text":"{[{["}')).toBe(15);
        expect(jsonValueEnd('["}"]')).toBe(5);
    });

    it('keeps a string open across an escaped quote, and closes it after an escaped backslash', () => {
        // {"t":"quote \" and }"  — the \" does not end the string, so the } is text.
        expect(jsonValueEnd('{"t":"quote \\" and }"')).toBe(JSON_INCOMPLETE);
        expect(jsonValueEnd('{"t":"quote \\" and }"}')).toBe(22);
        // {"t":"back\\"}  — the string ends after the escaped backslash; the } closes the object.
        expect(jsonValueEnd('{"t":"back\\\\"}')).toBe(14);
        // A backslash as the very last character escapes nothing that is there.
        expect(jsonValueEnd('{"t":"\\')).toBe(JSON_INCOMPLETE);
    });

    it('finds nothing where nothing opens and closes', () => {
        for (const text of ['', '42', '"just a string"', 'null', '{', '[[', '}', ']', '}{'])
            expect(jsonValueEnd(text), text).toBe(JSON_INCOMPLETE);
    });

    it('counts a stray close below zero, so the value after it must rise above zero again', () => {
        expect(jsonValueEnd('}{}')).toBe(JSON_INCOMPLETE);
        expect(jsonValueEnd(']{}')).toBe(JSON_INCOMPLETE);
        expect(jsonValueEnd('][[]')).toBe(4);
    });

    it('scans on from an index, as the one pass would have gone on', () => {
        const line = '{"a":1}[2]{"b":{"c":3}}';
        const first = jsonValueEnd(line);
        const second = jsonValueEnd(line, first);
        expect([first, second, jsonValueEnd(line, second), jsonValueEnd(line, line.length)]).toEqual([7, 10, 23, JSON_INCOMPLETE]);
    });
});

describe('jsonValueEnd: a limit on nesting depth', () => {
    it('allows nesting up to the limit and refuses one level more', () => {
        const nest = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
        expect(jsonValueEnd(nest(16), 0, 16)).toBe(32);
        expect(jsonValueEnd(nest(17), 0, 16)).toBe(JSON_TOO_DEEP);
        expect(jsonValueEnd(`{"a":{"b":[${nest(14)}]}}`, 0, 16)).toBe(JSON_TOO_DEEP);
        expect(jsonValueEnd(`{"a":[${nest(14)}]}`, 0, 16)).toBeGreaterThan(0);
    });

    it('refuses a deep nest as soon as it passes the limit, even if it never closes', () => {
        expect(jsonValueEnd('['.repeat(1024 * 1024), 0, 16)).toBe(JSON_TOO_DEEP);
    });

    it('does not count brackets in strings towards the depth', () => {
        expect(jsonValueEnd(JSON.stringify({text: '[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{'}), 0, 1)).toBeGreaterThan(0);
    });

    it('has no limit unless given one', () => {
        expect(jsonValueEnd(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBe(200_000);
    });
});
