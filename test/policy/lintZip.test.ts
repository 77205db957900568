// SPDX-License-Identifier: GPL-2.0-or-later
// `make lint-zip` reviews the zip as extensions.gnome.org would. It passes on the zip `make pack`
// makes (test/globalSetup.ts), and each rule fails on a copy of that zip broken the way a
// reviewer would send it back.
import {execFileSync, spawnSync} from 'node:child_process';
import {appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {transformSync} from 'esbuild';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {lintZip} from '../../tools/lint-zip.js';
import type {RuleId} from '../../tools/zipReview.js';

const ZIP = 'build/swictation-shell@swictation.github.io.shell-extension.zip';
let work: string;
let unpacked: string;

beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'lint-zip-test-'));
    unpacked = join(work, 'good');
    execFileSync('unzip', ['-q', ZIP, '-d', unpacked]);
});
afterAll(() => rmSync(work, {recursive: true, force: true}));

let fixtures = 0;
/** A copy of the packed extension, changed by `breakIt`, zipped again. */
function brokenZip(breakIt: (dir: string) => void): string {
    const dir = join(work, `case-${++fixtures}`);
    cpSync(unpacked, dir, {recursive: true});
    breakIt(dir);
    const zip = join(work, `case-${fixtures}.zip`);
    execFileSync('zip', ['-qr', zip, '.'], {cwd: dir});
    return zip;
}

const rules = (zip: string, proven?: string) => [...new Set(lintZip(zip, proven).map(f => f.rule))];

describe('make lint-zip', () => {
    it('finds nothing in the zip make pack makes', () => {
        expect(lintZip(ZIP)).toEqual([]);
    });

    const cases: Array<[RuleId, string, (dir: string) => void]> = [
        ['layout', 'a file outside the expected set (a README, a test module)', dir => {
            writeFileSync(join(dir, 'README.md'), '# notes\n');
            writeFileSync(join(dir, 'core', 'format.test.js'), 'export {};\n');
        }],
        ['compiled-schema', 'a compiled schema', dir => {
            execFileSync('glib-compile-schemas', [join(dir, 'schemas')]);
        }],
        ['source', 'a TypeScript source and a source map', dir => {
            cpSync('src/services/controller.ts', join(dir, 'services', 'controller.ts'));
            writeFileSync(join(dir, 'extension.js.map'), '{"version":3}');
        }],
        ['minified', 'a minified module', dir => {
            const path = join(dir, 'services', 'controller.js');
            writeFileSync(path, transformSync(readFileSync(path, 'utf8'), {minify: true, format: 'esm'}).code);
        }],
        ['sync-io', 'a synchronous spawn in a module the shell loads', dir => {
            appendFileSync(join(dir, 'services', 'notifier.js'), '\nexport function version() {\n    return GLib.spawn_command_line_sync(\'daemon --version\');\n}\n');
        }],
        ['shell-imports', 'GTK imported by a module the shell loads', dir => {
            const path = join(dir, 'ui', 'sessionMenu.js');
            writeFileSync(path, `import Gtk from 'gi://Gtk';\n${readFileSync(path, 'utf8')}`);
        }],
        ['prefs-imports', 'St imported by a module of the preferences', dir => {
            const path = join(dir, 'prefs', 'socketRow.js');
            writeFileSync(path, `import St from 'gi://St';\n${readFileSync(path, 'utf8')}`);
        }],
        ['shell-version', 'a shell version the e2e suite never ran', dir => {
            const path = join(dir, 'metadata.json');
            const meta = JSON.parse(readFileSync(path, 'utf8'));
            meta['shell-version'] = [...meta['shell-version'], '45'];
            writeFileSync(path, JSON.stringify(meta));
        }],
        ['license', 'no licence', dir => {
            rmSync(join(dir, 'LICENSE'));
        }],
        ['console-log', 'console.log outside the logger module', dir => {
            appendFileSync(join(dir, 'services', 'controller.js'), '\nconsole.log(\'here\');\n');
        }],
    ];
    for (const [rule, what, breakIt] of cases) {
        it(`fails on ${what} (${rule}), and on nothing else`, () => {
            expect(rules(brokenZip(breakIt))).toEqual([rule]);
        });
    }

    it('leaves synchronous calls in the preferences alone: they run in their own process', () => {
        const zip = brokenZip(dir => appendFileSync(join(dir, 'prefs', 'socketRow.js'),
            '\nexport function read(path) {\n    return GLib.file_get_contents(path);\n}\n'));
        expect(rules(zip)).toEqual([]);
    });

    it('takes the proven versions from the e2e record: a version dropped from it fails the zip', () => {
        const proven = JSON.parse(readFileSync('test/e2e/proven-versions.json', 'utf8'));
        const listed: string[] = JSON.parse(readFileSync('metadata.json', 'utf8'))['shell-version'];
        delete proven[listed[0]];
        const file = join(work, 'proven.json');
        writeFileSync(file, JSON.stringify(proven));
        expect(rules(ZIP, file)).toEqual(['shell-version']);
    });

    // build/tools/lint-zip.mjs is built by `make test` (make build), as `make lint-zip` builds it.
    it('runs as `make lint-zip` does: exit status 0 on the packed zip, 1 with the findings listed on a broken one', () => {
        const good = spawnSync(process.execPath, ['build/tools/lint-zip.mjs', ZIP], {encoding: 'utf8'});
        expect(good.status).toBe(0);
        expect(good.stdout).toMatch(/no findings/);
        const bad = spawnSync(process.execPath, ['build/tools/lint-zip.mjs', brokenZip(dir => rmSync(join(dir, 'LICENSE')))], {encoding: 'utf8'});
        expect(bad.status).toBe(1);
        expect(bad.stdout).toMatch(/^lint-zip: license: LICENSE: /m);
    }, 60_000);
});
