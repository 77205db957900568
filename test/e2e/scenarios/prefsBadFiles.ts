// SPDX-License-Identifier: GPL-2.0-or-later
// Preferences → Corrections and → Speech on daemon files they must not change: one that does not
// parse, a config.toml missing a key, a 10 MiB file, a symlink, a file of another user, a
// read-only folder. Each time both pages run in a GTK process of the session
// (build/gjs/prefsBadFiles.js), which also tries to save a correction; the page says why, and
// the folder is byte for byte as it was.
import {chmodSync, chownSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import type {Scenario, Session} from '../driver.js';

interface Report {
    corrections: string;
    note: string;
    speech: string;
    speechEditable: boolean;
}

interface Case {
    name: string;
    /** The pages also try to learn a correction (not where the corrections file is fine). */
    learn: boolean;
    /** Puts the files in place (the folder exists, empty, the tester's). */
    setup(dir: string, s: Session): void;
    /** What the pages must say, as [field, pattern]. */
    expect: Array<['corrections' | 'note' | 'speech', RegExp]>;
    /** Whether the Speech page lets the user change anything. */
    speechEditable?: boolean;
}

const fixture = (s: Session, name: string) => readFileSync(join(s.repo, 'test/fixtures/daemon', name), 'utf8');

function mine(s: Session, path: string): void {
    chownSync(path, s.testerUid, s.testerUid);
}

function writeMine(s: Session, path: string, text: string): void {
    writeFileSync(path, text);
    mine(s, path);
}

// Each file's name, size and bytes, a link's target: anything written shows.
function snapshot(dir: string): string {
    return readdirSync(dir).sort().map(f => {
        const st = statSync(join(dir, f), {throwIfNoEntry: false});
        return `${f} ${st?.size} ${st?.mtimeMs} ${st?.isFile() ? readFileSync(join(dir, f)).toString('base64').length : ''}`;
    }).join('\n');
}

const CASES: Case[] = [
    {
        name: 'a corrections.toml that does not parse',
        learn: true,
        setup: (dir, s) => writeMine(s, join(dir, 'corrections.toml'), `${fixture(s, 'corrections.toml')}\n[[corrections]\n`),
        expect: [['corrections', /^corrections\.toml cannot be used: Invalid TOML document.*\(line 32, column \d+\)\. .*will not overwrite it\.$/],
            ['note', /^corrections\.toml cannot be used: Invalid TOML document/]],
    },
    {
        name: 'a config.toml missing a key',
        learn: false,
        setup: (dir, s) => writeMine(s, join(dir, 'config.toml'), fixture(s, 'config.toml').replace(/^vad_threshold.*\n/m, '')),
        expect: [['speech', /^The daemon cannot start with this file: Failed to parse config file: missing field `vad_threshold`$/]],
        speechEditable: false,
    },
    {
        name: 'a 10 MiB corrections.toml',
        learn: true,
        setup: (dir, s) => writeMine(s, join(dir, 'corrections.toml'), `# ${'x'.repeat(10 * 1024 * 1024)}\n`),
        expect: [['corrections', /corrections\.toml is 10\.0 MiB, too large to be the daemon’s file/], ['note', /is 10\.0 MiB/]],
    },
    {
        name: 'a corrections.toml that is a symlink',
        learn: true,
        setup: (dir, s) => {
            writeMine(s, join(dir, 'elsewhere.toml'), fixture(s, 'corrections.toml'));
            symlinkSync('elsewhere.toml', join(dir, 'corrections.toml'));
        },
        expect: [['corrections', /corrections\.toml is a symbolic link/], ['note', /is a symbolic link/]],
    },
    {
        name: 'a corrections.toml of another user',
        learn: true,
        setup: (dir, s) => writeFileSync(join(dir, 'corrections.toml'), fixture(s, 'corrections.toml')),
        expect: [['corrections', /corrections\.toml belongs to another user/], ['note', /belongs to another user/]],
    },
    {
        name: 'a read-only folder',
        learn: true,
        setup: (dir, s) => {
            writeMine(s, join(dir, 'corrections.toml'), fixture(s, 'corrections.toml'));
            writeMine(s, join(dir, 'config.toml'), fixture(s, 'config.toml'));
            chmodSync(dir, 0o555);
        },
        expect: [['corrections', /^Could not write .*corrections\.toml: .*[Pp]ermission denied/], ['note', /^Could not write/]],
    },
];

export const prefsBadFiles: Scenario = {
    name: 'prefsBadFiles',
    timeoutMs: 150_000,
    async run({shell, t, session}) {
        const dir = join(session.root, session.sessionDir, 'home/.config/swictation');
        const program = `${session.sessionDir}/work/prefsBadFiles.js`;
        copyFileSync(join(session.repo, 'build/gjs/prefsBadFiles.js'), join(session.root, program));
        const schemaDir = `${session.sessionDir}/home/.local/share/gnome-shell/extensions/${session.uuid}/schemas`;
        for (const c of CASES) {
            rmSync(dir, {recursive: true, force: true});
            mkdirSync(dir, {recursive: true});
            mine(session, join(dir, '..'));
            mine(session, dir);
            c.setup(dir, session);
            const before = snapshot(dir);
            const run = await shell.runInSession(['gjs', '-m', program, schemaDir, c.learn ? 'learn' : 'look']);
            const line = run.stdout.split('\n').find(l => l.startsWith('{'));
            const report = line ? JSON.parse(line) as Report : null;
            t.ok(report !== null, `${c.name}: the pages ran`, run.stderr);
            for (const [field, pattern] of report ? c.expect : [])
                t.ok(pattern.test(report![field]), `${c.name}: ${field} says ${pattern}`, report![field]);
            if (report && c.speechEditable !== undefined)
                t.equal(report.speechEditable, c.speechEditable, `${c.name}: the Speech page ${c.speechEditable ? 'can' : 'cannot'} be changed`);
            t.equal(snapshot(dir), before, `${c.name}: nothing written, nothing lost`);
            chmodSync(dir, 0o755);
        }
        rmSync(dir, {recursive: true, force: true});
    },
};
