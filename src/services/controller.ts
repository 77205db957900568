// SPDX-License-Identifier: GPL-2.0-or-later
// Wiring, created in enable() and destroyed in disable(): the store fed by the metrics
// connection, the views (each renders itself from the store), the toggle command, the
// dictation aids (earlier sessions, copying, sound cues), the notifications derived from every
// state the store passes through, and the shortcuts (toggle, push-to-talk).
import Gio from 'gi://Gio';
import * as Main from 'resource:///org/gnome/shell/ui/main.js';

import {type Notice, NoticeWatcher} from '../core/notices.js';
import type {Translate, TranslatePlural} from '../core/presentation.js';
import {Key, Settings} from '../core/settings.js';
import {SessionStore} from '../core/sessionStore.js';
import type {Logger} from '../lib/logger.js';
import {MetricsConnection} from '../transport/metricsConnection.js';
import {DictationAids} from './dictationAids.js';
import {DaemonService} from './daemonService.js';
import {DictationCommand} from './dictationCommand.js';
import {loadIcons} from '../ui/icons.js';
import {Notifier} from './notifier.js';
import {PanelIndicator} from '../ui/panelIndicator.js';
import {PushToTalk} from './pushToTalk.js';
import {Shortcut} from './shortcut.js';
import {DictationIndicator} from '../ui/quickSettings.js';
import {connectObject, disconnectObject} from '../ui/signals.js';
import type {ViewContext} from '../ui/viewContext.js';

export interface ControllerHost {
    uuid: string;
    dir: Gio.File;
    settings: Gio.Settings;
    openPreferences(): void;
    _: Translate;
    logger: Logger;
    ngettext: TranslatePlural;
}

export class Controller {
    private readonly _host: ControllerHost;
    private readonly _settings: Settings;
    private readonly _store: SessionStore;
    private readonly _connection: MetricsConnection;
    private readonly _notifier: Notifier;
    private readonly _command: DictationCommand;
    private readonly _aids: DictationAids;
    private readonly _daemon: DaemonService;
    private readonly _ctx: ViewContext;
    private readonly _unsubscribe: () => void;
    private readonly _shortcut: Shortcut;
    private readonly _pushToTalk: PushToTalk;
    private _views: Array<{destroy(): void}> = [];

    constructor(host: ControllerHost) {
        const {settings: gsettings, logger} = host;
        this._host = host;
        this._settings = new Settings(gsettings);
        const icons = loadIcons(host.dir);
        this._store = new SessionStore({maxSegments: this._settings.transcriptLength});
        this._connection = new MetricsConnection({store: this._store, logger, socketOverride: () => this._settings.socketPath});
        this._notifier = new Notifier('Swictation', icons.recording);
        const controlPath = () => this._connection.paths?.control ?? null;
        this._daemon = new DaemonService({store: this._store, controlPath, unit: this._settings.daemonUnit, logger, _: host._});
        this._command = new DictationCommand({
            store: this._store, controlPath,
            settings: this._settings, notifier: this._notifier, logger, _: host._, daemon: this._daemon,
        });
        this._pushToTalk = new PushToTalk({gsettings, store: this._store, command: this._command, logger, _: host._});
        this._aids = new DictationAids({store: this._store, gsettings, settings: this._settings, logger, _: host._, ngettext: host.ngettext});
        this._ctx = {
            store: this._store, settings: this._settings, gsettings, icons, command: this._command, aids: this._aids, daemon: this._daemon,
            pushToTalk: this._pushToTalk,
            _: host._, ngettext: host.ngettext,
            reconnect: () => this._connection.reconnectNow(),
            openPreferences: () => host.openPreferences(),
        };
        this._buildViews();
        // One call per line of signals: the emitted module puts a call's arguments on one line.
        const rebuild = () => this._rebuildViews();
        const resize = () => this._store.dispatch({type: 'configure', maxSegments: this._settings.transcriptLength});
        connectObject(gsettings, this, `changed::${Key.PLACEMENT}`, rebuild, `changed::${Key.PANEL_BOX}`, rebuild);
        connectObject(gsettings, this, `changed::${Key.PANEL_INDEX}`, rebuild, `changed::${Key.TRANSCRIPT_LENGTH}`, resize);
        connectObject(gsettings, this, `changed::${Key.SOCKET_PATH}`, () => this._connection.reconnectNow());
        connectObject(gsettings, this, `changed::${Key.DAEMON_UNIT}`, () => this._daemon.setUnit(this._settings.daemonUnit));
        // Every step of the store, not the renders' samples: see notices.ts.
        const watcher = new NoticeWatcher(this._store.state);
        this._unsubscribe = this._store.subscribe(state => this._notify(watcher.observe(state)));
        this._shortcut = new Shortcut(gsettings, logger, () => this._command.toggle());
        this._connection.start();
    }

    destroy(): void {
        // Silence first: stopping the connection changes the state, and that is no news.
        this._unsubscribe();
        disconnectObject(this._host.settings, this);
        this._shortcut.destroy();
        this._destroyViews();
        // Before the command: a hold ends with a stop, sent through it.
        this._pushToTalk.destroy();
        this._aids.destroy();
        this._command.destroy();
        this._daemon.destroy();
        this._connection.stop();
        this._notifier.destroy();
    }

    private _notify(notice: Notice | null): void {
        const {_} = this._host;
        if (notice === 'lost-while-recording' && this._settings.notifyDaemonLost)
            this._notifier.notify(_('Dictation interrupted'), _('The Swictation daemon went away while recording.'));
        else if (notice === 'started' && this._settings.notifyStartStop)
            this._notifier.notify(_('Dictation started'), '');
        else if (notice === 'stopped' && this._settings.notifyStartStop)
            this._notifier.notify(_('Dictation stopped'), '');
    }

    private _buildViews(): void {
        const placement = this._settings.placement;
        if (placement === 'panel' || placement === 'both') {
            const indicator = new PanelIndicator(this._ctx);
            Main.panel.addToStatusArea(this._host.uuid, indicator, this._settings.panelIndex, this._settings.panelBox);
            this._views.push(indicator);
        }
        if (placement === 'quick-settings' || placement === 'both') {
            const indicator = new DictationIndicator(this._ctx);
            // The typings say PanelMenu.Button; the shell takes a SystemIndicator here.
            Main.panel.statusArea.quickSettings.addExternalIndicator(indicator as never);
            this._views.push(indicator);
        }
    }

    private _destroyViews(): void {
        for (const view of this._views)
            view.destroy();
        this._views = [];
    }

    private _rebuildViews(): void {
        this._destroyViews();
        this._buildViews();
    }
}
