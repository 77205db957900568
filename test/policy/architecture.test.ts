// SPDX-License-Identifier: GPL-2.0-or-later
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';

function tsFiles(dir: string): string[] {
    return readdirSync(dir).flatMap(name => {
        const path = join(dir, name);
        if (statSync(path).isDirectory())
            return tsFiles(path);
        return name.endsWith('.ts') ? [path] : [];
    });
}

const importRe = /(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(path: string): string[] {
    const src = readFileSync(path, 'utf8');
    return [...src.matchAll(importRe)].map(m => m[1] ?? m[2]);
}

describe('layering', () => {
    it('keeps src/core free of GNOME imports so it runs in Node, GJS and the shell alike', () => {
        const files = tsFiles('src/core');
        expect(files.length).toBeGreaterThan(0);
        const offenders = files.flatMap(f => importsOf(f)
            .filter(spec => spec.startsWith('gi://') || spec.startsWith('resource://') || /\.\.\/(lib|transport|services|ui|prefs)\//.test(spec))
            .map(spec => `${f}: ${spec}`));
        expect(offenders).toEqual([]);
    });

    it('keeps the transport free of St, Clutter and shell UI', () => {
        const offenders = tsFiles('src/transport').flatMap(f => importsOf(f)
            .filter(spec => /^gi:\/\/(St|Clutter|Meta|Shell)$/.test(spec) || /\/(ui|services)\//.test(spec))
            .map(spec => `${f}: ${spec}`));
        expect(offenders).toEqual([]);
    });

    it('keeps the views off the transport: they go through the services', () => {
        const offenders = tsFiles('src/ui').flatMap(f => importsOf(f)
            .filter(spec => spec.includes('/transport/'))
            .map(spec => `${f}: ${spec}`));
        expect(offenders).toEqual([]);
    });

    it('keeps the preferences off the views and the services, which need the shell', () => {
        const offenders = [...tsFiles('src/prefs'), 'src/prefs.ts'].flatMap(f => importsOf(f)
            .filter(spec => /\/(ui|services)\//.test(spec))
            .map(spec => `${f}: ${spec}`));
        expect(offenders).toEqual([]);
    });

    it('keeps src/lib below the transport, the services and the views', () => {
        const offenders = tsFiles('src/lib').flatMap(f => importsOf(f)
            .filter(spec => /^gi:\/\/(St|Clutter|Meta|Shell|Gtk|Adw)$/.test(spec) || /\/(transport|services|ui|prefs)\//.test(spec))
            .map(spec => `${f}: ${spec}`));
        expect(offenders).toEqual([]);
    });

    it('names every registered GObject class with the extension\'s prefix, so no other extension collides', () => {
        const unnamed = [...tsFiles('src'), 'src/prefs.ts', 'src/extension.ts'].filter(f => f.endsWith('.ts')).flatMap(f => {
            const src = readFileSync(f, 'utf8');
            return [...src.matchAll(/registerClass\(\s*(\{[^]*?\}\s*,\s*)?class (\w+)/g)]
                .filter(m => !/GTypeName: 'Swictation\w+'/.test(m[1] ?? ''))
                .map(m => `${f}: ${m[2]}`);
        });
        expect(unnamed).toEqual([]);
    });
});
