// SPDX-License-Identifier: GPL-2.0-or-later
// The menu's content, shared by the panel indicator and the Quick Settings toggle. Each part is
// a section that adds its items to the menu and updates them from the presentation; another
// part (say, the daemon's service) is one more section. Built once; updates change only what
// differs.
import Clutter from 'gi://Clutter';
import St from 'gi://St';
import * as PopupMenu from 'resource:///org/gnome/shell/ui/popupMenu.js';

import {METRIC_ROWS} from '../core/metricRows.js';
import type {Presentation} from '../core/presentation.js';
import {setText, setVisible} from './actors.js';
import {EarlierSection} from './earlierSessionsMenu.js';
import {DaemonSection} from './daemonSection.js';
import {TranscriptView} from './transcriptView.js';
import type {ViewContext} from './viewContext.js';

export interface MenuSection {
    update(p: Presentation, note: string | null): void;
}

function staticItem(styleClass = ''): PopupMenu.PopupBaseMenuItem {
    return new PopupMenu.PopupBaseMenuItem({activate: false, hover: false, can_focus: false, style_class: styleClass});
}

/** The state in words, the Dictation switch and the note of a failed toggle. */
export class HeaderSection implements MenuSection {
    private readonly _title: St.Label;
    private readonly _switch: PopupMenu.PopupSwitchMenuItem;
    private readonly _note: St.Label;
    private readonly _noteItem: PopupMenu.PopupBaseMenuItem;
    private readonly _ctx: ViewContext;
    private _recording = false;
    private _syncing = false;

    constructor(menu: PopupMenu.PopupMenuBase, ctx: ViewContext) {
        this._ctx = ctx;
        const header = staticItem('swictation-header');
        this._title = new St.Label({style_class: 'swictation-title', x_expand: true, y_align: Clutter.ActorAlign.CENTER});
        header.add_child(this._title);
        menu.addMenuItem(header);

        this._switch = new PopupMenu.PopupSwitchMenuItem(ctx._('Dictation'), false);
        this._switch.connect('toggled', () => {
            // setToggleState() emits 'toggled' too: only a user's flip asks for a toggle.
            if (this._syncing)
                return;
            // Keep showing the daemon's truth; the state_change that follows flips it.
            this._setSwitch(this._recording);
            ctx.command.toggle(true);
        });
        menu.addMenuItem(this._switch);

        this._noteItem = staticItem();
        this._note = new St.Label({style_class: 'swictation-note', x_expand: true});
        this._note.clutter_text.line_wrap = true;
        this._noteItem.add_child(this._note);
        this._noteItem.visible = false;
        menu.addMenuItem(this._noteItem);
        menu.addMenuItem(new PopupMenu.PopupSeparatorMenuItem());
    }

    private _setSwitch(on: boolean): void {
        this._syncing = true;
        try {
            this._switch.setToggleState(on);
        } finally {
            this._syncing = false;
        }
    }

    update(p: Presentation, note: string | null): void {
        setText(this._title, p.title);
        this._recording = p.recording;
        // The switch shows the daemon's truth; a click asks for a toggle and waits for it.
        if (this._switch.state !== p.recording)
            this._setSwitch(p.recording);
        // Switching on a daemon that is away starts its systemd unit, when there is one to start.
        const sensitive = p.daemonPresent || this._ctx.daemon.model(false).switchCanStart;
        if (this._switch.sensitive !== sensitive)
            this._switch.setSensitive(sensitive);
        setText(this._note, note ?? '');
        setVisible(this._noteItem, note !== null);
    }
}

/** The figures of METRIC_ROWS, one row each, in two groups. */
export class MetricsSection implements MenuSection {
    private readonly _values: St.Label[] = [];
    private readonly _items: PopupMenu.PopupBaseMenuItem[] = [];

    constructor(menu: PopupMenu.PopupMenuBase, ctx: ViewContext) {
        const session = new PopupMenu.PopupMenuSection();
        const system = new PopupMenu.PopupMenuSection();
        for (const row of METRIC_ROWS) {
            const item = staticItem('swictation-info-row');
            item.add_child(new St.Label({text: ctx._(row.label), style_class: 'swictation-info-label', x_expand: true, y_align: Clutter.ActorAlign.CENTER}));
            const value = new St.Label({style_class: 'swictation-info-value', x_align: Clutter.ActorAlign.END, y_align: Clutter.ActorAlign.CENTER});
            item.add_child(value);
            (row.section === 'session' ? session : system).addMenuItem(item);
            this._items.push(item);
            this._values.push(value);
        }
        menu.addMenuItem(session);
        menu.addMenuItem(new PopupMenu.PopupSeparatorMenuItem(ctx._('System')));
        menu.addMenuItem(system);
    }

    update(p: Presentation): void {
        p.rows.forEach((value, i) => {
            setVisible(this._items[i], value !== null);
            setText(this._values[i], value ?? '');
        });
    }
}

/** The session's transcript, one-click copy of a segment, and Copy all. */
export class TranscriptSection implements MenuSection {
    private readonly _view: TranscriptView;
    private readonly _copyAll: PopupMenu.PopupMenuItem;

    constructor(menu: PopupMenu.PopupMenuBase, ctx: ViewContext) {
        // Nothing the privacy setting hides reaches the clipboard, whatever the rows show.
        const copy = (text: string) => {
            if (text && !ctx.settings.hideTranscript)
                St.Clipboard.get_default().set_text(St.ClipboardType.CLIPBOARD, text);
        };
        menu.addMenuItem(new PopupMenu.PopupSeparatorMenuItem(ctx._('Transcript')));
        const item = staticItem('swictation-transcript-item');
        this._view = new TranscriptView(key => copy(ctx.store.state.transcript.find(s => s.key === key)?.text ?? ''),
            ctx._('Nothing dictated yet.'));
        item.add_child(this._view.actor);
        menu.addMenuItem(item);
        this._copyAll = new PopupMenu.PopupMenuItem(ctx._('Copy all'));
        this._copyAll.connect('activate', () => copy(ctx.store.state.transcript.map(s => s.text).join('\n')));
        menu.addMenuItem(this._copyAll);
    }

    update(p: Presentation): void {
        this._view.update(p.transcript);
        if (this._copyAll.sensitive !== p.copyable)
            this._copyAll.setSensitive(p.copyable);
    }
}

/** The connection in words, the socket path, Reconnect now and Preferences. */
export class ConnectionSection implements MenuSection {
    private readonly _connection: St.Label;
    private readonly _socket: St.Label;

    constructor(menu: PopupMenu.PopupMenuBase, ctx: ViewContext) {
        menu.addMenuItem(new PopupMenu.PopupSeparatorMenuItem());
        const connectionItem = staticItem('swictation-connection');
        const box = new St.BoxLayout({x_expand: true});
        this._connection = new St.Label({style_class: 'swictation-connection-state', x_expand: true});
        this._connection.clutter_text.line_wrap = true;
        box.add_child(this._connection);
        connectionItem.add_child(box);
        menu.addMenuItem(connectionItem);
        const socketItem = staticItem();
        this._socket = new St.Label({style_class: 'swictation-socket-path'});
        socketItem.add_child(this._socket);
        menu.addMenuItem(socketItem);
        const reconnect = new PopupMenu.PopupMenuItem(ctx._('Reconnect now'));
        reconnect.connect('activate', () => ctx.reconnect());
        menu.addMenuItem(reconnect);
        const prefs = new PopupMenu.PopupMenuItem(ctx._('Preferences'));
        prefs.connect('activate', () => ctx.openPreferences());
        menu.addMenuItem(prefs);
    }

    update(p: Presentation): void {
        setText(this._connection, p.updated && p.daemonPresent ? `${p.connection} · ${p.updated}` : p.connection);
        setText(this._socket, p.socketPath);
    }
}

export class SessionMenu {
    private readonly _sections: MenuSection[];

    /** withHeader: the panel menu has its own title and switch; Quick Settings has its toggle. */
    constructor(menu: PopupMenu.PopupMenuBase, ctx: ViewContext, options: {withHeader: boolean}) {
        const header = options.withHeader ? [new HeaderSection(menu, ctx)] : [];
        // The daemon's service right under the switch's note (before the header's separator);
        // its submenu comes last.
        const daemonAt = options.withHeader ? menu.numMenuItems - 1 : 0;
        this._sections = [
            ...header,
            new MetricsSection(menu, ctx),
            new TranscriptSection(menu, ctx),
            new EarlierSection(menu, ctx),
            new ConnectionSection(menu, ctx),
            new DaemonSection(menu, ctx, daemonAt),
        ];
    }

    /** A section built on the same menu after these (its items come last). */
    addSection(section: MenuSection): void {
        this._sections.push(section);
    }

    update(p: Presentation, note: string | null): void {
        for (const section of this._sections)
            section.update(p, note);
    }
}
