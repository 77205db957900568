// SPDX-License-Identifier: GPL-2.0-or-later
// The Earlier submenu, a section of the session menu: one row per archived session of this
// login ("14:02 · 3 min · 412 words"; activating it copies that session's text), and Clear.
// It reads the history when the menu renders (only an open menu renders it) and rebuilds its
// rows only when the history or the privacy setting changed; its items go with the menu.
import * as PopupMenu from 'resource:///org/gnome/shell/ui/popupMenu.js';

import {earlierRows} from '../core/historyText.js';
import type {ArchivedSession} from '../core/sessionHistory.js';
import type {MenuSection} from './sessionMenu.js';
import type {ViewContext} from './viewContext.js';

export class EarlierSection implements MenuSection {
    private readonly _ctx: ViewContext;
    private readonly _item: PopupMenu.PopupSubMenuMenuItem;
    private readonly _empty: PopupMenu.PopupMenuItem;
    private readonly _clear: PopupMenu.PopupMenuItem;
    private _rows: PopupMenu.PopupMenuItem[] = [];
    private _shown: readonly ArchivedSession[] | null = null;
    private _hidden: boolean | null = null;

    constructor(menu: PopupMenu.PopupMenuBase, ctx: ViewContext) {
        this._ctx = ctx;
        this._item = new PopupMenu.PopupSubMenuMenuItem(ctx._('Earlier'), false);
        this._item.add_style_class_name('swictation-earlier');
        this._empty = new PopupMenu.PopupMenuItem(ctx._('No earlier sessions'));
        this._empty.setSensitive(false);
        this._item.menu.addMenuItem(this._empty);
        this._clear = new PopupMenu.PopupMenuItem(ctx._('Clear'));
        this._clear.add_style_class_name('swictation-earlier-clear');
        this._clear.connect('activate', () => ctx.aids.history.clear());
        this._item.menu.addMenuItem(this._clear);
        menu.addMenuItem(this._item);
        this.update();
    }

    update(): void {
        const {history, ngettext} = this._ctx.aids;
        const hidden = this._ctx.settings.hideTranscript;
        const enabled = history.limit > 0;
        if (this._item.visible !== enabled)
            this._item.visible = enabled;
        const sessions = history.sessions;
        if (sessions === this._shown && hidden === this._hidden)
            return;
        this._shown = sessions;
        this._hidden = hidden;
        for (const row of this._rows)
            row.destroy();
        this._rows = earlierRows(sessions, hidden, ngettext).map((r, index) => {
            const row = new PopupMenu.PopupMenuItem(r.text);
            row.add_style_class_name('swictation-earlier-row');
            row.setSensitive(r.copyable);
            row.connect('activate', () => this._ctx.aids.copyEarlier(r.id));
            this._item.menu.addMenuItem(row, index);
            return row;
        });
        this._empty.visible = sessions.length === 0;
        this._clear.setSensitive(sessions.length > 0);
    }
}
