// SPDX-License-Identifier: GPL-2.0-or-later
// Scenario 2: no daemon at first. The indicator says so (offline icon, "Daemon not running"),
// backs off while the daemon stays away, and goes live as soon as the socket appears: the
// extension watches the socket directory, so the back-off delay does not hold it up.
import {statSync, unlinkSync} from 'node:fs';
import {join} from 'node:path';
import type {Scenario} from '../driver.js';
import {closeMenu, openMenu, snapshot, waitForUi} from '../ui.js';

const OFFLINE = 'swictation-offline-symbolic.svg';
const IDLE = 'swictation-idle-symbolic.svg';

export const noDaemon: Scenario = {
    name: 'noDaemon',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        // Nothing listening: no socket files at all (a crashed simulator leaves stale ones).
        for (const name of ['swictation_metrics.sock', 'swictation.sock']) {
            try {
                unlinkSync(join(session.root, session.runtimeDir, name));
            } catch {
                // not there
            }
        }

        const off = await waitForUi(shell, uuid, ui => ui.icon === OFFLINE && !ui.recordingClass, 5000);
        t.ok(off.ok, 'with no daemon the indicator shows the offline icon', off.ui);
        t.equal(off.ui.label, null, 'no label beside the icon');
        t.ok(off.ui.visible, 'the indicator stays visible (hide-when-not-running is off)');

        await openMenu(shell, uuid);
        // The previous daemon closed the connection; the next attempt finds no socket at all.
        const menu = await waitForUi(shell, uuid, ui => ui.menuOpen && (ui.title ?? '').startsWith('Daemon not running') &&
            ui.connection === 'No socket: the daemon is not running', 3000);
        t.ok((menu.ui.title ?? '').startsWith('Daemon not running'), 'the menu title starts "Daemon not running"', menu.ui.title);
        t.equal(menu.ui.connection, 'No socket: the daemon is not running', 'the connection line says there is no socket');
        t.equal(menu.ui.switchSensitive, false, 'the Dictation switch is insensitive');
        // Let the back-off grow past a few seconds, so that going live quickly proves the
        // directory watch rather than a lucky retry.
        const backoff = await waitForUi(shell, uuid, ui => Number(/reconnecting in (\d+) s/.exec(ui.title ?? '')?.[1] ?? 0) >= 3, 12_000);
        t.ok(backoff.ok, 'the title counts down to the next retry, seconds apart', backoff.ui.title);
        await closeMenu(shell, uuid);

        // Record, inside the shell, when the icon turns live (10 ms resolution, no round trips).
        await shell.evalJs(`(() => {
            const {GLib} = imports.gi;
            const ind = Main.panel.statusArea[${JSON.stringify(uuid)}];
            const all = (a, out = []) => { out.push(a); for (const c of a.get_children()) all(c, out); return out; };
            const icon = all(ind).find(a => a.has_style_class_name?.('system-status-icon'));
            const w = globalThis.swictationE2ELive = {at: null};
            w.source = GLib.timeout_add(GLib.PRIORITY_DEFAULT, 10, () => {
                if (icon.gicon?.get_file?.()?.get_basename?.() !== ${JSON.stringify(IDLE)}) return GLib.SOURCE_CONTINUE;
                w.at = Date.now();
                return GLib.SOURCE_REMOVE;
            });
            return true;
        })()`);
        const sim = await simulator({script: 'none'});
        const socketAt = statSync(join(session.root, session.runtimeDir, 'swictation_metrics.sock')).mtimeMs;
        const liveAt = await shell.waitFor<number>('globalThis.swictationE2ELive.at', 5000, 20).catch(() => null);
        await shell.evalJs(`(() => { const w = globalThis.swictationE2ELive; if (w.at === null) imports.gi.GLib.source_remove(w.source); delete globalThis.swictationE2ELive; return true; })()`);
        const latency = liveAt === null ? null : Math.round(liveAt - socketAt);
        console.log(`# reconnect latency: ${latency} ms from the socket's creation to the idle icon`);
        t.ok(latency !== null && latency < 1000, 'the indicator is live within 1 s of the socket appearing', `${latency} ms`);

        const live = await snapshot(shell, uuid);
        t.equal(live.icon, IDLE, 'the indicator shows the idle icon');
        await openMenu(shell, uuid);
        const idle = await waitForUi(shell, uuid, ui => ui.menuOpen && ui.title === 'Idle', 3000);
        t.equal(idle.ui.title, 'Idle', 'the menu title says "Idle"');
        t.ok((idle.ui.connection ?? '').startsWith('Connected'), 'the connection line says connected', idle.ui.connection);
        t.equal(idle.ui.switchSensitive, true, 'the Dictation switch is sensitive again');
        t.equal(idle.ui.switchOn, false, 'and off');
        await closeMenu(shell, uuid);
        t.equal((await sim.status()).clientCount, 1, 'the extension holds exactly one connection');
    },
};
