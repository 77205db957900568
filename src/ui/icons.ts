// SPDX-License-Identifier: GPL-2.0-or-later
// The project's own symbolic icons, loaded from the extension directory so they look the same
// under every icon theme.
import Gio from 'gi://Gio';

import type {IconKind} from '../core/presentation.js';

const KINDS: IconKind[] = ['idle', 'recording', 'processing', 'error', 'offline'];

export type IconSet = Record<IconKind, Gio.Icon>;

export function loadIcons(extensionDir: Gio.File): IconSet {
    const icons = {} as IconSet;
    for (const kind of KINDS)
        icons[kind] = new Gio.FileIcon({file: extensionDir.get_child('icons').get_child(`swictation-${kind}-symbolic.svg`)});
    return icons;
}
