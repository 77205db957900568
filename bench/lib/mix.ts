// SPDX-License-Identifier: GPL-2.0-or-later
// The event streams every benchmark feeds: deterministic, serialised exactly as the simulator
// (and the daemon) writes them. "mix" is a dictation day compressed: a metrics_update every
// second, whatever the state; sessions of 10-120 s separated by 5-60 s idle; while recording a
// transcription of 5-400 characters about every third second; the toggles' session and state
// events. "4 KiB" is transcription lines of 4096 bytes each.
import {
    type MetricsSnapshot, type Segment, metricsLine, sessionEndLine, sessionStartLine, stateChangeLine, transcriptionLine,
} from '../../tools/sim/events.js';
import {seededRandom} from '../../test/support/fakeSocket.js';

// The same reproducible generator the framing tests split streams with.
export const rng = seededRandom;

// What dictated text looks like to the parser: mostly ASCII words, some accents, CJK and
// emoji (non-ASCII lines decode slower), quotes, '<', '&' and the odd escaped newline.
const WORDS = [
    'the', 'meeting', 'is', 'moved', 'to', 'Thursday', 'at', 'ten', 'please', 'send', 'me', 'the', 'report',
    'and', 'a', 'summary', 'of', 'what', 'we', 'agreed', 'on', 'yesterday', 'so', 'that', 'everyone', 'knows',
    'function', 'returns', 'null', 'when', 'the', 'list', 'is', 'empty', 'café', 'naïve', 'Grüße', 'über',
    'déjà', 'vu', '日本語', '東京', '🎉', '"quoted"', '<tag>', 'R&D', 'it\'s', 'okay', 'new\nline',
];

export function sentence(rand: () => number, length: number): string {
    let out = '';
    while (out.length < length)
        out += (out ? ' ' : '') + WORDS[Math.floor(rand() * WORDS.length)];
    out = out.slice(0, length);
    // Do not leave half a surrogate pair at the cut.
    const last = out.charCodeAt(out.length - 1);
    return last >= 0xd800 && last <= 0xdbff ? out.slice(0, -1) : out;
}

function clock(second: number): string {
    const s = (9 * 3600 + second) % 86400;
    const p = (n: number) => String(n).padStart(2, '0');
    return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
}

/** Lines of the realistic mix, each ending in "\n". */
export function mixLines(count: number, seed = 1): string[] {
    const rand = rng(seed);
    const lines: string[] = [];
    const t0 = 1_750_000_000;
    let second = 0;
    let sessionId = 100;
    let lastSession: number | null = null;
    let recording = false;
    let phaseLeft = 5 + Math.floor(rand() * 55);
    let words = 0, segments = 0, speechS = 0, latency = 0;
    const push = (line: string) => {
        if (lines.length < count)
            lines.push(line);
    };
    while (lines.length < count) {
        if (phaseLeft-- <= 0) {
            if (recording) {
                push(sessionEndLine(sessionId, t0 + second + 0.25));
                push(stateChangeLine('idle', t0 + second + 0.26));
                recording = false;
                phaseLeft = 5 + Math.floor(rand() * 55);
            } else {
                sessionId++;
                lastSession = sessionId;
                words = segments = speechS = 0;
                push(sessionStartLine(sessionId, t0 + second + 0.01));
                push(stateChangeLine('recording', t0 + second + 0.02));
                recording = true;
                phaseLeft = 10 + Math.floor(rand() * 110);
            }
        }
        if (recording && rand() < 0.35) {
            const text = sentence(rand, 5 + Math.floor(rand() * 396));
            const n = text.split(/\s+/).filter(Boolean).length;
            const seg: Segment = {text, timestamp: clock(second), wpm: Math.min(300, 110 + rand() * 90), latencyMs: 120 + rand() * 380, words: n};
            words += n;
            segments++;
            speechS += n * 60 / seg.wpm;
            latency = seg.latencyMs;
            push(transcriptionLine(seg));
        }
        const gpuMb = Math.round((1780 + (recording ? 420 : 0) + rand() * 40) * 16) / 16;
        const m: MetricsSnapshot = {
            state: recording ? 'recording' : 'idle', sessionId: lastSession, segments, words,
            wpm: speechS > 0 ? words / speechS * 60 : 0, durationS: speechS, latencyMs: latency,
            gpuMemoryMb: gpuMb, gpuMemoryPercent: gpuMb / 8192 * 100,
            cpuPercent: Math.fround(recording ? 12 + rand() * 25 : 0.5 + rand() * 4),
        };
        push(metricsLine(m));
        second++;
    }
    return lines;
}

/** Transcription lines of exactly `bytes` bytes each (newline included). */
export function bigTranscriptionLines(count: number, bytes = 4096, seed = 2): string[] {
    const rand = rng(seed);
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
        const seg: Segment = {text: '', timestamp: clock(i), wpm: 150.5, latencyMs: 231.25, words: 0};
        const size = (text: string) => Buffer.byteLength(transcriptionLine({...seg, text}));
        let text = sentence(rand, Math.floor(bytes * 0.8));
        seg.words = text.split(/\s+/).length;
        while (size(text) > bytes)
            text = text.slice(0, -16);
        if (/[\ud800-\udbff]$/.test(text))
            text = text.slice(0, -1);
        text += 'x'.repeat(bytes - size(text));
        seg.text = text;
        const line = transcriptionLine(seg);
        if (Buffer.byteLength(line) !== bytes)
            throw new Error(`4 KiB line generator: got ${Buffer.byteLength(line)} bytes`);
        lines.push(line);
    }
    return lines;
}

/** Joins lines into buffers of about `size` bytes (whole lines), for writing to a socket. */
export function toChunks(lines: readonly string[], size = 256 * 1024): Buffer[] {
    const out: Buffer[] = [];
    let parts: string[] = [];
    let bytes = 0;
    for (const line of lines) {
        parts.push(line);
        bytes += line.length;
        if (bytes >= size) {
            out.push(Buffer.from(parts.join(''), 'utf8'));
            parts = [];
            bytes = 0;
        }
    }
    if (parts.length)
        out.push(Buffer.from(parts.join(''), 'utf8'));
    return out;
}

export function describeMix(lines: readonly string[]): {lines: number; bytes: number; meanBytes: number; byType: Record<string, number>} {
    const byType: Record<string, number> = {};
    let bytes = 0;
    for (const l of lines) {
        bytes += Buffer.byteLength(l);
        const type = /"type":"([a-z_]+)"/.exec(l)?.[1] ?? '?';
        byType[type] = (byType[type] ?? 0) + 1;
    }
    return {lines: lines.length, bytes, meanBytes: Math.round(bytes / lines.length), byType};
}
