// SPDX-License-Identifier: GPL-2.0-or-later
// The licence is stated where reviewers and tools look for it: the LICENSE file (also in the zip)
// and an SPDX line at the top of every source file, which the emitted modules keep.
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';

const SPDX = 'SPDX-License-Identifier: GPL-2.0-or-later';
const ZIP = 'build/swictation-shell@swictation.github.io.shell-extension.zip';

describe('licence', () => {
    it('has the GPL text in LICENSE', () => {
        expect(readFileSync('LICENSE', 'utf8')).toMatch(/GNU GENERAL PUBLIC LICENSE\s+Version 2, June 1991/);
    });

    it('names it in the first lines of every source file (tracked or new)', () => {
        const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {encoding: 'utf8'})
            .split('\n').filter(f => /\.(ts|js|mjs|cjs|css|sh)$/.test(f) || f === '.ci/run' || f === 'Makefile');
        expect(files.length).toBeGreaterThan(50);
        const missing = files.filter(f => !readFileSync(f, 'utf8').split('\n').slice(0, 2).some(l => l.includes(SPDX)));
        expect(missing).toEqual([]);
    });

    it('keeps it at the top of every module in the zip', () => {
        const modules = execFileSync('unzip', ['-Z1', ZIP], {encoding: 'utf8'}).split('\n').filter(f => f.endsWith('.js'));
        const missing = modules.filter(m => !execFileSync('unzip', ['-p', ZIP, m], {encoding: 'utf8'}).startsWith(`// ${SPDX}\n`));
        expect(missing).toEqual([]);
    });
});
