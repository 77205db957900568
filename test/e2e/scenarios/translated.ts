// SPDX-License-Identifier: GPL-2.0-or-later
// The shipped German translation, in a shell whose session runs in German (run.sh with
// E2E_LANG=de_DE.UTF-8; `make e2e` runs it after the English scenarios): the menu speaks German,
// and a count picks its plural form ("1 Wort", "3 Wörter").
import type {Scenario} from '../driver.js';
import {closeMenu, openMenu, resetSetting, setSetting, waitForUi} from '../ui.js';

export const translated: Scenario = {
    name: 'translated',
    language: 'de',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const sim = await simulator({script: 'none'});

        await openMenu(shell, uuid);
        const idle = await waitForUi(shell, uuid, ui => ui.menuOpen && ui.title === 'Bereit', 5000);
        t.ok(idle.ok, 'the menu title says "Bereit" (Idle) in German', idle.ui.title);
        t.ok('Wörter' in idle.ui.info && 'Sprechzeit' in idle.ui.info, 'the menu rows are labelled in German', Object.keys(idle.ui.info));
        t.ok(idle.ui.connection?.startsWith('Verbunden') ?? false, 'the connection line says "Verbunden"', idle.ui.connection);
        await closeMenu(shell, uuid);

        // Privacy mode shows each segment as its word count: the plural forms in the menu.
        await setSetting(shell, uuid, 'hide-transcript', true);
        await sim.cmd({cmd: 'toggle'});
        await sim.cmd({cmd: 'speak', text: 'Hallo'});
        await sim.cmd({cmd: 'speak', text: 'Guten Morgen zusammen'});
        await openMenu(shell, uuid);
        const rec = await waitForUi(shell, uuid, ui => ui.menuOpen && ui.transcript.length === 2, 5000);
        t.equal(rec.ui.transcript.join(' | '), '1 Wort | 3 Wörter', 'one segment says "1 Wort", the other "3 Wörter"');
        t.ok(/^Aufnahme – Sitzung Nr\. \d+$/.test(rec.ui.title ?? ''), 'the title says "Aufnahme – Sitzung Nr. N"', rec.ui.title);
        await shell.clearNotifications();
        await shell.screenshot('menu-de');
        await closeMenu(shell, uuid);

        await sim.cmd({cmd: 'toggle'});
        await resetSetting(shell, uuid, 'hide-transcript');
    },
};
