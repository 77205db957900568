// SPDX-License-Identifier: GPL-2.0-or-later
import {execFileSync} from 'node:child_process';

// The GJS integration tests run bundles of src/transport; build them from the current sources.
// The zip tests (pack, lint-zip) share one `make pack` made here, before any of them runs.
export default function setup(): void {
    execFileSync(process.execPath, ['build.mjs', 'gjs-tests'], {stdio: 'inherit'});
    execFileSync('make', ['-s', 'pack'], {stdio: ['ignore', 'ignore', 'inherit']});
}
