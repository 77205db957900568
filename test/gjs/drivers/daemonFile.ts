// SPDX-License-Identifier: GPL-2.0-or-later
// The preferences' file access (src/prefs/daemonFile.ts) in plain `gjs -m`, with the edits the
// pages make; prints one JSON line: what was read, or what the write said.
//   gjs -m daemonFile.js DIR read NAME
//   gjs -m daemonFile.js DIR learn HEARD MEANT        (corrections.toml)
//   gjs -m daemonFile.js DIR model MODEL              (config.toml)
import GLib from 'gi://GLib';
import System from 'system';

import {learn} from '../../../src/core/corrections.js';
import {CORRECTIONS_FILE, editCorrections} from '../../../src/core/correctionsFile.js';
import {CONFIG_FILE, editConfig} from '../../../src/core/daemonConfig.js';
import {DaemonFile} from '../../../src/prefs/daemonFile.js';

const [dir, op, a, b] = System.programArgs;
const loop = new GLib.MainLoop(null, false);

async function run(): Promise<unknown> {
    if (op === 'read')
        return new DaemonFile(a, s => s, dir).read();
    if (op === 'learn') {
        const correction = learn({original: a, corrected: b, matchType: 'exact', caseMode: 'force_pattern'}, GLib.uuid_string_random(), new Date());
        return new DaemonFile(CORRECTIONS_FILE, s => s, dir).write(text => {
            const r = editCorrections(text, {kind: 'learn', correction});
            return r.ok ? r : {ok: false, message: r.error};
        });
    }
    return new DaemonFile(CONFIG_FILE, s => s, dir).write(text => {
        const r = editConfig(text, {stt_model_override: a});
        return r.ok ? r : {ok: false, message: r.error};
    });
}

run().then(result => print(JSON.stringify(result)), e => print(JSON.stringify({error: String(e)}))).finally(() => loop.quit());
loop.run();
