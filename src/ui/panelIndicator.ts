// SPDX-License-Identifier: GPL-2.0-or-later
// The top-bar button: an icon per state (recording also gets a style class that colours it,
// like the shell's own screen-recording indicator), an optional label in tabular figures, and
// the session menu. It subscribes to the store itself, renders at a paced rate, ticks seconds
// only while it shows them, and frees all of it in destroy().
import Clutter from 'gi://Clutter';
import GObject from 'gi://GObject';
import St from 'gi://St';
import * as PanelMenu from 'resource:///org/gnome/shell/ui/panelMenu.js';
import type * as PopupMenu from 'resource:///org/gnome/shell/ui/popupMenu.js';

import {type IconKind, type PresentationOptions, menuView, panelView, present} from '../core/presentation.js';
import {Key} from '../core/settings.js';
import {setAccessibleName, setStyleClass, setText, setVisible} from './actors.js';
import {closeAtOnce} from './compat.js';
import {SessionMenu} from './sessionMenu.js';
import {connectObject, disconnectObject} from './signals.js';
import type {ViewContext} from './viewContext.js';
import {ViewUpdates} from './viewUpdates.js';

export const PanelIndicator = GObject.registerClass({
    GTypeName: 'SwictationPanelIndicator',
}, class PanelIndicator extends PanelMenu.Button {
    declare private _ctx: ViewContext;
    declare private _icon: St.Icon;
    declare private _label: St.Label;
    declare private _content: SessionMenu;
    declare private _updates: ViewUpdates;
    declare private _shownIcon: IconKind | null;
    declare private _shows: Omit<PresentationOptions, 'now'>;
    declare private _gone: boolean;
    declare private _stopHeld: () => void;

    constructor(ctx: ViewContext) {
        super(0.5, 'Swictation', false);
        this._ctx = ctx;
        this._gone = false;
        this._shownIcon = null;
        this.add_style_class_name('swictation-indicator');

        const box = new St.BoxLayout({style_class: 'panel-status-menu-box'});
        this._icon = new St.Icon({style_class: 'system-status-icon'});
        this._label = new St.Label({style_class: 'swictation-panel-label', y_align: Clutter.ActorAlign.CENTER, visible: false});
        // Text as wide as it reads, not the min-width: a new second then repaints, not relays out the panel.
        this._label.clutter_text.x_align = Clutter.ActorAlign.START;
        box.add_child(this._icon);
        box.add_child(this._label);
        this.add_child(box);
        this._routeMiddleClick();

        this._content = new SessionMenu(this.menu as never, ctx, {withHeader: true});
        // Compared untranslated and without the daemon's title (its changes render by
        // themselves): the same differences, for a fraction of the cost per event.
        this._shows = {panelLabel: 'none', hideTranscript: false, menu: false};
        this._updates = new ViewUpdates(ctx, () => this._render(), (state, now) => {
            const {panelLabel, menu} = this._shows;
            const p = present(state, {...this._shows, now, wordsToday: panelLabel === 'today' ? ctx.aids.wordsToday(state) : undefined});
            return menu ? menuView(p) : panelView(p);
        });
        const changed = () => this._updates.changed();
        connectObject(ctx.gsettings, this, `changed::${Key.PANEL_LABEL}`, changed,
            `changed::${Key.HIDE_WHEN_ABSENT}`, changed, `changed::${Key.HIDE_TRANSCRIPT}`, changed);
        // Opening shows the menu's truth at once; closing stops what only the menu needed.
        connectObject(this.menu, this, 'open-state-changed', () => this._updates.now());
        // Held push-to-talk marks the button at once, before the daemon says it records.
        const showHeld = () => setStyleClass(this, 'swictation-held', ctx.pushToTalk.held);
        this._stopHeld = ctx.pushToTalk.heldChanged.add(showHeld);
        showHeld();
        this.connect('destroy', () => this._teardown());
        this._render();
    }

    override destroy(): void {
        // Before the actors go: the menu closes while it is destroyed, and nothing may render then.
        this._teardown();
        if (this._menu.isOpen)
            this._closeForGood();
        super.destroy();
    }

    // An open menu destroyed before the next frame (disable() on a loaded machine) can leave
    // Clutter a relayout of it queued twice; the menu's removal takes back one, and the other
    // then lays out the disposed menu ("this.bin is undefined" in boxpointer.js). So: close it
    // now, and have the stage do the layouts it has queued while the menu still stands.
    private _closeForGood(): void {
        closeAtOnce(this._menu);
        this._menu.actor.queue_relayout();
        this._menu.actor.get_allocation_box();
    }

    private get _menu(): PopupMenu.PopupMenu {
        return this.menu as PopupMenu.PopupMenu;
    }

    private _teardown(): void {
        if (this._gone)
            return;
        this._gone = true;
        this._stopHeld();
        this._updates.destroy();
        disconnectObject(this._ctx.gsettings, this);
    }

    private _render(): void {
        if (this._gone)
            return;
        const open = this._menu.isOpen;
        const {settings, aids, daemon, _, ngettext} = this._ctx;
        this._shows = {panelLabel: settings.panelLabel, hideTranscript: settings.hideTranscript, menu: open};
        const p = daemon.titled(present(this._ctx.store.state, {
            ...this._shows, now: Date.now(), wordsToday: this._shows.panelLabel === 'today' ? aids.wordsToday() : undefined,
        }, _, ngettext));
        if (this._shownIcon !== p.icon) {
            this._icon.gicon = this._ctx.icons[p.icon];
            this._shownIcon = p.icon;
        }
        setStyleClass(this, 'swictation-recording', p.recording);
        setText(this._label, p.panelLabel);
        setVisible(this._label, p.panelLabel !== '');
        setAccessibleName(this, p.title);
        setVisible(this, p.daemonPresent || !this._ctx.settings.hideWhenNotRunning);
        if (open)
            this._content.update(p, this._ctx.command.note);
        // Seconds tick while the label counts them or the open menu says "updated 3 s ago".
        this._updates.ticking = open || (p.recording && this._ctx.settings.panelLabel === 'elapsed' && this.visible);
    }

    // The button opens its menu for any mouse button; the middle one is kept for toggling.
    // Up to GNOME 49 the menu opens from the button's event handler, which a signal handler
    // can stop; from 50 on it opens from a click gesture, which has to be vetoed, and a gesture
    // of ours recognises the middle click instead.
    private _routeMiddleClick(): void {
        const toggles = () => this._ctx.settings.middleClickToggles;
        const activate = () => this._ctx.command.toggle();
        const shellGesture = (this as unknown as {_clickGesture?: Clutter.Action})._clickGesture;
        const ClickGesture = (Clutter as unknown as {ClickGesture?: new (props: object) => Clutter.Action}).ClickGesture;
        if (shellGesture && ClickGesture) {
            shellGesture.connect('may-recognize', (gesture: {get_button(): number}) =>
                !(gesture.get_button() === Clutter.BUTTON_MIDDLE && toggles()));
            const middle = new ClickGesture({required_button: Clutter.BUTTON_MIDDLE});
            middle.connect('recognize', () => {
                if (toggles())
                    activate();
            });
            this.add_action(middle);
            return;
        }
        this.connect('event', (_actor, event: Clutter.Event) => {
            const type = event.type();
            if ((type !== Clutter.EventType.BUTTON_PRESS && type !== Clutter.EventType.BUTTON_RELEASE) ||
                event.get_button() !== Clutter.BUTTON_MIDDLE || !toggles())
                return Clutter.EVENT_PROPAGATE;
            if (type === Clutter.EventType.BUTTON_RELEASE)
                activate();
            return Clutter.EVENT_STOP;
        });
    }
});

export type PanelIndicator = InstanceType<typeof PanelIndicator>;
