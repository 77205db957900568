// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import {type DaemonEvent, parseLine} from '../../src/core/protocol.js';

function event(line: string): DaemonEvent {
    const result = parseLine(line);
    if (!result.ok)
        throw new Error(`expected an event, got: ${result.error}`);
    return result.event;
}

function error(line: string): string {
    const result = parseLine(line);
    if (result.ok)
        throw new Error(`expected an error, got ${JSON.stringify(result.event)}`);
    return result.error;
}

describe('parseLine: what the daemon really sends', () => {
    it('reads a metrics_update with float noise and integral floats', () => {
        const result = parseLine('{"type":"metrics_update","state":"recording","session_id":123.0,"segments":5.0,"words":42,"wpm":145.2,"duration_s":30.5,"latency_ms":234.5,"gpu_memory_mb":1823.4,"gpu_memory_percent":45.2,"cpu_percent":18.44660186767578}');
        expect(result).toEqual({ok: true, warnings: [], event: {
            type: 'metrics_update', state: 'recording', sessionId: 123, segments: 5, words: 42, wpm: 145.2,
            durationS: 30.5, latencyMs: 234.5, gpuMemoryMb: 1823.4, gpuMemoryPercent: 45.2, cpuPercent: 18.44660186767578,
        }});
    });

    it('accepts a null session id and null latency before the first session', () => {
        expect(event('{"type":"metrics_update","state":"idle","session_id":null,"segments":0,"words":0,"wpm":0.0,"duration_s":0.0,"latency_ms":null,"gpu_memory_mb":0.0,"gpu_memory_percent":0.0,"cpu_percent":3.0}'))
            .toMatchObject({sessionId: null, latencyMs: null, state: 'idle', gpuMemoryMb: 0});
    });

    it('keeps the transcription timestamp as clock text, never as a time', () => {
        expect(event('{"type":"transcription","text":"Hello world","timestamp":"14:23:15","wpm":145.2,"latency_ms":234.5,"words":2}'))
            .toEqual({type: 'transcription', text: 'Hello world', clock: '14:23:15', wpm: 145.2, latencyMs: 234.5, words: 2});
    });

    it('keeps text exactly, markup, entities, quotes, escapes and all', () => {
        const text = 'Use <b>bold</b> &amp; "quotes"\nnext line 😀 日本語\ttab';
        expect(event(JSON.stringify({type: 'transcription', text, timestamp: '14:23:15'}))).toMatchObject({text});
    });

    it('reads session and state events with float epoch timestamps', () => {
        expect(event('{"type":"session_start","session_id":123,"timestamp":1699000000.0}'))
            .toEqual({type: 'session_start', sessionId: 123, timestamp: 1699000000});
        expect(event('{"type":"session_end","session_id":123,"timestamp":1699000042.5}'))
            .toEqual({type: 'session_end', sessionId: 123, timestamp: 1699000042.5});
        expect(event('{"type":"state_change","state":"recording","timestamp":1699000000.0}'))
            .toEqual({type: 'state_change', state: 'recording', timestamp: 1699000000});
    });

    it('knows the states the daemon defines but does not send yet', () => {
        for (const state of ['processing', 'error'])
            expect(event(`{"type":"state_change","state":"${state}"}`)).toMatchObject({state});
    });

    it('ignores fields it does not know', () => {
        expect(parseLine('{"type":"session_start","session_id":1,"timestamp":1.5,"host":{"name":"x"},"v":[1]}'))
            .toEqual({ok: true, warnings: [], event: {type: 'session_start', sessionId: 1, timestamp: 1.5}});
    });

    it('passes an unknown event type through as unknown, not as an error', () => {
        expect(parseLine('{"type":"vad_level","level":0.3}')).toEqual({ok: true, warnings: [], event: {type: 'unknown', eventType: 'vad_level'}});
    });

    it('coerces numbers sent as numeric strings, silently', () => {
        expect(parseLine('{"type":"metrics_update","session_id":"7","cpu_percent":" 12.5 ","words":"1e2"}'))
            .toMatchObject({ok: true, warnings: [], event: {sessionId: 7, cpuPercent: 12.5, words: 100}});
    });
});

describe('parseLine: a wrong field spoils that field, not the event', () => {
    it('nulls wrong-typed numbers and names them in warnings', () => {
        const result = parseLine('{"type":"metrics_update","state":"idle","session_id":true,"words":"many","wpm":[1],"cpu_percent":{},"segments":1e999,"latency_ms":12}');
        expect(result.ok).toBe(true);
        if (!result.ok)
            return;
        expect(result.event).toMatchObject({state: 'idle', sessionId: null, words: null, wpm: null, cpuPercent: null, segments: null, latencyMs: 12});
        expect(result.warnings).toEqual([
            'session_id: expected a number, got boolean',
            'segments: not a finite number',
            'words: expected a number, got string',
            'wpm: expected a number, got array',
            'cpu_percent: expected a number, got object',
        ]);
    });

    it('turns an unknown state into null with a warning', () => {
        const result = parseLine('{"type":"state_change","state":"paused","timestamp":1.0}');
        expect(result).toEqual({ok: true, warnings: ['state: unknown value "paused"'], event: {type: 'state_change', state: null, timestamp: 1}});
        expect(event('{"type":"state_change","state":"Recording"}')).toMatchObject({state: 'recording'});
    });

    it('refuses an epoch number as a transcription clock, keeping the segment', () => {
        const result = parseLine('{"type":"transcription","text":"hi","timestamp":1699000000.0}');
        expect(result).toEqual({ok: true, warnings: ['timestamp: expected HH:MM:SS text, got number'],
            event: {type: 'transcription', text: 'hi', clock: null, wpm: null, latencyMs: null, words: null}});
    });

    it('shares one frozen empty warnings list between clean lines', () => {
        const a = parseLine('{"type":"session_end"}');
        const b = parseLine('{"type":"session_end"}');
        expect(a.ok && b.ok && a.warnings === b.warnings && Object.isFrozen(a.warnings)).toBe(true);
    });

    it('does not leak the warnings of one line into the next', () => {
        parseLine('{"type":"state_change","state":5}');
        expect(parseLine('{"type":"state_change","state":"idle"}')).toMatchObject({ok: true, warnings: []});
    });
});

describe('parseLine: lines that mean nothing', () => {
    it('says why, without echoing the line', () => {
        expect(error('{"type":"transcription","text":"my secret')).toBe('not JSON (cut off, 41 chars)');
        expect(error('{"type":"transcription","text":"my secret"')).toBe('not JSON (cut off, 42 chars)');
        expect(error('hello')).toMatch(/^not JSON \(syntax error, 5 chars\)$/);
        expect(error('[1,2]')).toBe('not an object (array)');
        expect(error('42')).toBe('not an object (number)');
        expect(error('null')).toBe('not an object (null)');
        expect(error('"s"')).toBe('not an object (string)');
        expect(error('{"text":"x"}')).toBe('missing "type"');
        expect(error('{"type":3}')).toBe('"type" is not a string (number)');
        expect(error('{"type":"transcription"}')).toBe('transcription without text');
        expect(error('{"type":"transcription","text":7}')).toBe('transcription text is not a string (number)');
    });

    it('never throws, whatever the input', () => {
        const nasty = [
            '', ' ', '\u0000', '{"type":"metrics_update"\u0000}', '[[[[[[', '[]'.repeat(10), '{"__proto__":{"type":"x"}}',
            '{"type":"session_start","session_id":{"valueOf":1}}', '{"constructor":1,"type":"toString"}',
            `${'['.repeat(100_000)}${']'.repeat(100_000)}`, '{"type":"\ud800"}', 'NaN', '-0', '1e999', 'true',
        ];
        for (const line of nasty)
            expect(() => parseLine(line)).not.toThrow();
        expect(parseLine('{"constructor":1,"type":"toString"}')).toMatchObject({ok: true, event: {type: 'unknown', eventType: 'toString'}});
    });
});

describe('parseLine: bounded work for hostile lines (issue 11)', () => {
    it('refuses a line nested deeper than a flat event ever is, before parsing it (case 4)', () => {
        const deep = '['.repeat(1024 * 1024 - 2);
        const started = performance.now();
        expect(error(deep)).toMatch(/nested deeper than 16 levels/);
        const nestedField = `{"type":"transcription","text":"hi","extra":${'['.repeat(500_000)}${']'.repeat(500_000)}}`;
        expect(error(nestedField)).toMatch(/nested deeper/);
        expect(error(`{"type":"state_change","state":"idle"}${'['.repeat(500_000)}`)).toMatch(/nested deeper/);
        // A byte scan, not a parse: well under what JSON.parse of these costs.
        expect(performance.now() - started).toBeLessThan(2000);
    });

    it('still reads brackets inside strings and modest nesting in unknown fields', () => {
        expect(event(JSON.stringify({type: 'transcription', text: '[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{', timestamp: '14:23:15'})))
            .toMatchObject({text: '[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{'});
        expect(event('{"type":"future","detail":{"level":3,"tags":["a",{"b":[1,2]}]}}')).toMatchObject({type: 'unknown'});
        expect(event(JSON.stringify({type: 'transcription', text: 'quote \\" [ and \\\\', timestamp: null}))).toMatchObject({type: 'transcription'});
    });

    it('scans a line whose first brace is not its first character', () => {
        expect(error(` ${'{"a":'.repeat(17)}1${'}'.repeat(17)}`)).toMatch(/nested deeper/);
        expect(event(' {"type":"state_change","state":"idle"}')).toMatchObject({type: 'state_change', state: 'idle'});
    });

    it('spoils figures out of their plausible range, keeping the event (case 6)', () => {
        const result = parseLine('{"type":"metrics_update","state":"recording","session_id":9223372036854775808,"segments":-1,"words":1e308,"wpm":-5,"duration_s":30.5,"latency_ms":-1,"gpu_memory_mb":-3,"gpu_memory_percent":140,"cpu_percent":-2.5}');
        expect(result.ok).toBe(true);
        if (!result.ok)
            return;
        expect(result.event).toMatchObject({
            state: 'recording', sessionId: null, segments: null, words: null, wpm: null, durationS: 30.5,
            latencyMs: null, gpuMemoryMb: null, gpuMemoryPercent: null, cpuPercent: null,
        });
        expect(result.warnings).toHaveLength(8);
        expect(result.warnings[0]).toMatch(/^session_id: out of range/);
    });

    it('keeps in-range figures and spoils absurd timestamps', () => {
        expect(event('{"type":"metrics_update","state":"idle","session_id":"12","words":"42","gpu_memory_percent":100.00000000001,"cpu_percent":100}'))
            .toMatchObject({sessionId: 12, words: 42, gpuMemoryPercent: 100, cpuPercent: 100});
        expect(event('{"type":"session_start","session_id":7.0000001,"timestamp":1e300}')).toEqual({type: 'session_start', sessionId: 7, timestamp: null});
        expect(event('{"type":"state_change","state":"idle","timestamp":-1}')).toMatchObject({timestamp: null});
    });

    it('makes control characters in text visible, so a NUL cuts nothing (case 7)', () => {
        const parsed = event(JSON.stringify({type: 'transcription', text: 'before\u0000after\u001b[2J\u0007 tab\there\nline\u007f\u0085', timestamp: '14:\u001b]0;x\u000715'}));
        expect(parsed).toMatchObject({text: 'before\u2400after\u241b[2J\u2407 tab\there\nline\u2421\ufffd', clock: '14:\u241b]0;x\u240715'});
    });
});
