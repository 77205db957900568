// SPDX-License-Identifier: GPL-2.0-or-later
// Preferences → Corrections: the daemon's learned corrections (corrections.toml), searched,
// added, edited and deleted. The daemon reloads the file as soon as it changes, and rewrites it
// itself to count uses, so the list follows the file and every change is made to the file as
// it is at that moment.
import Adw from 'gi://Adw';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Gtk from 'gi://Gtk';

import {type Correction, type CorrectionDraft, learn, searchCorrections} from '../core/corrections.js';
import {CORRECTIONS_FILE, type CorrectionEdit, type FileProblem, editCorrections, readCorrections} from '../core/correctionsFile.js';
import type {Translate} from '../core/presentation.js';
import {CorrectionEditor, caseModeLabel, matchTypeLabel} from './correctionEditor.js';
import {DaemonFile} from './daemonFile.js';

export interface CorrectionsPage {
    page: Adw.PreferencesPage;
    /** Opens a new correction of a transcript segment. */
    prefill(heard: string): void;
    destroy(): void;
}

function problemText(p: FileProblem, _: Translate): string {
    if (p.kind === 'gone')
        return _('That correction was removed from the file meanwhile.');
    if (p.kind === 'layout')
        return _('corrections.toml is laid out in a way the preferences cannot change safely (%s). It was left as it is.').replace('%s', p.error);
    return _('corrections.toml cannot be used: %s. The daemon applies no correction until the file is fixed; the preferences will not overwrite it.')
        .replace('%s', p.error);
}

export function correctionsPage(_: Translate, ngettext: (s: string, p: string, n: number) => string, file = new DaemonFile(CORRECTIONS_FILE, _)): CorrectionsPage {
    const page = new Adw.PreferencesPage({title: _('Corrections'), icon_name: 'tools-check-spelling-symbolic'});
    let corrections: Correction[] = [];
    let rows: Adw.ActionRow[] = [];

    const editor = new CorrectionEditor(_, {
        save: (draft, editing) => change(editing
            ? {kind: 'update', id: editing.id, corrected: draft.corrected.trim(), matchType: draft.matchType, caseMode: draft.caseMode}
            : {kind: 'learn', correction: learn(draft, GLib.uuid_string_random(), new Date())}, draft),
    });
    page.add(editor.group);

    const list = new Adw.PreferencesGroup({title: _('Learned corrections'), description: file.path});
    const search = new Gtk.SearchEntry({placeholder_text: _('Search corrections'), valign: Gtk.Align.CENTER});
    list.set_header_suffix(search);
    const status = new Adw.ActionRow({title: '', use_markup: false, visible: false});
    status.add_css_class('swictation-corrections-status');
    list.add(status);
    page.add(list);

    function showStatus(text: string): void {
        status.title = text;
        status.visible = text !== '';
    }

    function usedText(c: Correction): string {
        const used = ngettext('used %d time', 'used %d times', c.useCount).replace('%d', String(c.useCount));
        const parts = [matchTypeLabel(c.matchType, _), caseModeLabel(c.caseMode, _), used];
        if (c.mode !== 'all')
            parts.push(_('only for the “%s” mode, which the daemon does not use').replace('%s', c.mode));
        return parts.join(' · ');
    }

    function render(): void {
        for (const row of rows)
            list.remove(row);
        rows = searchCorrections(corrections, search.text).map(c => {
            const row = new Adw.ActionRow({title: `${c.original} → ${c.corrected}`, subtitle: usedText(c), use_markup: false});
            row.add_css_class('swictation-correction');
            const edit = new Gtk.Button({icon_name: 'document-edit-symbolic', valign: Gtk.Align.CENTER, tooltip_text: _('Edit'), css_classes: ['flat']});
            edit.connect('clicked', () => editor.edit(c));
            const remove = new Gtk.Button({icon_name: 'user-trash-symbolic', valign: Gtk.Align.CENTER, tooltip_text: _('Delete'), css_classes: ['flat']});
            remove.connect('clicked', () => change({kind: 'delete', id: c.id}, null));
            row.add_suffix(edit);
            row.add_suffix(remove);
            list.add(row);
            return row;
        });
        if (corrections.length === 0 && status.title === '')
            showStatus(_('No corrections learned yet.'));
    }
    search.connect('search-changed', render);

    let serial = 0;
    async function reload(): Promise<void> {
        const mine = ++serial;
        const read = await file.read();
        if (mine !== serial)
            return;
        showStatus('');
        if (read.kind === 'refused') {
            corrections = [];
            showStatus(read.message);
        } else {
            const loaded = readCorrections(read.kind === 'text' ? read.text : '');
            corrections = loaded.ok ? loaded.corrections : [];
            if (!loaded.ok)
                showStatus(problemText(loaded, _));
        }
        render();
    }

    async function change(edit: CorrectionEdit, draft: CorrectionDraft | null): Promise<void> {
        const written = await file.write(text => {
            const result = editCorrections(text, edit);
            return result.ok ? result : {ok: false, message: problemText(result, _)};
        });
        if (!written.ok) {
            editor.say(written.message);
            showStatus(written.message);
            return;
        }
        if (draft) {
            editor.clear();
            editor.say(_('Saved. The daemon uses it from its next segment on.'));
        }
        await reload();
    }

    // The daemon replaces or rewrites the file (use counts); the list follows.
    const monitor = file.file.get_parent()!.monitor_directory(Gio.FileMonitorFlags.WATCH_MOVES, null);
    monitor.connect('changed', (_m, changed, other) => {
        if (changed.equal(file.file) || other?.equal(file.file))
            reload();
    });
    reload();

    return {
        page,
        prefill: heard => editor.prefill(heard),
        destroy: () => monitor.cancel(),
    };
}
