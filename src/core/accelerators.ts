// SPDX-License-Identifier: GPL-2.0-or-later
// Accelerator strings as GSettings holds them ('<Shift><Super>d'), compared for the keys they
// mean: two of our shortcuts on the same keys would both fire at every press.

const MODIFIER_ALIASES: Readonly<Record<string, string>> = {
    ctrl: 'control', ctl: 'control', primary: 'control', control: 'control',
    alt: 'alt', mod1: 'alt', shift: 'shift', super: 'super', mod4: 'super', hyper: 'hyper', meta: 'meta',
};

/** The modifiers, aliases folded and sorted, then the key, lower case; null when unset. */
function canonical(accelerator: string | undefined): string | null {
    if (!accelerator)
        return null;
    const modifiers = new Set<string>();
    const key = accelerator.replace(/<([^>]+)>/g, (_m, name: string) => {
        const lower = name.toLowerCase();
        modifiers.add(MODIFIER_ALIASES[lower] ?? lower);
        return '';
    }).trim().toLowerCase();
    return key ? [...[...modifiers].sort(), key].join('+') : null;
}

export function sameAccelerator(a: string | undefined, b: string | undefined): boolean {
    const left = canonical(a);
    return left !== null && left === canonical(b);
}
