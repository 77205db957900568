// SPDX-License-Identifier: GPL-2.0-or-later
// Runs Preferences → Daemon in a plain `gjs -m` GTK 4 process of the session (its bus, with the
// fake systemd manager on it; its display): reports what the page shows, turns "Start the
// daemon at login" off, presses "Stop and disable" on the daemon's UI unit, reporting after each.
//   gjs -m prefsDaemon.js <extension-schema-dir>
import 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw?version=1';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import type Gtk from 'gi://Gtk';
import System from 'system';

import {daemonPage} from '../../../src/prefs/daemonPage.js';

Adw.init();
const source = Gio.SettingsSchemaSource.new_from_directory(System.programArgs[0], Gio.SettingsSchemaSource.get_default(), false);
const settings = new Gio.Settings({settings_schema: source.lookup('org.gnome.shell.extensions.swictation-shell', false)!});
const daemon = daemonPage(settings, s => s, {info: m => printerr(m), warn: m => printerr(m), debug: () => {}});

function widgets(root: Gtk.Widget, out: Gtk.Widget[] = []): Gtk.Widget[] {
    out.push(root);
    for (let c = root.get_first_child(); c; c = c.get_next_sibling())
        widgets(c, out);
    return out;
}

const all = () => widgets(daemon.page as unknown as Gtk.Widget);
const row = (cls: string) => all().find(w => w.has_css_class(cls)) as Adw.ActionRow;
const buttons = (r: Gtk.Widget) => Object.fromEntries(widgets(r)
    .filter(w => w.constructor.name.includes('Button') && (w as Gtk.Button).label)
    .map(w => [(w as Gtk.Button).label, w.sensitive]));
const loginRow = () => all().find(w => (w as Adw.ActionRow).title === 'Start the daemon at login') as Adw.ActionRow;
const loginSwitch = () => widgets(loginRow()).find(w => w.constructor.name.includes('Switch')) as Gtk.Switch;

function report(when: string): void {
    print(JSON.stringify({
        when,
        state: row('swictation-daemon-state').subtitle,
        daemonButtons: buttons(row('swictation-daemon-state')),
        login: loginSwitch().active,
        loginSensitive: loginSwitch().sensitive,
        loginText: loginRow().subtitle,
        ui: row('swictation-ui-state').subtitle,
        uiButtons: buttons(row('swictation-ui-state')),
    }));
}

const loop = new GLib.MainLoop(null, false);
const steps: Array<() => void> = [
    () => report('before'),
    () => {
        loginSwitch().active = false;
    },
    () => report('login off'),
    () => {
        const stop = widgets(row('swictation-ui-state')).find(w => (w as Gtk.Button).label === 'Stop and disable') as Gtk.Button;
        stop.emit('clicked');
    },
    () => report('ui stopped'),
    () => {
        daemon.destroy();
        loop.quit();
    },
];
GLib.timeout_add(GLib.PRIORITY_DEFAULT, 1500, () => {
    steps.shift()?.();
    return steps.length > 0 ? GLib.SOURCE_CONTINUE : GLib.SOURCE_REMOVE;
});
loop.run();
