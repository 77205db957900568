// SPDX-License-Identifier: GPL-2.0-or-later
// Scenario 3: the daemon dies while recording (its socket file left behind, nobody listening).
// The indicator must not keep showing recording; it says the daemon is gone, tells the user
// once, and comes back live when the daemon restarts, in whatever state the new daemon is in.
import type {Scenario} from '../driver.js';
import {closeMenu, notifications, openMenu, waitForUi, type UiSnapshot} from '../ui.js';

const RECORDING = 'swictation-recording-symbolic.svg';
const OFFLINE = 'swictation-offline-symbolic.svg';
const IDLE = 'swictation-idle-symbolic.svg';

const isRecording = (ui: UiSnapshot) => ui.icon === RECORDING && ui.recordingClass && ui.label !== null;
const isOffline = (ui: UiSnapshot) => ui.icon === OFFLINE && !ui.recordingClass && ui.label === null;
const isIdle = (ui: UiSnapshot) => ui.icon === IDLE && !ui.recordingClass && ui.label === null;

export const daemonRestart: Scenario = {
    name: 'daemonRestart',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        await shell.clearNotifications();
        const sim = await simulator({script: 'none'});
        await waitForUi(shell, uuid, isIdle, 5000);
        await sim.cmd({cmd: 'toggle'});
        await sim.cmd({cmd: 'speak', text: 'Before the crash.'});
        const rec = await waitForUi(shell, uuid, isRecording, 5000);
        t.ok(rec.ok, 'recording shows (icon, style class, elapsed time)', rec.ui);
        // A daemon that has run a while: its metrics have proved the connection, so the
        // back-off starts afresh when it dies (one that dies at once is retried less often).
        await sim.cmd({cmd: 'metrics'});
        await new Promise(r => setTimeout(r, 1200));

        // Crash: listeners and clients closed, both socket files left behind.
        const crashAt = Date.now();
        await sim.cmd({cmd: 'crash'});
        const off = await waitForUi(shell, uuid, isOffline, 3000);
        console.log(`# crash -> offline: ${off.ms} ms`);
        t.ok(off.ok, 'after a crash the indicator leaves recording within 3 s (offline icon, no recording class, no elapsed time)', off.ui);
        await openMenu(shell, uuid);
        const gone = await waitForUi(shell, uuid, ui => ui.menuOpen && (ui.title ?? '').startsWith('Daemon not running') &&
            ui.connection === 'Connection refused: stale socket, the daemon is not running', 3000);
        t.ok(gone.ok, 'the menu says the daemon is not running and the socket is stale', {title: gone.ui.title, connection: gone.ui.connection});
        t.equal(gone.ui.switchOn, false, 'the Dictation switch is off');
        t.equal(gone.ui.switchSensitive, false, 'and insensitive');
        t.equal(gone.ui.transcript.at(-1), 'Before the crash.', 'the last transcript stays readable');
        await closeMenu(shell, uuid);
        const lost = (await notifications(shell)).filter(n => n.title === 'Dictation interrupted');
        t.equal(lost.length, 1, 'one "Dictation interrupted" notification');
        console.log(`# crash handled in ${Date.now() - crashAt} ms`);

        // The daemon starts again (stale files replaced by live sockets): live, idle.
        await sim.cmd({cmd: 'restart', gapMs: 300});
        const back = await waitForUi(shell, uuid, isIdle, 5000);
        console.log(`# restart -> live: ${back.ms} ms`);
        t.ok(back.ok, 'after the restart the indicator is live again (idle icon) within 5 s', back.ui);

        // Recording again: the indicator follows.
        await sim.cmd({cmd: 'toggle'});
        const again = await waitForUi(shell, uuid, isRecording, 5000);
        t.ok(again.ok, 'when the new daemon records, the indicator shows recording again', again.ui);
        await openMenu(shell, uuid);
        const title = await waitForUi(shell, uuid, ui => ui.menuOpen && /^Recording — session #\d+$/.test(ui.title ?? ''), 3000);
        t.ok(title.ok, 'the menu says recording', title.ui.title);
        t.equal(title.ui.switchOn, true, 'the Dictation switch is on');
        await closeMenu(shell, uuid);
        await new Promise(r => setTimeout(r, 700));   // a stop toggle would end the session by now
        const opened = await sim.status();
        t.ok(opened.toggleCount === 0 && opened.state === 'recording',
            'opening the menu while recording sends no toggle: the daemon keeps recording', opened);

        // A quick restart while recording (no crash, sockets removed, 0 ms gap): the new daemon
        // is idle, and the indicator must not keep the old session's recording state.
        await sim.cmd({cmd: 'restart', gapMs: 0});
        const deadline = Date.now() + 5000;
        let status = await sim.status();
        while (status.clientCount !== 1 && Date.now() < deadline) {
            await new Promise(r => setTimeout(r, 50));
            status = await sim.status();
        }
        t.equal(status.clientCount, 1, 'one connection to the restarted daemon');
        const fresh = await waitForUi(shell, uuid, isIdle, 5000);
        t.ok(fresh.ok, 'a restart while recording ends in idle, not in a stale recording', fresh.ui);
        status = await sim.status();
        t.equal(status.toggleCount, 0, 'the extension sent no toggle of its own in the whole scenario');
    },
};
