// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon's systemd user unit as the views see it: its state, the start/stop/restart the
// user asked for, and "switch on while stopped". Lives from enable() to disable().
import GLib from 'gi://GLib';
import Gio from 'gi://Gio';

import {daemonMenu, type DaemonMenuModel} from '../core/daemonMenu.js';
import {START_THEN_TOGGLE_WAIT_MS, TOGGLE_RETRY_MS, type UnitAction, type UnitStatus} from '../core/daemonUnit.js';
import {StartThenToggle, type StartThenToggleCommand} from '../core/startThenToggle.js';
import {Listeners} from '../core/listeners.js';
import type {Presentation, Translate} from '../core/presentation.js';
import type {SessionStore} from '../core/sessionStore.js';
import {sendControl} from '../transport/controlClient.js';
import type {Logger} from '../lib/logger.js';
import {Timer} from '../lib/timers.js';
import {SystemdUnit} from '../transport/systemdUnit.js';

export interface DaemonServiceDeps {
    store: SessionStore;
    controlPath(): string | null;
    unit: string;
    logger: Logger;
    _: Translate;
}

export type StartThenToggleDone = (error: string | null) => void;

export class DaemonService {
    private readonly _deps: DaemonServiceDeps;
    private readonly _unit: SystemdUnit;
    private readonly _cancellable = new Gio.Cancellable();
    private readonly _sequence = new StartThenToggle();
    private readonly _unsubscribe: () => void;
    /** Told when what model() says may have changed. */
    readonly changed = new Listeners();
    private _busy: UnitAction | null = null;
    private _error: string | null = null;
    private _done: StartThenToggleDone | null = null;
    private readonly _waitTimer = new Timer('start-then-toggle wait', () => {
        this._follow(this._sequence.tick(Date.now(),
            this._deps._('The daemon did not answer within %d s.').replace('%d', String(START_THEN_TOGGLE_WAIT_MS / 1000))));
        if (this._sequence.active)
            this._waitTimer.schedule(1000);
    });

    private readonly _retryTimer = new Timer('start-then-toggle retry', () => this._follow(this._sequence.retry(Date.now())));

    constructor(deps: DaemonServiceDeps) {
        this._deps = deps;
        this._unit = new SystemdUnit({unit: deps.unit, logger: deps.logger, _: deps._, onChange: status => this._unitChanged(status)});
        this._unsubscribe = deps.store.subscribeSettled(() => this._checkDaemonReady());
        this._unit.start();
    }

    model(daemonPresent: boolean): DaemonMenuModel {
        return daemonMenu({
            unit: this._unit.status,
            unitName: this._unit.unit,
            daemonPresent,
            busy: this._busy,
            actionError: this._error,
            waitingToToggle: this._sequence.active,
            nowMonotonicUs: GLib.get_monotonic_time(),
        }, this._deps._);
    }

    // While the daemon loads its models, say so rather than "not running".
    titled(p: Presentation): Presentation {
        return this.model(p.daemonPresent).starting ? {...p, title: this._deps._('Starting…')} : p;
    }

    // A start-then-toggle's toggle is on its way; another would undo it.
    get startingToToggle(): boolean {
        return this._sequence.active;
    }

    setUnit(unit: string): void {
        this._unit.setUnit(unit);
    }

    run(action: UnitAction, then?: (error: string | null) => void): void {
        this._busy = action;
        this._error = null;
        this._changed();
        this._unit.run(action).then(result => {
            if (this._cancellable.is_cancelled())
                return;
            this._busy = null;
            this._error = result.ok ? null : this._actionFailed(action).replace('%s', result.error);
            then?.(this._error);
            this._changed();
        }).catch(e => this._deps.logger.warn(`${action} failed: ${e}`));
    }

    startThenToggle(done: StartThenToggleDone): void {
        if (this._sequence.active)
            return;
        this._done = done;
        this._follow(this._sequence.begin(Date.now(), this._unit.status, false));
        if (this._sequence.active && !this._waitTimer.pending)
            this._waitTimer.schedule(1000);
    }

    destroy(): void {
        this._cancellable.cancel();
        this._unsubscribe();
        this._unit.stop();
        this._waitTimer.cancel();
        this._retryTimer.cancel();
        this.changed.clear();
        this._done = null;
    }

    private _follow(commands: StartThenToggleCommand[]): void {
        for (const command of commands) {
            switch (command) {
            case 'start-unit':
                this.run('start', error => this._follow(this._sequence.started(error)));
                break;
            case 'toggle':
                this._sendToggle();
                break;
            case 'retry-later':
                this._retryTimer.schedule(TOGGLE_RETRY_MS);
                break;
            }
        }
        const phase = this._sequence.phase;
        if (phase.kind === 'failed' || phase.kind === 'done') {
            this._sequence.reset();
            const done = this._done;
            this._done = null;
            done?.(phase.kind === 'failed' ? phase.message : null);
        }
        this._changed();
    }

    private _sendToggle(): void {
        const control = this._deps.controlPath();
        if (!control) {
            this._follow(this._sequence.toggled(Date.now(), 'not-listening', this._deps._('The daemon is not running.')));
            return;
        }
        sendControl(control, 'toggle', {cancellable: this._cancellable}).then(result => {
            if (this._cancellable.is_cancelled())
                return;
            const outcome = result.ok ? 'ok' : result.kind === 'connect' ? 'not-listening' : 'daemon-error';
            this._follow(this._sequence.toggled(Date.now(), outcome, result.ok ? '' : result.error));
        }).catch(e => this._deps.logger.warn(`toggle failed: ${e}`));
    }

    private _checkDaemonReady(): void {
        if (this._sequence.phase.kind !== 'waiting')
            return;
        const state = this._deps.store.state;
        if (state.connection.status === 'connected' && state.daemonState !== null)
            this._follow(this._sequence.daemonReady(Date.now()));
    }

    private _unitChanged(status: UnitStatus): void {
        // The new state says what happened; an older action's error would only contradict it.
        if (this._busy === null)
            this._error = null;
        this._follow(this._sequence.unitChanged(status, this._deps._('The daemon stopped with an error')));
    }

    private _actionFailed(action: UnitAction): string {
        const {_} = this._deps;
        switch (action) {
        case 'start':
            return _('Could not start the daemon: %s');
        case 'stop':
            return _('Could not stop the daemon: %s');
        case 'restart':
            return _('Could not restart the daemon: %s');
        }
    }

    private _changed(): void {
        this.changed.notify();
    }
}
