// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon's service in a menu: near the top, its state when the daemon is not answering
// ("Starting…", "The daemon stopped with an error" with the journalctl command) and the one
// obvious action (Start Swictation, Restart); at the bottom, away from the Dictation switch,
// a submenu with Stop and Restart. Owns its items; update() only changes texts and visibility.
import Clutter from 'gi://Clutter';
import St from 'gi://St';
import * as PopupMenu from 'resource:///org/gnome/shell/ui/popupMenu.js';

import type {DaemonMenuModel} from '../core/daemonMenu.js';
import type {UnitAction} from '../core/daemonUnit.js';
import type {Presentation} from '../core/presentation.js';
import type {MenuSection} from './sessionMenu.js';
import type {ViewContext} from './viewContext.js';

export class DaemonSection implements MenuSection {
    private readonly _ctx: ViewContext;
    private readonly _top: PopupMenu.PopupMenuSection;
    private readonly _statusItem: PopupMenu.PopupBaseMenuItem;
    private readonly _status: St.Label;
    private readonly _hintItem: PopupMenu.PopupBaseMenuItem;
    private readonly _hint: St.Label;
    private readonly _primary: PopupMenu.PopupMenuItem;
    private readonly _manage: PopupMenu.PopupSubMenuMenuItem;
    private readonly _secondary = new Map<UnitAction, PopupMenu.PopupMenuItem>();
    private _primaryAction: UnitAction | null = null;
    private _hintCopyable = false;
    private _shown = '';

    /** `position`: where the state and the main action go (under the header, the switch and its note). */
    constructor(menu: PopupMenu.PopupMenuBase, ctx: ViewContext, position: number) {
        const {_} = ctx;
        this._ctx = ctx;
        this._top = new PopupMenu.PopupMenuSection();

        this._statusItem = new PopupMenu.PopupBaseMenuItem({activate: false, hover: false, can_focus: false});
        this._status = new St.Label({style_class: 'swictation-daemon-status', x_expand: true, y_align: Clutter.ActorAlign.CENTER});
        this._status.clutter_text.line_wrap = true;
        this._statusItem.add_child(this._status);
        this._top.addMenuItem(this._statusItem);

        // A command to paste in a terminal: clicking copies it.
        this._hintItem = new PopupMenu.PopupBaseMenuItem({style_class: 'swictation-daemon-hint-item'});
        this._hint = new St.Label({style_class: 'swictation-daemon-hint', x_expand: true});
        this._hint.clutter_text.line_wrap = true;
        this._hintItem.add_child(this._hint);
        this._hintItem.connect('activate', () => {
            if (this._hintCopyable)
                St.Clipboard.get_default().set_text(St.ClipboardType.CLIPBOARD, this._hint.text);
        });
        this._top.addMenuItem(this._hintItem);

        this._primary = new PopupMenu.PopupMenuItem('', {style_class: 'swictation-daemon-action'});
        this._primary.connect('activate', () => {
            if (this._primaryAction)
                ctx.daemon.run(this._primaryAction);
        });
        this._top.addMenuItem(this._primary);
        menu.addMenuItem(this._top, position);

        this._manage = new PopupMenu.PopupSubMenuMenuItem(_('Daemon service'));
        this._manage.add_style_class_name('swictation-daemon-submenu');
        for (const [action, label] of [['stop', _('Stop the daemon')], ['restart', _('Restart the daemon')]] as const) {
            const item = new PopupMenu.PopupMenuItem(label, {style_class: `swictation-daemon-${action}`});
            item.connect('activate', () => ctx.daemon.run(action));
            this._manage.menu.addMenuItem(item);
            this._secondary.set(action, item);
        }
        menu.addMenuItem(this._manage);
        this._show({status: null, hint: null, hintCopyable: false, primary: null, secondary: [], starting: false, switchCanStart: false});
    }

    update(p: Presentation): void {
        this._show(this._ctx.daemon.model(p.daemonPresent));
    }

    // Most renders change nothing here: leave the actors alone then.
    private _show(model: DaemonMenuModel): void {
        const shown = JSON.stringify(model);
        if (shown === this._shown)
            return;
        this._shown = shown;
        this._status.text = model.status ?? '';
        this._statusItem.visible = model.status !== null;
        this._hint.text = model.hint ?? '';
        this._hintItem.visible = model.hint !== null;
        this._hintCopyable = model.hintCopyable;
        this._hintItem.reactive = model.hintCopyable;
        this._hintItem.can_focus = model.hintCopyable;
        this._primaryAction = model.primary?.action ?? null;
        this._primary.label.text = model.primary?.label ?? '';
        this._primary.visible = model.primary !== null;
        this._top.actor.visible = model.status !== null || model.hint !== null || model.primary !== null;
        for (const [action, item] of this._secondary)
            item.visible = model.secondary.some(s => s.action === action);
        this._manage.visible = model.secondary.length > 0;
    }
}
