// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import {encodeControlRequest, isCompleteJsonValue, MAX_CONTROL_ERROR_CHARS, parseControlReply} from '../../src/core/control.js';

describe('control requests', () => {
    it('encodes one JSON object, the whole request in one write', () => {
        expect(encodeControlRequest('toggle')).toBe('{"action":"toggle"}');
        expect(encodeControlRequest('status')).toBe('{"action":"status"}');
    });
});

describe('control replies', () => {
    it('reads a toggle reply (no trailing newline)', () => {
        expect(parseControlReply('{"status":"success","message":"Recording started (Session #7)"}'))
            .toEqual({ok: true, message: 'Recording started (Session #7)', state: null});
    });

    it('reads a status reply', () => {
        expect(parseControlReply('{"status":"success","state":"idle"}')).toEqual({ok: true, message: null, state: 'idle'});
        expect(parseControlReply('{"status":"success","state":"sleeping"}')).toEqual({ok: true, message: null, state: null});
    });

    it("passes on the daemon's own error text", () => {
        expect(parseControlReply('{"status":"error","error":"Unknown action: foo"}'))
            .toEqual({ok: false, kind: 'daemon', error: 'Unknown action: foo'});
        expect(parseControlReply('{"status":"error"}'))
            .toEqual({ok: false, kind: 'daemon', error: 'the daemon reported an error without a message'});
    });

    it('calls an empty reply "no reply": the daemon closed without answering', () => {
        expect(parseControlReply('')).toMatchObject({ok: false, kind: 'no-reply'});
        expect(parseControlReply(' \n')).toMatchObject({ok: false, kind: 'no-reply'});
    });

    it('calls anything else an invalid reply', () => {
        expect(parseControlReply('{"status":"succ')).toMatchObject({ok: false, kind: 'invalid-reply'});
        expect(parseControlReply('[1]')).toMatchObject({ok: false, kind: 'invalid-reply'});
        expect(parseControlReply('{"message":"hi"}')).toEqual({ok: false, kind: 'invalid-reply', error: "the daemon's reply has no known status (missing)"});
        expect(parseControlReply('{"status":"maybe"}')).toEqual({ok: false, kind: 'invalid-reply', error: 'the daemon\'s reply has no known status ("maybe")'});
    });
});

describe('control replies from a hostile daemon (issue 11, case 7)', () => {
    it('shortens a 60 KiB error reply to one line', () => {
        const result = parseControlReply(JSON.stringify({status: 'error', error: `Something broke:\n${'x'.repeat(60 * 1024)}`}));
        expect(result.ok).toBe(false);
        if (result.ok)
            return;
        expect(result.error.length).toBeLessThanOrEqual(MAX_CONTROL_ERROR_CHARS);
        expect(result.error).toMatch(/^Something broke: x+…$/);
    });

    it('knows when one complete reply has arrived, before the daemon closes', () => {
        expect(isCompleteJsonValue('{"status":"success","message":"Recording started"}')).toBe(true);
        expect(isCompleteJsonValue('{"status":"success","message":"a } in text')).toBe(false);
        expect(isCompleteJsonValue('{"status":"success","message":"quote \\" and }"')).toBe(false);
        expect(isCompleteJsonValue('{"status":"success","nested":{"a":1}')).toBe(false);
        expect(isCompleteJsonValue('{"status":"success","nested":{"a":1}}')).toBe(true);
        expect(isCompleteJsonValue('')).toBe(false);
        expect(isCompleteJsonValue('}')).toBe(false);
    });
});
