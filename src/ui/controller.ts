// Wires the pure session state to the shell: one store fed by the metrics connection, the
// widgets that render it (coalesced by the RenderPacer, so a burst of thousands of events
// costs a repaint or two), the toggle paths (switch, Quick Settings, shortcut, middle-click)
// and notifications. Created in enable(), destroyed in disable().
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Meta from 'gi://Meta';
import Shell from 'gi://Shell';
import St from 'gi://St';
import * as Main from 'resource:///org/gnome/shell/ui/main.js';
import type * as PopupMenu from 'resource:///org/gnome/shell/ui/popupMenu.js';

import {
    type DaemonMenuModel, type StartThenToggleCommand, type UnitAction, type UnitStatus, START_THEN_TOGGLE_WAIT_MS,
    StartThenToggle, TOGGLE_RETRY_MS, daemonMenu,
} from '../core/daemonUnit.js';
import {type Presentation, type PanelLabelMode, type Translate, present} from '../core/presentation.js';
import {RenderPacer} from '../core/renderPacer.js';
import {SessionStore} from '../core/sessionStore.js';
import type {SessionState} from '../core/sessionState.js';
import {sendControl} from '../transport/controlClient.js';
import type {Logger} from '../transport/logger.js';
import {MetricsConnection} from '../transport/metricsConnection.js';
import {SystemdUnit} from '../transport/systemdUnit.js';
import {DaemonSection} from './daemonSection.js';
import {type IconSet, loadIcons} from './icons.js';
import {Notifier} from './notifier.js';
import {PanelIndicator} from './panelIndicator.js';
import {DictationSystemIndicator, DictationToggle} from './quickToggle.js';
import {SessionMenu} from './sessionMenu.js';

const SHORTCUT_KEY = 'toggle-shortcut';

export interface ControllerHost {
    uuid: string;
    dir: Gio.File;
    settings: Gio.Settings;
    openPreferences(): void;
    _: Translate;
    logger: Logger;
}

interface View {
    render(p: Presentation, note: string | null, daemon: DaemonMenuModel): void;
    destroy(): void;
}

export class Controller {
    private readonly _host: ControllerHost;
    private readonly _settings: Gio.Settings;
    private readonly _: Translate;
    private readonly _logger: Logger;
    private readonly _icons: IconSet;
    private readonly _store: SessionStore;
    private readonly _connection: MetricsConnection;
    private readonly _notifier: Notifier;
    private readonly _controlCancellable: Gio.Cancellable;
    private _views: View[] = [];
    private _settingsHandlers: number[] = [];
    private _unsubscribe: (() => void) | null = null;
    private _renderSource = 0;
    private readonly _pacer = new RenderPacer();
    // The settings each render reads, kept here: a GSettings read per render adds up in a flood.
    private _panelLabel: PanelLabelMode = 'none';
    private _hideTranscript = false;
    private _hideWhenAbsent = false;
    private _tickSource = 0;
    private _menusOpen = 0;
    private _toggleInFlight = false;
    private _note: string | null = null;
    private _previous: SessionState | null = null;
    private _indicator: InstanceType<typeof PanelIndicator> | null = null;
    // The daemon's systemd unit: its state, the action running, the last action's error, and
    // the "switch on while stopped" sequence with its timer (tick or retry).
    private readonly _unit: SystemdUnit;
    private _unitBusy: UnitAction | null = null;
    private _unitError: string | null = null;
    private readonly _startThenToggle = new StartThenToggle();
    private _startTimer = 0;
    private _retrySource = 0;

    constructor(host: ControllerHost) {
        this._host = host;
        this._settings = host.settings;
        this._ = host._;
        this._logger = host.logger;
        this._icons = loadIcons(host.dir);
        this._store = new SessionStore({maxSegments: this._settings.get_int('transcript-length')});
        this._connection = new MetricsConnection({
            store: this._store,
            logger: this._logger,
            socketOverride: () => this._settings.get_string('socket-path'),
        });
        this._notifier = new Notifier('Swictation', this._icons.recording);
        this._controlCancellable = new Gio.Cancellable();
        this._unit = new SystemdUnit({
            unit: this._settings.get_string('daemon-unit'),
            logger: this._logger,
            _: this._,
            onChange: status => this._unitChanged(status),
        });

        this._readViewSettings();
        this._buildViews();
        this._unsubscribe = this._store.subscribe(() => {
            this._checkDaemonReady();
            this._scheduleRender();
        });
        this._settingsHandlers = [
            this._settings.connect('changed::placement', () => this._rebuildViews()),
            this._settings.connect('changed::panel-box', () => this._rebuildViews()),
            this._settings.connect('changed::panel-index', () => this._rebuildViews()),
            ...['panel-label', 'hide-when-not-running', 'hide-transcript'].map(key =>
                this._settings.connect(`changed::${key}`, () => {
                    this._readViewSettings();
                    this._scheduleRender();
                })),
            this._settings.connect('changed::transcript-length', () =>
                this._store.dispatch({type: 'configure', maxSegments: this._settings.get_int('transcript-length')})),
            this._settings.connect('changed::socket-path', () => this._connection.reconnectNow()),
            this._settings.connect('changed::daemon-unit', () => this._unit.setUnit(this._settings.get_string('daemon-unit'))),
        ];
        Main.wm.addKeybinding(SHORTCUT_KEY, this._settings, Meta.KeyBindingFlags.NONE,
            Shell.ActionMode.NORMAL | Shell.ActionMode.OVERVIEW, () => this.toggle());
        this._connection.start();
        this._unit.start();
        this._render();
    }

    destroy(): void {
        Main.wm.removeKeybinding(SHORTCUT_KEY);
        for (const id of this._settingsHandlers)
            this._settings.disconnect(id);
        this._settingsHandlers = [];
        this._controlCancellable.cancel();
        this._unit.stop();
        this._unsubscribe?.();
        this._unsubscribe = null;
        this._connection.stop();
        for (const source of [this._renderSource, this._tickSource, this._startTimer, this._retrySource]) {
            if (source)
                GLib.source_remove(source);
        }
        this._renderSource = this._tickSource = this._startTimer = this._retrySource = 0;
        this._destroyViews();
        this._notifier.destroy();
    }

    /**
     * Toggles dictation. From the Dictation switch and the Quick Settings toggle (`canStart`),
     * a daemon that is stopped but installed as a unit is started first, then toggled once.
     */
    toggle(canStart = false): void {
        // A started daemon gets its one toggle from the sequence; another press would undo it.
        if (this._startThenToggle.active)
            return;
        const state = this._store.state;
        if (state.connection.status !== 'connected' && state.connection.status !== 'stale') {
            if (canStart && this._daemonModel(false).switchCanStart) {
                this._beginStartThenToggle();
                return;
            }
            this._toggleFailed(this._('The daemon is not running.'));
            return;
        }
        // One request at a time: a stop toggle takes up to half a second while the last
        // speech is transcribed, and a second press must not queue another toggle behind it.
        if (this._toggleInFlight)
            return;
        const control = this._connection.paths?.control;
        if (!control)
            return;
        this._toggleInFlight = true;
        sendControl(control, 'toggle', {cancellable: this._controlCancellable}).then(result => {
            this._toggleInFlight = false;
            if (this._controlCancellable.is_cancelled())
                return;
            if (result.ok) {
                this._setNote(null);
            } else {
                this._toggleFailed(result.error);
            }
        }).catch(e => {
            this._toggleInFlight = false;
            this._logger.warn(`toggle failed: ${e}`);
        });
    }

    private _beginStartThenToggle(): void {
        this._setNote(null);
        this._follow(this._startThenToggle.begin(Date.now(), this._unit.status, false));
        if (this._startThenToggle.active && !this._startTimer) {
            // The bounded wait: checked once a second while it lasts.
            this._startTimer = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 1, () => {
                this._follow(this._startThenToggle.tick(Date.now(),
                    this._('The daemon did not answer within %d s.').replace('%d', String(START_THEN_TOGGLE_WAIT_MS / 1000))));
                if (this._startThenToggle.active)
                    return GLib.SOURCE_CONTINUE;
                this._startTimer = 0;
                return GLib.SOURCE_REMOVE;
            });
        }
    }

    private _follow(commands: StartThenToggleCommand[]): void {
        for (const command of commands) {
            switch (command) {
            case 'start-unit':
                this._runUnit('start', error => this._follow(this._startThenToggle.started(error)));
                break;
            case 'toggle':
                this._startThenToggleSend();
                break;
            case 'retry-later':
                this._retrySource = GLib.timeout_add(GLib.PRIORITY_DEFAULT, TOGGLE_RETRY_MS, () => {
                    this._retrySource = 0;
                    this._follow(this._startThenToggle.retry(Date.now()));
                    return GLib.SOURCE_REMOVE;
                });
                break;
            }
        }
        const phase = this._startThenToggle.phase;
        if (phase.kind === 'failed') {
            this._startThenToggle.reset();
            this._toggleFailed(phase.message);
        } else if (phase.kind === 'done') {
            this._startThenToggle.reset();
            this._setNote(null);
        }
        this._scheduleRender();
    }

    private _startThenToggleSend(): void {
        const control = this._connection.paths?.control;
        if (!control) {
            this._follow(this._startThenToggle.toggled(Date.now(), 'not-listening', this._('The daemon is not running.')));
            return;
        }
        sendControl(control, 'toggle', {cancellable: this._controlCancellable}).then(result => {
            if (this._controlCancellable.is_cancelled())
                return;
            // Only "nobody listening" is retried: a toggle the daemon received is never repeated.
            const outcome = result.ok ? 'ok' : result.kind === 'connect' ? 'not-listening' : 'daemon-error';
            this._follow(this._startThenToggle.toggled(Date.now(), outcome, result.ok ? '' : result.error));
        }).catch(e => this._logger.warn(`toggle failed: ${e}`));
    }

    // The daemon answers once its catch-up has said what state it is in.
    private _checkDaemonReady(): void {
        if (this._startThenToggle.phase.kind !== 'waiting')
            return;
        const state = this._store.state;
        if (state.connection.status === 'connected' && state.daemonState !== null)
            this._follow(this._startThenToggle.daemonReady(Date.now()));
    }

    private _unitChanged(status: UnitStatus): void {
        // The new state says what happened; an older action's error would only contradict it.
        if (this._unitBusy === null)
            this._unitError = null;
        this._follow(this._startThenToggle.unitChanged(status, this._('The daemon stopped with an error')));
    }

    private _runUnit(action: UnitAction, then?: (error: string | null) => void): void {
        this._unitBusy = action;
        this._unitError = null;
        this._scheduleRender();
        this._unit.run(action).then(result => {
            if (this._controlCancellable.is_cancelled())
                return;
            this._unitBusy = null;
            const error = result.ok ? null : this._actionFailed(action).replace('%s', result.error);
            this._unitError = error;
            then?.(error);
            this._scheduleRender();
        }).catch(e => this._logger.warn(`${action} failed: ${e}`));
    }

    private _actionFailed(action: UnitAction): string {
        switch (action) {
        case 'start':
            return this._('Could not start the daemon: %s');
        case 'stop':
            return this._('Could not stop the daemon: %s');
        case 'restart':
            return this._('Could not restart the daemon: %s');
        }
    }

    private _daemonModel(present: boolean): DaemonMenuModel {
        return daemonMenu({
            unit: this._unit.status,
            unitName: this._unit.unit,
            daemonPresent: present,
            busy: this._unitBusy,
            actionError: this._unitError,
            waitingToToggle: this._startThenToggle.active,
            nowMonotonicUs: GLib.get_monotonic_time(),
        }, this._);
    }

    private _daemonActions() {
        return {
            run: (action: UnitAction) => this._runUnit(action),
            copy: (text: string) => St.Clipboard.get_default().set_text(St.ClipboardType.CLIPBOARD, text),
        };
    }

    private _toggleFailed(error: string): void {
        this._logger.info(`toggle failed: ${error}`);
        this._setNote(this._('Toggle failed: %s').replace('%s', error));
        if (this._settings.get_boolean('notify-toggle-failed'))
            this._notifier.notify(this._('Dictation could not be toggled'), error);
    }

    private _setNote(note: string | null): void {
        this._note = note;
        this._scheduleRender();
    }

    private _menuActions() {
        return {
            toggle: () => this.toggle(true),
            reconnect: () => this._connection.reconnectNow(),
            openPreferences: () => this._host.openPreferences(),
            copySegment: (key: number) => {
                if (this._settings.get_boolean('hide-transcript'))
                    return;
                const segment = this._store.state.transcript.find(s => s.key === key);
                if (segment)
                    St.Clipboard.get_default().set_text(St.ClipboardType.CLIPBOARD, segment.text);
            },
            copyAll: () => {
                if (this._settings.get_boolean('hide-transcript'))
                    return;
                const text = this._store.state.transcript.map(s => s.text).join('\n');
                if (text)
                    St.Clipboard.get_default().set_text(St.ClipboardType.CLIPBOARD, text);
            },
        };
    }

    private _trackMenu(menu: {connect(signal: 'open-state-changed', cb: (m: unknown, open: boolean) => void): number}): void {
        menu.connect('open-state-changed', (_m, open) => {
            this._menusOpen += open ? 1 : -1;
            this._render();
        });
    }

    private _buildViews(): void {
        const placement = this._settings.get_string('placement');
        if (placement === 'panel' || placement === 'both')
            this._views.push(this._buildPanelView());
        if (placement === 'quick-settings' || placement === 'both')
            this._views.push(this._buildQuickSettingsView());
    }

    private _buildPanelView(): View {
        const indicator = new PanelIndicator(this._icons, 'Swictation', {
            enabled: () => this._settings.get_boolean('middle-click-toggles'),
            activate: () => this.toggle(),
        });
        const popup = indicator.menu as PopupMenu.PopupMenu;
        const menu = new SessionMenu(popup, this._menuActions(), this._, {withHeader: true});
        // After the header, the switch and its note.
        const daemon = new DaemonSection(popup, this._daemonActions(), this._, {position: 3});
        this._trackMenu(popup as never);
        const box = this._settings.get_string('panel-box');
        Main.panel.addToStatusArea(this._host.uuid, indicator, this._settings.get_int('panel-index'), box);
        this._indicator = indicator;
        return {
            render: (p, note, model) => {
                indicator.render(p);
                indicator.visible = p.daemonPresent || !this._hideWhenAbsent;
                if (popup.isOpen) {
                    menu.update(p, note, model.switchCanStart);
                    daemon.update(model);
                }
            },
            destroy: () => {
                if (popup.isOpen)
                    this._menusOpen--;
                daemon.destroy();
                indicator.destroy();
                this._indicator = null;
            },
        };
    }

    private _buildQuickSettingsView(): View {
        const systemIndicator = new DictationSystemIndicator(this._icons);
        const toggle = new DictationToggle(this._icons, this._('Dictation'), () => this.toggle(true));
        const menu = new SessionMenu(toggle.menu, this._menuActions(), this._, {withHeader: false});
        const daemon = new DaemonSection(toggle.menu, this._daemonActions(), this._, {position: 0});
        this._trackMenu(toggle.menu as never);
        systemIndicator.quickSettingsItems.push(toggle);
        // The typings say PanelMenu.Button; the shell takes a SystemIndicator here.
        Main.panel.statusArea.quickSettings.addExternalIndicator(systemIndicator as never);
        return {
            render: (p, note, model) => {
                systemIndicator.render(p);
                toggle.render(p);
                if (toggle.menu.isOpen) {
                    menu.update(p, note, model.switchCanStart);
                    daemon.update(model);
                }
            },
            destroy: () => {
                if (toggle.menu.isOpen)
                    this._menusOpen--;
                daemon.destroy();
                // The shell does not destroy a toggle's menu with the toggle.
                for (const item of systemIndicator.quickSettingsItems) {
                    (item as unknown as {menu?: {destroy(): void}}).menu?.destroy();
                    item.destroy();
                }
                systemIndicator.destroy();
            },
        };
    }

    private _destroyViews(): void {
        for (const view of this._views)
            view.destroy();
        this._views = [];
    }

    private _rebuildViews(): void {
        this._destroyViews();
        this._buildViews();
        this._render();
    }

    private _readViewSettings(): void {
        this._panelLabel = this._settings.get_string('panel-label') as PanelLabelMode;
        this._hideTranscript = this._settings.get_boolean('hide-transcript');
        this._hideWhenAbsent = this._settings.get_boolean('hide-when-not-running');
    }

    private _scheduleRender(): void {
        this._pacer.changed();
        // In a flood, a running seconds ticker already renders everything once a second.
        if (this._renderSource || (this._tickSource && this._pacer.flooding))
            return;
        // Below the transport's reads (DEFAULT_IDLE): while a burst is still being drained the
        // render waits, so the whole burst ends in one render of its final state.
        const wait = this._pacer.delay(GLib.get_monotonic_time() / 1000);
        this._renderSource = GLib.timeout_add(GLib.PRIORITY_LOW, Math.ceil(wait), () => {
            this._renderSource = 0;
            this._render();
            return GLib.SOURCE_REMOVE;
        });
    }

    private _render(): void {
        this._pacer.rendered(GLib.get_monotonic_time() / 1000);
        const state = this._store.state;
        let p = present(state, {
            now: Date.now(),
            panelLabel: this._panelLabel,
            hideTranscript: this._hideTranscript,
            // Transcript rows are built only for an open menu: nothing else shows them.
            transcript: this._menusOpen > 0,
        }, this._);
        const daemon = this._daemonModel(p.daemonPresent);
        // The header and the Quick Settings subtitle say what the daemon is doing, not
        // "not running", while it loads its models.
        if (daemon.starting)
            p = {...p, title: this._('Starting…')};
        for (const view of this._views)
            view.render(p, this._note, daemon);
        this._notifyTransitions(state);
        this._updateTicker(p);
    }

    // Seconds tick only while something on screen counts them: the elapsed-time label while
    // recording, or an open menu ("updated 3 s ago", "reconnecting in 4 s"). Idle, nothing runs.
    private _updateTicker(p: Presentation): void {
        const wanted = this._menusOpen > 0 ||
            (p.recording && this._panelLabel === 'elapsed' && this._indicator !== null);
        if (wanted && !this._tickSource) {
            this._tickSource = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 1, () => {
                this._render();
                return GLib.SOURCE_CONTINUE;
            });
        } else if (!wanted && this._tickSource) {
            GLib.source_remove(this._tickSource);
            this._tickSource = 0;
        }
    }

    private _notifyTransitions(state: SessionState): void {
        const previous = this._previous;
        this._previous = state;
        if (!previous || previous === state)
            return;
        const wasRecording = previous.daemonState === 'recording';
        const isRecording = state.daemonState === 'recording';
        const lost = previous.connection.status === 'connected' && state.connection.status === 'disconnected';
        if (wasRecording && lost) {
            if (this._settings.get_boolean('notify-daemon-lost'))
                this._notifier.notify(this._('Dictation interrupted'), this._('The Swictation daemon went away while recording.'));
            return;
        }
        if (wasRecording === isRecording || !this._settings.get_boolean('notify-start-stop'))
            return;
        if (isRecording)
            this._notifier.notify(this._('Dictation started'), state.sessionId !== null ? this._('Session #%d').replace('%d', String(state.sessionId)) : '');
        else if (state.connection.status === 'connected')
            this._notifier.notify(this._('Dictation stopped'), '');
    }
}
