// SPDX-License-Identifier: GPL-2.0-or-later
// The packed zip, installed with `gnome-extensions install` as a user would, runs: the
// extension is ACTIVE without errors, and the screen (and its top bar) can be captured.
import {pngSize, type Scenario} from '../driver.js';

export const install: Scenario = {
    name: 'install',
    async run({shell, t, session}) {
        const ext = await shell.extension();
        t.ok(ext, 'the shell knows the extension', ext);
        t.equal(ext?.stateName, 'ACTIVE', 'the extension is ACTIVE');
        if (ext?.stateName === 'OUT_OF_DATE')
            console.log(`# hint: metadata.json "shell-version" does not list ${session.version}`);
        t.equal(ext?.state, 1, 'its state is 1');
        t.equal(ext?.error ?? null, null, 'it has no error');
        t.ok(ext?.path.startsWith(`${session.sessionDir}/home/.local/share/gnome-shell/extensions/`),
            'it is installed per user, where gnome-extensions install put it', ext?.path);

        const info = await shell.runInSession(['gnome-extensions', 'info', session.uuid]);
        t.ok(info.code === 0 && /State: (ACTIVE|ENABLED)/.test(info.stdout), 'gnome-extensions info says it is active', info);

        t.equal(await shell.evalJs('global.context.unsafe_mode'), true, 'the helper turned on unsafe mode');
        t.equal(await shell.evalJs('[1, 2].map(x => x * 2).join()'), '2,4', 'Eval answers');
        t.equal((await shell.extension(session.helperUuid))?.stateName, 'ACTIVE', 'the helper is ACTIVE');

        await shell.clearNotifications();
        const panelHeight = await shell.evalJs<number>('Main.panel.height');
        t.ok(panelHeight > 0 && panelHeight <= 64, 'the top bar has a height', panelHeight);

        const full = await shell.screenshot('screen');
        t.equal(JSON.stringify(pngSize(full)), JSON.stringify({width: 1280, height: 800}), 'a full-screen PNG is written');
        const bar = await shell.crop('screen', 'topbar', {h: panelHeight || 32});
        t.equal(JSON.stringify(pngSize(bar)), JSON.stringify({width: 1280, height: panelHeight || 32}), 'the top bar crop is written');
        console.log(`# screenshots: ${full}, ${bar}`);
    },
};
