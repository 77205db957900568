// SPDX-License-Identifier: GPL-2.0-or-later
// Test only, never packed into the product: lets test/e2e/run.sh look inside the shell.
// org.gnome.Shell.Eval and org.gnome.Shell.Screenshot answer only in unsafe mode, and
// GNOME Shell 48 has no --unsafe-mode flag. It also hands Eval what Eval cannot import
// synchronously: this version's ExtensionState names.
import Shell from 'gi://Shell';
import {Extension} from 'resource:///org/gnome/shell/extensions/extension.js';
import {ExtensionState} from 'resource:///org/gnome/shell/misc/extensionUtils.js';

export default class E2EHelper extends Extension {
    enable() {
        Shell.Global.get().context.unsafe_mode = true;
        globalThis.swictationE2E = {ExtensionState};
    }

    disable() {
        delete globalThis.swictationE2E;
        Shell.Global.get().context.unsafe_mode = false;
    }
}
