// SPDX-License-Identifier: GPL-2.0-or-later
// "Switch on while stopped": start the unit, wait for the control socket, toggle once.
import {START_THEN_TOGGLE_WAIT_MS, TOGGLE_RETRY_MS, type UnitStatus, unitPhase} from './daemonUnit.js';

export type StartThenToggleCommand = 'start-unit' | 'toggle' | 'retry-later';

export type StartThenTogglePhase =
    | {kind: 'idle'}
    | {kind: 'waiting'; deadline: number; startPending: boolean}   // waiting for the socket
    | {kind: 'toggling'; deadline: number}          // toggle sent, waiting for its reply
    | {kind: 'done'}
    | {kind: 'failed'; message: string};

export type ToggleOutcome = 'ok' | 'not-listening' | 'daemon-error';

/**
 * "Switch on while the daemon is stopped": start the unit (unless systemd is already
 * starting it), wait until the daemon's socket answers, then send exactly one toggle. The
 * control socket appears a moment after the metrics socket, so a toggle that finds nobody
 * listening is retried until the deadline; a toggle the daemon answered is never repeated.
 */
export class StartThenToggle {
    private _phase: StartThenTogglePhase = {kind: 'idle'};
    private readonly _waitMs: number;

    constructor(waitMs = START_THEN_TOGGLE_WAIT_MS) {
        this._waitMs = waitMs;
    }

    get phase(): StartThenTogglePhase {
        return this._phase;
    }

    get active(): boolean {
        return this._phase.kind === 'waiting' || this._phase.kind === 'toggling';
    }

    /** The user asked for dictation while the daemon is away. */
    begin(now: number, unit: UnitStatus, daemonPresent: boolean): StartThenToggleCommand[] {
        if (this.active)
            return [];
        const deadline = now + this._waitMs;
        if (daemonPresent) {
            this._phase = {kind: 'toggling', deadline};
            return ['toggle'];
        }
        const phase = unitPhase(unit);
        const start = phase !== 'starting' && phase !== 'running';
        this._phase = {kind: 'waiting', deadline, startPending: start};
        return start ? ['start-unit'] : [];
    }

    /** The start job's outcome: null when systemd accepted it, else the error in words. */
    started(error: string | null): StartThenToggleCommand[] {
        if (error !== null && this.active)
            this._phase = {kind: 'failed', message: error};
        else if (this._phase.kind === 'waiting')
            this._phase = {...this._phase, startPending: false};
        return [];
    }

    /**
     * What systemd says about the unit now. A unit that fails while we wait ends the wait; until
     * the start job has ended, the unit's old state (stopped, failed) is still expected.
     */
    unitChanged(unit: UnitStatus, failedText: string): StartThenToggleCommand[] {
        if (this._phase.kind !== 'waiting' || this._phase.startPending)
            return [];
        const phase = unitPhase(unit);
        if (phase === 'failed' || phase === 'stopped' || phase === 'not-installed' || phase === 'masked')
            this._phase = {kind: 'failed', message: failedText};
        return [];
    }

    /** The daemon's socket answers (the connection caught up). */
    daemonReady(now: number): StartThenToggleCommand[] {
        if (this._phase.kind !== 'waiting')
            return [];
        if (now > this._phase.deadline)
            return this.tick(now);
        this._phase = {kind: 'toggling', deadline: this._phase.deadline};
        return ['toggle'];
    }

    toggled(now: number, outcome: ToggleOutcome, message: string): StartThenToggleCommand[] {
        if (this._phase.kind !== 'toggling')
            return [];
        switch (outcome) {
        case 'ok':
            this._phase = {kind: 'done'};
            return [];
        case 'daemon-error':
            this._phase = {kind: 'failed', message};
            return [];
        case 'not-listening':
            if (now + TOGGLE_RETRY_MS > this._phase.deadline) {
                this._phase = {kind: 'failed', message};
                return [];
            }
            return ['retry-later'];
        }
    }

    /** The retry timer fired. */
    retry(now: number): StartThenToggleCommand[] {
        if (this._phase.kind !== 'toggling')
            return [];
        return now > this._phase.deadline ? this.tick(now) : ['toggle'];
    }

    /** Called now and then while active: the bounded wait. */
    tick(now: number, timeoutText = 'The daemon did not answer in time.'): StartThenToggleCommand[] {
        if ((this._phase.kind === 'waiting' || this._phase.kind === 'toggling') && now > this._phase.deadline)
            this._phase = {kind: 'failed', message: timeoutText};
        return [];
    }

    /** Forget a finished or failed sequence (its message has been shown). */
    reset(): void {
        this._phase = {kind: 'idle'};
    }
}
