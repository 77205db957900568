// SPDX-License-Identifier: GPL-2.0-or-later
// The Preferences rows of earlier sessions, copying and sound cues.
import Adw from 'gi://Adw';
import type Gio from 'gi://Gio';

import {Key} from '../core/settings.js';
import {shortcutRow} from './shortcutRow.js';

type Translate = (s: string) => string;

function switchRow(settings: Gio.Settings, key: string, title: string, subtitle = ''): Adw.SwitchRow {
    const row = new Adw.SwitchRow({title, subtitle});
    settings.bind(key, row, 'active', 0);
    return row;
}

export function dictationAidRows(settings: Gio.Settings, _: Translate): Adw.PreferencesRow[] {
    const history = Adw.SpinRow.new_with_range(0, 50, 1);
    history.title = _('Earlier sessions kept');
    history.subtitle = _('In memory only, until the screen locks; 0 keeps none');
    settings.bind(Key.HISTORY_LENGTH, history, 'value', 0);
    return [
        shortcutRow(settings, Key.COPY_SHORTCUT, _, _('Copy the dictated text')),
        switchRow(settings, Key.COPY_ON_SESSION_END, _('Copy each session when it ends')),
        history,
        switchRow(settings, Key.SOUND_CUES, _('Sound when recording starts and stops'),
            _('From your sound theme; silent with alert sounds off or in Do Not Disturb')),
    ];
}
