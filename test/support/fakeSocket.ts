// SPDX-License-Identifier: GPL-2.0-or-later
// A stand-in for the metrics socket: replays a recorded byte stream in whatever pieces a
// real socket might deliver it, so a test can show that framing never depends on where
// the reads happened to split the stream.

/** mulberry32: small, fast and reproducible from its seed. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const part of parts) {
        out.set(part, offset);
        offset += part.length;
    }
    return out;
}

/** The stream in two reads, cut before byte `at`; includes the empty first or last read. */
export function splitAt(bytes: Uint8Array, at: number): Uint8Array[] {
    return [bytes.subarray(0, at), bytes.subarray(at)];
}

/** Every two-read split of the stream: one per byte boundary, ends included. */
export function* everyBoundary(bytes: Uint8Array): Generator<Uint8Array[]> {
    for (let at = 0; at <= bytes.length; at++)
        yield splitAt(bytes, at);
}

/** Reads of random sizes between 1 and maxChunk bytes. */
export function randomChunks(bytes: Uint8Array, random: () => number, maxChunk: number): Uint8Array[] {
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length;) {
        const size = 1 + Math.floor(random() * maxChunk);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
    }
    return chunks;
}

/** Joins runs of adjacent reads, as when the reader falls behind and one read returns several. */
export function mergeChunks(chunks: readonly Uint8Array[], random: () => number, maxRun: number): Uint8Array[] {
    const merged: Uint8Array[] = [];
    for (let i = 0; i < chunks.length;) {
        const run = 1 + Math.floor(random() * maxRun);
        merged.push(concatBytes(chunks.slice(i, i + run)));
        i += run;
    }
    return merged;
}

export interface ReplayOptions {
    /** Chance (0–1) of an asynchronous pause before a read; 0 by default. */
    pauseChance?: number;
    /** Longest pause, in ms (0 yields to the event loop only). */
    maxPauseMs?: number;
    random?: () => number;
    /**
     * Deliver every read in the same buffer, overwritten after the consumer returns, as a
     * socket reading into a reused buffer would: a consumer that keeps a reference to a
     * chunk instead of copying what it needs sees garbage.
     */
    reuseBuffer?: boolean;
}

export class FakeSocket {
    readonly reads: readonly Uint8Array[];

    constructor(reads: readonly Uint8Array[]) {
        this.reads = reads;
    }

    /** Delivers every read to the consumer, in order, pausing between reads as asked. */
    async replayTo(consume: (chunk: Uint8Array) => void, opts: ReplayOptions = {}): Promise<void> {
        const random = opts.random ?? seededRandom(1);
        const pauseChance = opts.pauseChance ?? 0;
        const shared = opts.reuseBuffer ? new Uint8Array(Math.max(0, ...this.reads.map(r => r.length))) : null;
        for (const read of this.reads) {
            if (pauseChance > 0 && random() < pauseChance)
                await new Promise(resolve => setTimeout(resolve, Math.floor(random() * ((opts.maxPauseMs ?? 0) + 1))));
            if (shared) {
                shared.set(read);
                consume(shared.subarray(0, read.length));
                shared.fill(0xff);
            } else {
                consume(read);
            }
        }
    }
}
