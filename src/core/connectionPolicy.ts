// SPDX-License-Identifier: GPL-2.0-or-later
// The metrics connection's decisions that need no GLib.
import {type SessionState, staleAt} from './sessionState.js';

// Only a proven connection resets the back-off, so a daemon that accepts and closes at once
// is retried less and less often.
export const PROVEN_AFTER_MS = 10_000;
// Checked when the connection would turn stale, not on a fixed beat: every wake-up costs the
// shell. MAX_CHECK_MS bounds what a jump of the wall clock can delay.
const MIN_CHECK_MS = 50;
const MAX_CHECK_MS = 5000;
const FOLDER_DEBOUNCE_MS = 100;
const FOLDER_MIN_INTERVAL_MS = 1000;

export function isProven(state: SessionState, now: number): boolean {
    const {status, since} = state.connection;
    return status === 'connected' &&
        (state.heartbeat || (state.lastEventAt !== null && state.lastEventAt >= since && now - since >= PROVEN_AFTER_MS));
}

export function nextCheckDelay(state: SessionState, proven: boolean, now: number): number {
    let due = staleAt(state) ?? now + MAX_CHECK_MS;
    if (!proven)
        due = Math.min(due, state.connection.since + PROVEN_AFTER_MS);
    return Math.min(MAX_CHECK_MS, Math.max(MIN_CHECK_MS, due - now + 1));
}

export function folderAttemptDelay(lastAttempt: number, now: number): number {
    return Math.max(FOLDER_DEBOUNCE_MS, lastAttempt + FOLDER_MIN_INTERVAL_MS - now);
}
