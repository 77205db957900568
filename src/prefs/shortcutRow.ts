// SPDX-License-Identifier: GPL-2.0-or-later
// A row that shows a shortcut of ours and captures a new one, like GNOME Settings' keyboard
// panel: click "Set", press the keys; Escape cancels, Backspace clears. Keys another of our
// shortcuts already has are refused: both bindings would fire at once.
import Adw from 'gi://Adw';
import Gdk from 'gi://Gdk';
import type Gio from 'gi://Gio';
import Gtk from 'gi://Gtk';

import {sameAccelerator} from '../core/accelerators.js';

type Translate = (s: string) => string;

function describe(accelerators: string[], _: Translate): string {
    const accel = accelerators[0];
    if (!accel)
        return _('Disabled');
    const [ok, key, mods] = Gtk.accelerator_parse(accel);
    return ok ? Gtk.accelerator_get_label(key, mods ?? 0) : accel;
}

/** `others`: the keys of our other shortcuts, with what to say when their keys are pressed. */
export function shortcutRow(settings: Gio.Settings, key: string, _: Translate, title = _('Toggle dictation'),
    others: Array<[string, string]> = []): Adw.ActionRow {
    const row = new Adw.ActionRow({title});
    const label = new Gtk.ShortcutLabel({
        accelerator: settings.get_strv(key)[0] ?? '',
        disabled_text: _('Disabled'),
        valign: Gtk.Align.CENTER,
    });
    const button = new Gtk.Button({label: _('Set…'), valign: Gtk.Align.CENTER});
    const reset = new Gtk.Button({icon_name: 'edit-undo-symbolic', valign: Gtk.Align.CENTER, tooltip_text: _('Reset to default')});
    reset.add_css_class('flat');
    row.add_suffix(label);
    row.add_suffix(button);
    row.add_suffix(reset);

    const sync = () => {
        const accels = settings.get_strv(key);
        label.accelerator = accels[0] ?? '';
        row.subtitle = describe(accels, _);
    };
    const changed = settings.connect(`changed::${key}`, sync);
    row.connect('destroy', () => settings.disconnect(changed));
    sync();

    reset.connect('clicked', () => settings.reset(key));
    button.connect('clicked', () => {
        const dialog = new Adw.Window({
            modal: true,
            transient_for: row.get_root() as Gtk.Window,
            default_width: 420,
            default_height: 200,
            title: _('Set shortcut'),
        });
        const status = new Adw.StatusPage({
            title: _('Press the new shortcut'),
            description: _('Escape cancels, Backspace disables the shortcut.'),
            icon_name: 'preferences-desktop-keyboard-shortcuts-symbolic',
        });
        dialog.set_content(status as unknown as Gtk.Widget);
        const controller = new Gtk.EventControllerKey();
        controller.connect('key-pressed', (_c, keyval, keycode, state) => {
            const mods = state & Gtk.accelerator_get_default_mod_mask();
            if (mods === 0 && keyval === Gdk.KEY_Escape) {
                dialog.close();
                return Gdk.EVENT_STOP;
            }
            if (mods === 0 && keyval === Gdk.KEY_BackSpace) {
                settings.set_strv(key, []);
                dialog.close();
                return Gdk.EVENT_STOP;
            }
            // A bare letter would fire while typing: ask for a modifier, as GNOME Settings does.
            if (!Gtk.accelerator_valid(keyval, mods) || (mods === 0 && keyval < 0xff00))
                return Gdk.EVENT_STOP;
            const accel = Gtk.accelerator_name_with_keycode(null, keyval, keycode, mods);
            const taken = others.find(([other]) => sameAccelerator(accel, settings.get_strv(other)[0]));
            if (taken) {
                status.description = taken[1];
                return Gdk.EVENT_STOP;
            }
            settings.set_strv(key, [accel]);
            dialog.close();
            return Gdk.EVENT_STOP;
        });
        dialog.add_controller(controller);
        dialog.present();
    });
    return row;
}
