// SPDX-License-Identifier: GPL-2.0-or-later
import {Extension, gettext as _, ngettext} from 'resource:///org/gnome/shell/extensions/extension.js';

import {extensionLogger} from './lib/logger.js';
import {Controller} from './services/controller.js';

export default class SwictationExtension extends Extension {
    private _controller: Controller | null = null;

    override enable(): void {
        this._controller = new Controller({
            uuid: this.uuid,
            dir: this.dir,
            settings: this.getSettings(),
            openPreferences: () => this.openPreferences(),
            _,
            logger: extensionLogger(this),
            ngettext,
        });
    }

    override disable(): void {
        this._controller?.destroy();
        this._controller = null;
    }
}
