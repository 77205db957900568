// SPDX-License-Identifier: GPL-2.0-or-later
// The correction loop as a user goes through it: a segment with a misheard phrase, *Correct…*
// on it in the menu, Preferences opening on Corrections with the segment filled in, the
// misheard words kept and what was meant typed, Save; the simulator (like the daemon) reloads
// corrections.toml and the next segment with that phrase shows corrected in the menu.
// Screenshot: prefs-corrections.png (the Preferences window).
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

import {type Scenario, type Shell, sleep} from '../driver.js';
import {clickActor, closeMenu, openMenu, pointerTo, settingsJs, waitForUi} from '../ui.js';

const PREFS_WINDOW = `global.get_window_actors().map(a => a.meta_window).find(w => (w.get_title() ?? '') === 'Swictation')`;

async function type(shell: Shell, text: string): Promise<void> {
    for (const ch of text) {
        if (ch === ' ')
            await shell.pressKeys(['space']);
        else
            await shell.pressKeys(ch === ch.toLowerCase() ? [ch] : ['Shift_L', ch.toLowerCase()]);
    }
}

export const corrections: Scenario = {
    name: 'corrections',
    timeoutMs: 150_000,
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const configDir = join(session.root, session.sessionDir, 'home/.config/swictation');
        await shell.runInSession(['mkdir', '-p', `${session.sessionDir}/home/.config/swictation`]);
        const sim = await simulator({script: 'none', args: ['--config-dir', configDir]});
        await sim.cmd({cmd: 'toggle'});
        await sim.cmd({cmd: 'speak', text: 'push it to get hub'});

        // The virtual pointer is made before the menu opens: on 51 a new pointer device closes an
        // open menu. The keyboard is made before the window opens, so the window sees it arrive.
        await pointerTo(shell, 640, 700);
        await shell.pressKeys(['Shift_L']);
        await openMenu(shell, uuid);
        // The System rows come with the daemon's next metrics and push the transcript down.
        const seen = await waitForUi(shell, uuid, ui => ui.menuOpen && ui.transcript.includes('push it to get hub') && 'CPU' in ui.info);
        t.ok(seen.ok, 'the misheard segment is in the menu', seen.ui);
        const correctButton = `(() => {
            const all = (a, out = []) => { out.push(a); for (const c of a.get_children()) all(c, out); return out; };
            return all(Main.panel.statusArea[${JSON.stringify(uuid)}].menu.box).find(a => a.has_style_class_name?.('swictation-segment-correct')) ?? null;
        })()`;
        t.equal(await shell.evalJs(`${correctButton}?.accessible_name ?? null`), 'Correct…', 'each segment offers Correct…');
        await clickActor(shell, correctButton);

        const opened = await shell.waitFor<boolean>(`(() => { const w = ${PREFS_WINDOW}; return !!w && w.get_frame_rect().width > 0; })()`, 45_000);
        t.ok(opened, 'Correct… opens the preferences window');
        t.equal(await shell.evalJs(`Main.panel.statusArea[${JSON.stringify(uuid)}].menu.isOpen`), false, 'and closes the menu');
        const taken = await shell.waitFor<boolean>(`${settingsJs(uuid)}.get_string('correction-draft') === ''`, 10_000);
        t.ok(taken, 'the preferences took the segment (the hand-over setting is empty again)');
        await sleep(1500);
        // Key presses go to the focused window. GNOME 51 can show the overview as the new window
        // maps, and the overview keeps the keys while it shows.
        await shell.evalJs(`Main.overview.hide(), true`);
        await shell.waitFor<boolean>(`!Main.overview.visible && !Main.overview.animationInProgress`, 5000);
        await shell.evalJs(`global.stage.set_key_focus(null), ${PREFS_WINDOW}.activate(global.display.get_current_time_roundtrip()), true`);
        const focused = await shell.waitFor<boolean>(`global.display.focus_window?.get_title() === 'Swictation'`, 5000);
        t.ok(focused, 'the preferences window has the keyboard focus');
        await sleep(500);

        // The Heard entry has the focus and the whole segment: keep only "get hub", Enter, then what was meant.
        await shell.pressKeys(['Home']);
        for (let i = 0; i < 3; i++)
            await shell.pressKeys(['Control_L', 'Shift_L', 'Right']);
        await shell.pressKeys(['Delete']);
        await shell.pressKeys(['Return']);
        await type(shell, 'GitHub');
        await shell.pressKeys(['Return']);

        const file = join(configDir, 'corrections.toml');
        for (let i = 0; i < 50 && !existsSync(file); i++)
            await sleep(200);
        t.ok(existsSync(file), 'Save wrote corrections.toml');
        const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
        t.ok(/^original = "get hub"$/m.test(text) && /^corrected = "GitHub"$/m.test(text) && /^mode = "all"$/m.test(text),
            'the correction learned from the prefilled segment: "get hub" → "GitHub", mode all', text);
        await sleep(800);
        await shell.clearNotifications();
        const rect = await shell.evalJs<{x: number; y: number; width: number; height: number}>(`(() => {
            const r = ${PREFS_WINDOW}.get_frame_rect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; })()`);
        await shell.screenshot('screen-prefs-corrections');
        await shell.crop('screen-prefs-corrections', 'prefs-corrections', {x: rect.x, y: rect.y, w: rect.width, h: rect.height});
        await shell.evalJs(`${PREFS_WINDOW}?.delete(global.get_current_time())`);

        await sim.cmd({cmd: 'speak', text: 'now push it to Get hub'});
        await openMenu(shell, uuid);
        const corrected = await waitForUi(shell, uuid, ui => ui.menuOpen && ui.transcript.includes('now push it to GitHub'));
        t.ok(corrected.ok, 'the next segment with that phrase shows corrected in the menu', corrected.ui.transcript);
        await closeMenu(shell, uuid);
        await sim.cmd({cmd: 'toggle'});
    },
};
