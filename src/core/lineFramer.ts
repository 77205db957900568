// Splits the metrics stream into lines. One framer lives as long as its connection: a reader
// per read lost the bytes it had buffered (an earlier client's bug). Lines are split on the
// byte 0x0A and only complete lines are decoded, so a UTF-8 character cut between two reads
// comes out whole; 0x0A never occurs inside a multibyte character.

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const INITIAL_CAPACITY = 4096;
const EMPTY = new Uint8Array(0);

function isHighSurrogate(code: number): boolean {
    return code >= 0xd800 && code <= 0xdbff;
}

/** UTF-8 length of text[start, end); a lone surrogate counts as the 3 bytes of U+FFFD. */
function utf8Length(text: string, start: number, end: number): number {
    let bytes = 0;
    for (let i = start; i < end; i++) {
        const code = text.charCodeAt(i);
        if (code < 0x80) {
            bytes += 1;
        } else if (code < 0x800) {
            bytes += 2;
        } else if (isHighSurrogate(code) && i + 1 < end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
            bytes += 4;
            i++;
        } else {
            bytes += 3;
        }
    }
    return bytes;
}

export class LineFramer {
    private readonly maxLineBytes: number;
    // ignoreBOM keeps a U+FEFF in the text wherever it falls, so the output does not depend
    // on where reads happened to split the stream.
    private readonly decoder = new TextDecoder('utf-8', {ignoreBOM: true});
    private readonly encoder = new TextEncoder();
    /** The unfinished line's bytes are buffer[0, held). */
    private buffer: Uint8Array = EMPTY;
    private held = 0;
    /** Inside a line already dropped for its size: skip to the next newline. */
    private discarding = false;
    private dropped = 0;
    /** A string chunk may end between the two halves of a surrogate pair. */
    private highSurrogate = '';

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
        this.highSurrogate = '';
    }

    /**
     * Feeds a chunk; returns the complete, non-empty lines it finished, decoded as UTF-8
     * (invalid bytes become U+FFFD), without their "\n" or "\r\n". The cap counts a line's
     * bytes before its "\n".
     */
    push(chunk: Uint8Array | string): string[] {
        const lines: string[] = [];
        if (typeof chunk === 'string') {
            this.pushText(chunk, lines);
        } else {
            if (this.highSurrogate) {
                // Mixed input: the half pair can no longer be completed.
                this.hold(this.encoder.encode(this.highSurrogate), 0);
                this.highSurrogate = '';
            }
            this.pushBytes(chunk, lines);
        }
        return lines;
    }

    private pushBytes(bytes: Uint8Array, lines: string[]): void {
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

    private pushText(chunk: string, lines: string[]): void {
        const text = this.highSurrogate ? this.highSurrogate + chunk : chunk;
        this.highSurrogate = '';
        let start = 0;
        let newline = text.indexOf('\n');
        if (newline >= 0 && (this.held > 0 || this.discarding)) {
            this.completeHeld(text.slice(0, newline), lines);
            start = newline + 1;
            newline = text.indexOf('\n', start);
        }
        while (newline >= 0) {
            if (this.tooLong(text, start, newline)) {
                this.dropped++;
            } else {
                const stop = newline > start && text.charCodeAt(newline - 1) === CARRIAGE_RETURN ? newline - 1 : newline;
                if (stop > start)
                    lines.push(text.slice(start, stop));
            }
            start = newline + 1;
            newline = text.indexOf('\n', start);
        }
        let end = text.length;
        if (end > start && isHighSurrogate(text.charCodeAt(end - 1))) {
            this.highSurrogate = text[end - 1];
            end--;
        }
        if (end > start && !this.discarding) {
            if (end - start > this.maxLineBytes)
                this.startDiscarding();
            else
                this.hold(this.encoder.encode(text.slice(start, end)), 0);
        }
    }

    private tooLong(text: string, start: number, end: number): boolean {
        // A UTF-16 unit is 1 to 3 UTF-8 bytes: count exactly only when it could matter.
        const units = end - start;
        return units > this.maxLineBytes || (units * 3 > this.maxLineBytes && utf8Length(text, start, end) > this.maxLineBytes);
    }

    /** Finishes the held line with head, the bytes (or text) before a newline. */
    private completeHeld(head: Uint8Array | string, lines: string[]): void {
        if (this.discarding) {
            this.discarding = false;
            return;
        }
        // For text, head.length (UTF-16 units) never exceeds its UTF-8 length.
        if (this.held + head.length > this.maxLineBytes) {
            this.drop();
            return;
        }
        const bytes = typeof head === 'string' ? this.encoder.encode(head) : head;
        if (this.held + bytes.length > this.maxLineBytes) {
            this.drop();
            return;
        }
        this.append(bytes);
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
