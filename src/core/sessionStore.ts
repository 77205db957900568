// SPDX-License-Identifier: GPL-2.0-or-later
// Holds the session state between the transport, which feeds it, and the UI, which renders
// it: whoever subscribes late still starts from everything received so far.
import {type ParseResult, parseLine} from './protocol.js';
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
        return this.apply(parseLine(line), at, 0);
    }

    /**
     * The lines of one read, in order, with `report` given each line's problem. A
     * metrics_update followed at once by another is not parsed: the later one restates every
     * figure, and nothing came between them that its state could have mattered to (it is what
     * ends a catch-up or starts a recording run, and the later one does the same). Only when
     * the last of such a run is a good metrics_update are the others skipped; otherwise the
     * run is taken line by line, so a bad line cannot swallow a good one.
     */
    ingestLines(lines: readonly string[], at: number, report: (problem: string) => void): void {
        for (let i = 0; i < lines.length; i++) {
            let last = i;
            while (last + 1 < lines.length && looksLikeMetrics(lines[last]) && looksLikeMetrics(lines[last + 1]))
                last++;
            const result = parseLine(lines[last]);
            const whole = last > i && result.ok && result.event.type === 'metrics_update';
            if (last > i && !whole) {
                for (let j = i; j < last; j++)
                    this.report(this.ingestLine(lines[j], at), report);
            }
            this.report(this.apply(result, at, whole ? last - i : 0), report);
            i = last;
        }
    }

    private report(problem: string | null, report: (problem: string) => void): void {
        if (problem)
            report(problem);
    }

    private apply(result: ParseResult, at: number, superseded: number): string | null {
        if (!result.ok) {
            this.dispatch({type: 'malformed', at});
            return `malformed line: ${result.error}`;
        }
        const {event, warnings} = result;
        this.dispatch({type: 'event', at, event, warnings: warnings.length, superseded});
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

// How the daemon (serde) writes it. Another spelling is parsed like any line: only the
// skipping is lost.
const METRICS_PREFIX = '{"type":"metrics_update"';

function looksLikeMetrics(line: string): boolean {
    return line.startsWith(METRICS_PREFIX);
}
