// SPDX-License-Identifier: GPL-2.0-or-later
// Translation helpers for the layers that also run in Node, so the shell passes its gettext in.
export type Translate = (message: string) => string;
export type TranslatePlural = (singular: string, plural: string, n: number) => string;

export function N_(text: string): string {
    return text;
}

export const englishPlural: TranslatePlural = (singular, plural, n) => (n === 1 ? singular : plural);
