// SPDX-License-Identifier: GPL-2.0-or-later
// A shortcut of ours. Keybinding names share one namespace in the window manager, so only a
// binding that is ours is ever removed.
import type Gio from 'gi://Gio';
import Meta from 'gi://Meta';
import Shell from 'gi://Shell';
import * as Main from 'resource:///org/gnome/shell/ui/main.js';

import {Key} from '../core/settings.js';
import type {Logger} from '../lib/logger.js';

// Moved once from a name other extensions register too.
function migrate(settings: Gio.Settings): void {
    if (settings.get_user_value(Key.OLD_SHORTCUT) === null)
        return;
    if (settings.get_user_value(Key.SHORTCUT) === null)
        settings.set_strv(Key.SHORTCUT, settings.get_strv(Key.OLD_SHORTCUT));
    settings.reset(Key.OLD_SHORTCUT);
}

export class Shortcut {
    private readonly _key: string;
    private _bound: boolean;

    constructor(settings: Gio.Settings, logger: Logger, activate: () => void,
        key: string = Key.SHORTCUT, fallback = 'the menu and middle-click still toggle') {
        this._key = key;
        if (key === Key.SHORTCUT)
            migrate(settings);
        const action = Main.wm.addKeybinding(key, settings, Meta.KeyBindingFlags.NONE,
            Shell.ActionMode.NORMAL | Shell.ActionMode.OVERVIEW, activate);
        this._bound = action !== Meta.KeyBindingAction.NONE;
        if (!this._bound) {
            logger.warn(`the shortcut (${settings.get_strv(key).join(', ')}) could not be registered: ` +
                `another extension holds the name ${key}; ${fallback}`);
        }
    }

    destroy(): void {
        if (this._bound)
            Main.wm.removeKeybinding(this._key);
        this._bound = false;
    }
}
