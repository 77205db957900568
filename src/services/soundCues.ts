// SPDX-License-Identifier: GPL-2.0-or-later
// A sound when recording starts and stops, played as GNOME plays its event sounds, so the
// user's theme, volume and Do Not Disturb apply and nothing is shipped.
import Gio from 'gi://Gio';

import type {Translate} from '../core/presentation.js';

export const CUE_SOUNDS = {started: 'device-added', stopped: 'device-removed'} as const;
export type Cue = keyof typeof CUE_SOUNDS;

function systemSettings(id: string): Gio.Settings | null {
    // A missing schema would abort the shell in new Gio.Settings(); look first.
    const schema = Gio.SettingsSchemaSource.get_default()?.lookup(id, true) ?? null;
    return schema ? new Gio.Settings({settings_schema: schema}) : null;
}

export class SoundCues {
    private readonly _sound = systemSettings('org.gnome.desktop.sound');
    private readonly _notifications = systemSettings('org.gnome.desktop.notifications');
    private readonly _cancellable = new Gio.Cancellable();
    private readonly _: Translate;

    constructor(_: Translate) {
        this._ = _;
    }

    get allowed(): boolean {
        if (this._sound?.settings_schema.has_key('event-sounds') && !this._sound.get_boolean('event-sounds'))
            return false;
        if (this._notifications?.settings_schema.has_key('show-banners') && !this._notifications.get_boolean('show-banners'))
            return false;
        return true;
    }

    play(cue: Cue): void {
        if (this._cancellable.is_cancelled() || !this.allowed)
            return;
        const description = cue === 'started' ? this._('Dictation started') : this._('Dictation stopped');
        global.display.get_sound_player().play_from_theme(CUE_SOUNDS[cue], description, this._cancellable);
    }

    destroy(): void {
        this._cancellable.cancel();
    }
}
