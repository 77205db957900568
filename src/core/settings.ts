// SPDX-License-Identifier: GPL-2.0-or-later
// The extension's GSettings keys in one place, with typed reads. Pure (a Gio.Settings fits
// SettingsReader), so the shell, the preferences window and the tests share the names.
import type {PanelLabelMode} from './presentation.js';

export const Key = {
    SOCKET_PATH: 'socket-path',
    PLACEMENT: 'placement',
    PANEL_BOX: 'panel-box',
    PANEL_INDEX: 'panel-index',
    PANEL_LABEL: 'panel-label',
    HIDE_WHEN_ABSENT: 'hide-when-not-running',
    MIDDLE_CLICK_TOGGLES: 'middle-click-toggles',
    TRANSCRIPT_LENGTH: 'transcript-length',
    /**
     * Also the keybinding's name, which lives in Mutter's one namespace shared by every
     * extension: prefixed so that it cannot be another extension's.
     */
    SHORTCUT: 'swictation-toggle',
    /** Before 2026-12: the shortcut under a name other extensions use too; migrated once. */
    OLD_SHORTCUT: 'toggle-shortcut',
    NOTIFY_START_STOP: 'notify-start-stop',
    NOTIFY_DAEMON_LOST: 'notify-daemon-lost',
    NOTIFY_TOGGLE_FAILED: 'notify-toggle-failed',
    HIDE_TRANSCRIPT: 'hide-transcript',
    HISTORY_LENGTH: 'history-length',
    /** A keybinding too: prefixed like SHORTCUT. */
    COPY_SHORTCUT: 'swictation-copy',
    /** Held to dictate; a keybinding, prefixed like SHORTCUT. */
    PUSH_TO_TALK: 'swictation-push-to-talk',
    COPY_ON_SESSION_END: 'copy-on-session-end',
    SOUND_CUES: 'sound-cues',
    /** The systemd user units of the daemon and of its own window/tray. */
    DAEMON_UNIT: 'daemon-unit',
    UI_UNIT: 'ui-unit',
    /** A segment's text handed from the menu's *Correct…* to the preferences, which clear it. */
    CORRECTION_DRAFT: 'correction-draft',
} as const;

export type Placement = 'panel' | 'quick-settings' | 'both';
export type PanelBox = 'left' | 'center' | 'right';

export interface SettingsReader {
    get_string(key: string): string;
    get_boolean(key: string): boolean;
    get_int(key: string): number;
}

export class Settings {
    constructor(readonly reader: SettingsReader) {}

    get socketPath(): string {
        return this.reader.get_string(Key.SOCKET_PATH);
    }

    get placement(): Placement {
        return this.reader.get_string(Key.PLACEMENT) as Placement;
    }

    get panelBox(): PanelBox {
        return this.reader.get_string(Key.PANEL_BOX) as PanelBox;
    }

    get panelIndex(): number {
        return this.reader.get_int(Key.PANEL_INDEX);
    }

    get panelLabel(): PanelLabelMode {
        return this.reader.get_string(Key.PANEL_LABEL) as PanelLabelMode;
    }

    get transcriptLength(): number {
        return this.reader.get_int(Key.TRANSCRIPT_LENGTH);
    }

    get hideWhenNotRunning(): boolean {
        return this.reader.get_boolean(Key.HIDE_WHEN_ABSENT);
    }

    get middleClickToggles(): boolean {
        return this.reader.get_boolean(Key.MIDDLE_CLICK_TOGGLES);
    }

    get hideTranscript(): boolean {
        return this.reader.get_boolean(Key.HIDE_TRANSCRIPT);
    }

    get notifyStartStop(): boolean {
        return this.reader.get_boolean(Key.NOTIFY_START_STOP);
    }

    get notifyDaemonLost(): boolean {
        return this.reader.get_boolean(Key.NOTIFY_DAEMON_LOST);
    }

    get notifyToggleFailed(): boolean {
        return this.reader.get_boolean(Key.NOTIFY_TOGGLE_FAILED);
    }

    get historyLength(): number {
        return this.reader.get_int(Key.HISTORY_LENGTH);
    }

    get copyOnSessionEnd(): boolean {
        return this.reader.get_boolean(Key.COPY_ON_SESSION_END);
    }

    get soundCues(): boolean {
        return this.reader.get_boolean(Key.SOUND_CUES);
    }

    get daemonUnit(): string {
        return this.reader.get_string(Key.DAEMON_UNIT);
    }
}
