// SPDX-License-Identifier: GPL-2.0-or-later
// The views' life: rebuilt with the menu open, torn down with the menu open, the transcript in
// the state's order and still under a reader who scrolled up, nothing hidden reaching a screen
// reader, and a shortcut name of our own.
import {logProblems, sleep, type Scenario, type Simulator} from '../driver.js';
import {closeMenu, openMenu, resetSetting, setSetting, settingsJs, snapshot, waitForUi, type UiSnapshot} from '../ui.js';

const RECORDING = 'swictation-recording-symbolic.svg';
const isRecording = (ui: UiSnapshot) => ui.icon === RECORDING && ui.label !== null;
const q = JSON.stringify;

/** Seconds in an elapsed label ("1:05" -> 65). */
const seconds = (label: string | null) => (label ?? '').split(':').reduce((s, part) => s * 60 + Number(part), 0);

// The panel can still show the previous scenario's recording: wait until the extension holds a
// connection to this scenario's daemon, so that what shows next is this daemon's session.
async function connectedTo(sim: Simulator): Promise<void> {
    for (let i = 0; i < 100 && (await sim.status()).clientCount < 1; i++)
        await sleep(50);
}

export const menuRebuild: Scenario = {
    name: 'menuRebuild',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const sim = await simulator({script: 'none'});
        await connectedTo(sim);
        await sim.cmd({cmd: 'toggle'});
        await sim.cmd({cmd: 'speak', text: 'Said before the move.'});
        t.ok((await waitForUi(shell, uuid, isRecording, 5000)).ok, 'recording shows');
        try {
            for (const [key, value] of [['panel-box', 'left'], ['placement', 'both'], ['panel-box', 'right'], ['placement', 'panel']] as const) {
                await openMenu(shell, uuid);
                await shell.waitFor(`Main.panel.statusArea[${q(uuid)}]?.menu.isOpen`, 3000);
                await setSetting(shell, uuid, key, value);
                await shell.waitFor(`Main.panel.statusArea[${q(uuid)}] !== undefined`, 3000);
                await openMenu(shell, uuid);
                const again = await waitForUi(shell, uuid, ui => ui.menuOpen && ui.transcript.includes('Said before the move.'), 3000);
                t.ok(again.ok, `${key} → ${value} with the menu open: opened again, the menu shows the transcript`, again.ui.transcript);
                const first = again.ui.label;
                await sleep(2200);
                const later = await snapshot(shell, uuid);
                t.ok(seconds(later.label) > seconds(first), `and the elapsed time ticks (${first} → ${later.label})`);
                await closeMenu(shell, uuid);
            }
        } finally {
            await resetSetting(shell, uuid, 'panel-box');
            await resetSetting(shell, uuid, 'placement');
        }
    },
};

/** Records the title of every notification any source shows from now on (GNOME 46+ sources). */
async function watchNotifications(shell: Parameters<Scenario['run']>[0]['shell']): Promise<void> {
    await shell.evalJs(`(() => {
        const seen = globalThis.swictationE2ESeen = [];
        // Ours only: the shell's own (the test helper's "unsafe mode" one) may come and go.
        const watch = s => s.connect('notification-added', (_s, n) => { if (s.title === 'Swictation') seen.push(String(n.title)); });
        Main.messageTray.getSources().forEach(watch);
        globalThis.swictationE2ETray = Main.messageTray.connect('source-added', (_t, s) => watch(s));
        return true;
    })()`);
}

async function seenNotifications(shell: Parameters<Scenario['run']>[0]['shell']): Promise<string[]> {
    return shell.evalJs<string[]>(`(() => {
        Main.messageTray.disconnect(globalThis.swictationE2ETray);
        return globalThis.swictationE2ESeen;
    })()`);
}

export const teardown: Scenario = {
    name: 'teardown',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const sim = await simulator({script: 'none'});
        await connectedTo(sim);
        await sim.cmd({cmd: 'toggle'});
        await sim.cmd({cmd: 'speak', text: 'Open while it goes.'});
        t.ok((await waitForUi(shell, uuid, isRecording, 5000)).ok, 'recording shows');
        for (const placement of ['panel', 'both']) {
            await setSetting(shell, uuid, 'placement', placement);
            await openMenu(shell, uuid);
            await shell.waitFor(`Main.panel.statusArea[${q(uuid)}]?.menu.isOpen`, 3000);
            const mark = shell.log().lines;
            await watchNotifications(shell);
            await shell.disableExtension();
            await sleep(500);
            const seen = await seenNotifications(shell);
            t.ok(seen.length === 0, `disable() with the menu open (placement ${placement}) posts no notification`, seen);
            const problems = logProblems(shell.log().text, [], mark);
            t.ok(problems.length === 0, 'and nothing in the shell log: no JS ERROR, JS WARNING or CRITICAL at all', problems.map(p => p.text).join('\n'));
            t.ok(await shell.evalJs(`Main.panel.statusArea[${q(uuid)}] === undefined`), 'the indicator is gone');
            await shell.enableExtension();
            t.ok((await waitForUi(shell, uuid, isRecording, 5000)).ok, 'enabled again: recording shows');
        }
        // As on a loaded machine: no frame between the menu opening (and being measured) and
        // disable(), so Clutter still has relayouts of the menu queued when it goes.
        const mark = shell.log().lines;
        await shell.evalJs(`(() => {
            const menu = Main.panel.statusArea[${q(uuid)}].menu;
            menu.open(false);
            menu.actor.get_preferred_size();
            menu.actor.queue_relayout();
            Main.extensionManager.disableExtension(${q(uuid)});
            return true;
        })()`);
        await sleep(500);
        const problems = logProblems(shell.log().text, [], mark);
        t.ok(problems.length === 0, 'disable() before the opened menu was ever laid out: nothing in the shell log', problems.map(p => p.text).join('\n'));
        await shell.enableExtension();
        t.ok((await waitForUi(shell, uuid, isRecording, 5000)).ok, 'enabled again: recording shows');
        await resetSetting(shell, uuid, 'placement');
    },
};

export const daemonKilled: Scenario = {
    name: 'daemonKilled',
    timeoutMs: 150_000,
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const cases = [
            {what: 'SIGKILL while recording', restart: false, staleFirst: false},
            {what: 'SIGKILL while recording, a new daemon within 250 ms', restart: true, staleFirst: false},
            {what: 'hung (stale) while recording, then SIGKILL', restart: false, staleFirst: true},
        ];
        let n = 0;
        for (const c of cases) {
            await shell.clearNotifications();
            const sim = await simulator({script: 'none', name: `killed-${n++}`});
            await sim.cmd({cmd: 'toggle'});
            t.ok((await waitForUi(shell, uuid, isRecording, 5000)).ok, `${c.what}: recording shows`);
            await sleep(1200);   // a metrics report: silence now means stale
            // Counted from here: a hung daemon may be given up on (and told) before it dies.
            await watchNotifications(shell);
            if (c.staleFirst) {
                sim.signal('SIGSTOP');
                const stale = await waitForUi(shell, uuid, ui => ui.icon === 'swictation-offline-symbolic.svg', 12_000);
                t.ok(stale.ok, `${c.what}: the silent daemon shows as not responding`, stale.ui.icon);
            }
            const standby = c.restart ? await simulator({script: 'none', name: `standby-${n}`, standbyFor: sim}) : null;
            await sleep(300);
            sim.signal('SIGKILL');
            if (standby)
                await standby.ready();
            await sleep(3000);
            const seen = await seenNotifications(shell);
            t.ok(seen.filter(x => x === 'Dictation interrupted').length === 1, `${c.what}: exactly one "Dictation interrupted" notification`, seen);
            await standby?.stop();
        }
    },
};

export const privacy: Scenario = {
    name: 'privacy',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const sim = await simulator({script: 'none'});
        await sim.cmd({cmd: 'toggle'});
        await sim.cmd({cmd: 'speak', text: 'Zanzibar quokka manifesto.'});
        await openMenu(shell, uuid);
        t.ok((await waitForUi(shell, uuid, ui => ui.transcript.includes('Zanzibar quokka manifesto.'), 5000)).ok, 'the words show');
        try {
            await setSetting(shell, uuid, 'hide-transcript', true);
            await sim.cmd({cmd: 'speak', text: 'Quokka second secret.'});
            const hidden = await waitForUi(shell, uuid, ui => ui.transcript.length >= 2 && ui.transcript.every(x => /words|hidden/.test(x)), 5000);
            t.ok(hidden.ok, 'Hide transcript text: rows show counts only', hidden.ui.transcript);
            const names = await shell.evalJs<string[]>(`(() => {
                const all = (a, out = []) => { out.push(a); for (const c of a.get_children()) all(c, out); return out; };
                const ind = Main.panel.statusArea[${q(uuid)}];
                const names = a => {
                    const out = [a.accessible_name];
                    try { out.push(a.get_accessible?.()?.accessible_name); } catch { /* no Atk here */ }
                    return out;
                };
                return [...all(ind), ...all(ind.menu.actor ?? ind.menu.box)].flatMap(names).filter(Boolean).map(String);
            })()`);
            const leaks = names.filter(x => /zanzibar|quokka|manifesto|secret/i.test(x));
            t.ok(names.length > 0 && leaks.length === 0, 'no dictated word in any accessible name of the panel or the menu', {leaks});
        } finally {
            await closeMenu(shell, uuid);
            await resetSetting(shell, uuid, 'hide-transcript');
        }
    },
};

export const transcriptOrder: Scenario = {
    name: 'transcriptOrder',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const sim = await simulator({script: 'none'});
        await sim.cmd({cmd: 'toggle'});
        // Only a client the daemon holds gets the segments below live, not in its catch-up.
        await connectedTo(sim);
        t.ok((await waitForUi(shell, uuid, isRecording, 5000)).ok, 'recording shows (connected)');
        await sim.cmd({cmd: 'speak', text: 'Alpha.'});
        await sim.cmd({cmd: 'speak', text: 'Bravo.', deliver: false});   // a broadcast we missed
        await sim.cmd({cmd: 'speak', text: 'Charlie.'});
        await openMenu(shell, uuid);
        // (Held segments of an earlier simulator with the same session id may come first.)
        const before = await waitForUi(shell, uuid, ui => ui.transcript.slice(-2).join(' ') === 'Alpha. Charlie.', 5000);
        t.ok(before.ok, 'the menu shows what was received', before.ui.transcript);
        // Reconnect now: the catch-up brings the missed segment, between the two shown.
        await shell.evalJs(`(() => {
            const all = (a, out = []) => { out.push(a); for (const c of a.get_children()) all(c, out); return out; };
            const item = all(Main.panel.statusArea[${q(uuid)}].menu.box).find(a => a.label?.text === 'Reconnect now');
            item.activate(imports.gi.Clutter.get_current_event());
            return true;
        })()`);
        await openMenu(shell, uuid);
        const after = await waitForUi(shell, uuid, ui => ui.transcript.length === 3, 5000);
        t.equal(after.ui.transcript.join(' '), 'Alpha. Bravo. Charlie.', 'after the catch-up the screen shows the state\'s order');
        await closeMenu(shell, uuid);
    },
};

// The first transcript row at the top of the visible part of the open menu's transcript.
const topRowJs = (uuid: string, scrollTo: string | null = null) => `(() => {
    const all = (a, out = []) => { out.push(a); for (const c of a.get_children()) all(c, out); return out; };
    const view = all(Main.panel.statusArea[${q(uuid)}].menu.box).find(a => a.has_style_class_name?.('swictation-transcript'));
    const adjustment = view.get_vadjustment();
    const lines = view.get_child().get_children().filter(a => a.has_style_class_name('swictation-segment-line'));
    const text = line => all(line).find(a => a.has_style_class_name?.('swictation-segment-text')).text;
    ${scrollTo === null ? '' : `adjustment.value = lines.find(l => text(l) === ${q(scrollTo)}).y;`}
    const top = lines.find(l => l.y + l.height > adjustment.value + 1);
    return {top: top ? text(top) : null, atBottom: adjustment.value >= adjustment.upper - adjustment.page_size - 4};
})()`;

export const transcriptScrolledUp: Scenario = {
    name: 'transcriptScrolledUp',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        await setSetting(shell, uuid, 'transcript-length', 20);
        try {
            const sim = await simulator({script: 'none'});
            await sim.cmd({cmd: 'toggle'});
            t.ok((await waitForUi(shell, uuid, isRecording, 5000)).ok, 'recording shows');
            for (let i = 1; i <= 20; i++)
                await sim.cmd({cmd: 'speak', text: `Row ${i}.`});
            await openMenu(shell, uuid);
            const full = await waitForUi(shell, uuid, ui => ui.transcript.length === 20 && ui.transcript[19] === 'Row 20.', 5000);
            t.ok(full.ok, 'the menu shows 20 rows', full.ui.transcript);
            await sleep(300);
            type Top = {top: string | null; atBottom: boolean};
            const scrolled = await shell.evalJs<Top>(topRowJs(uuid, 'Row 8.'));
            t.equal(scrolled.top, 'Row 8.', 'scrolled up to Row 8');
            await sim.cmd({cmd: 'speak', text: 'Row 21.'});
            await sim.cmd({cmd: 'speak', text: 'Row 22.'});
            const moved = await waitForUi(shell, uuid, ui => ui.transcript[0] === 'Row 3.' && ui.transcript[19] === 'Row 22.', 5000);
            t.ok(moved.ok, 'two new rows, the two oldest gone', moved.ui.transcript);
            await sleep(300);
            const after = await shell.evalJs<Top>(topRowJs(uuid));
            t.equal(after.top, 'Row 8.', 'a reader scrolled up keeps reading Row 8 as rows come and go');
            await shell.evalJs(topRowJs(uuid, 'Row 22.'));
            await sleep(300);
            await sim.cmd({cmd: 'speak', text: 'Row 23.'});
            await waitForUi(shell, uuid, ui => ui.transcript[19] === 'Row 23.', 5000);
            await sleep(300);
            t.ok((await shell.evalJs<Top>(topRowJs(uuid))).atBottom, 'scrolled back down, the transcript follows new rows again');
        } finally {
            await closeMenu(shell, uuid);
            await resetSetting(shell, uuid, 'transcript-length');
        }
    },
};

export const shortcutName: Scenario = {
    name: 'shortcutName',
    async run({shell, t, session}) {
        const uuid = session.uuid;
        // Another extension registered the old, shared name first.
        await shell.disableExtension();
        await shell.evalJs(`(() => {
            const {Meta, Shell} = imports.gi;
            globalThis.swictationE2EOther = 0;
            return Main.wm.addKeybinding('toggle-shortcut', ${settingsJs(uuid)}, Meta.KeyBindingFlags.NONE,
                Shell.ActionMode.NORMAL, () => globalThis.swictationE2EOther++) !== Meta.KeyBindingAction.NONE;
        })()`);
        // A user who had changed the shortcut under the old key keeps it.
        await setSetting(shell, uuid, 'toggle-shortcut', ['<Super><Shift>F8']);
        await shell.enableExtension();
        await shell.waitFor(`Main.panel.statusArea[${q(uuid)}] !== undefined`, 5000);
        t.ok(await shell.evalJs(`Main.wm._allowedKeybindings?.['swictation-toggle'] !== undefined`), 'ours is registered under its own name');
        t.equal(JSON.stringify(await shell.evalJs(`${settingsJs(uuid)}.get_strv('swictation-toggle')`)), '["<Super><Shift>F8"]',
            'the old key\'s shortcut moved to the new key');
        await shell.disableExtension();
        const theirs = await shell.evalJs<boolean>(`Main.wm._allowedKeybindings?.['toggle-shortcut'] !== undefined`);
        t.ok(theirs, 'disabling ours leaves the other extension\'s binding alone');
        await shell.evalJs(`Main.wm.removeKeybinding('toggle-shortcut'), true`);
        await resetSetting(shell, uuid, 'swictation-toggle');
        await resetSetting(shell, uuid, 'toggle-shortcut');
        await shell.enableExtension();
        await shell.waitFor(`Main.panel.statusArea[${q(uuid)}] !== undefined`, 5000);
    },
};
