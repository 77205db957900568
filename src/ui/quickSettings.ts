// SPDX-License-Identifier: GPL-2.0-or-later
// The Quick Settings side: a "Dictation" toggle whose menu carries the session summary, and
// an icon in the system area while recording.
import GObject from 'gi://GObject';
import * as QuickSettings from 'resource:///org/gnome/shell/ui/quickSettings.js';

import {menuView, panelView, present} from '../core/presentation.js';
import {Key} from '../core/settings.js';
import type {SessionState} from '../core/sessionState.js';
import {setVisible} from './actors.js';
import {SessionMenu} from './sessionMenu.js';
import {connectObject, disconnectObject} from './signals.js';
import type {ViewContext} from './viewContext.js';
import {ViewUpdates} from './viewUpdates.js';

const isRecording = (state: SessionState) => state.connection.status === 'connected' && state.daemonState === 'recording';

export const DictationToggle = GObject.registerClass({
    GTypeName: 'SwictationDictationToggle',
}, class DictationToggle extends QuickSettings.QuickMenuToggle {
    declare private _ctx: ViewContext;
    declare private _content: SessionMenu;
    declare private _updates: ViewUpdates;
    declare private _shown: string;
    declare private _hideTranscript: boolean;
    declare private _gone: boolean;

    constructor(ctx: ViewContext) {
        super({title: ctx._('Dictation'), gicon: ctx.icons.idle, toggleMode: false});
        this._ctx = ctx;
        this._shown = '';
        this._hideTranscript = false;
        this._gone = false;
        this.add_style_class_name('swictation-quick-toggle');
        this.connect('clicked', () => ctx.command.toggle(true));

        this._content = new SessionMenu(this.menu, ctx, {withHeader: false});
        // Closed, the toggle shows what a top-bar button without a label shows.
        // Untranslated and without the daemon's title, as the top-bar button compares.
        this._updates = new ViewUpdates(ctx, () => this._render(), (state, now) => {
            const menu = this.menu.isOpen;
            const p = present(state, {now, panelLabel: 'none', hideTranscript: this._hideTranscript, menu});
            return menu ? menuView(p) : panelView(p);
        });
        connectObject(ctx.gsettings, this, `changed::${Key.HIDE_TRANSCRIPT}`, () => this._updates.changed());
        connectObject(this.menu, this, 'open-state-changed', () => this._updates.now());
        this.connect('destroy', () => this._teardown());
        this._render();
    }

    override destroy(): void {
        this._teardown();
        // The shell does not destroy a toggle's menu with the toggle.
        this.menu.destroy();
        super.destroy();
    }

    private _teardown(): void {
        if (this._gone)
            return;
        this._gone = true;
        this._updates.destroy();
        disconnectObject(this._ctx.gsettings, this);
    }

    private _render(): void {
        if (this._gone)
            return;
        const open = this.menu.isOpen;
        const {settings, daemon, _, ngettext} = this._ctx;
        this._hideTranscript = settings.hideTranscript;
        const p = daemon.titled(present(this._ctx.store.state, {
            now: Date.now(), panelLabel: 'none', hideTranscript: this._hideTranscript, menu: open,
        }, _, ngettext));
        // Most renders (the 1 s metrics) change nothing the toggle shows.
        const shown = `${p.recording}|${p.icon}|${p.title}`;
        if (shown !== this._shown) {
            this._shown = shown;
            this.checked = p.recording;
            this.gicon = this._ctx.icons[p.icon];
            this.subtitle = p.title;
            this.menu.setHeader(this._ctx.icons[p.icon], this.title ?? '', p.title);
        }
        if (open)
            this._content.update(p, this._ctx.command.note);
        this._updates.ticking = open;
    }
});

export type DictationToggle = InstanceType<typeof DictationToggle>;

export const DictationIndicator = GObject.registerClass({
    GTypeName: 'SwictationDictationIndicator',
}, class DictationIndicator extends QuickSettings.SystemIndicator {
    declare private _icon: ReturnType<QuickSettings.SystemIndicator['_addIndicator']>;
    declare private _toggle: DictationToggle;
    declare private _unsubscribe: (() => void) | null;
    declare private _stopHeld: (() => void) | null;

    constructor(ctx: ViewContext) {
        super();
        this._icon = this._addIndicator();
        this._icon.gicon = ctx.icons.recording;
        this._icon.add_style_class_name('swictation-recording-indicator');
        // A held push-to-talk shows at once, before the daemon says it records.
        const show = () => setVisible(this._icon, isRecording(ctx.store.state) || ctx.pushToTalk.held);
        show();
        this._unsubscribe = ctx.store.subscribeSettled(show);
        this._stopHeld = ctx.pushToTalk.heldChanged.add(show);
        this._toggle = new DictationToggle(ctx);
        this.quickSettingsItems.push(this._toggle);
        this.connect('destroy', () => this._teardown());
    }

    override destroy(): void {
        this._teardown();
        this._toggle.destroy();
        super.destroy();
    }

    private _teardown(): void {
        this._unsubscribe?.();
        this._unsubscribe = null;
        this._stopHeld?.();
        this._stopHeld = null;
    }
});

export type DictationIndicator = InstanceType<typeof DictationIndicator>;
