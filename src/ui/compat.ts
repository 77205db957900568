// SPDX-License-Identifier: GPL-2.0-or-later
// The few St/shell differences between GNOME 45 and 51 that this extension touches, in one place.
import Clutter from 'gi://Clutter';
import St from 'gi://St';

/** A vertical St.BoxLayout: `orientation` since 48, `vertical` before (deprecated from 48 on). */
export function verticalBox(params: Partial<St.BoxLayout.ConstructorProps> = {}): St.BoxLayout {
    const box = new St.BoxLayout(params);
    if ('orientation' in box)
        box.orientation = Clutter.Orientation.VERTICAL;
    else
        (box as unknown as {vertical: boolean}).vertical = true;
    return box;
}

/**
 * Closes a popup menu without animation. The shell itself calls close() with no argument for
 * that (PopupMenu's destroy()); the typings of 46 ask for a boolean and those of 48 for a
 * BoxPointer.PopupAnimation, and 0 means "none" to both at run time.
 */
export function closeAtOnce(menu: {close(animate: never): void}): void {
    (menu.close as (animate?: number) => void).call(menu, 0);
}
