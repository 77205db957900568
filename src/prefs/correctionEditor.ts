// SPDX-License-Identifier: GPL-2.0-or-later
// The group at the top of Preferences → Corrections: a new correction (from *Correct…* in the
// menu, prefilled with the segment) or the one being edited, with Save and Cancel.
import Adw from 'gi://Adw';
import Gtk from 'gi://Gtk';

import {
    CASE_MODES, type CaseMode, type Correction, type CorrectionDraft, MATCH_TYPES, type MatchType, draftProblem,
} from '../core/corrections.js';
import type {Translate} from '../core/presentation.js';

export function matchTypeLabel(m: MatchType, _: Translate): string {
    return m === 'exact' ? _('Exact words') : _('Similar-sounding words');
}

export function caseModeLabel(m: CaseMode, _: Translate): string {
    if (m === 'preserve_input')
        return _('Capitals as dictated');
    return m === 'force_pattern' ? _('Exactly as written') : _('As written, unless dictated in capitals');
}

export interface EditorCallbacks {
    /** A new correction to learn (editing is null) or the edited one's new values. */
    save(draft: CorrectionDraft, editing: Correction | null): void;
}

export class CorrectionEditor {
    readonly group: Adw.PreferencesGroup;
    private readonly _heard: Adw.EntryRow;
    private readonly _meant: Adw.EntryRow;
    private readonly _match: Adw.ComboRow;
    private readonly _case: Adw.ComboRow;
    private readonly _note: Gtk.Label;
    private readonly _cancel: Gtk.Button;
    private readonly _: Translate;
    private _editing: Correction | null = null;

    constructor(_: Translate, callbacks: EditorCallbacks) {
        this._ = _;
        this.group = new Adw.PreferencesGroup({
            title: _('Teach a correction'),
            description: _('Whenever Swictation hears these words again, it writes what you meant instead.'),
        });
        this._heard = new Adw.EntryRow({title: _('Heard (keep only the misheard words)')});
        this._meant = new Adw.EntryRow({title: _('Meant')});
        this._match = new Adw.ComboRow({title: _('Match'), model: Gtk.StringList.new(MATCH_TYPES.map(m => matchTypeLabel(m, _)))});
        this._case = new Adw.ComboRow({title: _('Capitals'), model: Gtk.StringList.new(CASE_MODES.map(m => caseModeLabel(m, _)))});
        for (const row of [this._heard, this._meant, this._match, this._case])
            this.group.add(row);

        const actions = new Adw.ActionRow();
        this._note = new Gtk.Label({wrap: true, xalign: 0, hexpand: true, css_classes: ['dim-label', 'swictation-correction-note']});
        actions.add_prefix(this._note);
        this._cancel = new Gtk.Button({label: _('Cancel'), valign: Gtk.Align.CENTER, visible: false});
        this._cancel.connect('clicked', () => this.clear());
        const save = new Gtk.Button({label: _('Save'), valign: Gtk.Align.CENTER, css_classes: ['suggested-action']});
        save.connect('clicked', () => {
            const draft = this.draft();
            const problem = draftProblem(draft);
            if (problem) {
                this.say(problem === 'no-original' ? _('Type the words Swictation heard.')
                    : problem === 'no-corrected' ? _('Type what you meant.') : _('What you meant is what was heard.'));
                return;
            }
            callbacks.save(draft, this._editing);
        });
        actions.add_suffix(this._cancel);
        actions.add_suffix(save);
        this.group.add(actions);
        this._heard.connect('entry-activated', () => this._meant.grab_focus());
        this._meant.connect('entry-activated', () => save.emit('clicked'));
    }

    draft(): CorrectionDraft {
        return {
            original: this._heard.text,
            corrected: this._meant.text,
            matchType: MATCH_TYPES[this._match.selected],
            caseMode: CASE_MODES[this._case.selected],
        };
    }

    /** A new correction of what a segment said: the user trims it to the misheard words. */
    prefill(heard: string): void {
        this.clear();
        this._heard.text = heard;
        // A window opened for this is not mapped yet: focus the entry once it shows.
        if (this._heard.get_mapped()) {
            this._heard.grab_focus();
        } else {
            const id = this._heard.connect('map', () => {
                this._heard.disconnect(id);
                this._heard.grab_focus();
            });
        }
    }

    edit(c: Correction): void {
        this._editing = c;
        this._heard.text = c.original;
        this._heard.sensitive = false;
        this._meant.text = c.corrected;
        this._match.selected = MATCH_TYPES.indexOf(c.matchType);
        this._case.selected = CASE_MODES.indexOf(c.caseMode);
        this._cancel.visible = true;
        this.group.title = this._('Edit a correction');
        this.say('');
        this._meant.grab_focus();
    }

    clear(): void {
        this._editing = null;
        this._heard.sensitive = true;
        this._heard.text = '';
        this._meant.text = '';
        this._match.selected = 0;
        this._case.selected = 0;
        this._cancel.visible = false;
        this.group.title = this._('Teach a correction');
        this.say('');
    }

    say(note: string): void {
        this._note.label = note;
    }
}
