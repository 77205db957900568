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

import type {Plural} from '../core/historyText.js';
import {type Presentation, type PanelLabelMode, type Translate, present} from '../core/presentation.js';
import {RenderPacer} from '../core/renderPacer.js';
import {SessionStore} from '../core/sessionStore.js';
import type {SessionState} from '../core/sessionState.js';
import {sendControl} from '../transport/controlClient.js';
import type {Logger} from '../transport/logger.js';
import {MetricsConnection} from '../transport/metricsConnection.js';
import {DictationAids} from './dictationAids.js';
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
    ngettext?: Plural;
}

interface View {
    render(p: Presentation, note: string | null): void;
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
    private readonly _aids: DictationAids;
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
        this._aids = new DictationAids({store: this._store, settings: this._settings, _: this._, ngettext: host.ngettext});

        this._readViewSettings();
        this._buildViews();
        this._unsubscribe = this._store.subscribe(() => this._scheduleRender());
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
        ];
        Main.wm.addKeybinding(SHORTCUT_KEY, this._settings, Meta.KeyBindingFlags.NONE,
            Shell.ActionMode.NORMAL | Shell.ActionMode.OVERVIEW, () => this.toggle());
        this._connection.start();
        this._render();
    }

    destroy(): void {
        Main.wm.removeKeybinding(SHORTCUT_KEY);
        for (const id of this._settingsHandlers)
            this._settings.disconnect(id);
        this._settingsHandlers = [];
        this._controlCancellable.cancel();
        this._unsubscribe?.();
        this._unsubscribe = null;
        this._connection.stop();
        for (const source of [this._renderSource, this._tickSource]) {
            if (source)
                GLib.source_remove(source);
        }
        this._renderSource = this._tickSource = 0;
        this._destroyViews();
        this._aids.destroy();
        this._notifier.destroy();
    }

    toggle(): void {
        const state = this._store.state;
        if (state.connection.status !== 'connected' && state.connection.status !== 'stale') {
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
            toggle: () => this.toggle(),
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
        const removeEarlier = this._aids.addEarlierMenu(popup, menu.afterTranscript);
        this._trackMenu(popup as never);
        const box = this._settings.get_string('panel-box');
        Main.panel.addToStatusArea(this._host.uuid, indicator, this._settings.get_int('panel-index'), box);
        this._indicator = indicator;
        return {
            render: (p, note) => {
                indicator.render(p);
                indicator.visible = p.daemonPresent || !this._hideWhenAbsent;
                if (popup.isOpen)
                    menu.update(p, note);
            },
            destroy: () => {
                if (popup.isOpen)
                    this._menusOpen--;
                removeEarlier();
                indicator.destroy();
                this._indicator = null;
            },
        };
    }

    private _buildQuickSettingsView(): View {
        const systemIndicator = new DictationSystemIndicator(this._icons);
        const toggle = new DictationToggle(this._icons, this._('Dictation'), () => this.toggle());
        const menu = new SessionMenu(toggle.menu, this._menuActions(), this._, {withHeader: false});
        const removeEarlier = this._aids.addEarlierMenu(toggle.menu, menu.afterTranscript);
        this._trackMenu(toggle.menu as never);
        systemIndicator.quickSettingsItems.push(toggle);
        // The typings say PanelMenu.Button; the shell takes a SystemIndicator here.
        Main.panel.statusArea.quickSettings.addExternalIndicator(systemIndicator as never);
        return {
            render: (p, note) => {
                systemIndicator.render(p);
                toggle.render(p);
                if (toggle.menu.isOpen)
                    menu.update(p, note);
            },
            destroy: () => {
                if (toggle.menu.isOpen)
                    this._menusOpen--;
                removeEarlier();
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
        const p = present(state, {
            now: Date.now(),
            panelLabel: this._panelLabel,
            hideTranscript: this._hideTranscript,
            // Transcript rows are built only for an open menu: nothing else shows them.
            transcript: this._menusOpen > 0,
            wordsToday: this._panelLabel === 'today' ? this._aids.wordsToday() : undefined,
        }, this._);
        for (const view of this._views)
            view.render(p, this._note);
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
