// SPDX-License-Identifier: GPL-2.0-or-later
// What dictation users ask for beyond the live view, in one owner: the earlier sessions of
// this login (memory only, dropped with this object in disable()), the copy shortcut and its
// OSD, copying a session when it ends, and sound cues. It follows the store itself, every
// state, so no transition is lost to render coalescing. Created in enable(), destroyed in
// disable().
import type Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Meta from 'gi://Meta';
import Shell from 'gi://Shell';
import * as Main from 'resource:///org/gnome/shell/ui/main.js';
import type * as PopupMenu from 'resource:///org/gnome/shell/ui/popupMenu.js';

import {copyOsdText, englishPlural, type Plural, planCopy} from '../core/historyText.js';
import type {Translate} from '../core/presentation.js';
import {copySource, recordingTransition, SessionHistory, textOf} from '../core/sessionHistory.js';
import type {Segment, SessionState} from '../core/sessionState.js';
import type {SessionStore} from '../core/sessionStore.js';
import {copyToClipboard, showOsd} from './copyOsd.js';
import {EarlierSessionsMenu} from './earlierSessionsMenu.js';
import {SoundCues} from './soundCues.js';

export const COPY_SHORTCUT_KEY = 'swictation-copy';
// Late segments of a session can arrive after its session_end and state_change idle.
const COPY_AFTER_END_MS = 1000;

export interface DictationAidsOptions {
    store: SessionStore;
    settings: Gio.Settings;
    _: Translate;
    ngettext?: Plural;
}

export class DictationAids {
    private readonly _store: SessionStore;
    private readonly _settings: Gio.Settings;
    private readonly _: Translate;
    private readonly _ngettext: Plural;
    private readonly _history: SessionHistory;
    private readonly _cues: SoundCues;
    private _menus: EarlierSessionsMenu[] = [];
    private _previous: SessionState;
    private _unsubscribe: (() => void) | null;
    private _unwatchHistory: (() => void) | null;
    private _settingsHandlers: number[];
    private _copySource = 0;

    constructor(opts: DictationAidsOptions) {
        this._store = opts.store;
        this._settings = opts.settings;
        this._ = opts._;
        this._ngettext = opts.ngettext ?? englishPlural;
        this._history = new SessionHistory({limit: this._settings.get_int('history-length')});
        this._cues = new SoundCues(this._);
        this._previous = this._store.state;
        this._history.observe(this._previous);
        this._unsubscribe = this._store.subscribe(state => this._follow(state));
        this._unwatchHistory = this._history.onChanged(() => this._updateMenus());
        this._settingsHandlers = [
            this._settings.connect('changed::history-length', () => {
                this._history.setLimit(this._settings.get_int('history-length'));
                this._updateMenus();
            }),
            this._settings.connect('changed::hide-transcript', () => this._updateMenus()),
        ];
        Main.wm.addKeybinding(COPY_SHORTCUT_KEY, this._settings, Meta.KeyBindingFlags.NONE,
            Shell.ActionMode.NORMAL | Shell.ActionMode.OVERVIEW, () => this.copyCurrent());
    }

    destroy(): void {
        Main.wm.removeKeybinding(COPY_SHORTCUT_KEY);
        for (const id of this._settingsHandlers)
            this._settings.disconnect(id);
        this._settingsHandlers = [];
        this._unsubscribe?.();
        this._unsubscribe = null;
        this._unwatchHistory?.();
        this._unwatchHistory = null;
        if (this._copySource)
            GLib.source_remove(this._copySource);
        this._copySource = 0;
        this._cues.destroy();
        for (const menu of this._menus)
            menu.destroy();
        this._menus = [];
        // The earlier sessions go with this object: nothing of them outlives disable().
        this._history.clear();
    }

    /** For the 'today' panel label. */
    wordsToday(): number {
        return this._history.wordsToday(this._store.state);
    }

    /** Puts an Earlier submenu into `menu`; returns the function that removes it again. */
    addEarlierMenu(menu: PopupMenu.PopupMenuBase, position?: number): () => void {
        const section = new EarlierSessionsMenu(menu, {
            copy: id => this._copyEarlier(id),
            clear: () => this._history.clear(),
        }, this._, this._ngettext, position);
        this._menus.push(section);
        this._updateMenu(section);
        return () => {
            if (!this._menus.includes(section))
                return;
            this._menus = this._menus.filter(m => m !== section);
            section.destroy();
        };
    }

    /** The copy shortcut: the current session's text, or the last one's when idle. */
    copyCurrent(): void {
        this._copy(copySource(this._store.state, this._history));
    }

    private _copyEarlier(id: number): void {
        const session = this._history.find(id);
        if (session)
            this._copy(session.segments);
    }

    private _copy(segments: readonly Segment[]): void {
        const {text, outcome} = planCopy(segments, this._settings.get_boolean('hide-transcript'));
        if (text !== null)
            copyToClipboard(text);
        showOsd(outcome.kind === 'copied' ? 'edit-copy-symbolic' : 'action-unavailable-symbolic',
            copyOsdText(outcome, this._, this._ngettext));
    }

    private _follow(state: SessionState): void {
        const previous = this._previous;
        this._previous = state;
        this._history.observe(state);
        const transition = recordingTransition(previous, state);
        if (!transition)
            return;
        if (this._settings.get_boolean('sound-cues'))
            this._cues.play(transition);
        if (transition === 'stopped' && this._settings.get_boolean('copy-on-session-end'))
            this._copyWhenSettled();
    }

    private _copyWhenSettled(): void {
        if (this._copySource)
            GLib.source_remove(this._copySource);
        this._copySource = GLib.timeout_add(GLib.PRIORITY_DEFAULT, COPY_AFTER_END_MS, () => {
            this._copySource = 0;
            const state = this._store.state;
            if (state.daemonState !== 'recording' && state.transcript.length > 0 && !this._settings.get_boolean('hide-transcript'))
                copyToClipboard(textOf(state.transcript));
            return GLib.SOURCE_REMOVE;
        });
    }

    private _updateMenus(): void {
        for (const menu of this._menus)
            this._updateMenu(menu);
    }

    private _updateMenu(menu: EarlierSessionsMenu): void {
        menu.update({
            sessions: this._history.sessions,
            enabled: this._history.limit > 0,
            hideTranscript: this._settings.get_boolean('hide-transcript'),
        });
    }
}
