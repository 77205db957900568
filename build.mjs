// SPDX-License-Identifier: GPL-2.0-or-later
// Builds the extension, its preferences, the Node tools and the GJS test drivers.
// Usage: node build.mjs [extension|tools|gjs-tests|all]
//
// The extension is what users install and extensions.gnome.org reviewers read, so it is not
// bundled: each src/**/*.ts becomes one ES module at the same relative path, with TypeScript's
// own emitter (types removed, comments and blank lines kept, 4-space indentation, syntax left
// as written). The tools and the GJS test programs never ship, so they stay esbuild bundles.
import * as esbuild from 'esbuild';
import ts from 'typescript';
import {cpSync, mkdirSync, readdirSync, readFileSync, rmSync, existsSync, statSync, writeFileSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';

// npm packages the preferences use, shipped as their own readable modules with their licence:
// a bare import of one becomes a relative import of its copy in third_party/.
export const VENDORED = {
    'smol-toml': {from: 'node_modules/smol-toml', files: /^dist\/[a-z]+\.js$|^LICENSE$/, entry: 'dist/index.js'},
};

const GJS_EXTERNALS = ['gi://*', 'resource://*', 'gettext', 'system', 'cairo', 'console'];

// Shared by the GJS programs that are bundled (plain `gjs -m` test drivers and benchmarks).
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

// tsc drops blank lines; a marker comment on each one survives the emit and becomes a blank
// line again. Lines inside template literals are text, not layout, and are left alone.
const BLANK = '//@@blank-line@@';

function templateRanges(file) {
    const ranges = [];
    const visit = node => {
        if (node.kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral || node.kind === ts.SyntaxKind.TemplateExpression)
            ranges.push([node.getStart(file), node.end]);
        ts.forEachChild(node, visit);
    };
    visit(file);
    return ranges;
}

// The file's opening comment survives only as a "detached" comment, i.e. one followed by a
// real blank line; then the blank line is put back if the source had one there.
function headerLength(lines) {
    let n = 0;
    while (n < lines.length && lines[n].trim().startsWith('//'))
        n++;
    return n;
}

function markBlankLines(source, fileName) {
    const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
    const inTemplate = templateRanges(file);
    const header = headerLength(source.split('\n'));
    let offset = 0;
    const lines = source.split('\n').map((line, i) => {
        const start = offset;
        offset += line.length + 1;
        if (line.trim() !== '' || i === header || inTemplate.some(([a, b]) => start > a && start < b))
            return line;
        return BLANK;
    });
    if (header > 0 && lines[header] !== undefined && lines[header].trim() !== '')
        lines.splice(header, 0, '');
    return lines.join('\n');
}

function unmarkBlankLines(js, source) {
    const lines = js.split('\n').map(line => line.includes(BLANK) ? line.replace(BLANK, '').trimEnd() : line);
    const sourceLines = source.split('\n');
    const header = headerLength(sourceLines);
    if (header > 0 && sourceLines[header]?.trim() === '' && headerLength(lines) === header && lines[header].trim() !== '')
        lines.splice(header, 0, '');
    return lines.join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .replace(/^\n+/, '').replace(/\n+$/, '\n');
}

const transpileOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    verbatimModuleSyntax: true,
    useDefineForClassFields: true,
    removeComments: false,
    sourceMap: false,
    newLine: ts.NewLineKind.LineFeed,
};

function sourcesUnder(dir) {
    return readdirSync(dir).flatMap(name => {
        const path = join(dir, name);
        if (statSync(path).isDirectory())
            return sourcesUnder(path);
        return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
    });
}

function vendoredImports(js, modulePath) {
    const up = '../'.repeat(modulePath.split('/').length - 1) || './';
    return js.replace(/(\bfrom\s+)'([^'./][^']*)'/g, (all, from, spec) => {
        const pkg = VENDORED[spec];
        return pkg ? `${from}'${up}third_party/${spec}/${pkg.entry.split('/').pop()}'` : all;
    });
}

// A package's files flattened into third_party/NAME/ (its modules import each other relatively).
function copyVendored(out) {
    for (const [name, pkg] of Object.entries(VENDORED)) {
        const files = [...readdirSync(pkg.from), ...readdirSync(join(pkg.from, 'dist')).map(f => `dist/${f}`)]
            .filter(f => pkg.files.test(f));
        mkdirSync(join(out, 'third_party', name), {recursive: true});
        for (const f of files)
            cpSync(join(pkg.from, f), join(out, 'third_party', name, f.split('/').pop()));
    }
}

/** One readable ES module per TypeScript module of src/, at the same path under `out`. */
export function transpileTree(srcDir, out) {
    const written = [];
    for (const path of sourcesUnder(srcDir)) {
        const source = readFileSync(path, 'utf8');
        const {outputText, diagnostics} = ts.transpileModule(markBlankLines(source, path), {
            compilerOptions: transpileOptions,
            fileName: path,
            reportDiagnostics: true,
        });
        if (diagnostics?.length)
            throw new Error(`${path}: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}`);
        // A module of types only (interfaces) has nothing to run, and nothing imports it at run time.
        if (/^(export \{\};|\s)*$/.test(outputText.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')))
            continue;
        const target = join(out, relative(srcDir, path)).replace(/\.ts$/, '.js');
        mkdirSync(dirname(target), {recursive: true});
        writeFileSync(target, vendoredImports(unmarkBlankLines(outputText, source), relative(srcDir, path)));
        written.push(target);
    }
    return written;
}

// metadata.json in the repository holds what only the extension knows; the description, the
// project's home and the version name come from package.json, so they are written in one place.
function metadata() {
    const meta = JSON.parse(readFileSync('metadata.json', 'utf8'));
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    for (const key of ['description', 'url', 'version-name', 'version']) {
        if (key in meta)
            throw new Error(`metadata.json: "${key}" comes from package.json (or, for "version", from extensions.gnome.org)`);
    }
    return {...meta, description: pkg.description, url: pkg.homepage, 'version-name': pkg.version};
}

async function buildExtension() {
    const out = 'dist';
    rmSync(out, {recursive: true, force: true});
    mkdirSync(out, {recursive: true});
    transpileTree('src', out);
    copyVendored(out);
    writeFileSync(join(out, 'metadata.json'), `${JSON.stringify(metadata(), null, 2)}\n`);
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
        // The zip review parses JavaScript with TypeScript's parser, taken from node_modules.
        external: ['typescript'],
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
