// SPDX-License-Identifier: GPL-2.0-or-later
// The control socket: one JSON request, one JSON reply, then the daemon closes. The daemon
// reads at most 1024 bytes once and serves one client at a time, so we connect only to send.
import {oneLine} from './format.js';
import {jsonValueEnd} from './jsonScan.js';
import {type DaemonState, daemonStateOf} from './protocol.js';

export type ControlAction = 'toggle' | 'status';

export type ControlResult =
    | { ok: true; message: string | null; state: DaemonState | null }
    | { ok: false; kind: 'daemon' | 'invalid-reply' | 'no-reply' | 'timeout' | 'connect'; error: string };

// A stop toggle waits while the last speech is transcribed; the daemon's docs say 2–3 s.
export const CONTROL_TIMEOUT_MS = 3000;
export const CLOSED_WITHOUT_REPLY = 'The daemon closed the connection without answering.';
export const MAX_CONTROL_ERROR_CHARS = 200;
export const MAX_CONTROL_REPLY_BYTES = 64 * 1024;

export function encodeControlRequest(action: ControlAction): string {
    return JSON.stringify({action});
}

// Lets the client answer as soon as the reply is in, rather than wait for the close.
export function isCompleteJsonValue(text: string): boolean {
    return jsonValueEnd(text) >= 0;
}

export function parseControlReply(text: string): ControlResult {
    if (text.trim() === '')
        return {ok: false, kind: 'no-reply', error: CLOSED_WITHOUT_REPLY};
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return {ok: false, kind: 'invalid-reply', error: `the daemon's reply is not JSON (${text.length} chars)`};
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return {ok: false, kind: 'invalid-reply', error: "the daemon's reply is not a JSON object"};

    const reply = value as Record<string, unknown>;
    const status = typeof reply.status === 'string' ? reply.status.toLowerCase() : null;
    const error = typeof reply.error === 'string' ? reply.error : null;
    if (status === 'error' || (status === null && error !== null))
        return {ok: false, kind: 'daemon', error: error?.trim() ? oneLine(error, MAX_CONTROL_ERROR_CHARS) : 'the daemon reported an error without a message'};
    if (status !== 'success')
        return {ok: false, kind: 'invalid-reply', error: `the daemon's reply has no known status (${status === null ? typeName(reply.status) : JSON.stringify(status.slice(0, 40))})`};
    return {ok: true, message: typeof reply.message === 'string' ? oneLine(reply.message, MAX_CONTROL_ERROR_CHARS) : null, state: daemonStateOf(reply.state)};
}

function typeName(value: unknown): string {
    return value === undefined ? 'missing' : value === null ? 'null' : typeof value;
}
