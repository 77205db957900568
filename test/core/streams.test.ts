// SPDX-License-Identifier: GPL-2.0-or-later
// Property: what comes out of LineFramer + parseLine + reduce for a recorded stream does not
// depend on how the socket split it into reads.
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {LineFramer} from '../../src/core/lineFramer.js';
import {type ParseResult, parseLine} from '../../src/core/protocol.js';
import {initialState, reduce, type SessionState} from '../../src/core/sessionState.js';
import {concatBytes, everyBoundary, FakeSocket, mergeChunks, randomChunks, seededRandom} from '../support/fakeSocket.js';

const FIXTURES = ['typical-session', 'reconnect-mid-session', 'idle-catch-up', 'messy'];

function fixture(name: string): Uint8Array {
    return new Uint8Array(readFileSync(new URL(`../fixtures/${name}.jsonl`, import.meta.url)));
}

function withCrlf(bytes: Uint8Array): Uint8Array {
    return new TextEncoder().encode(new TextDecoder().decode(bytes).replaceAll('\n', '\r\n'));
}

/** The client's path for one connection: framer, parser, reducer; `at` counts lines. */
class Pipeline {
    private readonly framer = new LineFramer();
    readonly results: ParseResult[] = [];
    state: SessionState = reduce(initialState({at: 0}), {type: 'connected', at: 0});

    readonly push = (chunk: Uint8Array): void => {
        for (const line of this.framer.push(chunk)) {
            const result = parseLine(line);
            this.results.push(result);
            const at = this.results.length;
            this.state = reduce(this.state, result.ok
                ? {type: 'event', at, event: result.event, warnings: result.warnings.length}
                : {type: 'malformed', at});
        }
    };

    /** Everything observable, as one comparable string. */
    outcome(): string {
        return JSON.stringify({results: this.results, state: this.state, pending: this.framer.pendingBytes});
    }
}

function outcomeOf(reads: Iterable<Uint8Array>): string {
    const pipeline = new Pipeline();
    for (const read of reads)
        pipeline.push(read);
    return pipeline.outcome();
}

describe.each(FIXTURES)('recorded stream %s', name => {
    const bytes = fixture(name);
    const reference = outcomeOf([bytes]);

    it('means what it says when read whole', () => {
        const pipeline = new Pipeline();
        pipeline.push(bytes);
        const lines = new TextDecoder().decode(bytes).split('\n').filter(l => l.trim() !== '');
        expect(pipeline.results).toHaveLength(lines.length);
        const good = pipeline.results.filter(r => r.ok).length;
        expect(pipeline.state.counters.events + pipeline.state.counters.malformedLines).toBe(lines.length);
        expect(pipeline.state.counters.events).toBe(good);
        if (name !== 'messy')
            expect(good).toBe(lines.length);
    });

    it('gives the same events and state for a split at every byte boundary', () => {
        const differing: number[] = [];
        let at = 0;
        for (const reads of everyBoundary(bytes)) {
            if (outcomeOf(reads) !== reference)
                differing.push(at);
            at++;
        }
        expect(differing).toEqual([]);
    });

    it('gives the same with \\r\\n line ends, split at every byte boundary', () => {
        const crlf = withCrlf(bytes);
        const differing: number[] = [];
        let at = 0;
        for (const reads of everyBoundary(crlf)) {
            if (outcomeOf(reads) !== reference)
                differing.push(at);
            at++;
        }
        expect(differing).toEqual([]);
    });

    it('gives the same for random read sizes, merged reads, and one byte at a time', () => {
        for (let seed = 1; seed <= 100; seed++) {
            const random = seededRandom(seed);
            const reads = randomChunks(bytes, random, 1 + (seed % 40));
            expect(outcomeOf(reads), `seed ${seed}`).toBe(reference);
            expect(outcomeOf(mergeChunks(reads, random, 8)), `merged, seed ${seed}`).toBe(reference);
        }
        expect(outcomeOf(randomChunks(bytes, () => 0, 1))).toBe(reference);
    });

    it('gives the same across asynchronous pauses, from a reused read buffer', async () => {
        for (let seed = 1; seed <= 5; seed++) {
            const random = seededRandom(seed);
            const socket = new FakeSocket(randomChunks(bytes, random, 64));
            const pipeline = new Pipeline();
            await socket.replayTo(pipeline.push, {pauseChance: 0.3, maxPauseMs: 2, random, reuseBuffer: true});
            expect(pipeline.outcome()).toBe(reference);
        }
    });
});

describe('all recorded streams back to back', () => {
    const bytes = concatBytes(FIXTURES.map(fixture));
    const reference = outcomeOf([bytes]);

    it('frames the same from reads of up to 4 KiB', () => {
        for (let seed = 1; seed <= 50; seed++)
            expect(outcomeOf(randomChunks(bytes, seededRandom(seed), 4096)), `seed ${seed}`).toBe(reference);
    });

    it('shows, at the end, what the last stream left', () => {
        const pipeline = new Pipeline();
        pipeline.push(bytes);
        expect(pipeline.state.daemonState).toBe('idle');
        expect(pipeline.state.transcript.map(s => s.text)).toContain('Survived the noise ✅');
    });
});

describe('the typical session fixture', () => {
    it('ends idle with its whole transcript, the repeated sentence twice', () => {
        const pipeline = new Pipeline();
        pipeline.push(fixture('typical-session'));
        const {state} = pipeline;
        expect(state.daemonState).toBe('idle');
        expect(state.sessionId).toBe(7);
        expect(state.transcript.map(s => s.text)).toEqual([
            "Let's meet at ten.",
            'Use <b>bold</b> &amp; "quotes" — it\'s fine',
            'Emoji 🎙️👩‍💻 and 日本語のテキスト, 한국어, 中文',
            'line one\nline two\ttabbed \\ backslash',
            "Let's meet at ten.",
        ]);
        expect(state.transcript.map(s => s.clock)).toEqual(['14:23:15', '14:23:18', '14:23:21', '14:23:25', '14:23:29']);
        expect(state.session).toEqual({words: 26, segments: 5, wpm: 133, durationS: 11.6, latencyMs: 240});
    });
});
