// SPDX-License-Identifier: GPL-2.0-or-later
// Whatever arrives on the socket, the client keeps going: nothing throws, every bad line is
// counted, and the next good line still gets through.
import {describe, expect, it} from 'vitest';
import {DEFAULT_MAX_LINE_BYTES, LineFramer} from '../../src/core/lineFramer.js';
import {SessionStore} from '../../src/core/sessionStore.js';
import {randomChunks, seededRandom} from '../support/fakeSocket.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const GOOD = '{"type":"state_change","state":"recording","timestamp":1699000000.0}';

/** A connection's client side: framer into store, oversized lines reported as deltas. */
function client(maxLineBytes?: number) {
    const framer = new LineFramer(maxLineBytes);
    const store = new SessionStore({now: () => 0});
    store.dispatch({type: 'connected', at: 0});
    const problems: string[] = [];
    return {
        framer,
        store,
        problems,
        push(chunk: Uint8Array): void {
            const before = framer.oversizedLines;
            const lines = framer.push(chunk);
            if (framer.oversizedLines > before)
                store.dispatch({type: 'oversized', at: 1, count: framer.oversizedLines - before});
            for (const line of lines) {
                const problem = store.ingestLine(line, 1);
                if (problem !== null)
                    problems.push(problem);
            }
        },
    };
}

// Each entry is one line's bytes (the newline is added); none of them is a usable event.
const CORPUS: [string, Uint8Array][] = [
    ['truncated object', utf8('{"type":"metrics_update","state":"idle","session_id":null,"segm')],
    ['truncated string', utf8('{"type":"transcription","text":"half a sent')],
    ['trailing comma', utf8('{"type":"state_change",}')],
    ['array', utf8('[{"type":"state_change","state":"idle"}]')],
    ['number', utf8('1699000000.0')],
    ['string', utf8('"state_change"')],
    ['null', utf8('null')],
    ['boolean', utf8('true')],
    ['type missing', utf8('{"state":"idle"}')],
    ['type not a string', utf8('{"type":["state_change"]}')],
    ['transcription without text', utf8('{"type":"transcription","timestamp":"14:23:15"}')],
    ['transcription with object text', utf8('{"type":"transcription","text":{"en":"hi"}}')],
    ['raw NUL byte', bytes(0x7b, 0x00, 0x7d)],
    ['NUL inside a string', utf8('{"type":"state_change","state":"id\u0000le"}')],
    ['invalid UTF-8', bytes(0x7b, 0xff, 0xfe, 0x7d)],
    ['overlong UTF-8', bytes(0x22, 0xc0, 0xaf, 0x22)],
    ['UTF-8 encoded surrogate', bytes(0x7b, 0xed, 0xa0, 0x80, 0x7d)],
    ['deep nesting', utf8(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)],
    ['garbage', utf8('\u001b[31mERROR\u001b[0m daemon panicked')],
    ['whitespace only', utf8('   \t ')],
    ['BOM before JSON', utf8(`\ufeff${GOOD}`)],
];

describe('malformed input', () => {
    it.each(CORPUS)('counts a line of %s as malformed, and carries on', (_name, line) => {
        const c = client();
        expect(() => c.push(new Uint8Array([...line, 0x0a, ...utf8(`${GOOD}\n`)]))).not.toThrow();
        const {counters} = c.store.state;
        expect(counters.malformedLines).toBe(1);
        expect(counters.events).toBe(1);
        expect(c.store.state.daemonState).toBe('recording');
        expect(c.problems).toHaveLength(1);
        expect(c.problems[0]).toMatch(/^malformed line: /);
    });

    it('counts the whole corpus, fed in random pieces, exactly', () => {
        const stream = new Uint8Array(CORPUS.flatMap(([, line]) => [...line, 0x0a, ...utf8(`${GOOD}\n`)]));
        for (let seed = 1; seed <= 10; seed++) {
            const c = client();
            for (const chunk of randomChunks(stream, seededRandom(seed), 512))
                c.push(chunk);
            expect(c.store.state.counters).toMatchObject({malformedLines: CORPUS.length, events: CORPUS.length});
        }
    });

    it('keeps the event when only a field is wrong, and counts the warning', () => {
        const c = client();
        c.push(utf8('{"type":"metrics_update","state":"recording","session_id":"seven","words":12,"cpu_percent":null}\n'));
        expect(c.store.state.counters).toMatchObject({events: 1, malformedLines: 0, fieldWarnings: 1});
        expect(c.store.state.daemonState).toBe('recording');
        expect(c.store.state.session.words).toBe(12);
    });

    it('drops a 2 MiB line whole, counts it once, and delivers the next line', () => {
        const c = client();
        const huge = utf8(`{"type":"transcription","text":"${'a'.repeat(2 * 1024 * 1024)}"}\n${GOOD}\n`);
        c.push(huge);
        expect(c.framer.oversizedLines).toBe(1);
        expect(c.store.state.counters).toMatchObject({oversizedLines: 1, malformedLines: 0, events: 1});
        expect(c.store.state.daemonState).toBe('recording');
        expect(c.store.state.transcript).toEqual([]);
    });

    it('does the same when the 2 MiB line arrives in 64 KiB reads', () => {
        const c = client();
        const huge = utf8(`{"type":"transcription","text":"${'日'.repeat(700_000)}"}\n${GOOD}\n`);
        for (let at = 0; at < huge.length; at += 65536) {
            c.push(huge.subarray(at, at + 65536));
            expect(c.framer.pendingBytes).toBeLessThanOrEqual(DEFAULT_MAX_LINE_BYTES);
        }
        expect(c.store.state.counters).toMatchObject({oversizedLines: 1, events: 1});
    });

    it('skips 100k empty lines quickly, without counting them', () => {
        const c = client();
        const started = performance.now();
        c.push(new Uint8Array(100_000).fill(0x0a));
        c.push(utf8('\r\n'.repeat(100_000)));
        c.push(utf8(`${GOOD}\n`));
        expect(performance.now() - started).toBeLessThan(1000);
        expect(c.store.state.counters).toMatchObject({events: 1, malformedLines: 0, oversizedLines: 0});
    });

    it('holds at most the cap while 100 MB arrive without a newline, then recovers', () => {
        const c = client();
        const chunk = new Uint8Array(64 * 1024).fill(0x61);
        let most = 0;
        for (let sent = 0; sent < 100 * 1024 * 1024; sent += chunk.length) {
            c.push(chunk);
            most = Math.max(most, c.framer.pendingBytes);
        }
        expect(most).toBeLessThanOrEqual(DEFAULT_MAX_LINE_BYTES);
        expect(c.framer.pendingBytes).toBe(0);
        c.push(utf8(`tail of the monster\n${GOOD}\n`));
        expect(c.framer.oversizedLines).toBe(1);
        expect(c.store.state.counters).toMatchObject({oversizedLines: 1, malformedLines: 0, events: 1});
        expect(c.store.state.daemonState).toBe('recording');
    });

    it('does not buffer much for a huge line read in one piece either', () => {
        const c = client(1000);
        c.push(new Uint8Array(5_000_000).fill(0x78));
        expect(c.framer.pendingBytes).toBe(0);
        c.push(utf8(`\n${GOOD}\n`));
        expect(c.store.state.counters).toMatchObject({oversizedLines: 1, events: 1});
    });
});
