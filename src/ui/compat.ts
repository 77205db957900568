// SPDX-License-Identifier: GPL-2.0-or-later
// The few St/shell differences between GNOME 45 and 51 that this extension touches, in one place.
import Clutter from 'gi://Clutter';
import St from 'gi://St';

// `orientation` since 48, `vertical` before.
export function verticalBox(params: Partial<St.BoxLayout.ConstructorProps> = {}): St.BoxLayout {
    const box = new St.BoxLayout(params);
    if ('orientation' in box)
        box.orientation = Clutter.Orientation.VERTICAL;
    else
        (box as unknown as {vertical: boolean}).vertical = true;
    return box;
}

// Without animation, as the shell's own close(): 0 means "none" whatever the typings ask for.
export function closeAtOnce(menu: {close(animate: never): void}): void {
    (menu.close as (animate?: number) => void).call(menu, 0);
}
