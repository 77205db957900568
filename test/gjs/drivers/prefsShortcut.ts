// SPDX-License-Identifier: GPL-2.0-or-later
// Runs the preferences' "daemon's own shortcut" row in a plain `gjs -m` GTK 4 process of the
// session (its GSettings, its display), reports what the row says, presses its button, and
// reports the custom-keybindings list after it.
//   gjs -m prefsShortcut.js <extension-schema-dir>
import 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw?version=1';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import System from 'system';

import {MEDIA_KEYS_SCHEMA} from '../../../src/core/mediaKeys.js';
import {Key} from '../../../src/core/settings.js';
import {daemonShortcutRow} from '../../../src/prefs/daemonShortcut.js';

Adw.init();
const source = Gio.SettingsSchemaSource.new_from_directory(System.programArgs[0], Gio.SettingsSchemaSource.get_default(), false);
const settings = new Gio.Settings({settings_schema: source.lookup('org.gnome.shell.extensions.swictation-shell', false)!});
const shortcut = daemonShortcutRow(settings, Key.SHORTCUT, s => s);
const report = (when: string) => print(JSON.stringify({
    when,
    subtitle: shortcut.row.subtitle,
    button: shortcut.takeOver?.visible ? shortcut.takeOver.label : null,
    list: new Gio.Settings({schema_id: MEDIA_KEYS_SCHEMA}).get_strv('custom-keybindings'),
}));
report('before');
shortcut.takeOver?.emit('clicked');
Gio.Settings.sync();
// Let the change notification reach the row before reading it again.
const loop = new GLib.MainLoop(null, false);
GLib.timeout_add(GLib.PRIORITY_DEFAULT, 300, () => {
    report('after');
    shortcut.destroy();
    loop.quit();
    return GLib.SOURCE_REMOVE;
});
loop.run();
