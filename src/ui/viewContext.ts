// SPDX-License-Identifier: GPL-2.0-or-later
// What every view is given by the controller: the sources of truth it subscribes to, and the
// commands its controls run.
import type Gio from 'gi://Gio';

import type {Translate, TranslatePlural} from '../core/presentation.js';
import type {SessionStore} from '../core/sessionStore.js';
import type {Settings} from '../core/settings.js';
import type {DictationAids} from '../services/dictationAids.js';
import type {DaemonService} from '../services/daemonService.js';
import type {DictationCommand} from '../services/dictationCommand.js';
import type {PushToTalk} from '../services/pushToTalk.js';
import type {IconSet} from './icons.js';

export interface ViewContext {
    readonly store: SessionStore;
    readonly settings: Settings;
    /** The same settings, to connect to their changes. */
    readonly gsettings: Gio.Settings;
    readonly icons: IconSet;
    readonly command: DictationCommand;
    /** Earlier sessions, words today, copying. */
    readonly aids: DictationAids;
    /** The daemon's systemd unit: its state and start/stop/restart. */
    readonly daemon: DaemonService;
    /** Whether the push-to-talk shortcut is held. */
    readonly pushToTalk: PushToTalk;
    readonly _: Translate;
    readonly ngettext: TranslatePlural;
    reconnect(): void;
    openPreferences(): void;
}
