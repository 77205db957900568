// SPDX-License-Identifier: GPL-2.0-or-later
// Where one event's JavaScript goes, in a real GNOME Shell: run by test/e2e/run.sh in place of
// the scenarios (E2E_MAIN=bench/shell/profile.ts). Lines of the mix are fed to the enabled
// extension's own store, in the shell's gjs, and each step is timed per event: JSON.parse alone
// (the floor), parse + reduce, each store listener, and a render of the top-bar button with its
// menu closed and open. No daemon runs; the store is told it is connected.
//   E2E_MAIN=bench/shell/profile.ts test/e2e/run.sh 48
import {Shell} from '../../test/e2e/driver.js';
import {openMenu, closeMenu} from '../../test/e2e/ui.js';
import {mixLines} from '../lib/mix.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const ROUNDS = 5;
const shell = await Shell.connect();
const uuid = shell.session.uuid;

const setup = `(() => {
    const c = Main.extensionManager.lookup(${JSON.stringify(uuid)}).stateObj._controller;
    globalThis.__swProfile = {c, store: c._store, panel: c._views[0]};
    c._connection.stop();
    const store = c._store;
    store.dispatch({type: 'connecting', at: Date.now(), socketPath: '/run/bench.sock'});
    store.dispatch({type: 'connected', at: Date.now()});
    return store.listeners.length;
})()`;

// One round: every line through the store, each step timed with the monotonic clock (µs).
const round = (lines: string[], render: boolean) => `(() => {
    const {GLib} = imports.gi;
    const t = () => GLib.get_monotonic_time();
    const {store, panel} = globalThis.__swProfile;
    const lines = ${JSON.stringify(lines)};
    const listeners = store.listeners;
    const each = listeners.map(() => 0);
    imports.system.gc();
    let parse = 0, core = 0, all = 0, renders = 0;
    for (const line of lines) {
        let t0 = t();
        JSON.parse(line);
        parse += t() - t0;
        store.listeners = [];
        t0 = t();
        store.ingestLines([line], Date.now(), () => {});
        core += t() - t0;
        store.listeners = listeners;
        const state = store.state;
        listeners.forEach((l, i) => {
            const t1 = t();
            l(state);
            each[i] += t() - t1;
        });
        if (${render}) {
            t0 = t();
            panel._render();
            renders += t() - t0;
        }
    }
    const n = lines.length;
    return {parse: parse / n, core: core / n, listeners: each.map(v => v / n), render: renders / n};
})()`;

// In the order services/controller.ts subscribes them (placement "panel", the default).
const LISTENERS = ['daemon service', 'push-to-talk', 'dictation aids', 'top-bar view', 'notices'];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (v: number) => `${v.toFixed(1)} µs`;

console.log(`# ${shell.session.shellVersion}: ${await shell.evalJs(setup)} store listeners, ${EVENTS} events of the mix per round, median of ${ROUNDS}`);
for (const [name, menu] of [['menu closed', false], ['menu open', true]] as const) {
    if (menu)
        await openMenu(shell, uuid);
    const results: Array<{parse: number; core: number; listeners: number[]; render: number}> = [];
    for (let r = 0; r < ROUNDS; r++)
        results.push(await shell.evalJs(round(mixLines(EVENTS, r + 1), true)));
    const listeners = results[0].listeners.map((_, i) => median(results.map(x => x.listeners[i])));
    console.log(`## ${name}`);
    console.log(`JSON.parse           ${fmt(median(results.map(x => x.parse)))}`);
    console.log(`parse + reduce       ${fmt(median(results.map(x => x.core)))}`);
    listeners.forEach((v, i) => console.log(`${(listeners.length === LISTENERS.length ? LISTENERS[i] : `listener ${i}`).padEnd(21)}${fmt(v)}`));
    console.log(`render (button)      ${fmt(median(results.map(x => x.render)))}`);
    if (menu)
        await closeMenu(shell, uuid);
}
process.exit(0);
