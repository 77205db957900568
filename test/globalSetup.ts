import {execFileSync} from 'node:child_process';

// The GJS integration tests run bundles of src/transport; build them from the current sources.
export default function setup(): void {
    execFileSync(process.execPath, ['build.mjs', 'gjs-tests'], {stdio: 'inherit'});
}
