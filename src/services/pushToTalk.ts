// SPDX-License-Identifier: GPL-2.0-or-later
// Push-to-talk: the shortcut's press starts dictation, its release stops it (core/pushToTalk.ts
// decides). The press comes from a keybinding, which grabs nothing: the daemon keeps typing
// into the focused window while the key is down. Key events bound for a Wayland client never
// reach the shell's stage or event filters, so the release is learnt two ways, both only
// while held: mutter 47 and later report it to a binding flagged TRIGGER_RELEASE (if the
// modifiers pressed with the key are still down), and the seat's modifier state, polled,
// shows any of those modifiers let go.
import Clutter from 'gi://Clutter';
import type Gio from 'gi://Gio';
import Meta from 'gi://Meta';
import Shell from 'gi://Shell';
import * as Main from 'resource:///org/gnome/shell/ui/main.js';

import {Listeners} from '../core/listeners.js';
import type {Translate} from '../core/presentation.js';
import {type HoldEffect, type HoldInput, holdIdle, holdStep} from '../core/pushToTalk.js';
import {Key} from '../core/settings.js';
import type {SessionStore} from '../core/sessionStore.js';
import type {Logger} from '../lib/logger.js';
import {Timer} from '../lib/timers.js';
import {showOsd} from '../ui/copyOsd.js';
import {connectObject, disconnectObject} from '../ui/signals.js';
import type {DictationCommand} from './dictationCommand.js';

/** Fast enough that the last word is not cut short, cheap enough for a second-long hold. */
const POLL_MS = 50;

const {SHIFT_MASK, CONTROL_MASK, MOD1_MASK, MOD4_MASK, SUPER_MASK, HYPER_MASK, META_MASK} = Clutter.ModifierType;
/** Lock keys (Caps, Num) are not part of a shortcut. */
const SHORTCUT_MODIFIERS = SHIFT_MASK | CONTROL_MASK | MOD1_MASK | MOD4_MASK | SUPER_MASK | HYPER_MASK | META_MASK;

/** Added in mutter 47; 46 reports no key release to a keybinding. */
const TRIGGER_RELEASE = (Meta.KeyBindingFlags as unknown as Record<string, number | undefined>).TRIGGER_RELEASE ?? 0;

export interface PushToTalkDeps {
    gsettings: Gio.Settings;
    store: SessionStore;
    command: DictationCommand;
    logger: Logger;
    _: Translate;
}

export class PushToTalk {
    private readonly _deps: PushToTalkDeps;
    private readonly _poll = new Timer('push-to-talk release', () => this._checkModifiers());
    private readonly _unsubscribe: () => void;
    private readonly _bound: boolean;
    private _state = holdIdle;
    /** The modifiers pressed with the key: the hold ends when one of them is let go. */
    private _modifiers = 0;
    private _recording: boolean;
    /** Told when `held` changes. */
    readonly heldChanged = new Listeners();

    constructor(deps: PushToTalkDeps) {
        this._deps = deps;
        // Auto-repeat comes through too, for the state machine to ignore.
        const flags = Meta.KeyBindingFlags.NONE | TRIGGER_RELEASE;
        const action = Main.wm.addKeybinding(Key.PUSH_TO_TALK, deps.gsettings, flags,
            Shell.ActionMode.NORMAL | Shell.ActionMode.OVERVIEW, (_display, _window, event) => this._key(event));
        this._bound = action !== Meta.KeyBindingAction.NONE;
        if (!this._bound)
            deps.logger.warn(`the push-to-talk shortcut could not be registered: another extension holds the name ${Key.PUSH_TO_TALK}`);
        this._recording = deps.store.state.daemonState === 'recording';
        this._unsubscribe = deps.store.subscribe(state => this._daemonChanged(state.daemonState === 'recording'));
        connectObject(Main.sessionMode, this, 'updated', () => {
            if (Main.sessionMode.isLocked)
                this._input({type: 'lock'});
        });
    }

    /** The shortcut is down and dictating for it (or about to): the top bar says so. */
    get held(): boolean {
        return this._state.held;
    }

    /** A hold in progress ends as if released; a start still unanswered is stopped once answered. */
    destroy(): void {
        this.heldChanged.clear();
        this._unsubscribe();
        disconnectObject(Main.sessionMode, this);
        if (this._bound)
            Main.wm.removeKeybinding(Key.PUSH_TO_TALK);
        this._input({type: 'lock'});
        this._poll.cancel();
    }

    private _key(event: Clutter.Event): void {
        if (event.type() === Clutter.EventType.KEY_RELEASE) {
            this._input({type: 'release'});
            return;
        }
        const repeat = (event.get_flags() & Clutter.EventFlags.FLAG_REPEATED) !== 0;
        const modifiers = event.get_state() & SHORTCUT_MODIFIERS;
        if (!repeat && this._state.phase === 'idle')
            this._modifiers = modifiers;
        if (!TRIGGER_RELEASE && modifiers === 0) {
            // Nothing would ever tell this hold's end: better no start than one that never stops.
            if (!repeat)
                showOsd('input-keyboard-symbolic', this._deps._('Push-to-talk needs a shortcut with a modifier on this GNOME version.'));
            return;
        }
        this._input({type: 'press', daemon: this._daemon(), repeat});
    }

    private _daemon(): 'absent' | 'idle' | 'busy' {
        const {connection, daemonState} = this._deps.store.state;
        if (connection.status !== 'connected' && connection.status !== 'stale')
            return 'absent';
        return daemonState === 'idle' ? 'idle' : 'busy';
    }

    private _daemonChanged(recording: boolean): void {
        if (this._recording && !recording)
            this._input({type: 'ended'});
        this._recording = recording;
    }

    private _checkModifiers(): void {
        const [, , modifiers] = global.get_pointer();
        if ((modifiers & this._modifiers) !== this._modifiers)
            this._input({type: 'release'});
        else
            this._poll.schedule(POLL_MS);
    }

    private _input(input: HoldInput): void {
        const wasHeld = this._state.held;
        const {state, effects} = holdStep(this._state, input);
        this._state = state;
        for (const effect of effects)
            this._run(effect);
        if (state.held !== wasHeld)
            this.heldChanged.notify();
    }

    private _run(effect: HoldEffect): void {
        switch (effect) {
        case 'toggle':
            void this._deps.command.hold().then(ok => this._input({type: 'answered', ok}));
            break;
        case 'watch':
            if (this._modifiers !== 0)
                this._poll.schedule(POLL_MS);
            break;
        case 'unwatch':
            this._poll.cancel();
            break;
        case 'not-running':
            showOsd('microphone-disabled-symbolic', this._deps._('The daemon is not running.'));
            break;
        }
    }
}
