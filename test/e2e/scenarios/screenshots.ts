// SPDX-License-Identifier: GPL-2.0-or-later
// Scenario 7: what a user sees, as pictures: the top bar and the open menu while dictating, in
// the light and the dark shell style. panel-dark.png, menu-dark.png, panel-light.png,
// menu-light.png in $E2E_OUT/gnome-VERSION/ (the full screens beside them as screen-*.png).
import {existsSync} from 'node:fs';
import type {Scenario} from '../driver.js';
import {pngSize} from '../driver.js';
import {closeMenu, openMenu, parkPointer, rectOf, setSystemSetting, waitForUi} from '../ui.js';

// Realistic dictation, with what a UI must escape or lay out with care.
const SEGMENTS = [
    'Let\'s meet at ten tomorrow to go over the quarterly numbers.',
    'The <b>great</b> & "plan" is to ship on Friday.',
    '日本語の文も正しく表示されるはずです。',
    'Ship it 🚀 and tell the team thanks 🎉',
    'Remind me to call Zoë and François about the café menu.',
];

export const screenshots: Scenario = {
    name: 'screenshots',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const sim = await simulator({script: 'none'});
        await shell.hideOverview();
        await waitForUi(shell, uuid, ui => ui.icon === 'swictation-idle-symbolic.svg', 5000);
        await sim.cmd({cmd: 'toggle'});
        for (const text of SEGMENTS)
            await sim.cmd({cmd: 'speak', text});
        await sim.cmd({cmd: 'metrics'});
        await waitForUi(shell, uuid, ui => ui.icon === 'swictation-recording-symbolic.svg', 5000);
        await parkPointer(shell);

        try {
            for (const variant of ['dark', 'light'] as const) {
                await setSystemSetting(shell, 'org.gnome.desktop.interface', 'color-scheme', `prefer-${variant}`);
                const style = await shell.waitFor<string>(`Main.getStyleVariant?.() === ${JSON.stringify(variant)} && Main.getStyleVariant()`, 3000).catch(() => null);
                t.equal(style, variant, `color-scheme prefer-${variant}: the shell switches to its ${variant} style`);
                await closeMenu(shell, uuid);
                await shell.clearNotifications();
                await new Promise(r => setTimeout(r, 300));        // a frame or two with the new style

                const panelH = await shell.evalJs<number>('Main.panel.height');
                await shell.screenshot(`screen-panel-${variant}`);
                const panel = await shell.crop(`screen-panel-${variant}`, `panel-${variant}`, {x: 0, y: 0, h: panelH});
                t.ok(existsSync(panel) && pngSize(panel).height === panelH, `panel-${variant}.png is the top bar`, panel);

                await openMenu(shell, uuid);
                const menu = await waitForUi(shell, uuid, ui => ui.menuOpen && ui.transcript.length === SEGMENTS.length &&
                    /WPM$/.test(ui.info.Speed ?? ''), 3000);
                t.ok(menu.ok, `${variant}: the menu shows the ${SEGMENTS.length} segments and the figures`, menu.ui);
                t.equal(menu.ui.transcript[1], SEGMENTS[1], `${variant}: markup shows literally`);
                await new Promise(r => setTimeout(r, 300));
                const rect = await rectOf(shell, `Main.panel.statusArea[${JSON.stringify(uuid)}].menu.actor`);
                t.ok(rect !== null && rect.w > 100 && rect.h > 100, `${variant}: the menu is on screen`, rect);
                await shell.screenshot(`screen-menu-${variant}`);
                if (rect) {
                    // The menu's actor includes its shadow margin; keep a few pixels around it.
                    const pad = 4;
                    const x = Math.max(0, rect.x - pad), y = Math.max(panelH, rect.y - pad);
                    const file = await shell.crop(`screen-menu-${variant}`, `menu-${variant}`, {x, y, w: rect.w + 2 * pad, h: rect.y + rect.h + pad - y});
                    t.ok(existsSync(file), `menu-${variant}.png is written`, file);
                    console.log(`# screenshots: ${panel}, ${file}`);
                }
                await closeMenu(shell, uuid);
            }
        } finally {
            await shell.evalJs(`new imports.gi.Gio.Settings({schema_id: 'org.gnome.desktop.interface'}).reset('color-scheme'), true`);
        }
        t.equal((await sim.status()).toggleCount, 0, 'taking the pictures sent no toggle');
        await sim.cmd({cmd: 'toggle'});
    },
};
