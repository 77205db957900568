// SPDX-License-Identifier: GPL-2.0-or-later
// Scenario 4: every way a user toggles dictation sends exactly one toggle to the daemon, and the
// indicator follows the daemon: the menu's Dictation switch (a real click), the keyboard
// shortcut Super+Shift+D, a middle click on the indicator. A daemon that refuses shows why.
import type {Scenario, Shell, Simulator, Report} from '../driver.js';
import {clickActor, closeMenu, indicatorJs, notifications, openMenu, snapshot, switchItemJs, waitForUi, type UiSnapshot} from '../ui.js';

const RECORDING = 'swictation-recording-symbolic.svg';
const IDLE = 'swictation-idle-symbolic.svg';
const ERROR_TEXT = 'Failed to toggle recording: simulated daemon error';

const recording = (ui: UiSnapshot) => ui.icon === RECORDING && ui.recordingClass;
const idle = (ui: UiSnapshot) => ui.icon === IDLE && !ui.recordingClass;

/** The action causes exactly one toggle request, and the indicator ends up as `want`. */
async function oneToggle(t: Report, shell: Shell, uuid: string, sim: Simulator, how: string,
    action: () => Promise<void>, want: 'recording' | 'idle'): Promise<void> {
    const before = (await sim.status()).toggleCount;
    await action();
    const deadline = Date.now() + 3000;
    let status = await sim.status();
    while (status.toggleCount === before && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 50));
        status = await sim.status();
    }
    const ui = await waitForUi(shell, uuid, want === 'recording' ? recording : idle, 3000);
    // A second, spurious toggle would have reached the daemon and ended (≤ 0.5 s) by now.
    await new Promise(r => setTimeout(r, 800));
    status = await sim.status();
    t.equal(status.toggleCount - before, 1, `${how}: exactly one toggle reaches the daemon`);
    t.equal(status.state, want, `${how}: the daemon is ${want}`);
    t.ok(ui.ok && (want === 'recording' ? recording : idle)(await snapshot(shell, uuid)),
        `${how}: the indicator shows ${want}`, ui.ui);
}

/** Opens the menu and clicks its Dictation switch with the pointer, like a user. */
async function clickSwitch(shell: Shell, uuid: string): Promise<void> {
    await openMenu(shell, uuid);
    await waitForUi(shell, uuid, ui => ui.menuOpen && ui.switchSensitive === true, 3000);
    await clickActor(shell, switchItemJs(uuid), 1);
}

async function readyForKeys(shell: Shell, uuid: string): Promise<void> {
    await closeMenu(shell, uuid);
    await shell.waitFor(`!Main.panel.statusArea[${JSON.stringify(uuid)}].menu.isOpen`);
    await shell.hideOverview();
}

export const toggles: Scenario = {
    name: 'toggles',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const sim = await simulator({script: 'none'});
        await shell.hideOverview();
        await shell.clearNotifications();
        t.ok((await waitForUi(shell, uuid, idle, 5000)).ok, 'the indicator is live and idle');

        // A left click opens the menu, and only that.
        const before = (await sim.status()).toggleCount;
        await clickActor(shell, indicatorJs(uuid), 1);
        const opened = await waitForUi(shell, uuid, ui => ui.menuOpen, 2000);
        t.ok(opened.ok, 'a left click on the indicator opens the menu');
        await new Promise(r => setTimeout(r, 300));
        t.equal((await sim.status()).toggleCount, before, 'a left click sends no toggle');
        await closeMenu(shell, uuid);

        // The menu's switch.
        await oneToggle(t, shell, uuid, sim, 'clicking the Dictation switch (off -> on)', () => clickSwitch(shell, uuid), 'recording');
        // Opening the menu while recording shows the switch on, and sends nothing.
        const recCount = (await sim.status()).toggleCount;
        await openMenu(shell, uuid);
        const shown = await waitForUi(shell, uuid, ui => ui.menuOpen && ui.switchOn === true, 3000);
        t.ok(shown.ok, 'the menu opened while recording shows the switch on', shown.ui);
        await new Promise(r => setTimeout(r, 800));
        const after = await sim.status();
        t.ok(after.toggleCount === recCount && after.state === 'recording',
            'opening the menu while recording sends no toggle: the daemon keeps recording', after);
        if (after.state !== 'recording')
            await sim.cmd({cmd: 'toggle'});     // put it back, so the next step starts from recording
        await waitForUi(shell, uuid, recording, 3000);
        await oneToggle(t, shell, uuid, sim, 'clicking the Dictation switch (on -> off)', () => clickSwitch(shell, uuid), 'idle');

        // The keyboard shortcut, as pressed on a keyboard (menu closed, no overview).
        await readyForKeys(shell, uuid);
        await oneToggle(t, shell, uuid, sim, 'Super+Shift+D (start)', () => shell.pressKeys(['Super_L', 'Shift_L', 'd']), 'recording');
        await oneToggle(t, shell, uuid, sim, 'Super+Shift+D (stop)', () => shell.pressKeys(['Super_L', 'Shift_L', 'd']), 'idle');
        t.equal(await shell.evalJs('Main.overview.visible'), false, 'the shortcut does not open the overview');

        // A middle click on the indicator toggles without opening the menu.
        await oneToggle(t, shell, uuid, sim, 'middle click on the indicator (start)', async () => {
            await clickActor(shell, indicatorJs(uuid), 2);
        }, 'recording');
        t.equal((await snapshot(shell, uuid)).menuOpen, false, 'a middle click does not open the menu');
        await oneToggle(t, shell, uuid, sim, 'middle click on the indicator (stop)', async () => {
            await clickActor(shell, indicatorJs(uuid), 2);
        }, 'idle');

        // The daemon refuses: the menu says why, and a notification tells the user.
        await shell.clearNotifications();
        await sim.cmd({cmd: 'control-mode', mode: 'error'});
        const refused = (await sim.status()).toggleCount;
        await clickSwitch(shell, uuid);
        await shell.waitFor(`!Main.panel.statusArea[${JSON.stringify(uuid)}].menu.isOpen`, 2000).catch(() => undefined);
        const deadline = Date.now() + 3000;
        while ((await sim.status()).toggleCount === refused && Date.now() < deadline)
            await new Promise(r => setTimeout(r, 50));
        await openMenu(shell, uuid);
        const note = await waitForUi(shell, uuid, ui => ui.menuOpen && ui.note !== null, 3000);
        t.equal(note.ui.note, `Toggle failed: ${ERROR_TEXT}`, 'the menu\'s note shows the daemon\'s error text');
        t.equal(note.ui.switchOn, false, 'the switch stays off');
        t.ok(idle(note.ui), 'the indicator stays idle', note.ui);
        const failed = (await notifications(shell)).filter(n => n.title === 'Dictation could not be toggled');
        t.ok(failed.length === 1 && failed[0].body === ERROR_TEXT, 'one notification carries the error', failed);
        t.equal((await sim.status()).toggleCount - refused, 1, 'the refused click sent one toggle');

        // Once the daemon accepts again, a successful toggle clears the note.
        await sim.cmd({cmd: 'control-mode', mode: 'normal'});
        await readyForKeys(shell, uuid);
        await oneToggle(t, shell, uuid, sim, 'Super+Shift+D after the error', () => shell.pressKeys(['Super_L', 'Shift_L', 'd']), 'recording');
        await openMenu(shell, uuid);
        const cleared = await waitForUi(shell, uuid, ui => ui.menuOpen && ui.note === null, 3000);
        t.ok(cleared.ok, 'a toggle that works clears the note', cleared.ui.note);
        await readyForKeys(shell, uuid);
        await oneToggle(t, shell, uuid, sim, 'Super+Shift+D (stop again)', () => shell.pressKeys(['Super_L', 'Shift_L', 'd']), 'idle');
        await shell.clearNotifications();
    },
};
