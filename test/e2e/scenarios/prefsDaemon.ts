// SPDX-License-Identifier: GPL-2.0-or-later
// Preferences → Daemon against the fake systemd user manager on the session bus: the daemon
// unit's state in words with Start/Stop/Restart, "Start the daemon at login" (the unit's
// enablement), and the daemon's own UI unit with "Stop and disable". The page runs in a GTK 4
// process of the session (build/gjs/prefsDaemon.js).
import {copyFileSync} from 'node:fs';
import {join} from 'node:path';

import type {Scenario} from '../driver.js';
import {startFakeSystemd} from '../sessionSystemd.js';

const DAEMON = 'swictation-daemon.service';
const UI = 'swictation-ui.service';

interface PageReport {
    when: string;
    state: string;
    daemonButtons: Record<string, boolean>;
    login: boolean;
    loginSensitive: boolean;
    loginText: string;
    ui: string;
    uiButtons: Record<string, boolean>;
}

export const prefsDaemon: Scenario = {
    name: 'prefsDaemon',
    async run({shell, t, session}) {
        const fake = await startFakeSystemd(session, {
            [DAEMON]: {active: 'inactive', fileState: 'enabled'},
            [UI]: {active: 'active', fileState: 'enabled'},
        });
        try {
            const program = `${session.sessionDir}/work/prefsDaemon.js`;
            copyFileSync(join(session.repo, 'build/gjs/prefsDaemon.js'), join(session.root, program));
            const schemaDir = `${session.sessionDir}/home/.local/share/gnome-shell/extensions/${session.uuid}/schemas`;
            const run = await shell.runInSession(['gjs', '-m', program, schemaDir]);
            const reports = run.stdout.split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as PageReport);
            const at = (when: string) => reports.find(r => r.when === when);
            const before = at('before'), loginOff = at('login off'), uiStopped = at('ui stopped');
            t.ok(before && loginOff && uiStopped, 'the Daemon page ran in the session', run.stderr);
            if (!before || !loginOff || !uiStopped)
                return;
            t.equal(before.state, 'Stopped', 'the daemon unit\'s state in words');
            t.equal(JSON.stringify(before.daemonButtons), JSON.stringify({Start: true, Stop: false, Restart: true}),
                'Start and Restart for a stopped unit, not Stop');
            t.ok(before.login && before.loginSensitive, '"Start the daemon at login" is on for an enabled unit', before);
            t.equal(before.loginText, 'Starts at login', 'and says so');
            t.equal(before.ui, 'Running · Starts at login', 'the UI unit: running and enabled');
            t.equal(before.uiButtons['Stop and disable'], true, 'with "Stop and disable"');

            t.equal(loginOff.login, false, 'turning the switch off ...');
            t.equal(loginOff.loginText, 'Does not start at login', '... disables the unit');
            t.equal(JSON.stringify(fake.calls('DisableUnitFiles')[0]), JSON.stringify([[DAEMON], false]), 'through DisableUnitFiles');
            t.ok(fake.calls('Reload').length >= 1, 'and a Reload');

            t.equal(uiStopped.ui, 'Stopped · Does not start at login', '"Stop and disable" stops and disables the UI unit');
            t.equal(JSON.stringify(fake.calls('StopUnit')), JSON.stringify([[UI, 'replace']]), 'StopUnit of the UI unit only');
            t.equal(JSON.stringify(fake.calls('DisableUnitFiles')[1]), JSON.stringify([[UI], false]), 'then DisableUnitFiles of it');
            t.equal(fake.calls('StartUnit').length, 0, 'nothing was started');
        } finally {
            await fake.quit();
        }
    },
};
