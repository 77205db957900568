// SPDX-License-Identifier: GPL-2.0-or-later
// The harness can run the simulated daemon where the extension looks: its sockets appear in
// the session's XDG_RUNTIME_DIR, owned by the test user, and it obeys its command socket.
import type {Scenario} from '../driver.js';

export const simulator: Scenario = {
    name: 'simulator',
    async run({shell, t, session, simulator}) {
        const sim = await simulator({script: 'none'});
        const status = await sim.status();
        t.ok(status.ok, 'the simulator answers status', status);

        for (const name of ['swictation.sock', 'swictation_metrics.sock']) {
            const path = `${session.runtimeDir}/${name}`;
            const owner = await shell.waitFor<{uid: number; socket: boolean} | false>(`(() => {
                const {Gio} = imports.gi;
                const file = Gio.File.new_for_path(${JSON.stringify(path)});
                if (!file.query_exists(null)) return false;
                const info = file.query_info('unix::uid,unix::mode', Gio.FileQueryInfoFlags.NONE, null);
                const S_IFMT = 0o170000, S_IFSOCK = 0o140000;
                return {uid: info.get_attribute_uint32('unix::uid'), socket: (info.get_attribute_uint32('unix::mode') & S_IFMT) === S_IFSOCK};
            })()`, 10_000);
            t.ok(owner && owner.uid === session.testerUid && owner.socket,
                `the shell sees ${name} as a socket owned by the test user`, owner);
        }

        await sim.cmd({cmd: 'toggle'});
        t.equal((await sim.status()).state, 'recording', 'toggle starts a session in the simulator');
        await sim.cmd({cmd: 'toggle'});
    },
};
