// SPDX-License-Identifier: GPL-2.0-or-later
// Runs Preferences → Speech (the daemon's settings) in a window of a plain `gjs -m` GTK 4 process of the session
// (its bus with the fake systemd manager, its HOME's config.toml): reports what the page shows,
// picks the small CPU model, presses Save, then "Restart the daemon to apply", reporting after each.
//   gjs -m prefsSettings.js <extension-schema-dir>
import 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw?version=1';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Gtk from 'gi://Gtk';
import System from 'system';

import {MODELS} from '../../../src/core/daemonConfig.js';
import {daemonSettingsPage} from '../../../src/prefs/daemonSettingsPage.js';

Adw.init();
const source = Gio.SettingsSchemaSource.new_from_directory(System.programArgs[0], Gio.SettingsSchemaSource.get_default(), false);
const settings = new Gio.Settings({settings_schema: source.lookup('org.gnome.shell.extensions.swictation-shell', false)!});
const page = daemonSettingsPage(settings, s => s, {info: m => printerr(m), warn: m => printerr(m), debug: () => {}});
const window = new Adw.PreferencesWindow({title: 'Swictation settings', default_width: 760, default_height: 900});
window.add(page.page);
window.present();

function widgets(root: Gtk.Widget, out: Gtk.Widget[] = []): Gtk.Widget[] {
    out.push(root);
    for (let c = root.get_first_child(); c; c = c.get_next_sibling())
        widgets(c, out);
    return out;
}

const all = () => widgets(page.page as unknown as Gtk.Widget);
const status = () => all().find(w => w.has_css_class('swictation-config-status')) as Adw.ActionRow;
const model = () => all().find(w => (w as Adw.ComboRow).title === 'Speech model') as Adw.ComboRow;
const button = (label: string) => all().find(w => (w as Gtk.Button).label === label) as Gtk.Button;

function report(when: string): void {
    print(JSON.stringify({
        when,
        status: status().title,
        model: MODELS[model().selected],
        modelText: model().subtitle,
        editable: model().sensitive,
        restart: button('Restart the daemon to apply').sensitive,
    }));
}

const loop = new GLib.MainLoop(null, false);
const steps: Array<() => void> = [
    () => report('before'),
    () => {
        model().selected = MODELS.indexOf('0.6b-cpu');
        button('Save').emit('clicked');
    },
    () => report('saved'),
    () => {},
    () => {},
    () => button('Restart the daemon to apply').emit('clicked'),
    () => {},
    () => report('restarted'),
    () => {
        page.destroy();
        window.destroy();
        loop.quit();
    },
];
GLib.timeout_add(GLib.PRIORITY_DEFAULT, 2000, () => {
    steps.shift()?.();
    return steps.length > 0 ? GLib.SOURCE_CONTINUE : GLib.SOURCE_REMOVE;
});
loop.run();
