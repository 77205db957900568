// Bundles the extension, its preferences, the Node tools and the GJS test drivers.
// Usage: node build.mjs [extension|tools|gjs-tests|all]
import * as esbuild from 'esbuild';
import {cpSync, mkdirSync, readdirSync, rmSync, existsSync} from 'node:fs';
import {join} from 'node:path';

const GJS_EXTERNALS = ['gi://*', 'resource://*', 'gettext', 'system', 'cairo', 'console'];

// Shared by everything that runs inside GJS (the shell, prefs, and plain `gjs -m`).
const gjsOptions = {
    bundle: true,
    format: 'esm',
    target: 'firefox115',
    external: GJS_EXTERNALS,
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
};

async function buildExtension() {
    const out = 'dist';
    rmSync(out, {recursive: true, force: true});
    mkdirSync(out, {recursive: true});
    await esbuild.build({
        ...gjsOptions,
        entryPoints: {extension: 'src/extension.ts', prefs: 'src/prefs.ts'},
        outdir: out,
    });
    cpSync('metadata.json', join(out, 'metadata.json'));
    cpSync('schemas', join(out, 'schemas'), {recursive: true, filter: src => !src.endsWith('.compiled')});
    if (existsSync('icons'))
        cpSync('icons', join(out, 'icons'), {recursive: true});
    if (existsSync('src/stylesheet.css'))
        cpSync('src/stylesheet.css', join(out, 'stylesheet.css'));
}

async function buildTools() {
    const entries = {};
    for (const dir of ['tools', 'bench']) {
        if (!existsSync(dir))
            continue;
        for (const f of readdirSync(dir)) {
            if (f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('gjs-'))
                entries[`${dir}/${f.slice(0, -3)}`] = join(dir, f);
        }
    }
    if (Object.keys(entries).length === 0)
        return;
    await esbuild.build({
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        entryPoints: entries,
        outdir: 'build',
        outExtension: {'.js': '.mjs'},
        logLevel: 'warning',
    });
}

// GJS programs (test drivers, GJS benchmarks): each *.ts under these folders is one `gjs -m` program.
async function buildGjsPrograms() {
    const entries = {};
    for (const [dir, prefix] of [['test/gjs/drivers', 'gjs'], ['bench', 'bench']]) {
        if (!existsSync(dir))
            continue;
        for (const f of readdirSync(dir)) {
            if (f.endsWith('.ts') && (dir !== 'bench' || f.startsWith('gjs-')))
                entries[`${prefix}/${f.slice(0, -3)}`] = join(dir, f);
        }
    }
    if (Object.keys(entries).length === 0)
        return;
    await esbuild.build({...gjsOptions, entryPoints: entries, outdir: 'build'});
}

const what = process.argv[2] ?? 'all';
if (what === 'extension' || what === 'all')
    await buildExtension();
if (what === 'tools' || what === 'all')
    await buildTools();
if (what === 'gjs-tests' || what === 'all')
    await buildGjsPrograms();
