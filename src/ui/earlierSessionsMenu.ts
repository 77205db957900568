// SPDX-License-Identifier: GPL-2.0-or-later
// The Earlier submenu: one row per archived session of this login ("14:02 · 3 min · 412
// words"; activating it copies that session's text), and Clear. It owns its items and puts
// them into the menu it is given; rows are rebuilt only when the history changed.
import * as PopupMenu from 'resource:///org/gnome/shell/ui/popupMenu.js';

import {earlierRows, type Plural} from '../core/historyText.js';
import type {Translate} from '../core/presentation.js';
import type {ArchivedSession} from '../core/sessionHistory.js';

export interface EarlierActions {
    copy(id: number): void;
    clear(): void;
}

export interface EarlierView {
    sessions: readonly ArchivedSession[];
    /** The history is on (its length setting is not 0). */
    enabled: boolean;
    hideTranscript: boolean;
    locale?: string;
}

export class EarlierSessionsMenu {
    private readonly _item: PopupMenu.PopupSubMenuMenuItem;
    private readonly _empty: PopupMenu.PopupMenuItem;
    private readonly _clear: PopupMenu.PopupMenuItem;
    private readonly _actions: EarlierActions;
    private readonly _ngettext: Plural;
    private _rows: PopupMenu.PopupMenuItem[] = [];
    private _shown: readonly ArchivedSession[] | null = null;
    private _hidden: boolean | null = null;

    constructor(menu: PopupMenu.PopupMenuBase, actions: EarlierActions, _: Translate, ngettext: Plural, position?: number) {
        this._actions = actions;
        this._ngettext = ngettext;
        this._item = new PopupMenu.PopupSubMenuMenuItem(_('Earlier'), false);
        this._item.add_style_class_name('swictation-earlier');
        this._empty = new PopupMenu.PopupMenuItem(_('No earlier sessions'));
        this._empty.setSensitive(false);
        this._item.menu.addMenuItem(this._empty);
        this._clear = new PopupMenu.PopupMenuItem(_('Clear'));
        this._clear.add_style_class_name('swictation-earlier-clear');
        this._clear.connect('activate', () => this._actions.clear());
        this._item.menu.addMenuItem(this._clear);
        menu.addMenuItem(this._item, position);
    }

    update(view: EarlierView): void {
        this._item.visible = view.enabled;
        if (view.sessions === this._shown && view.hideTranscript === this._hidden)
            return;
        this._shown = view.sessions;
        this._hidden = view.hideTranscript;
        for (const row of this._rows)
            row.destroy();
        this._rows = earlierRows(view.sessions, view.hideTranscript, this._ngettext, view.locale).map((r, index) => {
            const row = new PopupMenu.PopupMenuItem(r.text);
            row.add_style_class_name('swictation-earlier-row');
            row.setSensitive(r.copyable);
            row.connect('activate', () => this._actions.copy(r.id));
            this._item.menu.addMenuItem(row, index);
            return row;
        });
        this._empty.visible = view.sessions.length === 0;
        this._clear.setSensitive(view.sessions.length > 0);
    }

    destroy(): void {
        this._rows = [];
        this._item.destroy();
    }
}
