// The menu's content, shared by the panel indicator and the Quick Settings toggle: header with
// the Dictation switch, session and system figures, the transcript, and the connection line.
// Built once; update() only changes texts and visibility.
import Clutter from 'gi://Clutter';
import St from 'gi://St';
import * as PopupMenu from 'resource:///org/gnome/shell/ui/popupMenu.js';

import type {Presentation, Translate} from '../core/presentation.js';
import {TranscriptView} from './transcriptView.js';

export interface MenuActions {
    toggle(): void;
    reconnect(): void;
    openPreferences(): void;
    copySegment(key: number): void;
    copyAll(): void;
}

interface InfoRow {
    item: PopupMenu.PopupBaseMenuItem;
    value: St.Label;
}

function infoRow(section: PopupMenu.PopupMenuSection, label: string): InfoRow {
    const item = new PopupMenu.PopupBaseMenuItem({activate: false, hover: false, can_focus: false, style_class: 'swictation-info-row'});
    item.add_child(new St.Label({text: label, style_class: 'swictation-info-label', x_expand: true, y_align: Clutter.ActorAlign.CENTER}));
    const value = new St.Label({style_class: 'swictation-info-value', x_align: Clutter.ActorAlign.END, y_align: Clutter.ActorAlign.CENTER});
    item.add_child(value);
    section.addMenuItem(item);
    return {item, value};
}

export interface SessionMenuOptions {
    /** The panel menu has its own header and switch; the Quick Settings menu uses its toggle. */
    withHeader: boolean;
}

export class SessionMenu {
    private readonly _title: St.Label | null = null;
    private readonly _note: St.Label | null = null;
    private readonly _switch: PopupMenu.PopupSwitchMenuItem | null = null;
    private readonly _words: InfoRow;
    private readonly _segments: InfoRow;
    private readonly _wpm: InfoRow;
    private readonly _speech: InfoRow;
    private readonly _latency: InfoRow;
    private readonly _gpu: InfoRow;
    private readonly _cpu: InfoRow;
    private readonly _systemSection: PopupMenu.PopupMenuSection;
    private readonly _transcript: TranscriptView;
    private readonly _copyAll: PopupMenu.PopupMenuItem;
    private readonly _socket: St.Label;
    private readonly _connection: St.Label;
    private _recording = false;
    private _syncing = false;

    constructor(menu: PopupMenu.PopupMenuBase, actions: MenuActions, _: Translate, options: SessionMenuOptions) {
        if (options.withHeader) {
            const header = new PopupMenu.PopupBaseMenuItem({activate: false, hover: false, can_focus: false, style_class: 'swictation-header'});
            this._title = new St.Label({style_class: 'swictation-title', x_expand: true, y_align: Clutter.ActorAlign.CENTER});
            header.add_child(this._title);
            menu.addMenuItem(header);

            this._switch = new PopupMenu.PopupSwitchMenuItem(_('Dictation'), false);
            this._switch.connect('toggled', item => {
                // setToggleState() emits 'toggled' too: only a user's flip asks for a toggle.
                if (this._syncing)
                    return;
                // Keep showing the daemon's truth; the state_change that follows flips it.
                this._setSwitch(item, this._recording);
                actions.toggle();
            });
            menu.addMenuItem(this._switch);

            const noteItem = new PopupMenu.PopupBaseMenuItem({activate: false, hover: false, can_focus: false});
            this._note = new St.Label({style_class: 'swictation-note', x_expand: true});
            this._note.clutter_text.line_wrap = true;
            noteItem.add_child(this._note);
            menu.addMenuItem(noteItem);
            menu.addMenuItem(new PopupMenu.PopupSeparatorMenuItem());
        }

        const sessionSection = new PopupMenu.PopupMenuSection();
        this._words = infoRow(sessionSection, _('Words'));
        this._segments = infoRow(sessionSection, _('Segments'));
        this._wpm = infoRow(sessionSection, _('Speed'));
        this._speech = infoRow(sessionSection, _('Speech time'));
        this._latency = infoRow(sessionSection, _('Last latency'));
        menu.addMenuItem(sessionSection);

        this._systemSection = new PopupMenu.PopupMenuSection();
        this._gpu = infoRow(this._systemSection, _('GPU memory'));
        this._cpu = infoRow(this._systemSection, _('CPU'));
        menu.addMenuItem(new PopupMenu.PopupSeparatorMenuItem(_('System')));
        menu.addMenuItem(this._systemSection);

        menu.addMenuItem(new PopupMenu.PopupSeparatorMenuItem(_('Transcript')));
        const transcriptItem = new PopupMenu.PopupBaseMenuItem({activate: false, hover: false, can_focus: false, style_class: 'swictation-transcript-item'});
        this._transcript = new TranscriptView(key => actions.copySegment(key), _('Nothing dictated yet.'));
        transcriptItem.add_child(this._transcript.actor);
        menu.addMenuItem(transcriptItem);
        this._copyAll = new PopupMenu.PopupMenuItem(_('Copy all'));
        this._copyAll.connect('activate', () => actions.copyAll());
        menu.addMenuItem(this._copyAll);

        menu.addMenuItem(new PopupMenu.PopupSeparatorMenuItem());
        const connectionItem = new PopupMenu.PopupBaseMenuItem({activate: false, hover: false, can_focus: false, style_class: 'swictation-connection'});
        const connectionBox = new St.BoxLayout({x_expand: true});
        this._connection = new St.Label({style_class: 'swictation-connection-state', x_expand: true});
        this._connection.clutter_text.line_wrap = true;
        this._socket = new St.Label({style_class: 'swictation-socket-path'});
        connectionBox.add_child(this._connection);
        connectionItem.add_child(connectionBox);
        menu.addMenuItem(connectionItem);
        const socketItem = new PopupMenu.PopupBaseMenuItem({activate: false, hover: false, can_focus: false});
        socketItem.add_child(this._socket);
        menu.addMenuItem(socketItem);
        const reconnect = new PopupMenu.PopupMenuItem(_('Reconnect now'));
        reconnect.connect('activate', () => actions.reconnect());
        menu.addMenuItem(reconnect);
        const prefs = new PopupMenu.PopupMenuItem(_('Preferences'));
        prefs.connect('activate', () => actions.openPreferences());
        menu.addMenuItem(prefs);
    }

    private _setSwitch(item: PopupMenu.PopupSwitchMenuItem, on: boolean): void {
        this._syncing = true;
        try {
            item.setToggleState(on);
        } finally {
            this._syncing = false;
        }
    }

    /** `switchCanStart`: the daemon is away, but switching on starts it (its systemd unit). */
    update(p: Presentation, note: string | null, switchCanStart = false): void {
        if (this._title)
            this._title.text = p.title;
        this._recording = p.recording;
        if (this._switch) {
            // The switch shows the daemon's truth; a click asks for a toggle and waits for it.
            if (this._switch.state !== p.recording)
                this._setSwitch(this._switch, p.recording);
            this._switch.setSensitive(p.daemonPresent || switchCanStart);
        }
        if (this._note) {
            this._note.text = note ?? '';
            this._note.get_parent()!.visible = note !== null;
        }
        this._words.value.text = p.session.words;
        this._segments.value.text = p.session.segments;
        this._wpm.value.text = p.session.wpm;
        this._speech.value.text = p.session.speech;
        this._latency.value.text = p.session.latency;
        this._gpu.item.visible = p.gpu !== null;
        this._gpu.value.text = p.gpu ?? '';
        this._cpu.item.visible = p.cpu !== null;
        this._cpu.value.text = p.cpu ?? '';
        this._transcript.update(p.transcript);
        this._copyAll.setSensitive(p.copyable);
        this._connection.text = p.updated && p.daemonPresent ? `${p.connection} · ${p.updated}` : p.connection;
        this._socket.text = p.socketPath;
    }
}
