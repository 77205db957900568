// SPDX-License-Identifier: GPL-2.0-or-later
// Scenario 5: a hostile stream. Malformed lines, events of unknown types, a 2 MiB line and a
// burst of 5,000 events in one write: the extension stays active, logs no errors, shows the
// last of the burst, and the shell keeps answering while it drains.
import type {Scenario} from '../driver.js';
import {closeMenu, cpuStretch, openMenu, waitForUi} from '../ui.js';

const BURST = 5000;

export const hostile: Scenario = {
    name: 'hostile',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const logStart = shell.log().lines;
        const sim = await simulator({script: 'none'});
        await waitForUi(shell, uuid, ui => ui.icon === 'swictation-idle-symbolic.svg', 5000);
        await sim.cmd({cmd: 'toggle'});
        await openMenu(shell, uuid);
        // Wait for the menu to show the session; it must not send anything by being open (see toggles).
        await waitForUi(shell, uuid, ui => ui.menuOpen && (ui.title ?? '').startsWith('Recording'), 3000);

        await sim.cmd({cmd: 'garbage'});
        await sim.cmd({cmd: 'unknown'});
        await sim.cmd({cmd: 'huge'});
        await sim.cmd({cmd: 'speak', text: 'Still here after the garbage.'});
        const after = await waitForUi(shell, uuid, ui => ui.transcript.at(-1) === 'Still here after the garbage.', 5000);
        t.ok(after.ok, 'after garbage, an unknown event and a 2 MiB line, the next segment shows', after.ui.transcript.slice(-3));
        t.ok((after.ui.connection ?? '').startsWith('Connected'), 'still connected (the stream was not dropped)', after.ui.connection);
        t.equal((await shell.extension())?.stateName, 'ACTIVE', 'the extension is still ACTIVE');

        // 5,000 transcriptions and a metrics_update in one write, while the shell is asked
        // questions: every Eval round trip is timed.
        // Inside the shell, note every distinct last row the open menu shows while the burst drains.
        await shell.evalJs(`(() => {
            const {GLib} = imports.gi;
            const ind = Main.panel.statusArea[${JSON.stringify(uuid)}];
            const all = (a, out = []) => { out.push(a); for (const c of a.get_children()) all(c, out); return out; };
            const w = globalThis.swictationE2EBurst = {rows: [], last: null};
            w.source = GLib.timeout_add(GLib.PRIORITY_HIGH, 5, () => {
                const rows = all(ind.menu.box).filter(a => a.has_style_class_name?.('swictation-segment-text'));
                const text = rows.length ? rows[rows.length - 1].text : null;
                if (text !== w.last) { w.last = text; w.rows.push(text); }
                return GLib.SOURCE_CONTINUE;
            });
            return true;
        })()`);
        // The same probe with nothing arriving first: on a loaded machine (E2E_STRESS=1, a busy
        // CI runner) the shell itself answers late, and that is the floor the burst is held to.
        const quiet: number[] = [];
        for (let i = 0; i < 30; i++) {
            const t0 = performance.now();
            await shell.evalJs('1');
            quiet.push(performance.now() - t0);
            await new Promise(r => setTimeout(r, 20));
        }
        const quietMax = Math.max(...quiet);
        // And how much longer than its own CPU time the shell's main thread takes for 200 ms of
        // work right now: 1 on a quiet machine, several with busy loops on every core. The
        // burst's work is stretched as much, so the 1 s bound is too.
        const stretch = await cpuStretch(shell);
        const rtts: number[] = [];
        let done = false;
        const burst = sim.cmd({cmd: 'burst', n: BURST});
        const prober = (async () => {
            while (!done) {
                const t0 = performance.now();
                await shell.evalJs('1');
                rtts.push(performance.now() - t0);
                await new Promise(r => setTimeout(r, 20));
            }
        })();
        await burst;
        const last = await waitForUi(shell, uuid, ui => ui.transcript.at(-1) === `burst segment ${BURST}`, 35_000);
        const drainMs = last.ms;
        // Keep probing a little after the last row shows (the render of the drained burst).
        await new Promise(r => setTimeout(r, 300));
        done = true;
        await prober;
        const seen = await shell.evalJs<string[]>(`(() => { const w = globalThis.swictationE2EBurst;
            imports.gi.GLib.source_remove(w.source); delete globalThis.swictationE2EBurst; return w.rows; })()`);
        const partial = seen.filter(r => r !== null && r.startsWith('burst segment ') && r !== `burst segment ${BURST}`);
        console.log(`# burst: the menu showed ${partial.length} intermediate last rows before "burst segment ${BURST}" ` +
            `(${partial.slice(0, 3).join(', ')}${partial.length > 3 ? ', …' : ''})`);
        // How fast is measured in bench/ (make bench); here the burst has to end on screen, also
        // on a loaded machine (E2E_STRESS=1: about 13 s on 2 busy cores, 3-5 s on quiet ones).
        t.ok(drainMs < 30_000, 'the burst is on screen within 30 s', `${drainMs} ms`);
        const max = Math.max(...rtts);
        const sorted = [...rtts].sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)];
        console.log(`# burst of ${BURST}: last row shown ${drainMs} ms after the command; Eval round trips during it: ` +
            `${rtts.length}, median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms (with nothing arriving: max ${quietMax.toFixed(1)} ms; the shell's work takes ${stretch.toFixed(2)}× its CPU time)`);
        t.ok(last.ok, `the open menu's last transcript row is "burst segment ${BURST}"`, last.ui.transcript.slice(-2));
        t.ok(last.ui.transcript.length <= 50, 'the transcript keeps at most transcript-length (50) rows', last.ui.transcript.length);
        t.equal(last.ui.transcript.at(-2), `burst segment ${BURST - 1}`, 'in order');
        const limit = 1000 * stretch + 2 * quietMax;
        t.ok(rtts.length > 0 && max < limit, 'the shell answers within 1 s of its CPU time (plus twice its quiet worst) during the burst',
            `max ${max.toFixed(1)} ms, limit ${limit.toFixed(0)} ms`);
        const words = await waitForUi(shell, uuid, ui => Number((ui.info.Segments ?? '').replace(/\D/g, '')) === BURST + 1, 3000);
        t.ok(words.ok, `the segment count shows ${BURST + 1}`, words.ui.info);

        const t0 = performance.now();
        await shell.evalJs('1');
        const afterRtt = performance.now() - t0;
        console.log(`# Eval round trip after the burst: ${afterRtt.toFixed(1)} ms`);
        t.ok(afterRtt < 1000, 'and after it', `${afterRtt.toFixed(1)} ms`);
        t.equal((await shell.extension())?.stateName, 'ACTIVE', 'the extension is ACTIVE after the burst');
        const status = await sim.status();
        t.equal(status.clientCount, 1, 'one connection, never dropped');
        t.equal(status.toggleCount, 0, 'the extension sent no toggle (an open menu toggles nothing)');

        // The log says what it skipped, briefly: no line per bad event.
        const lines = shell.log().text.split('\n').slice(logStart).filter(l => l.includes('[Swictation]'));
        t.ok(lines.length <= 15, 'the extension logs the faults briefly (rate-limited)', lines.join('\n'));
        await closeMenu(shell, uuid);
        await sim.cmd({cmd: 'toggle'});
    },
};
