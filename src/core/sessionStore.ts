// SPDX-License-Identifier: GPL-2.0-or-later
// Holds the session state between the transport, which feeds it, and the UI, which renders
// it: whoever subscribes late still starts from everything received so far.
import {parseLine} from './protocol.js';
import {type Action, initialState, reduce, type SessionState} from './sessionState.js';

type Listener = (state: SessionState) => void;

export class SessionStore {
    private current: SessionState;
    // Replaced, never mutated, so a listener that (un)subscribes does not disturb the
    // notification in progress.
    private listeners: readonly Listener[] = [];

    constructor(opts: { maxSegments?: number; staleAfterMs?: number; now?: () => number } = {}) {
        const now = opts.now ?? Date.now;
        this.current = initialState({maxSegments: opts.maxSegments, staleAfterMs: opts.staleAfterMs, at: now()});
    }

    get state(): SessionState {
        return this.current;
    }

    /** Notifies listeners synchronously, only if the state changed. */
    dispatch(action: Action): void {
        const next = reduce(this.current, action);
        if (next === this.current)
            return;
        this.current = next;
        // One faulty listener must not starve the others nor leave them with an old state.
        let failure: unknown = null;
        let failed = false;
        for (const listener of this.listeners) {
            try {
                listener(next);
            } catch (error) {
                if (!failed)
                    failure = error;
                failed = true;
            }
        }
        if (failed)
            throw failure;
    }

    /**
     * Parses and dispatches one line of the metrics stream. Returns a one-line description
     * of what was wrong with it, for a (rate-limited) log, or null when it was clean.
     */
    ingestLine(line: string, at: number): string | null {
        const result = parseLine(line);
        if (!result.ok) {
            this.dispatch({type: 'malformed', at});
            return `malformed line: ${result.error}`;
        }
        const {event, warnings} = result;
        this.dispatch({type: 'event', at, event, warnings: warnings.length});
        if (event.type === 'unknown')
            return `unknown event type ${JSON.stringify(event.eventType)} (ignored)`;
        if (warnings.length > 0)
            return `${event.type}: ${warnings.join('; ')}`;
        return null;
    }

    /** Returns the function that unsubscribes. */
    subscribe(listener: Listener): () => void {
        // Wrapped so that each subscription of the same function is removed on its own.
        const entry: Listener = state => listener(state);
        this.listeners = [...this.listeners, entry];
        return () => {
            this.listeners = this.listeners.filter(l => l !== entry);
        };
    }
}
