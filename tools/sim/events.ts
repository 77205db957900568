// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon's broadcast events, serialised the way serde_json writes them (swictation-broadcaster
// `BroadcastEvent`, `#[serde(tag = "type")]`): fields in declaration order, f64 fields always
// carry a fraction or exponent (`1699000000.0`), i64/i32 fields are plain integers, `None` is null.

export type DaemonStateName = 'idle' | 'recording' | 'processing' | 'error';

export interface Segment {
    text: string;
    /** Local wall clock "HH:MM:SS" when the segment was transcribed. */
    timestamp: string;
    wpm: number;
    latencyMs: number;
    words: number;
}

export interface MetricsSnapshot {
    state: DaemonStateName;
    sessionId: number | null;
    segments: number;
    words: number;
    wpm: number;
    durationS: number;
    latencyMs: number;
    gpuMemoryMb: number;
    gpuMemoryPercent: number;
    cpuPercent: number;
}

/** An f64 as serde_json prints it: shortest round-trip form, integral values with ".0", NaN/inf as null. */
export function f64(n: number): string {
    if (!Number.isFinite(n))
        return 'null';
    const s = String(n);
    return /[.eE]/.test(s) ? s : `${s}.0`;
}

function int(n: number): string {
    return Number.isFinite(n) ? String(Math.trunc(n)) : '0';
}

function str(s: string): string {
    return JSON.stringify(s);
}

/** Unix seconds as a float, like `SystemTime::now().duration_since(UNIX_EPOCH).as_secs_f64()`. */
export function unixNow(): number {
    return Date.now() / 1000;
}

/** Local "HH:MM:SS", like chrono `Local::now().format("%H:%M:%S")`. */
export function clockNow(date: Date = new Date()): string {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}

export function sessionStartLine(sessionId: number, timestamp = unixNow()): string {
    return `{"type":"session_start","session_id":${int(sessionId)},"timestamp":${f64(timestamp)}}\n`;
}

export function sessionEndLine(sessionId: number, timestamp = unixNow()): string {
    return `{"type":"session_end","session_id":${int(sessionId)},"timestamp":${f64(timestamp)}}\n`;
}

export function stateChangeLine(state: DaemonStateName, timestamp = unixNow()): string {
    return `{"type":"state_change","state":${str(state)},"timestamp":${f64(timestamp)}}\n`;
}

export function transcriptionLine(seg: Segment): string {
    return `{"type":"transcription","text":${str(seg.text)},"timestamp":${str(seg.timestamp)},` +
        `"wpm":${f64(seg.wpm)},"latency_ms":${f64(seg.latencyMs)},"words":${int(seg.words)}}\n`;
}

export function metricsLine(m: MetricsSnapshot): string {
    return `{"type":"metrics_update","state":${str(m.state)},` +
        `"session_id":${m.sessionId === null ? 'null' : int(m.sessionId)},` +
        `"segments":${int(m.segments)},"words":${int(m.words)},"wpm":${f64(m.wpm)},` +
        `"duration_s":${f64(m.durationS)},"latency_ms":${f64(m.latencyMs)},` +
        `"gpu_memory_mb":${f64(m.gpuMemoryMb)},"gpu_memory_percent":${f64(m.gpuMemoryPercent)},` +
        `"cpu_percent":${f64(m.cpuPercent)}}\n`;
}

/** Words as the daemon counts them: whitespace-separated tokens. */
export function countWords(text: string): number {
    return text.split(/\s+/).filter(w => w.length > 0).length;
}
