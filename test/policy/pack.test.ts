// SPDX-License-Identifier: GPL-2.0-or-later
// The zip `make pack` produces is what users install and what extensions.gnome.org reviewers
// read: `gnome-extensions pack`'s layout, one readable module per TypeScript module, the
// translations compiled, the licence, and nothing of the build. test/globalSetup.ts packs it.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

const UUID = 'swictation-shell@swictation.github.io';
const ZIP = `build/${UUID}.shell-extension.zip`;
const hasCli = (() => {
    try {
        execFileSync('gnome-extensions', ['version'], {stdio: 'ignore'});
        return true;
    } catch {
        return false;
    }
})();

function filesUnder(dir: string): string[] {
    return readdirSync(dir).flatMap(name => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

const unzipText = (file: string) => execFileSync('unzip', ['-p', ZIP, file], {encoding: 'utf8'});
let entries: string[] = [];

beforeAll(() => {
    entries = execFileSync('unzip', ['-Z1', ZIP], {encoding: 'utf8'}).trim().split('\n').filter(e => !e.endsWith('/'));
});

describe('the packed extension', () => {
    it('has exactly the layout gnome-extensions pack makes of the build: modules, metadata, stylesheet, icons, schema, translations, licence', () => {
        // A module of types only has no JavaScript: nothing to ship.
        const typesOnly = (f: string) => !/^(export\s+)?(const|let|function|class|async|default|enum|abstract)\b/m.test(readFileSync(f, 'utf8'));
        const modules = filesUnder('src').filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts') && !typesOnly(f))
            .map(f => f.slice('src/'.length).replace(/\.ts$/, '.js'));
        const icons = readdirSync('icons').map(f => `icons/${f}`);
        const locales = readdirSync('po').filter(f => f.endsWith('.po')).map(f => `locale/${f.slice(0, -3)}/LC_MESSAGES/swictation-shell.mo`);
        const expected = ['metadata.json', 'stylesheet.css', 'LICENSE', 'schemas/org.gnome.shell.extensions.swictation-shell.gschema.xml',
            ...modules, ...icons, ...locales];
        expect(locales).toContain('locale/de/LC_MESSAGES/swictation-shell.mo');
        expect([...entries].sort()).toEqual(expected.sort());
    });

    it('carries no compiled schema (GNOME 44 and later compile it at install), sources, maps or build files', () => {
        expect(entries.filter(e => /gschemas\.compiled$|\.ts$|\.map$|node_modules|Makefile|package\.json|\.po$|\.pot$/.test(e))).toEqual([]);
    });

    it('has one readable ES module per TypeScript module: imports kept relative, comments kept, 4-space indentation', () => {
        for (const entry of entries.filter(e => e.endsWith('.js'))) {
            const js = unzipText(entry);
            const ts = readFileSync(join('src', entry.replace(/\.js$/, '.ts')), 'utf8');
            // Every comment line of the source is in the module, in the same order.
            const comments = ts.split('\n').map(l => l.trim()).filter(l => l.startsWith('//'));
            const jsLines = js.split('\n').map(l => l.trim());
            let at = 0;
            for (const comment of comments) {
                const found = jsLines.indexOf(comment, at);
                expect(found, `${entry}: comment "${comment}" kept`).toBeGreaterThanOrEqual(0);
                at = found + 1;
            }
            // Blank lines separate what they separated in the source (within a few elided type declarations).
            const blanks = (text: string) => text.split('\n').filter(l => l.trim() === '').length;
            expect(blanks(js), `${entry}: blank lines kept`).toBeGreaterThanOrEqual(blanks(ts) * 0.6 - 1);
            expect(js.split('\n').filter(l => /^ +/.test(l) && (l.length - l.trimStart().length) % 4 !== 0 && !/^\s*\*/.test(l)), `${entry}: 4-space indentation`).toEqual([]);
            expect(js, entry).not.toMatch(/^\s*var\s|\b\w+_\d+\b\(|@girs\/|\beval\(/m);
            expect(js, entry).not.toMatch(/^(import|export)\b.*\bfrom\s+['"]\.\.?\/[^'"]*\.ts['"]/m);
        }
        const extension = unzipText('extension.js');
        expect(extension).toMatch(/^import .* from 'resource:\/\/\/org\/gnome\/shell\/extensions\/extension\.js';$/m);
        expect(extension).toMatch(/^import \{ Controller \} from '\.\/services\/controller\.js';$/m);
        expect(unzipText('transport/metricsConnection.js')).toMatch(/^import Gio from 'gi:\/\/Gio';$/m);
    });

    it('has metadata without a version, with description, url and version name from package.json', () => {
        const meta = JSON.parse(unzipText('metadata.json'));
        const source = JSON.parse(readFileSync('metadata.json', 'utf8'));
        const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
        expect(meta.uuid).toBe(UUID);
        expect(meta.version).toBeUndefined();
        expect(meta['settings-schema']).toBe('org.gnome.shell.extensions.swictation-shell');
        expect(meta).toEqual({...source, description: pkg.description, url: pkg.homepage, 'version-name': pkg.version});
        expect(meta.description).toMatch(/clipboard/);
        expect(meta.description).toMatch(/socket/);
        expect(meta['version-name']).toMatch(/^\d+\.\d+(\.\d+)?$/);
        // Exactly the versions the e2e suite proved: no more (lint-zip), and none left out.
        const proven = Object.keys(JSON.parse(readFileSync('test/e2e/proven-versions.json', 'utf8')));
        expect([...meta['shell-version']].sort()).toEqual(proven.sort());
    });

    it('ships the German catalogue compiled, plurals included', () => {
        const dir = mkdtempSync(join(tmpdir(), 'swictation-mo-'));
        try {
            execFileSync('unzip', ['-q', ZIP, 'locale/de/LC_MESSAGES/swictation-shell.mo', '-d', dir]);
            const po = execFileSync('msgunfmt', [join(dir, 'locale/de/LC_MESSAGES/swictation-shell.mo')], {encoding: 'utf8'});
            expect(po).toMatch(/msgid "Idle"\nmsgstr "Bereit"/);
            expect(po).toMatch(/msgid "%d word"\nmsgid_plural "%d words"\nmsgstr\[0\] "%d Wort"\nmsgstr\[1\] "%d Wörter"/);
        } finally {
            rmSync(dir, {recursive: true, force: true});
        }
    });

    describe('gnome-extensions install', () => {
        let home: string;
        beforeAll(() => {
            home = mkdtempSync(join(tmpdir(), 'swictation-home-'));
        });
        afterAll(() => rmSync(home, {recursive: true, force: true}));

        it.skipIf(!hasCli && !process.env.CI)('accepts the zip and installs it per user', () => {
            execFileSync('gnome-extensions', ['install', '--force', ZIP], {env: {...process.env, HOME: home, XDG_DATA_HOME: join(home, '.local/share')}, stdio: 'pipe'});
            const dir = join(home, '.local/share/gnome-shell/extensions', UUID);
            for (const file of ['extension.js', 'services/controller.js', 'metadata.json', 'LICENSE', 'locale/de/LC_MESSAGES/swictation-shell.mo',
                'schemas/org.gnome.shell.extensions.swictation-shell.gschema.xml'])
                expect(existsSync(join(dir, file)), file).toBe(true);
        });
    });
});
