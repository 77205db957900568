// SPDX-License-Identifier: GPL-2.0-or-later
// Translation helpers for the layers without a gettext of their own. The core and the transport
// also run in Node tests and tools, so the shell passes its translation functions in; texts
// written here for later display are marked with N_ so that xgettext finds them.
export type Translate = (message: string) => string;
export type TranslatePlural = (singular: string, plural: string, n: number) => string;

/** Marks an English text that is shown later through the extension's gettext; returns it as is. */
export function N_(text: string): string {
    return text;
}

/** English's own plural rule: what a caller without ngettext (tests, tools) gets. */
export const englishPlural: TranslatePlural = (singular, plural, n) => (n === 1 ? singular : plural);
