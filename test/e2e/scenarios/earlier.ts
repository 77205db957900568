// SPDX-License-Identifier: GPL-2.0-or-later
// Issue 16, as a user meets it: three sessions dictated, the Earlier submenu lists the two
// that were replaced with their word counts, and activating one puts exactly its text on the
// clipboard; the copy shortcut (set in the settings, pressed on a virtual keyboard) copies the
// running session and says so in an OSD; with sound cues on, each start and stop plays one
// theme sound (the compositor's sound player is wrapped from here: no audio device needed).
import type {Report, Scenario, Shell, Simulator} from '../driver.js';
import {clipboard, closeMenu, openMenu, parkPointer, rectOf, resetSetting, setClipboard, setSetting, waitForUi} from '../ui.js';

const q = JSON.stringify;

const SESSIONS = [
    ['Dear team,', 'the release moves to Friday.'],          // 2 + 5 = 7 words
    ['Buy milk and bread.'],                                 // 4 words
    ['Third session text.', 'Still the third one.'],          // 3 + 4 = 7 words
];
const RUNNING = ['A fourth session, still recording now.'];   // 6 words
const COPY_KEYS = ['Control_L', 'Super_L', 'c'];

const earlierJs = (uuid: string) => `(() => {
    const all = (actor, out = []) => { out.push(actor); for (const c of actor.get_children()) all(c, out); return out; };
    const box = Main.panel.statusArea[${q(uuid)}].menu.box;
    return all(box).find(a => a.has_style_class_name?.('swictation-earlier')) ?? null;
})()`;

const rowsJs = (uuid: string) => `(() => {
    const item = ${earlierJs(uuid)};
    if (!item) return null;
    return item.menu._getMenuItems().filter(i => i.has_style_class_name('swictation-earlier-row'))
        .map(i => ({text: i.label.text, sensitive: i.sensitive}));
})()`;

async function soundCalls(shell: Shell): Promise<string[]> {
    return shell.evalJs<string[]>('globalThis.swictationE2ESounds.calls.map(c => c.id)');
}

async function dictate(shell: Shell, uuid: string, sim: Simulator, texts: string[], t: Report, n: number): Promise<void> {
    const before = (await soundCalls(shell)).length;
    await sim.cmd({cmd: 'toggle'});
    const rec = await waitForUi(shell, uuid, ui => ui.recordingClass, 3000);
    t.ok(rec.ok, `session ${n}: recording`);
    for (const text of texts)
        await sim.cmd({cmd: 'speak', text});
    await sim.cmd({cmd: 'metrics'});
    await sim.cmd({cmd: 'toggle'});
    const idle = await waitForUi(shell, uuid, ui => !ui.recordingClass, 3000);
    t.ok(idle.ok, `session ${n}: idle again`);
    await new Promise(r => setTimeout(r, 300));
    const calls = (await soundCalls(shell)).slice(before);
    t.equal(calls.join(','), 'device-added,device-removed', `session ${n}: one theme sound at the start and one at the stop`);
}

export const earlier: Scenario = {
    name: 'earlier',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        await shell.hideOverview();
        // Start from a fresh login's history: what earlier scenarios dictated goes with disable().
        await shell.disableExtension();
        await shell.enableExtension();
        // Wrap the compositor's sound player: record what the extension asks it to play.
        await shell.evalJs(`(() => {
            const player = global.display.get_sound_player();
            const holder = globalThis.swictationE2ESounds = {calls: [], player, original: player.play_from_theme};
            player.play_from_theme = (id, description) => { holder.calls.push({id, description}); };
            return true;
        })()`);
        await setSetting(shell, uuid, 'sound-cues', true);
        await setSetting(shell, uuid, 'swictation-copy', ['<Control><Super>c']);
        try {
            const sim = await simulator({script: 'none'});
            t.ok((await waitForUi(shell, uuid, ui => ui.icon === 'swictation-idle-symbolic.svg', 5000)).ok, 'live');
            // The icon is the idle one from the moment of connecting; the daemon's state is known
            // (and a start is a start, not a reconnect finding it recording) once its catch-up said so.
            await openMenu(shell, uuid);
            t.ok((await waitForUi(shell, uuid, ui => ui.title === 'Idle', 5000)).ok, 'the catch-up says idle');
            await closeMenu(shell, uuid);
            for (const [i, texts] of SESSIONS.entries())
                await dictate(shell, uuid, sim, texts, t, i + 1);

            // Words dictated today beside the icon, idle or not: 7 + 4 + 7.
            await setSetting(shell, uuid, 'panel-label', 'today');
            const today = await waitForUi(shell, uuid, ui => ui.label === '18', 3000);
            t.ok(today.ok, 'the "words dictated today" label shows 18 while idle', today.ui.label);
            await resetSetting(shell, uuid, 'panel-label');

            await openMenu(shell, uuid);
            await waitForUi(shell, uuid, ui => ui.menuOpen, 2000);
            const rows = await shell.waitFor<{text: string; sensitive: boolean}[]>(`(() => { const r = ${rowsJs(uuid)}; return r && r.length === 2 && r; })()`, 3000)
                .catch(() => null);
            t.ok(rows !== null, 'Earlier lists two sessions (the third is on screen, the empty one is not listed)', rows);
            if (rows) {
                t.ok(/^.+ · .+ · 4 words$/.test(rows[0].text), 'the newest earlier session first, with its 4 words', rows[0].text);
                t.ok(/ · 7 words$/.test(rows[1].text), 'then the first session with its 7 words', rows[1].text);
            }
            // The menu is as tall as the 800 px screen allows; with one transcript segment the
            // submenu's two rows fit without scrolling for the picture.
            await setSetting(shell, uuid, 'transcript-length', 1);
            await waitForUi(shell, uuid, ui => ui.transcript.length === 1, 2000);
            await shell.evalJs(`${earlierJs(uuid)}.setSubmenuShown(true), true`);
            await new Promise(r => setTimeout(r, 400));
            await parkPointer(shell);
            const rect = await rectOf(shell, `Main.panel.statusArea[${q(uuid)}].menu.actor`);
            await shell.screenshot('screen-earlier');
            if (rect) {
                const panelH = await shell.evalJs<number>('Main.panel.height');
                const pad = 4;
                const x = Math.max(0, rect.x - pad), y = Math.max(panelH, rect.y - pad);
                await shell.crop('screen-earlier', 'earlier', {x, y, w: rect.w + 2 * pad, h: rect.y + rect.h + pad - y});
            }

            await resetSetting(shell, uuid, 'transcript-length');

            // Activating the older row copies exactly that session's text.
            await setClipboard(shell, 'untouched');
            await shell.evalJs(`(() => {
                const item = ${earlierJs(uuid)};
                const rows = item.menu._getMenuItems().filter(i => i.has_style_class_name('swictation-earlier-row'));
                rows[1].activate(imports.gi.Clutter.get_current_event());
                return true;
            })()`);
            t.equal(await clipboard(shell), SESSIONS[0].join('\n'), 'activating the first session\'s row puts exactly its text on the clipboard');
            await closeMenu(shell, uuid);

            // Hide transcript text: rows stay (counts only) but copy nothing.
            await setSetting(shell, uuid, 'hide-transcript', true);
            await openMenu(shell, uuid);
            const hidden = await shell.waitFor<{text: string; sensitive: boolean}[]>(`(() => { const r = ${rowsJs(uuid)}; return r && r.length === 2 && r.every(x => !x.sensitive) && r; })()`, 3000).catch(() => null);
            t.ok(hidden !== null && !hidden.some(r => r.text.includes('milk')), 'with the text hidden the rows show counts and cannot be activated', hidden);
            await closeMenu(shell, uuid);
            await setClipboard(shell, 'untouched');
            await shell.pressKeys(COPY_KEYS);
            await new Promise(r => setTimeout(r, 400));
            t.equal(await clipboard(shell), 'untouched', 'with the text hidden the copy shortcut copies nothing');
            await resetSetting(shell, uuid, 'hide-transcript');

            // The copy shortcut while a session runs: its text, and the OSD says how much.
            await sim.cmd({cmd: 'toggle'});
            await waitForUi(shell, uuid, ui => ui.recordingClass, 3000);
            for (const text of RUNNING)
                await sim.cmd({cmd: 'speak', text});
            await new Promise(r => setTimeout(r, 300));
            await shell.evalJs('Main.osdWindowManager.hideAll?.(); true');
            await shell.pressKeys(COPY_KEYS);
            t.equal(await shell.waitFor<string>(`(() => { const w = Main.osdWindowManager._osdWindows.find(w => w && w.visible); return w ? w._label.text : ''; })()`, 3000).catch(() => null),
                'Copied 6 words', 'the copy shortcut shows the OSD "Copied 6 words"');
            t.equal(await clipboard(shell), RUNNING.join('\n'), 'the copy shortcut puts the running session\'s text on the clipboard');
            await shell.screenshot('screen-copy-osd');
            const osd = await rectOf(shell, 'Main.osdWindowManager._osdWindows.find(w => w && w.visible)');
            if (osd) {
                const pad = 24;
                await shell.crop('screen-copy-osd', 'copy-osd', {x: Math.max(0, osd.x - pad), y: Math.max(0, osd.y - pad), w: osd.w + 2 * pad, h: osd.h + 2 * pad});
            }
            // Copy on session end: the stop puts the whole session on the clipboard by itself.
            await setSetting(shell, uuid, 'copy-on-session-end', true);
            await setClipboard(shell, 'untouched');
            await sim.cmd({cmd: 'toggle'});
            await waitForUi(shell, uuid, ui => !ui.recordingClass, 3000);
            await new Promise(r => setTimeout(r, 1500));
            t.equal(await clipboard(shell), RUNNING.join('\n'), 'with copy on session end, stopping copies the session');

            // Clear empties the submenu.
            await openMenu(shell, uuid);
            await shell.evalJs(`(() => {
                const item = ${earlierJs(uuid)};
                item.menu._getMenuItems().find(i => i.has_style_class_name('swictation-earlier-clear')).activate(imports.gi.Clutter.get_current_event());
                return true;
            })()`);
            await openMenu(shell, uuid);
            t.equal(await shell.waitFor<number>(`(${rowsJs(uuid)}).length === 0 && -1`, 2000).catch(() => null), -1, 'Clear empties Earlier');
            await closeMenu(shell, uuid);

            // Event sounds off in the user's settings: no cue, whatever the extension's setting.
            await shell.evalJs(`new imports.gi.Gio.Settings({schema_id: 'org.gnome.desktop.sound'}).set_boolean('event-sounds', false)`);
            const before = (await soundCalls(shell)).length;
            await sim.cmd({cmd: 'toggle'});
            await waitForUi(shell, uuid, ui => ui.recordingClass, 3000);
            await sim.cmd({cmd: 'toggle'});
            await waitForUi(shell, uuid, ui => !ui.recordingClass, 3000);
            await new Promise(r => setTimeout(r, 300));
            t.equal((await soundCalls(shell)).length, before, 'with event sounds off, toggling plays nothing');
            await shell.evalJs(`new imports.gi.Gio.Settings({schema_id: 'org.gnome.desktop.sound'}).reset('event-sounds'), true`);
            // Do Not Disturb: the same.
            await shell.evalJs(`new imports.gi.Gio.Settings({schema_id: 'org.gnome.desktop.notifications'}).set_boolean('show-banners', false)`);
            await sim.cmd({cmd: 'toggle'});
            await waitForUi(shell, uuid, ui => ui.recordingClass, 3000);
            await sim.cmd({cmd: 'toggle'});
            await waitForUi(shell, uuid, ui => !ui.recordingClass, 3000);
            await new Promise(r => setTimeout(r, 300));
            t.equal((await soundCalls(shell)).length, before, 'in Do Not Disturb, toggling plays nothing');
            await shell.evalJs(`new imports.gi.Gio.Settings({schema_id: 'org.gnome.desktop.notifications'}).reset('show-banners'), true`);
            await sim.cmd({cmd: 'toggle'});
            await waitForUi(shell, uuid, ui => ui.recordingClass, 3000);
            await new Promise(r => setTimeout(r, 300));
            t.equal((await soundCalls(shell)).slice(before).join(','), 'device-added', 'with both back on, the start sounds again');
            await sim.cmd({cmd: 'toggle'});
            await waitForUi(shell, uuid, ui => !ui.recordingClass, 3000);

            // disable(), which the shell calls when the screen locks, drops the earlier sessions.
            await sim.cmd({cmd: 'toggle'});
            await waitForUi(shell, uuid, ui => ui.recordingClass, 3000);
            await sim.cmd({cmd: 'speak', text: 'Kept until the lock.'});
            await sim.cmd({cmd: 'toggle'});
            await waitForUi(shell, uuid, ui => !ui.recordingClass, 3000);
            await sim.cmd({cmd: 'toggle'});
            await waitForUi(shell, uuid, ui => ui.recordingClass, 3000);
            await sim.cmd({cmd: 'toggle'});
            await waitForUi(shell, uuid, ui => !ui.recordingClass, 3000);
            await openMenu(shell, uuid);
            // The running session that was on screen at Clear, and this one.
            t.equal(await shell.waitFor<number>(`(${rowsJs(uuid)}).length`, 2000).catch(() => null), 2, 'the sessions with text since Clear are listed');
            await closeMenu(shell, uuid);
            await shell.disableExtension();
            await shell.enableExtension();
            t.ok((await waitForUi(shell, uuid, ui => ui.icon === 'swictation-idle-symbolic.svg', 5000)).ok, 'enabled again, live');
            await openMenu(shell, uuid);
            t.equal(await shell.waitFor<number>(`(${rowsJs(uuid)}).length === 0 && -1`, 2000).catch(() => null), -1,
                'after disable() and enable() Earlier is empty');
            await closeMenu(shell, uuid);
        } finally {
            await shell.evalJs(`(() => {
                const h = globalThis.swictationE2ESounds;
                if (h) delete h.player.play_from_theme;
                const {Gio} = imports.gi;
                new Gio.Settings({schema_id: 'org.gnome.desktop.sound'}).reset('event-sounds');
                new Gio.Settings({schema_id: 'org.gnome.desktop.notifications'}).reset('show-banners');
                return true;
            })()`);
            for (const key of ['sound-cues', 'swictation-copy', 'hide-transcript', 'panel-label', 'transcript-length', 'copy-on-session-end'])
                await resetSetting(shell, uuid, key);
        }
    },
};
