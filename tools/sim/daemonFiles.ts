// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon's own files, used the way the daemon uses them (docs/daemon-files.md): config.toml
// read once at start, refused with the daemon's message when a key is missing or of the wrong
// type; corrections.toml loaded at start and again whenever something in its folder changes,
// its exact corrections of mode `all` applied to every segment.
import * as fs from 'node:fs';
import {join} from 'node:path';

import {type Correction, applyExact} from '../../src/core/corrections.js';
import {CORRECTIONS_FILE, readCorrections} from '../../src/core/correctionsFile.js';
import {CONFIG_FILE, type ConfigValues, readConfig} from '../../src/core/daemonConfig.js';

/** Where the daemon keeps them: $XDG_CONFIG_HOME/swictation, else ~/.config/swictation. */
export function defaultConfigDir(env: NodeJS.ProcessEnv): string | null {
    const base = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, '.config') : null);
    return base ? join(base, 'swictation') : null;
}

function readText(path: string): string | null {
    try {
        return fs.readFileSync(path, 'utf8');
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT')
            return null;
        throw e;
    }
}

export class DaemonFiles {
    /** The settings read at start; null while the file does not exist (the daemon's defaults). */
    config: ConfigValues | null = null;
    private corrections: Correction[] = [];
    private watcher: fs.FSWatcher | null = null;

    constructor(private readonly dir: string, private readonly log: (msg: string) => void) {}

    /** Reads config.toml as the daemon does at start: an Error carries the daemon's message. */
    readConfig(): void {
        const text = readText(join(this.dir, CONFIG_FILE));
        if (text === null) {
            this.config = null;
            return;
        }
        const read = readConfig(text);
        if (!read.ok)
            throw new Error(read.error);
        this.config = read.values;
    }

    /** Loads the corrections and follows the folder, as the daemon's watcher does. */
    watch(): void {
        this.reload();
        if (this.watcher || !fs.existsSync(this.dir))
            return;
        this.watcher = fs.watch(this.dir, () => this.reload());
    }

    stop(): void {
        this.watcher?.close();
        this.watcher = null;
    }

    apply(text: string): string {
        return applyExact(text, this.corrections);
    }

    private reload(): void {
        let text: string | null;
        try {
            text = readText(join(this.dir, CORRECTIONS_FILE));
        } catch (e) {
            this.log(`Failed to reload corrections: ${(e as Error).message}`);
            return;
        }
        // Like the daemon: a file that fails to load leaves no corrections at all.
        const read = readCorrections(text ?? '');
        this.corrections = read.ok ? read.corrections : [];
        this.log(read.ok ? `corrections: ${this.corrections.length} loaded` : `Failed to load corrections: ${read.error}`);
    }
}
