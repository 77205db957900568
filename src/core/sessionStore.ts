// SPDX-License-Identifier: GPL-2.0-or-later
// Holds the session state between the transport, which feeds it, and the UI, which renders
// it: whoever subscribes late still starts from everything received so far. Listeners that
// follow transitions see every step; views see the state once a read's lines are all in.
import {type ParseResult, parseLine} from './protocol.js';
import {applyEvent} from './sessionEvents.js';
import {type Action, initialState, reduce, type SessionState} from './sessionState.js';

type Listener = (state: SessionState) => void;

export class SessionStore {
    private current: SessionState;
    // Replaced, never mutated, so (un)subscribing does not disturb a notification in progress.
    private readonly listeners: Record<'step' | 'settled', readonly Listener[]> = {step: [], settled: []};
    private settledState: SessionState;

    constructor(opts: { maxSegments?: number; staleAfterMs?: number; now?: () => number } = {}) {
        const now = opts.now ?? Date.now;
        this.current = initialState({maxSegments: opts.maxSegments, staleAfterMs: opts.staleAfterMs, at: now()});
        this.settledState = this.current;
    }

    get state(): SessionState {
        return this.current;
    }

    dispatch(action: Action): void {
        this.commit(reduce(this.current, action));
        this.settle();
    }

    private commit(next: SessionState): void {
        if (next === this.current)
            return;
        this.current = next;
        notify(this.listeners.step, next);
    }

    private settle(): void {
        if (this.settledState === this.current)
            return;
        this.settledState = this.current;
        notify(this.listeners.settled, this.current);
    }

    ingestLine(line: string, at: number): string | null {
        const problem = this.apply(parseLine(line), at, 0);
        this.settle();
        return problem;
    }

    // A metrics_update followed at once by a good one is skipped: the later restates every
    // figure. Otherwise lines go one by one, so a bad line cannot swallow a good one.
    ingestLines(lines: readonly string[], at: number, report: (problem: string) => void): void {
        for (let i = 0; i < lines.length; i++) {
            let last = i;
            while (last + 1 < lines.length && looksLikeMetrics(lines[last]) && looksLikeMetrics(lines[last + 1]))
                last++;
            const result = parseLine(lines[last]);
            const whole = last > i && result.ok && result.event.type === 'metrics_update';
            if (last > i && !whole) {
                for (let j = i; j < last; j++)
                    this.report(this.apply(parseLine(lines[j]), at, 0), report);
            }
            this.report(this.apply(result, at, whole ? last - i : 0), report);
            i = last;
        }
        this.settle();
    }

    private report(problem: string | null, report: (problem: string) => void): void {
        if (problem)
            report(problem);
    }

    private apply(result: ParseResult, at: number, superseded: number): string | null {
        if (!result.ok) {
            this.commit(reduce(this.current, {type: 'malformed', at}));
            return `malformed line: ${result.error}`;
        }
        const {event, warnings} = result;
        // reduce() would do the same, but each line would allocate an action.
        this.commit(applyEvent(this.current, event, at, warnings.length, superseded));
        if (event.type === 'unknown')
            return `unknown event type ${JSON.stringify(event.eventType)} (ignored)`;
        if (warnings.length > 0)
            return `${event.type}: ${warnings.join('; ')}`;
        return null;
    }

    /** Called after every change, one per event. */
    subscribe(listener: Listener): () => void {
        return this.listen('step', listener);
    }

    /** Called once the state stops changing: after a dispatch, after all the lines of a read. */
    subscribeSettled(listener: Listener): () => void {
        return this.listen('settled', listener);
    }

    private listen(kind: 'step' | 'settled', listener: Listener): () => void {
        const entry: Listener = state => listener(state);
        this.listeners[kind] = [...this.listeners[kind], entry];
        return () => {
            this.listeners[kind] = this.listeners[kind].filter(l => l !== entry);
        };
    }
}

// Every listener hears of the change even when one throws; the first failure is rethrown.
function notify(listeners: readonly Listener[], state: SessionState): void {
    let failure: unknown = null;
    let failed = false;
    for (const listener of listeners) {
        try {
            listener(state);
        } catch (error) {
            if (!failed)
                failure = error;
            failed = true;
        }
    }
    if (failed)
        throw failure;
}

// As serde writes it; another spelling only loses the skipping.
const METRICS_PREFIX = '{"type":"metrics_update"';

function looksLikeMetrics(line: string): boolean {
    return line.startsWith(METRICS_PREFIX);
}
