// SPDX-License-Identifier: GPL-2.0-or-later
// The text beside the icon follows each mode of *Preferences → Panel* as the daemon's figures
// change: the elapsed time, the session's words, its speed, the words of today, or nothing.
import type {Scenario} from '../driver.js';
import {closeMenu, openMenu, resetSetting, setSetting, snapshot, waitForUi, type UiSnapshot} from '../ui.js';

const recording = (ui: UiSnapshot) => ui.icon === 'swictation-recording-symbolic.svg';

export const panelLabel: Scenario = {
    name: 'panelLabel',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const sim = await simulator({script: 'none'});
        await sim.cmd({cmd: 'toggle'});
        t.ok((await waitForUi(shell, uuid, recording, 5000)).ok, 'recording');

        await setSetting(shell, uuid, 'panel-label', 'elapsed');
        const first = await waitForUi(shell, uuid, ui => recording(ui) && /^\d+:\d\d$/.test(ui.label ?? ''), 3000);
        const ticked = await waitForUi(shell, uuid, ui => /^\d+:\d\d$/.test(ui.label ?? '') && ui.label !== first.ui.label, 2500);
        t.ok(first.ok && ticked.ok, 'elapsed: the time, ticking', `${first.ui.label} → ${ticked.ui.label}`);

        // The menu's rows say what the daemon reported; the label must say the same.
        await openMenu(shell, uuid);
        for (const [mode, row] of [['words', 'Words'], ['wpm', 'Speed']] as const) {
            await setSetting(shell, uuid, 'panel-label', mode);
            const before = await snapshot(shell, uuid);
            await sim.cmd({cmd: 'speak', text: `Counting the words of the ${mode} label again.`});
            const after = await waitForUi(shell, uuid, ui => ui.info[row] !== before.info[row] && ui.label === labelFor(mode, ui.info[row]), 4000);
            t.ok(after.ok, `${mode}: the label follows the daemon's figure`, `${before.label} → ${after.ui.label} (${row}: ${after.ui.info[row]})`);
        }
        await closeMenu(shell, uuid);

        // Words today also count the earlier sessions of this login: it grows by what is said.
        await setSetting(shell, uuid, 'panel-label', 'today');
        const today = await waitForUi(shell, uuid, ui => /^\d[\d,]*$/.test(ui.label ?? ''), 3000);
        await sim.cmd({cmd: 'speak', text: 'Five more words for today.'});
        const count = (label: string | null) => Number((label ?? '').replace(/,/g, ''));
        const grown = await waitForUi(shell, uuid, ui => count(ui.label) >= count(today.ui.label) + 5, 4000);
        t.ok(today.ok && grown.ok, 'today: the label grows by the words said', `${today.ui.label} → ${grown.ui.label}`);

        await setSetting(shell, uuid, 'panel-label', 'none');
        const none = await waitForUi(shell, uuid, ui => recording(ui) && !ui.label, 3000);
        t.ok(none.ok, 'none: no text beside the icon', none.ui.label);
        await resetSetting(shell, uuid, 'panel-label');
        // The next scenario's daemon starts its sessions at #1 again: end this one first.
        await sim.cmd({cmd: 'toggle'});
        await waitForUi(shell, uuid, ui => ui.icon === 'swictation-idle-symbolic.svg', 3000);
    },
};

/** The label for a mode, given the menu row it mirrors. */
function labelFor(mode: 'words' | 'wpm', row: string | undefined): string | undefined {
    return mode === 'wpm' ? row : row?.replace(/\s.*$/, '');
}
