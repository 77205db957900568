// SPDX-License-Identifier: GPL-2.0-or-later
// Scenario 1: the daemon is dictating when the shell starts looking; the indicator shows
// recording, the menu shows the figures and the transcript, and markup is shown literally.
import type {Scenario} from '../driver.js';
import {closeMenu, openMenu, waitForUi} from '../ui.js';

const MARKUP = '<b>great</b> & "plan"';

export const dictation: Scenario = {
    name: 'dictation',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const sim = await simulator({script: 'none'});
        await sim.cmd({cmd: 'toggle'});
        await sim.cmd({cmd: 'speak', text: 'Let\'s meet at ten.'});
        await sim.cmd({cmd: 'speak', text: MARKUP});
        await sim.cmd({cmd: 'speak', text: '日本語の文 and an emoji 🎙️'});
        await sim.cmd({cmd: 'metrics'});

        const rec = await waitForUi(shell, uuid, ui => ui.icon === 'swictation-recording-symbolic.svg', 5000);
        t.ok(rec.ok, 'the indicator shows the recording icon', rec.ui);
        t.ok(rec.ui.recordingClass, 'the indicator carries the recording style class');
        t.ok(rec.ui.label !== null && /^\d+:\d\d$/.test(rec.ui.label), 'the elapsed time shows beside the icon', rec.ui.label);

        await openMenu(shell, uuid);
        // The catch-up carries no metrics; the daemon's next 1 s metrics_update brings the totals.
        const menu = await waitForUi(shell, uuid, ui => ui.menuOpen && ui.transcript.length === 3 && ui.info.Words === '12', 3000);
        t.ok(menu.ok, 'the menu opens with the three segments and their 12 words', menu.ui);
        t.ok(/^Recording — session #\d+$/.test(menu.ui.title ?? ''), 'the header says recording and the session', menu.ui.title);
        t.equal(menu.ui.switchOn, true, 'the Dictation switch is on');
        t.equal(menu.ui.transcript[1], MARKUP, 'markup in dictated text shows literally');
        t.equal(menu.ui.transcript[2], '日本語の文 and an emoji 🎙️', 'CJK and emoji show as dictated');
        t.ok(/WPM$/.test(menu.ui.info.Speed ?? ''), 'the speed shows in WPM', menu.ui.info);
        t.equal(menu.ui.connection?.startsWith('Connected'), true, 'the connection line says connected');

        await shell.clearNotifications();
        await shell.screenshot('menu-recording');
        await closeMenu(shell, uuid);
        await sim.cmd({cmd: 'toggle'});
    },
};
