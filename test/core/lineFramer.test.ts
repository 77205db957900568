// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import {DEFAULT_MAX_LINE_BYTES, LineFramer} from '../../src/core/lineFramer.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function feed(framer: LineFramer, chunks: Uint8Array[]): string[] {
    return chunks.flatMap(chunk => framer.push(chunk));
}

describe('LineFramer', () => {
    it('returns each complete line once, without its terminator, and holds the rest', () => {
        const framer = new LineFramer();
        expect(framer.push(utf8('{"a":1}\n{"b":2}\r\n{"c"'))).toEqual(['{"a":1}', '{"b":2}']);
        expect(framer.pendingBytes).toBe(4);
        expect(framer.push(utf8(':3}\n'))).toEqual(['{"c":3}']);
        expect(framer.pendingBytes).toBe(0);
    });

    it('delivers every line of a burst from one read', () => {
        const burst = Array.from({length: 5000}, (_, i) => `{"n":${i}}`);
        expect(new LineFramer().push(utf8(`${burst.join('\n')}\n`))).toEqual(burst);
    });

    it('frames a read the same whether it is decoded at once or line by line', () => {
        // Under the cap the read is decoded in one go; over it, line by line.
        const text = 'a\r\n\nné 日本\n\r\n\xff\u00fe😀\nlast\n';
        const bytes = Uint8Array.from([...utf8(text), 0xff, 0x0a, ...utf8('tail')]);
        const expected = ['a', 'né 日本', '\u00ff\u00fe😀', 'last', '\ufffd'];
        expect(new LineFramer(1024).push(bytes)).toEqual(expected);
        expect(new LineFramer(16).push(bytes)).toEqual(expected);
    });

    it('skips empty lines and lone carriage returns', () => {
        expect(new LineFramer().push(utf8('\n\n\r\nx\n\r\n\n'))).toEqual(['x']);
    });

    it('keeps a "\\r" that is not right before the newline', () => {
        expect(new LineFramer().push(utf8('a\rb\n\rc\n'))).toEqual(['a\rb', '\rc']);
    });

    it('decodes a multibyte character split across reads, at every cut', () => {
        const line = 'é 日本 😀 👩‍💻';
        const bytes = utf8(`${line}\n`);
        for (let at = 0; at <= bytes.length; at++) {
            const framer = new LineFramer();
            expect(feed(framer, [bytes.subarray(0, at), bytes.subarray(at)])).toEqual([line]);
        }
    });

    it('replaces invalid UTF-8 with U+FFFD without losing the newline or the next line', () => {
        const bytes = Uint8Array.from([0x61, 0xff, 0x62, 0xe6, 0x97, 0x0a, 0x63, 0x0a]);
        expect(new LineFramer().push(bytes)).toEqual(['a\ufffdb\ufffd', 'c']);
    });

    it('keeps a byte-order mark wherever it falls, so reads cannot change the text', () => {
        const bytes = utf8('\ufeffx\n\ufeffy\n');
        expect(new LineFramer().push(bytes)).toEqual(['\ufeffx', '\ufeffy']);
        const framer = new LineFramer();
        expect(feed(framer, [bytes.subarray(0, 5), bytes.subarray(5)])).toEqual(['\ufeffx', '\ufeffy']);
    });

    it('forgets a partial line on reset, as after a disconnect', () => {
        const framer = new LineFramer();
        framer.push(utf8('{"type":"sess'));
        framer.reset();
        expect(framer.pendingBytes).toBe(0);
        expect(framer.push(utf8('{"ok":1}\n'))).toEqual(['{"ok":1}']);
    });

    describe('line cap', () => {
        it('keeps a line of exactly the cap and drops one byte more, counting it once', () => {
            const framer = new LineFramer(8);
            expect(framer.push(utf8('12345678\n123456789\nok\n'))).toEqual(['12345678', 'ok']);
            expect(framer.oversizedLines).toBe(1);
        });

        it('counts the cap in bytes, not characters', () => {
            const framer = new LineFramer(8);
            expect(framer.push(utf8('日本語\n'))).toEqual([]);
            expect(framer.push(utf8('日本\n'))).toEqual(['日本']);
            expect(framer.oversizedLines).toBe(1);
        });

        it('drops a line that outgrows the cap across reads, never holding more than the cap', () => {
            const framer = new LineFramer(10);
            expect(framer.push(utf8('123456'))).toEqual([]);
            expect(framer.pendingBytes).toBe(6);
            expect(framer.push(utf8('7890ab'))).toEqual([]);
            expect(framer.pendingBytes).toBe(0);
            expect(framer.oversizedLines).toBe(1);
            expect(framer.push(utf8('cdef'))).toEqual([]);
            expect(framer.push(utf8('gh\nnext\n'))).toEqual(['next']);
            expect(framer.oversizedLines).toBe(1);
        });

        it('drops an oversized line completed by the newline in the next read', () => {
            const framer = new LineFramer(10);
            framer.push(utf8('1234567890'));
            expect(framer.pendingBytes).toBe(10);
            expect(framer.push(utf8('1\nok\n'))).toEqual(['ok']);
            expect(framer.oversizedLines).toBe(1);
        });

        it('uses 1 MiB unless told otherwise', () => {
            expect(DEFAULT_MAX_LINE_BYTES).toBe(1024 * 1024);
            const framer = new LineFramer();
            const line = `{"t":"${'x'.repeat(DEFAULT_MAX_LINE_BYTES - 8)}"}`;
            expect(utf8(line).length).toBe(DEFAULT_MAX_LINE_BYTES);
            expect(framer.push(utf8(`${line}\n`))).toEqual([line]);
            expect(framer.push(utf8(`${line}!\n`))).toEqual([]);
            expect(framer.oversizedLines).toBe(1);
        });
    });
});
