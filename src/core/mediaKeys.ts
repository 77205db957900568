// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon's own GNOME custom shortcut, as the media-keys settings hold it.

export const MEDIA_KEYS_SCHEMA = 'org.gnome.settings-daemon.plugins.media-keys';
export const CUSTOM_KEYBINDING_SCHEMA = 'org.gnome.settings-daemon.plugins.media-keys.custom-keybinding';
export const DAEMON_KEYBINDING_PATH = '/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/swictation-toggle/';

export interface CustomKeybinding {
    path: string;
    name: string;
    binding: string;
    command: string;
}

/**
 * The custom keybindings the daemon wrote: its own path, or (written by hand or an older
 * installer) a command that toggles through the daemon's control socket.
 */
export function daemonKeybindings(entries: CustomKeybinding[]): CustomKeybinding[] {
    return entries.filter(e => e.path === DAEMON_KEYBINDING_PATH ||
        (/swictation\.sock\b/.test(e.command) && /toggle/.test(e.command)));
}

/** The custom-keybindings list without exactly that one path, nothing else of the user's. */
export function withoutKeybinding(list: string[], path: string): string[] {
    return list.filter(p => p !== path);
}
