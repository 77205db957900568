// SPDX-License-Identifier: GPL-2.0-or-later
// The metrics connection's decisions that need no GLib: when it checks on itself, when it has
// proved itself, and how soon a new socket in the folder may be tried.
import {type SessionState, staleAt} from './sessionState.js';

// A connection proves itself with a metrics_update (the daemon sends one every second) or by
// staying up this long after its catch-up; only then is the back-off reset, so a daemon that
// accepts and closes at once is retried less and less often.
export const PROVEN_AFTER_MS = 10_000;
// The check runs when the connection would turn stale, not on a fixed beat: every wake-up of
// the shell costs it. At least every MAX_CHECK_MS, which bounds what a jump of the wall clock can delay.
const MIN_CHECK_MS = 50;
const MAX_CHECK_MS = 5000;
// Socket creations in the folder are coalesced: acted on after this pause, and the attempts
// they cause at least FOLDER_MIN_INTERVAL_MS apart.
const FOLDER_DEBOUNCE_MS = 100;
const FOLDER_MIN_INTERVAL_MS = 1000;

export function isProven(state: SessionState, now: number): boolean {
    const {status, since} = state.connection;
    return status === 'connected' &&
        (state.heartbeat || (state.lastEventAt !== null && state.lastEventAt >= since && now - since >= PROVEN_AFTER_MS));
}

/** Until the connection would turn stale, or could have proved itself. */
export function nextCheckDelay(state: SessionState, proven: boolean, now: number): number {
    let due = staleAt(state) ?? now + MAX_CHECK_MS;
    if (!proven)
        due = Math.min(due, state.connection.since + PROVEN_AFTER_MS);
    return Math.min(MAX_CHECK_MS, Math.max(MIN_CHECK_MS, due - now + 1));
}

/** How long to wait before trying a socket that just appeared, given the last such attempt. */
export function folderAttemptDelay(lastAttempt: number, now: number): number {
    return Math.max(FOLDER_DEBOUNCE_MS, lastAttempt + FOLDER_MIN_INTERVAL_MS - now);
}
