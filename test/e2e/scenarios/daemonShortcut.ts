// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon's own GNOME shortcut: a custom keybinding like the one its installer writes, next
// to one of the user's. Preferences → Shortcut says what it found, and its button removes
// exactly that entry (and resets its keys), leaving the user's alone. The row runs in a GTK 4
// process of the session (build/gjs/prefsShortcut.js); the preferences window is shown too
// (prefs-shortcut.png).
import {copyFileSync} from 'node:fs';
import {join} from 'node:path';

import {type Scenario, sleep} from '../driver.js';

const BASE = '/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings';
const DAEMONS = `${BASE}/swictation-toggle/`;
const USERS = `${BASE}/custom0/`;
const LIST_SCHEMA = 'org.gnome.settings-daemon.plugins.media-keys';
const ENTRY_SCHEMA = 'org.gnome.settings-daemon.plugins.media-keys.custom-keybinding';
const COMMAND = 'sh -c "echo \'{\\"action\\":\\"toggle\\"}\' | nc -U $XDG_RUNTIME_DIR/swictation.sock"';

export const daemonShortcut: Scenario = {
    name: 'daemonShortcut',
    async run({shell, t, session}) {
        const gsettings = async (...args: string[]) => {
            const r = await shell.runInSession(['gsettings', ...args]);
            if (r.code !== 0)
                throw new Error(`gsettings ${args.join(' ')}: ${r.stderr}`);
            return r.stdout.trim();
        };
        await gsettings('set', LIST_SCHEMA, 'custom-keybindings', `['${USERS}', '${DAEMONS}']`);
        for (const [path, name, binding, command] of [[USERS, 'Terminal', '<Super>t', 'kgx'],
            [DAEMONS, 'Swictation Toggle', '<Super><Shift>d', COMMAND]]) {
            await gsettings('set', `${ENTRY_SCHEMA}:${path}`, 'name', name);
            await gsettings('set', `${ENTRY_SCHEMA}:${path}`, 'binding', binding);
            await gsettings('set', `${ENTRY_SCHEMA}:${path}`, 'command', command);
        }

        // The real preferences window, for the picture.
        await shell.runInSession(['gnome-extensions', 'prefs', session.uuid]);
        const shown = await shell.waitFor(`global.get_window_actors().map(a => a.meta_window).some(w =>
            ((w.get_title() ?? '').includes('Swictation') || (w.get_wm_class() ?? '').includes('Extensions')) && w.get_frame_rect().width > 0)`, 30_000)
            .catch(() => false);
        t.ok(shown, 'the preferences window opens');
        await sleep(1500);
        await shell.clearNotifications();
        await shell.screenshot('prefs-shortcut');
        await shell.evalJs(`global.get_window_actors().map(a => a.meta_window).filter(w => (w.get_title() ?? '').includes('Swictation') || (w.get_wm_class() ?? '').includes('Extensions')).forEach(w => w.delete(global.get_current_time()))`);

        const program = `${session.sessionDir}/work/prefsShortcut.js`;
        copyFileSync(join(session.repo, 'build/gjs/prefsShortcut.js'), join(session.root, program));
        const schemaDir = `${session.sessionDir}/home/.local/share/gnome-shell/extensions/${session.uuid}/schemas`;
        const run = await shell.runInSession(['gjs', '-m', program, schemaDir]);
        const reports = run.stdout.split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as
            {when: string; subtitle: string; button: string | null; list: string[]});
        const before = reports.find(r => r.when === 'before');
        const after = reports.find(r => r.when === 'after');
        t.ok(before !== undefined && after !== undefined, 'the preferences row ran in the session', run.stderr);
        if (!before || !after)
            return;
        t.ok(before.subtitle.includes('Swictation Toggle') && before.subtitle.includes('nc -U'),
            'Preferences shows the daemon\'s custom shortcut and its command', before.subtitle);
        t.equal(before.button, 'Let the extension handle Shift+Super+D', 'and offers the one button');
        t.equal(JSON.stringify(after.list), JSON.stringify([USERS]), 'the button removed exactly that entry from the list');
        t.equal(after.button, null, 'then the row finds nothing left to hand over');
        t.equal(await gsettings('get', `${ENTRY_SCHEMA}:${DAEMONS}`, 'binding'), "''", 'and reset its keys');
        t.equal(await gsettings('get', `${ENTRY_SCHEMA}:${USERS}`, 'binding'), "'<Super>t'", "the user's own shortcut is untouched");
        t.equal(await gsettings('get', `${ENTRY_SCHEMA}:${USERS}`, 'command'), "'kgx'", "including its command");
        await gsettings('reset', LIST_SCHEMA, 'custom-keybindings');
        for (const key of ['name', 'binding', 'command'])
            await gsettings('reset', `${ENTRY_SCHEMA}:${USERS}`, key);
    },
};
