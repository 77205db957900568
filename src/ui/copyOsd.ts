// SPDX-License-Identifier: GPL-2.0-or-later
// Copying dictated text without looking: to the clipboard, confirmed by the on-screen display
// GNOME uses for its own actions (volume, keyboard layout).
import Gio from 'gi://Gio';
import St from 'gi://St';
import * as Main from 'resource:///org/gnome/shell/ui/main.js';

export function copyToClipboard(text: string): void {
    St.Clipboard.get_default().set_text(St.ClipboardType.CLIPBOARD, text);
}

interface OsdManager {
    /** 46–48: show(monitorIndex, icon, label, level, maxLevel); 49 on: show(icon, label, levels). */
    show(...args: unknown[]): void;
    showOne?(monitorIndex: number, icon: Gio.Icon, label: string, level?: number, maxLevel?: number): void;
}

export function showOsd(iconName: string, label: string): void {
    const osd = Main.osdWindowManager as OsdManager;
    const icon = new Gio.ThemedIcon({name: iconName});
    const monitor = global.display.get_current_monitor();
    if (typeof osd.showOne === 'function')
        osd.showOne(monitor, icon, label, undefined);
    else
        osd.show(monitor, icon, label, undefined);
}
