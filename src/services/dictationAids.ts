// SPDX-License-Identifier: GPL-2.0-or-later
// What dictation users ask for beyond the live view, in one owner the views share through
// ViewContext: the earlier sessions of this login (memory only, dropped with this object in
// disable()), the copy shortcut and its OSD, copying a session when it ends, and sound cues.
// It follows every state of the store, so no transition is lost to render coalescing. The
// views own the Earlier submenus and read the history from here when they render.
import type Gio from 'gi://Gio';

import {copyOsdText, planCopy} from '../core/historyText.js';
import type {Translate, TranslatePlural} from '../core/presentation.js';
import {Key, type Settings} from '../core/settings.js';
import {copySource, recordingTransition, SessionHistory, textOf} from '../core/sessionHistory.js';
import type {Segment, SessionState} from '../core/sessionState.js';
import type {SessionStore} from '../core/sessionStore.js';
import type {Logger} from '../lib/logger.js';
import {Timer} from '../lib/timers.js';
import {copyToClipboard, showOsd} from '../ui/copyOsd.js';
import {Shortcut} from './shortcut.js';
import {connectObject, disconnectObject} from '../ui/signals.js';
import {SoundCues} from './soundCues.js';

// Late segments of a session can arrive after its session_end and state_change idle.
const COPY_AFTER_END_MS = 1000;

export interface DictationAidsDeps {
    store: SessionStore;
    gsettings: Gio.Settings;
    settings: Settings;
    logger: Logger;
    _: Translate;
    ngettext: TranslatePlural;
}

export class DictationAids {
    readonly history: SessionHistory;
    readonly ngettext: TranslatePlural;
    private readonly _deps: DictationAidsDeps;
    private readonly _cues: SoundCues;
    private readonly _shortcut: Shortcut;
    private readonly _unsubscribe: () => void;
    private _previous: SessionState;
    private readonly _copyTimer = new Timer('copy at session end', () => {
        const state = this._deps.store.state;
        if (state.daemonState !== 'recording' && state.transcript.length > 0 && !this._deps.settings.hideTranscript)
            copyToClipboard(textOf(state.transcript));
    });

    constructor(deps: DictationAidsDeps) {
        const {store, gsettings, settings, logger, _} = deps;
        this._deps = deps;
        this.ngettext = deps.ngettext;
        this.history = new SessionHistory({limit: settings.historyLength});
        this._cues = new SoundCues(_);
        this._previous = store.state;
        this.history.observe(this._previous);
        this._unsubscribe = store.subscribe(state => this._follow(state));
        connectObject(gsettings, this, `changed::${Key.HISTORY_LENGTH}`, () => this.history.setLimit(settings.historyLength));
        this._shortcut = new Shortcut(gsettings, logger, () => this.copyCurrent(), Key.COPY_SHORTCUT, 'the menu still copies');
    }

    destroy(): void {
        this._shortcut.destroy();
        disconnectObject(this._deps.gsettings, this);
        this._unsubscribe();
        this._copyTimer.cancel();
        this._cues.destroy();
        // The earlier sessions go with this object: nothing of them outlives disable().
        this.history.clear();
    }

    /** For the 'today' panel label. */
    wordsToday(state: SessionState = this._deps.store.state): number {
        return this.history.wordsToday(state);
    }

    /** The copy shortcut: the current session's text, or the last one's when idle. */
    copyCurrent(): void {
        this._copy(copySource(this._deps.store.state, this.history));
    }

    /** An Earlier row: that session's text. */
    copyEarlier(id: number): void {
        const session = this.history.find(id);
        if (session)
            this._copy(session.segments);
    }

    private _copy(segments: readonly Segment[]): void {
        const {_, settings} = this._deps;
        const {text, outcome} = planCopy(segments, settings.hideTranscript);
        if (text !== null)
            copyToClipboard(text);
        showOsd(outcome.kind === 'copied' ? 'edit-copy-symbolic' : 'action-unavailable-symbolic',
            copyOsdText(outcome, _, this.ngettext));
    }

    private _follow(state: SessionState): void {
        const previous = this._previous;
        this._previous = state;
        this.history.observe(state);
        const transition = recordingTransition(previous, state);
        if (!transition)
            return;
        if (this._deps.settings.soundCues)
            this._cues.play(transition);
        if (transition === 'stopped' && this._deps.settings.copyOnSessionEnd)
            this._copyTimer.schedule(COPY_AFTER_END_MS);
    }
}
