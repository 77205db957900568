// SPDX-License-Identifier: GPL-2.0-or-later
// `make lint-zip`: node build/tools/lint-zip.mjs ZIP [--proven FILE]
// Unpacks the zip and reviews it as extensions.gnome.org would (tools/zipReview.ts): one line
// per finding, exit status 1 when there is any. The shell versions it accepts are the ones the
// e2e suite proved (test/e2e/proven-versions.json).
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {type Finding, type ProvenVersions, type ZipFile, formatFinding, reviewZip} from './zipReview.js';

export const DEFAULT_PROVEN = 'test/e2e/proven-versions.json';

function filesUnder(dir: string, root = dir): ZipFile[] {
    return readdirSync(dir).flatMap(name => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? filesUnder(path, root) : [{path: relative(root, path), data: readFileSync(path)}];
    });
}

export function lintZip(zip: string, provenFile = DEFAULT_PROVEN): Finding[] {
    const proven = JSON.parse(readFileSync(provenFile, 'utf8')) as ProvenVersions;
    const dir = mkdtempSync(join(tmpdir(), 'lint-zip-'));
    try {
        execFileSync('unzip', ['-q', '-o', zip, '-d', dir], {stdio: ['ignore', 'ignore', 'pipe']});
        return reviewZip(filesUnder(dir), {proven});
    } finally {
        rmSync(dir, {recursive: true, force: true});
    }
}

function main(argv: string[]): number {
    const zip = argv[0];
    const provenAt = argv.indexOf('--proven');
    if (!zip || zip.startsWith('-')) {
        console.error('usage: node build/tools/lint-zip.mjs ZIP [--proven test/e2e/proven-versions.json]');
        return 2;
    }
    const findings = lintZip(zip, provenAt > 0 ? argv[provenAt + 1] : DEFAULT_PROVEN);
    for (const f of findings)
        console.log(`lint-zip: ${formatFinding(f)}`);
    console.log(findings.length === 0 ? `lint-zip: ${zip}: no findings` : `lint-zip: ${zip}: ${findings.length} finding(s)`);
    return findings.length === 0 ? 0 : 1;
}

if (process.argv[1] && /lint-zip\.(mjs|ts)$/.test(process.argv[1]))
    process.exitCode = main(process.argv.slice(2));
