// SPDX-License-Identifier: GPL-2.0-or-later
// Preferences → Speech (the daemon's settings) against the fake systemd user manager, whose unit runs the
// simulator on the session's config.toml: the page shows the file's model, Save changes only
// that line, "Restart the daemon to apply" restarts the unit, and the simulator comes back
// with the new model. The page runs in a GTK 4 process of the session
// (build/gjs/prefsSettings.js). Screenshot: prefs-daemon-settings.png.
import {copyFileSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

import {type Scenario, simulatorCommand, sleep} from '../driver.js';
import {startFakeSystemd, unitSimulator} from '../sessionSystemd.js';

const DAEMON = 'swictation-daemon.service';
const SETTINGS_WINDOW = `global.get_window_actors().map(a => a.meta_window).find(w => (w.get_title() ?? '') === 'Swictation settings')`;

interface PageReport {
    when: string;
    status: string;
    model: string;
    modelText: string;
    editable: boolean;
    restart: boolean;
}

async function simulatorModel(cmdSocket: string, want: string, timeoutMs = 15_000): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    let model: string | null = null;
    while (Date.now() < deadline) {
        try {
            model = (await simulatorCommand<{model: string | null}>(cmdSocket, {cmd: 'status'}, 1000)).model;
            if (model === want)
                break;
        } catch {
            // between two simulator processes
        }
        await sleep(250);
    }
    return model;
}

export const daemonSettings: Scenario = {
    name: 'daemonSettings',
    timeoutMs: 120_000,
    async run({shell, t, session}) {
        const configDir = join(session.root, session.sessionDir, 'home/.config/swictation');
        await shell.runInSession(['mkdir', '-p', `${session.sessionDir}/home/.config/swictation`]);
        const config = readFileSync(join(session.repo, 'test/fixtures/daemon/config.toml'), 'utf8');
        const configFile = join(configDir, 'config.toml');
        await shell.runInSession(['sh', '-c', `cat > ${session.sessionDir}/home/.config/swictation/config.toml <<'EOF'\n${config}EOF`]);
        const sim = unitSimulator(session, 'settings-daemon', ['--config-dir', configDir]);
        const fake = await startFakeSystemd(session, {[DAEMON]: {active: 'inactive', fileState: 'enabled', exec: sim.exec}});
        try {
            await shell.runInSession(['gdbus', 'call', '--session', '--dest', 'org.freedesktop.systemd1', '--object-path', '/org/freedesktop/systemd1',
                '--method', 'org.freedesktop.systemd1.Manager.StartUnit', DAEMON, 'replace']);
            t.equal(await simulatorModel(sim.cmdSocket, 'auto'), 'auto', 'the daemon started with the file\'s model, auto');

            const program = `${session.sessionDir}/work/prefsSettings.js`;
            copyFileSync(join(session.repo, 'build/gjs/prefsSettings.js'), join(session.root, program));
            const schemaDir = `${session.sessionDir}/home/.local/share/gnome-shell/extensions/${session.uuid}/schemas`;
            const running = shell.runInSession(['gjs', '-m', program, schemaDir], 60_000);
            const shown = await shell.waitFor<boolean>(`(() => { const w = ${SETTINGS_WINDOW}; return !!w && w.get_frame_rect().width > 0; })()`, 30_000);
            if (shown) {
                // After "saved" (4 s after the window's first step): the page as a user sees it then.
                await sleep(6500);
                await shell.clearNotifications();
                const rect = await shell.evalJs<{x: number; y: number; width: number; height: number}>(`(() => {
                    const r = ${SETTINGS_WINDOW}.get_frame_rect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; })()`);
                await shell.screenshot('screen-prefs-daemon-settings');
                await shell.crop('screen-prefs-daemon-settings', 'prefs-daemon-settings', {x: rect.x, y: rect.y, w: rect.width, h: rect.height});
            }
            const run = await running;
            const reports = run.stdout.split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as PageReport);
            const at = (when: string) => reports.find(r => r.when === when);
            const before = at('before'), saved = at('saved'), restarted = at('restarted');
            t.ok(before && saved && restarted, 'the Speech page ran in the session', run.stderr);
            if (!before || !saved || !restarted)
                return;
            t.equal(before.model, 'auto', 'the page shows the file\'s model');
            t.equal(before.modelText, 'The large model if the graphics card has the memory for it, else a small one', 'explained in words');
            t.ok(before.editable && before.restart, 'editable, with "Restart the daemon to apply"', before);
            t.equal(saved.status, 'Saved. The running daemon started before the last change: restart it to apply the file.',
                'Save says that the running daemon is older than the file');
            t.equal(readFileSync(configFile, 'utf8'), config.replace('stt_model_override = "auto"', 'stt_model_override = "0.6b-cpu"'),
                'Save changed that one line of config.toml and nothing else');
            t.equal(JSON.stringify(fake.calls('RestartUnit')), JSON.stringify([[DAEMON, 'replace']]), 'Restart is RestartUnit of the daemon\'s unit');
            t.equal(restarted.status, 'The daemon restarted with these settings.', 'the page says the daemon restarted');
            t.equal(await simulatorModel(sim.cmdSocket, '0.6b-cpu'), '0.6b-cpu', 'the restarted daemon runs the new model');
        } finally {
            await fake.quit();
        }
    },
};
