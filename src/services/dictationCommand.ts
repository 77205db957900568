// SPDX-License-Identifier: GPL-2.0-or-later
// Toggling dictation, from whichever control asked (switch, Quick Settings, shortcut,
// middle-click): one request at a time, and a failure told in the menus' note and, if wanted,
// a notification.
import Gio from 'gi://Gio';

import {Listeners} from '../core/listeners.js';
import {type Translate, controlErrorText} from '../core/presentation.js';
import type {Settings} from '../core/settings.js';
import type {SessionStore} from '../core/sessionStore.js';
import {sendControl} from '../transport/controlClient.js';
import type {Logger} from '../lib/logger.js';
import type {DaemonService} from './daemonService.js';
import type {Notifier} from './notifier.js';

export interface DictationCommandDeps {
    store: SessionStore;
    controlPath(): string | null;
    settings: Settings;
    notifier: Notifier;
    logger: Logger;
    _: Translate;
    /** The daemon's systemd unit: a switch turned on while the daemon is away starts it. */
    daemon: DaemonService;
}

export class DictationCommand {
    private readonly _deps: DictationCommandDeps;
    private readonly _cancellable = new Gio.Cancellable();
    /** Told when the note changes. */
    readonly noteChanged = new Listeners();
    private _inFlight = false;
    private _note: string | null = null;

    constructor(deps: DictationCommandDeps) {
        this._deps = deps;
    }

    /** The last failure, in words, until a toggle succeeds; null when there is none. */
    get note(): string | null {
        return this._note;
    }

    /**
     * From the Dictation switch and the Quick Settings toggle (`canStart`), a daemon that is
     * away but installed as a unit is started first, then toggled once.
     */
    toggle(canStart = false): void {
        const {store, daemon, _} = this._deps;
        // A started daemon gets its one toggle from the sequence; another press would undo it.
        if (daemon.startingToToggle)
            return;
        const status = store.state.connection.status;
        if (status !== 'connected' && status !== 'stale') {
            if (canStart && daemon.model(false).switchCanStart) {
                this._setNote(null);
                daemon.startThenToggle(error => error === null ? this._setNote(null) : this._failed(error, error));
                return;
            }
            this._failed('the daemon is not running', _('The daemon is not running.'));
            return;
        }
        void this._send(this._cancellable);
    }

    /**
     * One toggle for push-to-talk, whose caller knows the daemon is there: resolves true once
     * the daemon accepted it. Not cancelled by destroy(): the stop that ends a hold when the
     * extension is disabled must still reach the daemon; the request ends by its own timeout.
     */
    hold(): Promise<boolean> {
        return this._send(null);
    }

    private async _send(cancellable: Gio.Cancellable | null): Promise<boolean> {
        // A stop toggle takes up to half a second while the last speech is transcribed; a
        // second press must not queue another toggle behind it.
        const control = this._deps.controlPath();
        if (this._inFlight || !control)
            return false;
        this._inFlight = true;
        try {
            const result = await sendControl(control, 'toggle', {cancellable});
            if (this._cancellable.is_cancelled())
                return result.ok;
            if (result.ok)
                this._setNote(null);
            else
                this._failed(result.error, controlErrorText(result, this._deps._));
            return result.ok;
        } catch (e) {
            this._deps.logger.warn(`toggle failed: ${e}`);
            return false;
        } finally {
            this._inFlight = false;
        }
    }

    destroy(): void {
        this._cancellable.cancel();
        this.noteChanged.clear();
    }

    /** `detail` (English) goes to the log, `shown` (translated) to the menu and notification. */
    private _failed(detail: string, shown: string): void {
        const {logger, settings, notifier, _} = this._deps;
        logger.info(`toggle failed: ${detail}`);
        this._setNote(_('Toggle failed: %s').replace('%s', shown));
        if (settings.notifyToggleFailed)
            notifier.notify(_('Dictation could not be toggled'), shown);
    }

    private _setNote(note: string | null): void {
        if (note === this._note)
            return;
        this._note = note;
        this.noteChanged.notify();
    }
}
