// SPDX-License-Identifier: GPL-2.0-or-later
// The review extensions.gnome.org gives a zip, as far as a program can give it: the rules its
// reviewers apply most often (gjs.guide, "Review Guidelines") and the analyzer's. Pure: it looks
// at the files of an unpacked zip, so each rule is tested on a zip built to break it.
import ts from 'typescript';

export interface ZipFile {
    path: string;
    data: Buffer;
}

export interface Finding {
    rule: RuleId;
    file: string;
    line?: number;
    message: string;
}

export type RuleId =
    | 'layout' | 'compiled-schema' | 'source' | 'minified' | 'sync-io' | 'shell-imports'
    | 'prefs-imports' | 'shell-version' | 'license' | 'console-log' | 'third-party';

/** Major version → how the e2e suite proved it (test/e2e/proven-versions.json). */
export type ProvenVersions = Record<string, {shell: string; date: string; result: string; root: string}>;

export interface ReviewOptions {
    proven: ProvenVersions;
}

const MAX_CODE_LINE = 200;
const LICENSE_FILES = ['LICENSE', 'COPYING'];

// What `gnome-extensions pack` puts in the zip of this extension, and nothing else.
function expectedPath(path: string, domain: string): boolean {
    return ['metadata.json', 'extension.js', 'prefs.js', 'stylesheet.css', ...LICENSE_FILES].includes(path)
        || /^(core|lib|transport|services|ui|prefs)\/[A-Za-z0-9_]+\.js$/.test(path)
        || /^third_party\/[a-z0-9-]+\/([a-z]+\.js|LICENSE)$/.test(path)
        || /^icons\/[a-z0-9-]+\.svg$/.test(path)
        || /^schemas\/[A-Za-z0-9.-]+\.gschema\.xml$/.test(path)
        || new RegExp(`^locale/[A-Za-z_@]+/LC_MESSAGES/${domain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.mo$`).test(path);
}

interface Module {
    path: string;
    source: ts.SourceFile;
    imports: Array<{spec: string; line: number}>;
}

function lineOf(source: ts.SourceFile, pos: number): number {
    return source.getLineAndCharacterOfPosition(pos).line + 1;
}

function parseModule(file: ZipFile): Module {
    const source = ts.createSourceFile(file.path, file.data.toString('utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const imports: Module['imports'] = [];
    const visit = (node: ts.Node) => {
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
            imports.push({spec: node.moduleSpecifier.text, line: lineOf(source, node.getStart(source))});
        else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0]))
            imports.push({spec: node.arguments[0].text, line: lineOf(source, node.getStart(source))});
        ts.forEachChild(node, visit);
    };
    visit(source);
    return {path: file.path, source, imports};
}

function resolveRelative(from: string, spec: string): string {
    const parts = from.split('/').slice(0, -1);
    for (const part of spec.split('/')) {
        if (part === '..')
            parts.pop();
        else if (part !== '.')
            parts.push(part);
    }
    return parts.join('/');
}

/** Every module reachable from `entry` through relative imports. */
function graph(entry: string, modules: Map<string, Module>): Module[] {
    const seen = new Set<string>();
    const order: Module[] = [];
    const walk = (path: string) => {
        const module = modules.get(path);
        if (!module || seen.has(path))
            return;
        seen.add(path);
        order.push(module);
        for (const {spec} of module.imports) {
            if (spec.startsWith('./') || spec.startsWith('../'))
                walk(resolveRelative(path, spec));
        }
    };
    walk(entry);
    return order;
}

/** Calls to a GI function that blocks the shell: `*_sync` (GLib.spawn_sync, Gio's *_sync), and the few sync ones without the suffix. */
const SYNC_CALL = /_sync$|^(file_get_contents|file_set_contents|load_contents|replace_contents)$/;

function calls(module: Module, pick: (callee: ts.Expression) => string | null): Array<{what: string; line: number}> {
    const found: Array<{what: string; line: number}> = [];
    const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node)) {
            const what = pick(node.expression);
            if (what)
                found.push({what, line: lineOf(module.source, node.getStart(module.source))});
        }
        ts.forEachChild(node, visit);
    };
    visit(module.source);
    return found;
}

function syncCall(callee: ts.Expression): string | null {
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : null;
    return name !== null && SYNC_CALL.test(name) ? callee.getText() : null;
}

function consoleLog(callee: ts.Expression): string | null {
    return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'console' && callee.name.text === 'log'
        ? 'console.log' : null;
}

// Code characters of a line: indentation and whole-line comments do not count.
function codeLength(line: string): number {
    const code = line.trim();
    return /^(\/\/|\/\*|\*)/.test(code) ? 0 : code.length;
}

export function reviewZip(files: ZipFile[], options: ReviewOptions): Finding[] {
    const findings: Finding[] = [];
    const byPath = new Map(files.map(f => [f.path, f]));
    const add = (rule: RuleId, file: string, message: string, line?: number) => findings.push({rule, file, message, line});

    let metadata: Record<string, unknown> = {};
    const metadataFile = byPath.get('metadata.json');
    if (!metadataFile) {
        add('layout', 'metadata.json', 'missing');
    } else {
        try {
            metadata = JSON.parse(metadataFile.data.toString('utf8'));
        } catch (e) {
            add('layout', 'metadata.json', `not JSON: ${e instanceof Error ? e.message : e}`);
        }
    }
    const domain = typeof metadata['gettext-domain'] === 'string' ? metadata['gettext-domain'] : String(metadata.uuid ?? '');

    for (const {path} of files) {
        if (path.endsWith('gschemas.compiled'))
            add('compiled-schema', path, 'GNOME 44 and later compile schemas at install; the zip must not carry a compiled one');
        else if (/\.(map|ts|mts|cts)$/.test(path))
            add('source', path, 'source maps and TypeScript sources do not belong in the zip');
        else if (!expectedPath(path, domain))
            add('layout', path, 'not a file this extension ships (built modules, metadata, stylesheet, icons, schema, translations, licence)');
    }
    for (const required of ['extension.js'])
        if (!byPath.has(required))
            add('layout', required, 'missing');

    const license = LICENSE_FILES.map(name => byPath.get(name)).find(f => f !== undefined);
    if (!license)
        add('license', 'LICENSE', 'no LICENSE or COPYING: extensions.gnome.org needs a GPL-2.0-or-later compatible licence in the zip');
    else if (!/GNU GENERAL PUBLIC LICENSE/.test(license.data.toString('utf8')))
        add('license', license.path, 'does not hold the GNU GPL text');

    const shellVersions = Array.isArray(metadata['shell-version']) ? metadata['shell-version'] as unknown[] : [];
    if (metadataFile && shellVersions.length === 0)
        add('shell-version', 'metadata.json', 'no shell-version list');
    for (const v of shellVersions) {
        if (typeof v !== 'string' || !Object.hasOwn(options.proven, v))
            add('shell-version', 'metadata.json', `shell-version ${JSON.stringify(v)} is not proven by the e2e suite (test/e2e/proven-versions.json has ${Object.keys(options.proven).join(', ') || 'none'})`);
    }

    const modules = new Map<string, Module>();
    for (const file of files) {
        if (!file.path.endsWith('.js'))
            continue;
        const module = parseModule(file);
        modules.set(file.path, module);
        if (/\/\/# sourceMappingURL=/.test(file.data.toString('utf8')))
            add('source', file.path, 'refers to a source map');
        file.data.toString('utf8').split('\n').forEach((line, i) => {
            if (codeLength(line) > MAX_CODE_LINE)
                add('minified', file.path, `${codeLength(line)} characters of code on one line: reviewers read every line`, i + 1);
        });
        const logger = file.path === 'logger.js' || file.path.endsWith('/logger.js');
        if (!logger) {
            for (const c of calls(module, consoleLog))
                add('console-log', file.path, 'console.log outside the logger module: log through the extension\'s logger', c.line);
        }
    }
    for (const module of modules.values()) {
        for (const {spec, line} of module.imports) {
            if ((spec.startsWith('./') || spec.startsWith('../')) && !modules.has(resolveRelative(module.path, spec)))
                add('layout', module.path, `imports ${spec}, which is not in the zip`, line);
        }
    }

    const shell = graph('extension.js', modules);
    const prefs = graph('prefs.js', modules);
    for (const module of modules.values()) {
        if (!shell.includes(module) && !prefs.includes(module))
            add('layout', module.path, 'no module of extension.js or prefs.js imports it');
    }
    // Third-party code sits in third_party/NAME/ beside its licence, for the preferences only.
    for (const dir of new Set(files.map(f => /^third_party\/[^/]+\//.exec(f.path)?.[0]).filter(d => d !== undefined))) {
        if (!byPath.has(`${dir}LICENSE`))
            add('third-party', dir, 'third-party code without its LICENSE beside it');
    }
    for (const module of shell) {
        if (module.path.startsWith('third_party/'))
            add('third-party', module.path, 'third-party code is for the preferences; the shell must not load it');
        for (const c of calls(module, syncCall))
            add('sync-io', module.path, `${c.what}() blocks the shell: use the async call`, c.line);
        for (const {spec, line} of module.imports) {
            if (/^gi:\/\/(Gtk|Adw|Gdk)(\?|$)/.test(spec) || spec.startsWith('resource:///org/gnome/Shell/Extensions/'))
                add('shell-imports', module.path, `${spec} is for the preferences process; the shell must not load it`, line);
        }
    }
    for (const module of prefs) {
        for (const {spec, line} of module.imports) {
            if (/^gi:\/\/(St|Clutter|Meta|Shell)(\?|$)/.test(spec) || spec.startsWith('resource:///org/gnome/shell/'))
                add('prefs-imports', module.path, `${spec} belongs to the shell; the preferences run in another process`, line);
        }
    }
    return findings;
}

export function formatFinding(f: Finding): string {
    return `${f.rule}: ${f.file}${f.line !== undefined ? `:${f.line}` : ''}: ${f.message}`;
}
