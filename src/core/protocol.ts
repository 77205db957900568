// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon's broadcast events, read liberally: a wrong-typed field spoils that field only,
// and an event is refused only when it means nothing.
import {JSON_TOO_DEEP, jsonValueEnd} from './jsonScan.js';

export type DaemonState = 'idle' | 'recording' | 'processing' | 'error';

export interface SessionStartEvent { type: 'session_start'; sessionId: number | null; timestamp: number | null }
export interface SessionEndEvent { type: 'session_end'; sessionId: number | null; timestamp: number | null }
export interface TranscriptionEvent {
    type: 'transcription';
    text: string;
    /** The daemon's local "HH:MM:SS", not epoch seconds. */
    clock: string | null;
    wpm: number | null;
    latencyMs: number | null;
    words: number | null;
}
export interface MetricsUpdateEvent {
    type: 'metrics_update';
    state: DaemonState | null;
    sessionId: number | null;
    segments: number | null;
    words: number | null;
    wpm: number | null;
    durationS: number | null;
    latencyMs: number | null;
    gpuMemoryMb: number | null;
    gpuMemoryPercent: number | null;
    cpuPercent: number | null;
}
export interface StateChangeEvent { type: 'state_change'; state: DaemonState | null; timestamp: number | null }
export interface UnknownEvent { type: 'unknown'; eventType: string }
export type DaemonEvent = SessionStartEvent | SessionEndEvent | TranscriptionEvent | MetricsUpdateEvent | StateChangeEvent | UnknownEvent;

export type ParseResult =
    | { ok: true; event: DaemonEvent; warnings: string[] }
    | { ok: false; error: string };

const NO_WARNINGS = Object.freeze([]) as unknown as string[];
const NUMERIC_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const MAX_QUOTED = 40;
// Events are flat; JSON.parse of a deeply nested line would stall the main loop.
export const MAX_NESTING = 16;

interface Range { field: string; max: number; integer: boolean }
// Every figure is at least 0. One shape for all, so that number() stays monomorphic.
function range(field: string, max: number, integer = false): Range {
    return {field, max, integer};
}
const SESSION_ID = range('session_id', Number.MAX_SAFE_INTEGER, true);
const SEGMENTS = range('segments', 10_000_000, true);
const WORDS = range('words', 10_000_000, true);
const WPM = range('wpm', 1000);
const DURATION_S = range('duration_s', 10 * 365 * 86400);
const LATENCY_MS = range('latency_ms', 3_600_000);
const GPU_MEMORY_MB = range('gpu_memory_mb', 16 * 1024 * 1024);
const GPU_MEMORY_PERCENT = range('gpu_memory_percent', 100);
const CPU_PERCENT = range('cpu_percent', 100 * 1024);
const TIMESTAMP = range('timestamp', 32_503_680_000);
/** Percentages computed in floating point may overshoot their bound by a hair. */
const SLACK = 1e-6;

type Fields = Record<string, unknown>;

// Module-level so that a clean line allocates nothing; parseLine is never re-entered.
let warnings: string[] | null = null;

function warn(field: string, problem: string): void {
    (warnings ??= []).push(`${field}: ${problem}`);
}

function typeName(value: unknown): string {
    if (value === null)
        return 'null';
    return Array.isArray(value) ? 'array' : typeof value;
}

function quote(text: string): string {
    return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text);
}

// Small enough to inline; rare cases go slow.
function number(value: unknown, range: Range): number | null {
    return typeof value === 'number' && value >= 0 && value <= range.max && (!range.integer || Number.isInteger(value))
        ? value : numberSlow(value, range);
}

function numberSlow(value: unknown, range: Range): number | null {
    const {field} = range;
    if (value == null)
        return null;
    let n: number;
    if (typeof value === 'number') {
        n = value;
    } else if (typeof value === 'string' && NUMERIC_TEXT.test(value)) {
        n = Number(value);
    } else {
        warn(field, `expected a number, got ${typeName(value)}`);
        return null;
    }
    if (n - n !== 0) {
        warn(field, 'not a finite number');
        return null;
    }
    if (n < -SLACK || n > range.max * (1 + SLACK)) {
        warn(field, `out of range (${String(n).slice(0, MAX_QUOTED)})`);
        return null;
    }
    n = Math.min(range.max, Math.max(0, n));
    return range.integer ? Math.round(n) : n;
}

// A NUL cuts shown and copied text short (C strings); escapes mean nothing in a label.
// Two classes, not one: V8 (bench 1, Node) scans a long text for this a third faster.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f]|[\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function visibleControls(value: string): string {
    if (!CONTROL.test(value))
        return value;
    return value.replace(CONTROLS, c => {
        const code = c.charCodeAt(0);
        return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd';
    });
}

function text(value: unknown, field: string, expected: string): string | null {
    if (typeof value === 'string')
        return visibleControls(value);
    if (value != null)
        warn(field, `expected ${expected}, got ${typeName(value)}`);
    return null;
}

// Four comparisons cost less than hashing the string for a Set lookup.
function isDaemonState(value: string): value is DaemonState {
    return value === 'idle' || value === 'recording' || value === 'processing' || value === 'error';
}

export function daemonStateOf(value: unknown): DaemonState | null {
    if (typeof value !== 'string')
        return null;
    if (isDaemonState(value))
        return value;
    const lower = value.toLowerCase();
    return isDaemonState(lower) ? lower : null;
}

function daemonState(value: unknown): DaemonState | null {
    const state = daemonStateOf(value);
    if (state === null && value != null)
        warn('state', typeof value === 'string' ? `unknown value ${quote(value)}` : `expected a string, got ${typeName(value)}`);
    return state;
}

// Never echoes the line: a cut-off line is likely dictated text.
function notJson(line: string, error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const cutOff = /end of (JSON|data)|unterminated/i.test(message) || (position !== null && Number(position[1]) >= line.length);
    const kind = cutOff ? 'cut off' : 'syntax error';
    return `not JSON (${kind}, ${line.length} chars)`;
}

function toEvent(type: string, fields: Fields): DaemonEvent | string {
    switch (type) {
    case 'metrics_update':
        return {
            type,
            state: daemonState(fields.state),
            sessionId: number(fields.session_id, SESSION_ID),
            segments: number(fields.segments, SEGMENTS),
            words: number(fields.words, WORDS),
            wpm: number(fields.wpm, WPM),
            durationS: number(fields.duration_s, DURATION_S),
            latencyMs: number(fields.latency_ms, LATENCY_MS),
            gpuMemoryMb: number(fields.gpu_memory_mb, GPU_MEMORY_MB),
            gpuMemoryPercent: number(fields.gpu_memory_percent, GPU_MEMORY_PERCENT),
            cpuPercent: number(fields.cpu_percent, CPU_PERCENT),
        };
    case 'transcription': {
        const said = fields.text;
        if (typeof said !== 'string')
            return said == null ? 'transcription without text' : `transcription text is not a string (${typeName(said)})`;
        return {
            type,
            text: visibleControls(said),
            clock: text(fields.timestamp, 'timestamp', 'HH:MM:SS text'),
            wpm: number(fields.wpm, WPM),
            latencyMs: number(fields.latency_ms, LATENCY_MS),
            words: number(fields.words, WORDS),
        };
    }
    case 'state_change':
        return {type, state: daemonState(fields.state), timestamp: number(fields.timestamp, TIMESTAMP)};
    case 'session_start':
    case 'session_end':
        return {type, sessionId: number(fields.session_id, SESSION_ID), timestamp: number(fields.timestamp, TIMESTAMP)};
    default:
        return {type: 'unknown', eventType: type.length > MAX_QUOTED ? `${type.slice(0, MAX_QUOTED)}…` : type};
    }
}

export function nestedDeeperThan(line: string, max: number): boolean {
    // One object that opens at the start is flat; anything else is scanned.
    if (line.indexOf('[') < 0 && line.indexOf('{', 1) < 0)
        return false;
    // Trailing values are for JSON.parse to refuse, but a deep nest there must not reach it.
    let end = 0;
    while (end >= 0 && end < line.length)
        end = jsonValueEnd(line, end, max);
    return end === JSON_TOO_DEEP;
}

export function parseLine(line: string): ParseResult {
    if (nestedDeeperThan(line, MAX_NESTING))
        return {ok: false, error: `nested deeper than ${MAX_NESTING} levels (${line.length} chars)`};
    let value: unknown;
    try {
        value = JSON.parse(line);
    } catch (error) {
        return {ok: false, error: notJson(line, error)};
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return {ok: false, error: `not an object (${typeName(value)})`};
    const fields = value as Fields;
    const type = fields.type;
    if (type == null)
        return {ok: false, error: 'missing "type"'};
    if (typeof type !== 'string')
        return {ok: false, error: `"type" is not a string (${typeName(type)})`};

    warnings = null;
    const event = toEvent(type, fields);
    const found = warnings ?? NO_WARNINGS;
    warnings = null;
    if (typeof event === 'string')
        return {ok: false, error: event};
    return {ok: true, event, warnings: found};
}
