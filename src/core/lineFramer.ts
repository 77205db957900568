// SPDX-License-Identifier: GPL-2.0-or-later
// Splits the metrics stream into lines, one framer per connection. Only complete lines are
// decoded, so a UTF-8 character cut between two reads comes out whole.

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const INITIAL_CAPACITY = 4096;
const EMPTY = new Uint8Array(0);

export class LineFramer {
    private readonly maxLineBytes: number;
    // ignoreBOM: the output must not depend on where reads split the stream.
    private readonly decoder = new TextDecoder('utf-8', {ignoreBOM: true});
    private buffer: Uint8Array = EMPTY;
    private held = 0;
    private discarding = false;
    private dropped = 0;

    constructor(maxLineBytes = DEFAULT_MAX_LINE_BYTES) {
        this.maxLineBytes = Number.isFinite(maxLineBytes) && maxLineBytes >= 1 ? Math.floor(maxLineBytes) : DEFAULT_MAX_LINE_BYTES;
    }

    get oversizedLines(): number {
        return this.dropped;
    }

    get pendingBytes(): number {
        return this.held;
    }

    reset(): void {
        this.buffer = EMPTY;
        this.held = 0;
        this.discarding = false;
    }

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
                // No line can be over the cap: one decode for all, as a TextDecoder call costs GJS alike.
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

    private emitBytes(bytes: Uint8Array, start: number, end: number, lines: string[]): void {
        const stop = end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
        if (stop > start)
            lines.push(this.decoder.decode(bytes.subarray(start, stop)));
    }

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
