// SPDX-License-Identifier: GPL-2.0-or-later
// The fake systemd user manager (test/support/systemdFake.ts) on the shell's own session bus,
// run on the host as the test user, like the simulator. A unit it starts can run the simulator
// with a command socket, so a scenario can ask that daemon what it received (simulatorCommand).
import {join} from 'node:path';

import {FAKE_SYSTEMD, FakeSystemd, type FakeUnitConfig} from '../support/systemdFake.js';
import {type Session, sessionCopy} from './driver.js';

/** The fake, owning org.freedesktop.systemd1 on the session's bus; its stderr in fake-systemd.log. */
export function startFakeSystemd(s: Session, units: Record<string, FakeUnitConfig>): Promise<FakeSystemd> {
    return FakeSystemd.start(units, {
        program: sessionCopy(s, FAKE_SYSTEMD),
        runAs: ['setpriv', `--reuid=${s.testerUid}`, `--regid=${s.testerUid}`, '--clear-groups'],
        env: {...process.env, HOME: join(s.root, s.sessionDir, 'home'),
            DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(s.root, s.runtimeDir, 'bus')}`},
        log: join(s.out, 'fake-systemd.log'),
    });
}

/** The simulator a unit runs: `exec` for FakeUnitConfig, with a command socket in the work dir. */
export function unitSimulator(s: Session, name: string, args: string[] = []): {exec: string[]; cmdSocket: string} {
    const cmdSocket = join(s.root, s.sessionDir, 'work', `${name}-cmd.sock`);
    return {
        cmdSocket,
        exec: [process.execPath, sessionCopy(s, 'build/tools/simulator.mjs'), '--dir', join(s.root, s.runtimeDir),
            '--script', 'none', '--quiet', '--cmd-socket', cmdSocket, ...args],
    };
}
