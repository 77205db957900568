// SPDX-License-Identifier: GPL-2.0-or-later
// While dictating, every main-loop source of the extension loses its callback for 6 s, as GJS
// 1.80 loses them during a garbage collection, and the daemon stops meanwhile: within 3 s of the
// pause the top bar shows it, then follows a new recording whose time ticks, and the shortcut
// sends exactly one toggle.
import type {Scenario} from '../driver.js';
import {clipboard, resetSetting, setClipboard, setSetting, snapshot, waitForUi, type UiSnapshot} from '../ui.js';

const PAUSE_MS = 6000;
const recording = (ui: UiSnapshot) => ui.icon === 'swictation-recording-symbolic.svg';
const idle = (ui: UiSnapshot) => ui.icon === 'swictation-idle-symbolic.svg';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

// The same as GJS 1.80 does to a callback due mid-sweep: not run, and the source destroyed.
const pauseJs = (ms: number) => `(() => {
    const {GLib} = imports.gi;
    const w = globalThis.swictationE2ELost ??= {until: 0, dropped: 0, original: GLib.timeout_add};
    GLib.timeout_add = (priority, interval, callback) => w.original(priority, interval, () => {
        if (GLib.get_monotonic_time() < w.until && GLib.main_current_source()?.get_name()?.startsWith('[swictation] ')) {
            w.dropped++;
            return false;
        }
        return callback();
    });
    w.until = GLib.get_monotonic_time() + ${ms * 1000};
    return true;
})()`;

const restoreJs = `(() => {
    const w = globalThis.swictationE2ELost;
    imports.gi.GLib.timeout_add = w.original;
    delete globalThis.swictationE2ELost;
    return w.dropped;
})()`;

export const lostCallbacks: Scenario = {
    name: 'lostCallbacks',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        await setSetting(shell, uuid, 'panel-label', 'elapsed');
        await setSetting(shell, uuid, 'copy-on-session-end', true);
        await setClipboard(shell, 'before the pause');
        const sim = await simulator({script: 'none'});
        await sim.cmd({cmd: 'toggle'});
        t.ok((await waitForUi(shell, uuid, recording, 5000)).ok, 'the top bar shows recording before the pause');
        await sim.cmd({cmd: 'speak', text: 'Copied once the pause is over.'});
        await sleep(1500);

        await shell.evalJs(pauseJs(PAUSE_MS));
        const pauseEnds = Date.now() + PAUSE_MS;
        await sleep(1000);
        await sim.cmd({cmd: 'toggle'});
        await sleep(pauseEnds - Date.now());
        const stopped = await waitForUi(shell, uuid, ui => idle(ui) && !ui.label, 3000);
        t.ok(stopped.ok, 'within 3 s of the pause the top bar no longer says recording', {ms: stopped.ms, ui: stopped.ui});
        // The copy at the session's end fell due in the pause.
        const copyBy = Date.now() + 3000 - stopped.ms;
        let copied = await clipboard(shell);
        while (copied !== 'Copied once the pause is over.' && Date.now() < copyBy) {
            await sleep(100);
            copied = await clipboard(shell);
        }
        t.equal(copied, 'Copied once the pause is over.', 'the session is copied at its end, within 3 s of the pause');
        await resetSetting(shell, uuid, 'copy-on-session-end');

        await sim.cmd({cmd: 'toggle'});
        const again = await waitForUi(shell, uuid, recording, 3000);
        t.ok(again.ok, 'a new recording shows within 3 s', {ms: again.ms, ui: again.ui});
        const first = (await snapshot(shell, uuid)).label;
        const ticked = await waitForUi(shell, uuid, ui => recording(ui) && !!ui.label && ui.label !== first, 2500);
        t.ok(ticked.ok, 'the elapsed time ticks', `${first} → ${ticked.ui.label}`);

        const before = (await sim.status()).toggleCount;
        await shell.pressKeys(['Super_L', 'Shift_L', 'd']);
        const off = await waitForUi(shell, uuid, idle, 3000);
        await sleep(800);
        t.ok(off.ok, 'Super+Shift+D stops it', off.ui);
        t.equal((await sim.status()).toggleCount - before, 1, 'Super+Shift+D sends exactly one toggle');
        const dropped = await shell.evalJs<number>(restoreJs);
        t.ok(dropped > 0, 'the pause did drop callbacks of the extension', `${dropped}`);
        await resetSetting(shell, uuid, 'panel-label');
    },
};
