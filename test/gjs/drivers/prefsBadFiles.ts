// SPDX-License-Identifier: GPL-2.0-or-later
// Runs Preferences → Corrections and → Speech in a plain `gjs -m` GTK 4 process of the session,
// on whatever ~/.config/swictation holds; with `learn`, tries to learn a correction; then prints
// one JSON line with what both pages say.
//   gjs -m prefsBadFiles.js <extension-schema-dir> learn|look
import 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw?version=1';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import type Gtk from 'gi://Gtk';
import System from 'system';

import {correctionsPage} from '../../../src/prefs/correctionsPage.js';
import {daemonSettingsPage} from '../../../src/prefs/daemonSettingsPage.js';

Adw.init();
const source = Gio.SettingsSchemaSource.new_from_directory(System.programArgs[0], Gio.SettingsSchemaSource.get_default(), false);
const settings = new Gio.Settings({settings_schema: source.lookup('org.gnome.shell.extensions.swictation-shell', false)!});
const logger = {info: (m: string) => printerr(m), warn: (m: string) => printerr(m), debug: () => {}};
const corrections = correctionsPage(s => s, (one, many, n) => (n === 1 ? one : many));
const speech = daemonSettingsPage(settings, s => s, logger);

function widgets(root: Gtk.Widget, out: Gtk.Widget[] = []): Gtk.Widget[] {
    out.push(root);
    for (let c = root.get_first_child(); c; c = c.get_next_sibling())
        widgets(c, out);
    return out;
}

const inPage = (page: Adw.PreferencesPage) => widgets(page as unknown as Gtk.Widget);
const byClass = (page: Adw.PreferencesPage, cls: string) => inPage(page).find(w => w.has_css_class(cls));
const entry = (title: string) => inPage(corrections.page).find(w => (w as Adw.EntryRow).title === title) as Adw.EntryRow;

const loop = new GLib.MainLoop(null, false);
const steps: Array<() => void> = [
    () => {
        if (System.programArgs[1] !== 'learn')
            return;
        entry('Heard (keep only the misheard words)').text = 'get hub';
        entry('Meant').text = 'GitHub';
        (inPage(corrections.page).find(w => (w as Gtk.Button).label === 'Save') as Gtk.Button).emit('clicked');
    },
    () => {
        print(JSON.stringify({
            corrections: (byClass(corrections.page, 'swictation-corrections-status') as Adw.ActionRow).title,
            note: (byClass(corrections.page, 'swictation-correction-note') as Gtk.Label).label,
            speech: (byClass(speech.page, 'swictation-config-status') as Adw.ActionRow).title,
            speechEditable: (inPage(speech.page).find(w => (w as Adw.ComboRow).title === 'Speech model') as Adw.ComboRow).sensitive,
        }));
        corrections.destroy();
        speech.destroy();
        loop.quit();
    },
];
GLib.timeout_add(GLib.PRIORITY_DEFAULT, 1500, () => {
    steps.shift()?.();
    return steps.length > 0 ? GLib.SOURCE_CONTINUE : GLib.SOURCE_REMOVE;
});
loop.run();
