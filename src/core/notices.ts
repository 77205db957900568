// SPDX-License-Identifier: GPL-2.0-or-later
// What the user is told, from every state the store passes through: a daemon that dies and
// comes back between two paced renders was still lost.
import type {SessionState} from './sessionState.js';

export type Notice = 'lost-while-recording' | 'started' | 'stopped';

function reachable(state: SessionState): boolean {
    return state.connection.status === 'connected' || state.connection.status === 'stale';
}

export function noticeFor(previous: SessionState, next: SessionState): Notice | null {
    if (previous === next)
        return null;
    if (reachable(previous) && !reachable(next))
        return previous.daemonState === 'recording' ? 'lost-while-recording' : null;
    // A state learnt from a (re)connect's catch-up is news to us, not a change the user made.
    if (!reachable(next) || previous.daemonState === null || next.daemonState === null)
        return null;
    const was = previous.daemonState === 'recording';
    const is = next.daemonState === 'recording';
    if (was === is)
        return null;
    return is ? 'started' : 'stopped';
}

export class NoticeWatcher {
    private previous: SessionState;

    constructor(initial: SessionState) {
        this.previous = initial;
    }

    observe(state: SessionState): Notice | null {
        const notice = noticeFor(this.previous, state);
        this.previous = state;
        return notice;
    }
}
