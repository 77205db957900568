// SPDX-License-Identifier: GPL-2.0-or-later
import Adw from 'gi://Adw';
import Gio from 'gi://Gio';
import Gtk from 'gi://Gtk';
import {ExtensionPreferences, gettext as _, ngettext} from 'resource:///org/gnome/Shell/Extensions/js/extensions/prefs.js';

import {Key} from './core/settings.js';
import {dictationAidRows} from './prefs/dictationAidRows.js';
import {correctionsPage} from './prefs/correctionsPage.js';
import {daemonPage} from './prefs/daemonPage.js';
import {daemonSettingsPage} from './prefs/daemonSettingsPage.js';
import {daemonShortcutRow} from './prefs/daemonShortcut.js';
import {shortcutRow} from './prefs/shortcutRow.js';
import {socketRows} from './prefs/socketRow.js';
import {extensionLogger} from './lib/logger.js';

function switchRow(settings: Gio.Settings, key: string, title: string, subtitle = ''): Adw.SwitchRow {
    const row = new Adw.SwitchRow({title, subtitle});
    settings.bind(key, row, 'active', Gio.SettingsBindFlags.DEFAULT);
    return row;
}

// A string setting with a fixed set of values. GSettings cannot bind a string to the row's
// index (bind_with_mapping is not introspectable), so the row and the key follow each other.
function choiceRow(settings: Gio.Settings, key: string, title: string, choices: Array<[string, string]>): Adw.ComboRow {
    const row = new Adw.ComboRow({title, model: Gtk.StringList.new(choices.map(([, label]) => label))});
    const sync = () => {
        const index = choices.findIndex(([nick]) => nick === settings.get_string(key));
        if (index >= 0 && row.selected !== index)
            row.selected = index;
    };
    sync();
    const id = settings.connect(`changed::${key}`, sync);
    row.connect('notify::selected', () => settings.set_string(key, choices[row.selected][0]));
    row.connect('destroy', () => settings.disconnect(id));
    return row;
}

function spinRow(settings: Gio.Settings, key: string, title: string, lower: number, upper: number, subtitle = ''): Adw.SpinRow {
    const row = Adw.SpinRow.new_with_range(lower, upper, 1);
    row.title = title;
    row.subtitle = subtitle;
    settings.bind(key, row, 'value', Gio.SettingsBindFlags.DEFAULT);
    return row;
}

function group(page: Adw.PreferencesPage, title: string, rows: Gtk.Widget[], description = ''): void {
    const g = new Adw.PreferencesGroup({title, description});
    for (const row of rows)
        g.add(row);
    page.add(g);
}

export default class SwictationPreferences extends ExtensionPreferences {
    override fillPreferencesWindow(window: Adw.PreferencesWindow): Promise<void> {
        const settings = this.getSettings();
        window.set_default_size(760, 760);

        const general = new Adw.PreferencesPage({title: _('General'), icon_name: 'preferences-system-symbolic'});
        const socket = socketRows(settings, _);
        group(general, _('Connection'), [socket.entry, socket.status],
            _('The daemon puts its sockets in $XDG_RUNTIME_DIR, or in ~/.local/share/swictation without it.'));
        group(general, _('Panel'), [
            choiceRow(settings, 'placement', _('Show in'), [
                ['panel', _('Top bar')], ['quick-settings', _('Quick Settings')], ['both', _('Both')],
            ]),
            choiceRow(settings, 'panel-box', _('Top bar area'), [
                ['left', _('Left')], ['center', _('Center')], ['right', _('Right')],
            ]),
            spinRow(settings, 'panel-index', _('Position in the area'), -1, 50, _('0 is first; −1 is last')),
            choiceRow(settings, 'panel-label', _('Text beside the icon'), [
                ['none', _('None')], ['elapsed', _('Elapsed recording time')], ['words', _('Words this session')], ['wpm', _('Words per minute')],
                ['today', _('Words dictated today')],
            ]),
            switchRow(settings, 'hide-when-not-running', _('Hide while the daemon is not running')),
            switchRow(settings, 'middle-click-toggles', _('Middle-click toggles dictation')),
        ]);
        group(general, _('Menu'), [
            spinRow(settings, 'transcript-length', _('Transcript segments kept'), 1, 500),
        ]);
        const daemonShortcut = daemonShortcutRow(settings, Key.SHORTCUT, _);
        const shortcutNote = _('The daemon may have set up its own custom shortcut for the same keys. GNOME then runs only one of the two: let one of them have the keys.');
        const toggleRow = shortcutRow(settings, Key.SHORTCUT, _, _('Toggle dictation'),
            [[Key.PUSH_TO_TALK, _('Push-to-talk already uses these keys. Press other keys.')]]);
        const holdRow = shortcutRow(settings, Key.PUSH_TO_TALK, _, _('Push-to-talk (hold to dictate)'),
            [[Key.SHORTCUT, _('Toggling dictation already uses these keys. Press other keys.')]]);
        group(general, _('Shortcut'), [toggleRow, holdRow, daemonShortcut.row], shortcutNote);
        group(general, _('Earlier sessions, copying and sounds'), dictationAidRows(settings, _));
        group(general, _('Notifications'), [
            switchRow(settings, 'notify-start-stop', _('Dictation started or stopped')),
            switchRow(settings, 'notify-daemon-lost', _('Daemon lost while recording')),
            switchRow(settings, 'notify-toggle-failed', _('Toggle failed')),
        ]);
        group(general, _('Privacy'), [
            switchRow(settings, 'hide-transcript', _('Hide transcript text'), _('Show counts only, never the dictated words')),
        ], _('The extension runs only in your user session: nothing shows on the lock screen.'));
        window.add(general);
        const logger = extensionLogger(this);
        const daemon = daemonPage(settings, _, logger);
        window.add(daemon.page);
        const corrections = correctionsPage(_, ngettext);
        window.add(corrections.page);
        const daemonSettings = daemonSettingsPage(settings, _, logger);
        window.add(daemonSettings.page);

        // *Correct…* in the menu leaves the segment here and opens (or raises) this window.
        const takeDraft = () => {
            const heard = settings.get_string(Key.CORRECTION_DRAFT);
            if (heard === '')
                return;
            settings.set_string(Key.CORRECTION_DRAFT, '');
            window.set_visible_page(corrections.page);
            corrections.prefill(heard);
        };
        const draftChanged = settings.connect(`changed::${Key.CORRECTION_DRAFT}`, takeDraft);
        takeDraft();
        window.connect('close-request', () => {
            settings.disconnect(draftChanged);
            daemon.destroy();
            corrections.destroy();
            daemonSettings.destroy();
            daemonShortcut.destroy();
            return false;
        });
        return Promise.resolve();
    }
}
