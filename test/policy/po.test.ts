// SPDX-License-Identifier: GPL-2.0-or-later
// Translations that ship: the template holds every string of src/ (so `make pot` was run), and
// every language in po/ translates all of them, plurals included, and compiles cleanly.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';

const POT = 'po/swictation-shell.pot';
const languages = readdirSync('po').filter(f => f.endsWith('.po'));

function msgids(catalogue: string): string[] {
    // One line per message: msgid, and its plural after a NUL.
    const text = execFileSync('msgcat', ['--no-wrap', '--no-location', '--sort-output', catalogue], {encoding: 'utf8'});
    return [...text.matchAll(/^msgid (".*")\n(?:msgid_plural (".*")\n)?/gm)]
        .map(m => JSON.parse(m[1]) + (m[2] ? `\0${JSON.parse(m[2])}` : ''))
        .filter(id => id !== '');
}

describe('translations', () => {
    it('has a template with every translatable string of src/ (run `make pot` after changing strings)', () => {
        const dir = mkdtempSync(join(tmpdir(), 'swictation-pot-'));
        try {
            const fresh = join(dir, 'fresh.pot');
            execFileSync('make', ['-s', 'pot', `POT=${fresh}`]);
            expect(msgids(POT)).toEqual(msgids(fresh));
        } finally {
            rmSync(dir, {recursive: true, force: true});
        }
    });

    it('ships at least one language', () => {
        expect(languages).toContain('de.po');
    });

    for (const po of languages) {
        it(`${po}: translates every message of the template, nothing fuzzy, and compiles with format checks`, () => {
            const cmp = spawnSync('msgcmp', ['--use-untranslated', `po/${po}`, POT], {encoding: 'utf8'});
            expect(cmp.stderr, 'every msgid of the template is in the catalogue').toBe('');
            const stats = spawnSync('msgfmt', ['--check', '--statistics', '-o', '/dev/null', `po/${po}`], {encoding: 'utf8'});
            expect(stats.status, stats.stderr).toBe(0);
            expect(stats.stderr.trim()).toMatch(/^\d+ translated messages?\.$/);
            expect(readFileSync(`po/${po}`, 'utf8')).toMatch(/^"Plural-Forms: nplurals=\d+; plural=.*;\\n"$/m);
        });
    }
});
