// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon's own GNOME shortcut. On GNOME Wayland the daemon writes a custom keybinding
// (media-keys custom-keybindings, "Swictation Toggle", Super+Shift+D) that pipes a toggle into
// its control socket with `nc`. With the extension's shortcut on the same keys, Mutter keeps
// only one of the two (which one is not defined); with the custom one and no `nc`, the key does
// nothing. This row says what it found and offers to leave the keys to one of them.
import Adw from 'gi://Adw';
import Gio from 'gi://Gio';
import Gtk from 'gi://Gtk';

import {CUSTOM_KEYBINDING_SCHEMA, type CustomKeybinding, daemonKeybindings, MEDIA_KEYS_SCHEMA, withoutKeybinding} from '../core/mediaKeys.js';
import type {Translate} from '../core/presentation.js';

function keysLabel(accelerator: string): string {
    const [ok, key, mods] = Gtk.accelerator_parse(accelerator);
    return ok && key !== 0 ? Gtk.accelerator_get_label(key, mods ?? 0) : accelerator;
}

export interface DaemonShortcutRow {
    row: Adw.ActionRow;
    /** "Let the extension handle …"; null without GNOME's custom shortcuts. */
    takeOver: Gtk.Button | null;
    destroy(): void;
}

export function daemonShortcutRow(settings: Gio.Settings, shortcutKey: string, _: Translate): DaemonShortcutRow {
    const row = new Adw.ActionRow({title: _('The daemon’s own shortcut')});
    row.add_css_class('swictation-daemon-shortcut');
    // The schema is gnome-settings-daemon's: absent on a system without it.
    const source = Gio.SettingsSchemaSource.get_default();
    const mediaKeysSchema = source?.lookup(MEDIA_KEYS_SCHEMA, true) ?? null;
    const customSchema = source?.lookup(CUSTOM_KEYBINDING_SCHEMA, true) ?? null;
    if (!mediaKeysSchema || !customSchema || !mediaKeysSchema.has_key('custom-keybindings')) {
        row.subtitle = _('GNOME’s custom shortcuts are not available on this system.');
        return {row, takeOver: null, destroy: () => {}};
    }

    const mediaKeys = new Gio.Settings({settings_schema: mediaKeysSchema});
    const custom = (path: string) => new Gio.Settings({settings_schema: customSchema, path});
    const takeOver = new Gtk.Button({valign: Gtk.Align.CENTER});
    takeOver.add_css_class('suggested-action');
    const keepDaemons = new Gtk.Button({label: _('Keep the daemon’s'), valign: Gtk.Align.CENTER,
        tooltip_text: _('Turn the extension’s shortcut off')});
    row.add_suffix(takeOver);
    row.add_suffix(keepDaemons);
    let found: CustomKeybinding[] = [];

    const sync = () => {
        const paths = mediaKeys.get_strv('custom-keybindings');
        found = daemonKeybindings(paths.map(path => {
            const s = custom(path);
            return {path, name: s.get_string('name'), binding: s.get_string('binding'), command: s.get_string('command')};
        }));
        const entry = found[0];
        takeOver.visible = keepDaemons.visible = entry !== undefined;
        if (!entry) {
            row.subtitle = _('None found: only the extension handles its shortcut.');
            return;
        }
        const keys = entry.binding ? keysLabel(entry.binding) : _('no keys');
        row.subtitle = _('“%1$s” on %2$s runs: %3$s').replace('%1$s', entry.name).replace('%2$s', keys).replace('%3$s', entry.command);
        takeOver.label = _('Let the extension handle %s').replace('%s', keys);
        keepDaemons.sensitive = settings.get_strv(shortcutKey).length > 0;
    };

    // Removes exactly the daemon's entries from the list and resets their keys; nothing else
    // of the user's custom shortcuts changes.
    takeOver.connect('clicked', () => {
        let paths = mediaKeys.get_strv('custom-keybindings');
        for (const entry of found) {
            paths = withoutKeybinding(paths, entry.path);
            const s = custom(entry.path);
            for (const key of ['name', 'binding', 'command'])
                s.reset(key);
        }
        mediaKeys.set_strv('custom-keybindings', paths);
    });
    keepDaemons.connect('clicked', () => settings.set_strv(shortcutKey, []));

    const ids = [
        mediaKeys.connect('changed::custom-keybindings', sync),
        settings.connect(`changed::${shortcutKey}`, sync),
    ];
    sync();
    return {
        row,
        takeOver,
        destroy: () => {
            mediaKeys.disconnect(ids[0]);
            settings.disconnect(ids[1]);
        },
    };
}
