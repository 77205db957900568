// SPDX-License-Identifier: GPL-2.0-or-later
// Push-to-talk, held on the driver's virtual keyboard: one toggle at the press, one at the
// release, none for the auto-repeat in between or while another session records; the top bar
// marks the hold; nothing grabs the keyboard (modal count and key focus unchanged, keys typed
// during the hold reach a focused shell entry); a daemon dying while held ends the hold, and
// without one a press says so; a disable while held stops the daemon once.
import type {Report, Scenario, Shell, Simulator} from '../driver.js';
import {resetSetting, setSetting, waitForUi, type UiSnapshot} from '../ui.js';

const RECORDING = 'swictation-recording-symbolic.svg';
const IDLE = 'swictation-idle-symbolic.svg';
const OFFLINE = 'swictation-offline-symbolic.svg';
const KEY = 'swictation-push-to-talk';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const recording = (ui: UiSnapshot) => ui.icon === RECORDING && ui.recordingClass;

const heldJs = (uuid: string) => `Main.panel.statusArea[${JSON.stringify(uuid)}]?.has_style_class_name('swictation-held') ?? false`;
const ENTRY = 'globalThis.swictationE2EEntry';

/** What a grab would change: the shell's modal count and the stage's key focus. */
const grabJs = `({modal: Main.modalCount, focus: global.stage.key_focus === ${ENTRY}.clutter_text})`;

async function toggles(sim: Simulator): Promise<number> {
    return (await sim.status()).toggleCount;
}

async function daemonIs(sim: Simulator, state: string, timeoutMs = 3000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while ((await sim.status()).state !== state) {
        if (Date.now() > deadline)
            return false;
        await sleep(50);
    }
    return true;
}

async function entryText(shell: Shell): Promise<string> {
    return shell.evalJs<string>(`${ENTRY}.get_text()`);
}

async function focusEntry(shell: Shell): Promise<void> {
    await shell.evalJs(`(() => {
        const {Clutter, St} = imports.gi;
        // Held by a plain actor: an St parent keeps its last visible child and restyles it even
        // once destroyed, and a destroyed St.Entry's restyle reads its freed text actor.
        const entry = ${ENTRY} ??= new St.Entry({name: 'swictation-e2e-entry', x: 200, y: 200, width: 400});
        if (!entry.get_parent()) {
            const holder = new Clutter.Actor();
            holder.add_child(entry);
            Main.uiGroup.add_child(holder);
        }
        entry.set_text('');
        entry.grab_key_focus();
        return true;
    })()`);
}

/** F9 held 3 s, keys typed in the middle of it. */
async function holdAndType(t: Report, shell: Shell, uuid: string, sim: Simulator): Promise<void> {
    const before = await toggles(sim);
    const grab = JSON.stringify(await shell.evalJs(grabJs));
    await shell.keys([['press', 'F9']]);
    t.ok(await daemonIs(sim, 'recording'), 'holding F9 starts dictation');
    t.equal(await toggles(sim) - before, 1, 'the press sends exactly one toggle');
    t.ok((await waitForUi(shell, uuid, recording, 3000)).ok, 'the top bar shows recording while held');
    t.equal(await shell.evalJs(heldJs(uuid)), true, 'the top bar marks the hold');
    await sleep(1200);
    t.equal(JSON.stringify(await shell.evalJs(grabJs)), grab, 'nothing grabs the keyboard: modal count and key focus unchanged');
    await shell.keys([['press', 'h'], ['release', 'h'], ['press', 'i'], ['release', 'i']]);
    await sleep(1800);
    t.equal(await entryText(shell), 'hi', 'keys typed during the hold reach the focused entry');
    await shell.screenshot('push-to-talk-held');
    await shell.crop('push-to-talk-held', 'push-to-talk-held-bar', {h: 32});
    t.equal(await toggles(sim) - before, 1, 'auto-repeat and typing during the 3 s hold send nothing more');
    t.equal((await sim.status()).state, 'recording', 'the daemon still records while held');

    await shell.keys([['release', 'F9']]);
    t.ok(await daemonIs(sim, 'idle'), 'releasing F9 stops dictation');
    t.ok((await waitForUi(shell, uuid, ui => !ui.recordingClass, 3000)).ok, 'the top bar leaves recording');
    await sleep(800);
    t.equal(await toggles(sim) - before, 2, 'the release sends exactly one more toggle');
    t.equal(await shell.evalJs(heldJs(uuid)), false, 'the hold mark is gone');
}

export const pushToTalk: Scenario = {
    name: 'pushToTalk',
    timeoutMs: 120_000,
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const sim = await simulator({script: 'none'});
        await shell.hideOverview();
        await setSetting(shell, uuid, KEY, ['F9']);
        t.ok((await waitForUi(shell, uuid, ui => ui.icon !== null && !ui.recordingClass, 5000)).ok, 'the indicator is live and idle');
        await focusEntry(shell);

        // Auto-repeat is on in this session: a held letter repeats in the entry.
        await shell.keys([['press', 'x']]);
        await sleep(1000);
        await shell.keys([['release', 'x']]);
        await sleep(300);   // repeats already queued arrive after the release is sent
        t.ok((await entryText(shell)).length > 3, 'a held key auto-repeats here', await entryText(shell));
        await focusEntry(shell);

        await holdAndType(t, shell, uuid, sim);

        // With the Quick Settings indicator instead of the button, its top-bar icon shows the hold.
        await setSetting(shell, uuid, 'placement', 'quick-settings');
        await shell.keys([['press', 'F9']]);
        t.ok(await daemonIs(sim, 'recording'), 'Quick Settings placement: holding F9 starts dictation');
        t.ok(await shell.waitFor(`(() => { const walk = a => (a.has_style_class_name?.('swictation-recording-indicator') && a.visible) || a.get_children().some(walk);
            return walk(Main.panel.statusArea.quickSettings); })()`, 3000).catch(() => false), 'the Quick Settings recording icon shows in the top bar while held');
        await shell.screenshot('push-to-talk-held-qs');
        await shell.crop('push-to-talk-held-qs', 'push-to-talk-held-qs-bar', {h: 32});
        await shell.keys([['release', 'F9']]);
        t.ok(await daemonIs(sim, 'idle'), 'Quick Settings placement: releasing F9 stops dictation');
        await resetSetting(shell, uuid, 'placement');
        await shell.waitFor(`Main.panel.statusArea[${JSON.stringify(uuid)}] !== undefined`);
        await focusEntry(shell);

        // Held while a session started another way records: no toggle at all.
        await sim.cmd({cmd: 'toggle'});
        t.ok((await waitForUi(shell, uuid, recording, 3000)).ok, 'a session started by the daemon shows recording');
        const foreign = await toggles(sim);
        await shell.keys([['press', 'F9']]);
        await sleep(1000);
        t.equal(await shell.evalJs(heldJs(uuid)), false, 'a hold during another session is not marked');
        await shell.keys([['release', 'F9']]);
        await sleep(800);
        t.equal(await toggles(sim), foreign, 'a hold during another session sends no toggle');
        t.equal((await sim.status()).state, 'recording', 'that session keeps recording');
        await sim.cmd({cmd: 'toggle'});
        await daemonIs(sim, 'idle');
        await waitForUi(shell, uuid, ui => !ui.recordingClass, 3000);

        // A modifier let go first ends the hold too (the key's own release is not reported then).
        await setSetting(shell, uuid, KEY, ['<Super>F9']);
        const chord = await toggles(sim);
        await shell.keys([['press', 'Super_L'], ['press', 'F9']]);
        t.ok(await daemonIs(sim, 'recording'), 'holding Super+F9 starts dictation');
        await sleep(500);
        t.ok((await sim.status()).state === 'recording' && await toggles(sim) - chord === 1,
            'Super+F9 held: still recording, one toggle');
        await shell.keys([['release', 'Super_L']]);
        t.ok(await daemonIs(sim, 'idle'), 'letting go of Super first stops dictation');
        await shell.keys([['release', 'F9']]);
        await sleep(800);
        t.equal(await toggles(sim) - chord, 2, 'Super+F9: one toggle each way');
        await shell.hideOverview();

        // The daemon dies while held: the hold ends, the release sends nothing. Then, with no
        // daemon, a press says so and starts nothing.
        await setSetting(shell, uuid, KEY, ['F9']);
        await focusEntry(shell);
        await shell.keys([['press', 'F9']]);
        t.ok(await daemonIs(sim, 'recording'), 'held: recording, before the daemon dies');
        sim.signal('SIGKILL');
        t.ok(await shell.waitFor(`!(${heldJs(uuid)})`, 5000).catch(() => false), 'the daemon dying while held ends the hold');
        await shell.keys([['release', 'F9']]);
        await waitForUi(shell, uuid, ui => ui.icon === OFFLINE, 5000);
        await shell.evalJs('Main.osdWindowManager.hideAll?.(); true');
        await shell.keys([['press', 'F9']]);
        const osd = await shell.waitFor<string>(`(() => { const w = Main.osdWindowManager._osdWindows.find(w => w && w.visible); return w ? w._label.text : ''; })()`, 3000).catch(() => null);
        t.equal(osd, 'The daemon is not running.', 'a press with no daemon says so in an OSD');
        t.equal(await shell.evalJs(heldJs(uuid)), false, 'and starts no hold');
        await shell.keys([['release', 'F9']]);

        // Disabled while held: the daemon is told to stop, once.
        const next = await simulator({script: 'none', name: 'push-to-talk-2'});
        t.ok((await waitForUi(shell, uuid, ui => ui.icon === IDLE, 15_000)).ok, 'a new daemon is seen');
        await focusEntry(shell);
        const disabled = await toggles(next);
        await shell.keys([['press', 'F9']]);
        t.ok(await daemonIs(next, 'recording'), 'held again: recording');
        await shell.disableExtension();
        t.ok(await daemonIs(next, 'idle'), 'disabling the extension while held stops dictation');
        await shell.keys([['release', 'F9']]);
        await sleep(800);
        t.equal(await toggles(next) - disabled, 2, 'disable while held: exactly one stop');
        await shell.enableExtension();
        await shell.waitFor(`Main.panel.statusArea[${JSON.stringify(uuid)}] !== undefined`);
        await resetSetting(shell, uuid, KEY);
        await shell.evalJs(`(() => { ${ENTRY}.get_parent().destroy(); delete ${ENTRY}; return true; })()`);
    },
};
