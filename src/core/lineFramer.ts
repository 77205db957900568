// SPDX-License-Identifier: GPL-2.0-or-later
// Splits the metrics stream into lines. One framer lives as long as its connection: a reader
// per read lost the bytes it had buffered (an earlier client's bug). Lines are split on the
// byte 0x0A and only complete lines are decoded, so a UTF-8 character cut between two reads
// comes out whole; 0x0A never occurs inside a multibyte character.

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const INITIAL_CAPACITY = 4096;
const EMPTY = new Uint8Array(0);

export class LineFramer {
    private readonly maxLineBytes: number;
    // ignoreBOM keeps a U+FEFF in the text wherever it falls, so the output does not depend
    // on where reads happened to split the stream.
    private readonly decoder = new TextDecoder('utf-8', {ignoreBOM: true});
    /** The unfinished line's bytes are buffer[0, held). */
    private buffer: Uint8Array = EMPTY;
    private held = 0;
    /** Inside a line already dropped for its size: skip to the next newline. */
    private discarding = false;
    private dropped = 0;

    constructor(maxLineBytes = DEFAULT_MAX_LINE_BYTES) {
        this.maxLineBytes = Number.isFinite(maxLineBytes) && maxLineBytes >= 1 ? Math.floor(maxLineBytes) : DEFAULT_MAX_LINE_BYTES;
    }

    /** Lines dropped whole for exceeding the cap, since construction. */
    get oversizedLines(): number {
        return this.dropped;
    }

    /** Bytes held for the unfinished line; never more than the cap. */
    get pendingBytes(): number {
        return this.held;
    }

    /** Forgets a partial line, as after a disconnect. */
    reset(): void {
        this.buffer = EMPTY;
        this.held = 0;
        this.discarding = false;
    }

    /**
     * Feeds a chunk; returns the complete, non-empty lines it finished, decoded as UTF-8
     * (invalid bytes become U+FFFD), without their "\n" or "\r\n". The cap counts a line's
     * bytes before its "\n".
     */
    push(bytes: Uint8Array): string[] {
        const lines: string[] = [];
        let start = 0;
        let newline = bytes.indexOf(NEWLINE);
        if (newline >= 0 && (this.held > 0 || this.discarding)) {
            this.completeHeld(bytes.subarray(0, newline), lines);
            start = newline + 1;
            newline = bytes.indexOf(NEWLINE, start);
        }
        if (newline >= 0) {
            const last = bytes.lastIndexOf(NEWLINE);
            if (last - start <= this.maxLineBytes) {
                // No line here can be over the cap: one decode for all of them.
                this.splitText(this.decoder.decode(bytes.subarray(start, last)), lines);
                start = last + 1;
                newline = -1;
            }
        }
        while (newline >= 0) {
            if (newline - start > this.maxLineBytes)
                this.dropped++;
            else
                this.emitBytes(bytes, start, newline, lines);
            start = newline + 1;
            newline = bytes.indexOf(NEWLINE, start);
        }
        this.hold(bytes, start);
        return lines;
    }

    /** Pushes the non-empty lines of text (no "\n" at its end), without a final "\r". */
    private splitText(text: string, lines: string[]): void {
        let start = 0;
        for (;;) {
            const newline = text.indexOf('\n', start);
            const end = newline < 0 ? text.length : newline;
            const stop = end > start && text.charCodeAt(end - 1) === CARRIAGE_RETURN ? end - 1 : end;
            if (stop > start)
                lines.push(text.slice(start, stop));
            if (newline < 0)
                return;
            start = newline + 1;
        }
    }

    /**
     * Emits bytes[start, end) as a line, without a final "\r", unless that leaves it empty.
     * Used when a read holds more than the cap: any of its lines may be over it. Otherwise
     * (every 16 KiB read) the lines are decoded at once: a TextDecoder call costs GJS about a
     * microsecond whatever its length, and one per read instead of one per line made the
     * shell's client 20–30% faster (benchmark 2).
     */
    private emitBytes(bytes: Uint8Array, start: number, end: number, lines: string[]): void {
        const stop = end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
        if (stop > start)
            lines.push(this.decoder.decode(bytes.subarray(start, stop)));
    }

    /** Finishes the held line with head, the bytes before a newline. */
    private completeHeld(head: Uint8Array, lines: string[]): void {
        if (this.discarding) {
            this.discarding = false;
            return;
        }
        if (this.held + head.length > this.maxLineBytes) {
            this.drop();
            return;
        }
        this.append(head);
        const length = this.held;
        this.held = 0;
        this.emitBytes(this.buffer, 0, length, lines);
    }

    /** Keeps bytes[from..] as (part of) the unfinished line, unless that breaks the cap. */
    private hold(bytes: Uint8Array, from: number): void {
        const size = bytes.length - from;
        if (size === 0 || this.discarding)
            return;
        if (this.held + size > this.maxLineBytes)
            this.startDiscarding();
        else
            this.append(from === 0 ? bytes : bytes.subarray(from));
    }

    private drop(): void {
        this.dropped++;
        this.held = 0;
    }

    /** The line is over the cap before its end arrived: count it now, skip the rest. */
    private startDiscarding(): void {
        this.drop();
        this.discarding = true;
    }

    private append(bytes: Uint8Array): void {
        const needed = this.held + bytes.length;
        if (needed > this.buffer.length) {
            let capacity = Math.max(this.buffer.length * 2, INITIAL_CAPACITY);
            while (capacity < needed)
                capacity *= 2;
            const grown = new Uint8Array(Math.min(capacity, this.maxLineBytes));
            grown.set(this.buffer.subarray(0, this.held));
            this.buffer = grown;
        }
        this.buffer.set(bytes, this.held);
        this.held = needed;
    }
}
