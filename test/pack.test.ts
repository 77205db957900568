// The zip `make pack` produces is what users install: it must hold the built extension and
// nothing of the build, and `gnome-extensions install` must take it.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
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

let entries: string[] = [];

beforeAll(() => {
    execFileSync('make', ['-s', 'pack'], {stdio: 'pipe'});
    entries = execFileSync('unzip', ['-Z1', ZIP], {encoding: 'utf8'}).trim().split('\n');
}, 120_000);

describe('the packed extension', () => {
    it('holds the built extension, its preferences, schema, icons and stylesheet', () => {
        for (const file of ['metadata.json', 'extension.js', 'prefs.js', 'stylesheet.css',
            'schemas/org.gnome.shell.extensions.swictation-shell.gschema.xml',
            'icons/swictation-recording-symbolic.svg', 'icons/swictation-offline-symbolic.svg'])
            expect(entries).toContain(file);
    });

    it('ships no sources, build scripts, maps or node_modules', () => {
        expect(entries.filter(e => /\.ts$|\.map$|node_modules|Makefile|package\.json|\.po$/.test(e))).toEqual([]);
    });

    it('is readable, not minified, and imports GNOME modules at run time', () => {
        const js = execFileSync('unzip', ['-p', ZIP, 'extension.js'], {encoding: 'utf8'});
        expect(js).toMatch(/^import .* from "gi:\/\/Gio";$/m);
        expect(js).toMatch(/^import .* from "resource:\/\/\/org\/gnome\/shell\/ui\/main\.js";$/m);
        expect(js.split('\n').length).toBeGreaterThan(500);
        expect(js).not.toMatch(/@girs\//);
        expect(js).not.toMatch(/\beval\(/);
    });

    it('has metadata without a version and with the shell versions it was run on', () => {
        const meta = JSON.parse(execFileSync('unzip', ['-p', ZIP, 'metadata.json'], {encoding: 'utf8'}));
        expect(meta.uuid).toBe(UUID);
        expect(meta.version).toBeUndefined();
        expect(meta['settings-schema']).toBe('org.gnome.shell.extensions.swictation-shell');
        expect(meta['shell-version'].every((v: string) => Number(v) >= 45)).toBe(true);
        expect(meta).toEqual(JSON.parse(readFileSync('metadata.json', 'utf8')));
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
            expect(existsSync(join(dir, 'extension.js'))).toBe(true);
            expect(existsSync(join(dir, 'metadata.json'))).toBe(true);
            expect(existsSync(join(dir, 'schemas/org.gnome.shell.extensions.swictation-shell.gschema.xml'))).toBe(true);
        });
    });
});
