// SPDX-License-Identifier: GPL-2.0-or-later
// Issue 11 in the real shell. A daemon that accepts and never sends shows as not responding
// within 6 s; a working daemon that then binds the path is live within 1 s of its socket
// appearing, whatever the connection was doing. Then a 1 MiB line nested a million deep and a
// 1 MiB segment: the shell keeps answering within 100 ms and the menu opens in under 250 ms.
import {statSync, unlinkSync} from 'node:fs';
import {join} from 'node:path';
import type {Scenario} from '../driver.js';
import {closeMenu, cpuStretch, openMenu, waitForUi} from '../ui.js';

const MIB = 1024 * 1024;

export const selfHealing: Scenario = {
    name: 'selfHealing',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const q = JSON.stringify;
        for (const name of ['swictation_metrics.sock', 'swictation.sock']) {
            try {
                unlinkSync(join(session.root, session.runtimeDir, name));
            } catch {
                // not there
            }
        }
        await waitForUi(shell, uuid, ui => ui.icon === 'swictation-offline-symbolic.svg', 5000);
        // Bounds on how long the shell takes are held to its CPU time: on a loaded machine
        // (E2E_STRESS=1) the same work takes several times as long (ui.ts, cpuStretch).
        const k = await cpuStretch(shell);
        console.log(`# the shell's work takes ${k.toFixed(2)}× its CPU time now`);
        await openMenu(shell, uuid);
        // Inside the shell, every 10 ms: when the open menu's title first says the daemon is
        // not responding, and when it then first says "Idle" (live, caught up).
        await shell.evalJs(`(() => {
            const {GLib} = imports.gi;
            const ind = Main.panel.statusArea[${q(uuid)}];
            const all = (a, out = []) => { out.push(a); for (const c of a.get_children()) all(c, out); return out; };
            const w = globalThis.swictationE2EHeal = {staleAt: null, liveAt: null};
            w.source = GLib.timeout_add(GLib.PRIORITY_DEFAULT, 10, () => {
                const title = all(ind.menu.box).find(a => a.has_style_class_name?.('swictation-title'))?.text;
                if (w.staleAt === null && title === 'Daemon not responding') w.staleAt = Date.now();
                if (w.staleAt !== null && w.liveAt === null && title === 'Idle') w.liveAt = Date.now();
                return GLib.SOURCE_CONTINUE;
            });
            return true;
        })()`);
        const sim = await simulator({script: 'none', name: 'hung', args: ['--silent']});
        const stale = await shell.waitFor<number>('globalThis.swictationE2EHeal.staleAt', 12_000, 50).catch(() => null);
        const acceptedAt = (await sim.status()).firstAcceptAt;
        const staleMs = stale !== null && acceptedAt !== null ? stale - acceptedAt : null;
        console.log(`# accepts and never sends: "Daemon not responding" ${staleMs} ms after the connection was accepted`);
        t.ok(staleMs !== null && staleMs <= 5000 + 1000 * k, 'a daemon that accepts and never sends shows as not responding within 6 s', `${staleMs} ms`);

        // A working daemon takes the path over; the hung one keeps its connections open.
        await new Promise(r => setTimeout(r, 1500));
        await sim.cmd({cmd: 'rebind'});
        const socketAt = statSync(join(session.root, session.runtimeDir, 'swictation_metrics.sock')).mtimeMs;
        const live = await shell.waitFor<number>('globalThis.swictationE2EHeal.liveAt', 8000, 50).catch(() => null);
        await shell.evalJs(`(() => { imports.gi.GLib.source_remove(globalThis.swictationE2EHeal.source); delete globalThis.swictationE2EHeal; return true; })()`);
        const liveMs = live === null ? null : Math.round(live - socketAt);
        console.log(`# working daemon at the path: live (menu says Idle) ${liveMs} ms after its socket appeared`);
        t.ok(liveMs !== null && liveMs < 1000 * k, 'a working daemon that binds the path is live within 1 s of its socket appearing', `${liveMs} ms`);

        // Hostile lines while the open menu shows the session and the shell is asked questions.
        // Inside the shell, the longest gap between two runs of a 5 ms timeout is how long the
        // main loop (which answers Eval) was kept from answering; the round trips from here
        // add the bus and this machine's load on top, and are reported beside it.
        await sim.cmd({cmd: 'toggle'});
        await waitForUi(shell, uuid, ui => ui.menuOpen && (ui.title ?? '').startsWith('Recording'), 3000);
        const startGapWatch = `(() => {
            const {GLib} = imports.gi;
            const w = globalThis.swictationE2EGap = {max: 0, last: GLib.get_monotonic_time()};
            w.source = GLib.timeout_add(GLib.PRIORITY_HIGH, 5, () => {
                const now = GLib.get_monotonic_time();
                w.max = Math.max(w.max, (now - w.last) / 1000);
                w.last = now;
                return GLib.SOURCE_CONTINUE;
            });
            return true;
        })()`;
        const stopGapWatch = `(() => { const w = globalThis.swictationE2EGap; imports.gi.GLib.source_remove(w.source);
            delete globalThis.swictationE2EGap; return w.max; })()`;
        await shell.evalJs(startGapWatch);
        await new Promise(r => setTimeout(r, 2000));
        const quietGap = await shell.evalJs<number>(stopGapWatch);

        const rtts: number[] = [];
        let done = false;
        const prober = (async () => {
            while (!done) {
                const t0 = performance.now();
                await shell.evalJs('1');
                rtts.push(performance.now() - t0);
                await new Promise(r => setTimeout(r, 10));
            }
        })();
        await shell.evalJs(startGapWatch);
        await sim.cmd({cmd: 'deep', bytes: MIB - 1});
        const big = `Huge segment start ${'lorem ipsum '.repeat(Math.ceil(MIB / 12))}`.slice(0, MIB - 200);
        await sim.cmd({cmd: 'speak', text: big});
        const huge = await waitForUi(shell, uuid, ui => (ui.transcript.at(-1) ?? '').startsWith('Huge segment start'), 10_000);
        await new Promise(r => setTimeout(r, 500));
        const gap = await shell.evalJs<number>(stopGapWatch);
        done = true;
        await prober;
        const sorted = [...rtts].sort((x, y) => x - y);
        console.log(`# deep 1 MiB line + 1 MiB segment: longest main-loop gap ${gap.toFixed(1)} ms (quiet: ${quietGap.toFixed(1)} ms); ` +
            `${rtts.length} Eval round trips, median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`);
        const shown = huge.ui.transcript.at(-1) ?? '';
        t.ok(huge.ok && shown.length <= 300 && shown.endsWith('…'), 'the 1 MiB segment shows ellipsized, a few hundred characters', shown.length);
        // On a machine so loaded that the shell already waits near 100 ms with nothing arriving,
        // the lines may add at most 50 ms to that (before: JSON.parse alone took 0.7-1.2 s).
        t.ok(gap < 100 * k || gap < quietGap + 50 * k, 'the shell is free to answer Eval within 100 ms throughout (longest main-loop gap)',
            `${gap.toFixed(1)} ms, quiet ${quietGap.toFixed(1)} ms`);

        // Open the menu afresh: its rows are built and laid out, the huge segment among them.
        await closeMenu(shell, uuid);
        await new Promise(r => setTimeout(r, 300));
        const openMs = await shell.evalJs<number>(`(() => {
            const {GLib} = imports.gi;
            const menu = Main.panel.statusArea[${q(uuid)}].menu;
            const t0 = GLib.get_monotonic_time();
            menu.open(false);
            menu.box.get_preferred_height(-1);
            return (GLib.get_monotonic_time() - t0) / 1000;
        })()`);
        const opened = await waitForUi(shell, uuid, ui => ui.menuOpen && (ui.transcript.at(-1) ?? '').startsWith('Huge segment start'), 3000);
        console.log(`# menu open and laid out with the 1 MiB segment: ${openMs.toFixed(1)} ms`);
        t.ok(opened.ok && openMs < 250 * k, 'the menu opens, laid out, in under 250 ms', `${openMs.toFixed(1)} ms`);

        await sim.cmd({cmd: 'speak', text: 'After the huge segment.'});
        const after = await waitForUi(shell, uuid, ui => ui.transcript.at(-1) === 'After the huge segment.', 5000);
        t.ok(after.ok, 'the next segment shows after the deep line and the huge one', after.ui.transcript.slice(-2).map(x => x.slice(0, 60)));
        await closeMenu(shell, uuid);
        t.equal((await shell.extension())?.stateName, 'ACTIVE', 'the extension is still ACTIVE');
        await sim.cmd({cmd: 'toggle'});
    },
};
