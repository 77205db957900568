// SPDX-License-Identifier: GPL-2.0-or-later
// The preferences' reads and writes of the daemon's files, run by real `gjs` (build/gjs/
// daemonFile.js) on files made to be refused: each gets a clear message, and the file and its
// folder are exactly as they were.
import {spawnSync} from 'node:child_process';
import {
    chmodSync, chownSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

const DRIVER = 'build/gjs/daemonFile.js';
const CORRECTIONS = readFileSync('test/fixtures/daemon/corrections.toml', 'utf8');
const CONFIG = readFileSync('test/fixtures/daemon/config.toml', 'utf8');
const NOBODY = 65534;
const root = process.getuid?.() === 0;

let dir: string;

beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swictation-files-'));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

function gjs(args: string[], asNobody = false): Record<string, unknown> {
    let program = DRIVER;
    let argv = ['gjs', '-m', program, dir, ...args];
    if (asNobody) {
        program = join(dir, '..', `${dir.split('/').pop()}-driver.js`);
        copyFileSync(DRIVER, program);
        chmodSync(program, 0o644);
        argv = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'gjs', '-m', program, dir, ...args];
    }
    const run = spawnSync(argv[0], argv.slice(1), {encoding: 'utf8', env: {...process.env, HOME: dir}});
    if (asNobody)
        rmSync(program);
    const line = run.stdout.split('\n').find(l => l.startsWith('{'));
    expect(line, run.stderr).toBeDefined();
    return JSON.parse(line!);
}

/** The folder's names, sizes and modification times, to see that nothing was written. */
function snapshot(): string {
    return readdirSync(dir).sort().map(f => {
        const s = statSync(join(dir, f));
        return `${f} ${s.size} ${s.mtimeMs}`;
    }).join('\n');
}

describe('the daemon\'s files, as the preferences read and write them', () => {
    it('learns a correction into the file with nothing left beside it', () => {
        writeFileSync(join(dir, 'corrections.toml'), CORRECTIONS);
        expect(gjs(['learn', 'Pie Torch', 'PyTorch'])).toMatchObject({ok: true});
        const text = readFileSync(join(dir, 'corrections.toml'), 'utf8');
        expect(text.startsWith(CORRECTIONS)).toBe(true);
        expect(text).toMatch(/original = "pie torch"\ncorrected = "PyTorch"\nmode = "all"/);
        expect(readdirSync(dir)).toEqual(['corrections.toml']);
    });

    it('changes the model in config.toml and nothing else', () => {
        writeFileSync(join(dir, 'config.toml'), CONFIG);
        expect(gjs(['model', '0.6b-cpu'])).toMatchObject({ok: true});
        expect(readFileSync(join(dir, 'config.toml'), 'utf8')).toBe(CONFIG.replace('stt_model_override = "auto"', 'stt_model_override = "0.6b-cpu"'));
    });

    it('never overwrites a file it cannot parse, and says what the parser said', () => {
        writeFileSync(join(dir, 'corrections.toml'), `${CORRECTIONS}\n[[corrections]\n`);
        const before = snapshot();
        const result = gjs(['learn', 'a', 'b']);
        expect(result).toMatchObject({ok: false});
        expect(result.message).toMatch(/Invalid TOML document.*line 32/);
        expect(snapshot()).toBe(before);
    });

    it('refuses a config.toml missing a required key, with the daemon\'s message', () => {
        writeFileSync(join(dir, 'config.toml'), CONFIG.replace(/^vad_threshold.*\n/m, ''));
        const before = snapshot();
        expect(gjs(['model', '0.6b-cpu']).message).toBe('Failed to parse config file: missing field `vad_threshold`');
        expect(snapshot()).toBe(before);
    });

    it('refuses a 10 MiB file without reading it', () => {
        writeFileSync(join(dir, 'corrections.toml'), `# ${'x'.repeat(10 * 1024 * 1024)}\n`);
        const before = snapshot();
        expect(gjs(['read', 'corrections.toml'])).toMatchObject({kind: 'refused'});
        expect(gjs(['learn', 'a', 'b']).message).toMatch(/corrections\.toml is 10\.0 MiB, too large .* up to 4 MiB/);
        expect(snapshot()).toBe(before);
    });

    it('refuses a symlink: neither the link nor what it points to is touched', () => {
        const elsewhere = join(dir, 'elsewhere.toml');
        writeFileSync(elsewhere, CORRECTIONS);
        symlinkSync(elsewhere, join(dir, 'corrections.toml'));
        const before = snapshot();
        expect(gjs(['learn', 'a', 'b']).message).toMatch(/corrections\.toml is a symbolic link/);
        expect(snapshot()).toBe(before);
        expect(readFileSync(elsewhere, 'utf8')).toBe(CORRECTIONS);
    });

    it.skipIf(!root)('refuses a file that belongs to another user', () => {
        writeFileSync(join(dir, 'corrections.toml'), CORRECTIONS);
        chownSync(join(dir, 'corrections.toml'), NOBODY, NOBODY);
        const before = snapshot();
        expect(gjs(['learn', 'a', 'b']).message).toMatch(/corrections\.toml belongs to another user/);
        expect(snapshot()).toBe(before);
    });

    it.skipIf(!root)('says the folder cannot be written when it is read-only, and leaves it as it was', () => {
        const folder = dir;
        writeFileSync(join(folder, 'corrections.toml'), CORRECTIONS);
        chownSync(folder, NOBODY, NOBODY);
        chownSync(join(folder, 'corrections.toml'), NOBODY, NOBODY);
        chmodSync(folder, 0o555);
        const before = snapshot();
        const result = gjs(['learn', 'a', 'b'], true);
        expect(result.message).toMatch(/^Could not write .*corrections\.toml: .*[Pp]ermission denied/);
        expect(snapshot()).toBe(before);
        chmodSync(folder, 0o755);
    });
});
