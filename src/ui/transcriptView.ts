// SPDX-License-Identifier: GPL-2.0-or-later
// The session transcript: a bounded-height scroll view of segments, in the state's order
// (newest at the bottom). Rows are keyed by segment and only added, moved or removed as the
// transcript changes, so an update costs what changed, not the whole list. A click on a segment
// copies it; its *Correct…* button hands it to the preferences.
import Clutter from 'gi://Clutter';
import Pango from 'gi://Pango';
import St from 'gi://St';

import type {TranscriptRow} from '../core/presentation.js';
import {setAccessibleName, setText, setVisible} from './actors.js';
import {verticalBox} from './compat.js';

interface Row {
    line: St.BoxLayout;
    button: St.Button;
    text: St.Label;
    correct: St.Button;
}

export interface TranscriptActions {
    copy(key: number): void;
    correct(key: number): void;
    /** What a screen reader says for the correct button. */
    correctLabel: string;
}

export class TranscriptView {
    readonly actor: St.ScrollView;
    private readonly _list: St.BoxLayout;
    private readonly _placeholder: St.Label;
    private readonly _rows = new Map<number, Row>();
    private readonly _actions: TranscriptActions;
    private _stickToBottom = true;

    constructor(actions: TranscriptActions, placeholder: string) {
        this._actions = actions;
        this.actor = new St.ScrollView({
            style_class: 'swictation-transcript',
            hscrollbar_policy: St.PolicyType.NEVER,
            vscrollbar_policy: St.PolicyType.AUTOMATIC,
            overlay_scrollbars: true,
            x_expand: true,
        });
        this._list = verticalBox({style_class: 'swictation-transcript-list', x_expand: true});
        this._placeholder = new St.Label({text: placeholder, style_class: 'swictation-transcript-empty'});
        this._list.add_child(this._placeholder);
        this.actor.set_child(this._list);

        // Follow new segments unless the user scrolled up to read something older. The
        // adjustment belongs to the scroll view and takes these handlers with it when destroyed.
        const adjustment = this.actor.get_vadjustment();
        adjustment.connect('notify::upper', () => {
            if (this._stickToBottom)
                adjustment.value = adjustment.upper - adjustment.page_size;
        });
        adjustment.connect('notify::value', () => {
            this._stickToBottom = adjustment.value >= adjustment.upper - adjustment.page_size - 4;
        });
        this.actor.connect('destroy', () => this._rows.clear());
    }

    update(rows: readonly TranscriptRow[]): void {
        const keep = new Set<number>();
        for (const row of rows)
            keep.add(row.key);
        // Rows that go from above what a reader scrolled up to would pull the text under them.
        const adjustment = this.actor.get_vadjustment();
        let goneAbove = 0;
        for (const [key, widgets] of this._rows) {
            if (!keep.has(key)) {
                if (!this._stickToBottom && widgets.line.y < adjustment.value)
                    goneAbove += widgets.line.height;
                widgets.line.destroy();
                this._rows.delete(key);
            }
        }
        if (goneAbove > 0)
            adjustment.value = Math.max(adjustment.lower, adjustment.value - goneAbove);
        // Child 0 is the placeholder; row i goes at i + 1. A catch-up can bring a missed
        // segment before ones already shown, so rows are put in place, not only appended.
        rows.forEach((row, i) => {
            let widgets = this._rows.get(row.key);
            if (!widgets) {
                widgets = this._addRow(row, i + 1);
                this._rows.set(row.key, widgets);
                return;
            }
            // Text (and the name a screen reader says) changes when the privacy setting flips.
            setText(widgets.text, row.text);
            setAccessibleName(widgets.button, row.text);
            setVisible(widgets.correct, row.correctable);
            if (this._list.get_child_at_index(i + 1) !== widgets.line)
                this._list.set_child_at_index(widgets.line, i + 1);
        });
        if (this._placeholder.visible !== (rows.length === 0))
            this._placeholder.visible = rows.length === 0;
    }

    private _addRow(row: TranscriptRow, index: number): Row {
        const clock = new St.Label({text: row.clock, style_class: 'swictation-segment-clock', y_align: Clutter.ActorAlign.START});
        // St.Label never parses markup unless asked: dictated `<b>` and `&amp;` show as typed.
        const text = new St.Label({text: row.text, style_class: 'swictation-segment-text', x_expand: true});
        text.clutter_text.line_wrap = true;
        text.clutter_text.ellipsize = Pango.EllipsizeMode.NONE;
        const box = new St.BoxLayout({x_expand: true});
        box.add_child(clock);
        box.add_child(text);
        const button = new St.Button({
            child: box,
            style_class: 'swictation-segment',
            x_expand: true,
            can_focus: true,
            reactive: true,
            accessible_name: row.text,
        });
        button.connect('clicked', () => this._actions.copy(row.key));
        const pencil = new St.Icon({icon_name: 'document-edit-symbolic', style_class: 'popup-menu-icon'});
        const correct = new St.Button({
            child: pencil,
            style_class: 'swictation-segment-correct',
            y_align: Clutter.ActorAlign.START,
            can_focus: true,
            accessible_name: this._actions.correctLabel,
            visible: row.correctable,
        });
        correct.connect('clicked', () => this._actions.correct(row.key));
        const line = new St.BoxLayout({x_expand: true, style_class: 'swictation-segment-line'});
        line.add_child(button);
        line.add_child(correct);
        // St marks :first-child and :last-child from an idle that runs after the frame that
        // shows the new row, and the open menu repaints a second time for each segment. Marked
        // here as St will mark them, that idle finds nothing left to change.
        clock.add_style_pseudo_class('first-child');
        text.add_style_pseudo_class('last-child');
        box.add_style_pseudo_class('first-child');
        box.add_style_pseudo_class('last-child');
        button.add_style_pseudo_class('first-child');
        correct.add_style_pseudo_class('last-child');
        pencil.add_style_pseudo_class('first-child');
        pencil.add_style_pseudo_class('last-child');
        const last = this._list.get_last_child();
        if (index >= this._list.get_n_children() && last instanceof St.Widget && last.visible) {
            last.remove_style_pseudo_class('last-child');
            line.add_style_pseudo_class('last-child');
        }
        this._list.insert_child_at_index(line, index);
        return {line, button, text, correct};
    }
}
