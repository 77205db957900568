// SPDX-License-Identifier: GPL-2.0-or-later
import {spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';

function accepts(message: string): boolean {
    const file = join(mkdtempSync(join(tmpdir(), 'swictation-msg-')), 'COMMIT_EDITMSG');
    writeFileSync(file, message);
    return spawnSync('tools/git-hooks/commit-msg', [file]).status === 0;
}

describe('the commit-msg hook', () => {
    it('takes "area: summary" subjects of at most 72 characters', () => {
        expect(accepts('transport: retry after a lost read\n\nThe body may be long.\n')).toBe(true);
        expect(accepts('po, ui: translate the switch\n')).toBe(true);
        expect(accepts('README: a short page for users\n')).toBe(true);
        expect(accepts(`ui: ${'x'.repeat(68)}\n`)).toBe(true);
    });

    it('refuses subjects without an area, or longer than 72 characters', () => {
        expect(accepts('Fix the menu\n')).toBe(false);
        expect(accepts('WIP issue 13: superseded metrics\n')).toBe(false);
        expect(accepts(`ui: ${'x'.repeat(69)}\n`)).toBe(false);
    });
});
