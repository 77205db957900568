// SPDX-License-Identifier: GPL-2.0-or-later
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    {ignores: ['node_modules/', 'dist/', 'build/', '**/*.d.ts']},
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            'no-eval': 'error',
            'no-implied-eval': 'error',
            'no-new-func': 'error',
            'eqeqeq': ['error', 'always', {null: 'ignore'}],
            'prefer-const': 'error',
            '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_'}],
        },
    },
    {
        // The pure core runs in Node tests, the shell and the tools alike: no GNOME imports.
        files: ['src/core/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', {
                patterns: [
                    {group: ['gi://*', 'resource://*'], message: 'src/core is pure TypeScript: no gi:// or resource:// imports.'},
                    {group: ['../lib/*', '../transport/*', '../services/*', '../ui/*', '../prefs/*', '../extension*', '../prefs*'], message: 'src/core must not depend on the layers above it.'},
                ],
            }],
        },
    },
    {
        // The transport talks Gio only: no St, Clutter or shell UI.
        files: ['src/transport/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', {
                patterns: [
                    {group: ['gi://St', 'gi://Clutter', 'gi://Meta', 'gi://Shell', 'resource:///org/gnome/shell/ui/*'], message: 'The transport layer has no UI.'},
                    {group: ['../ui/*', '../services/*', '../prefs/*'], message: 'The transport must not depend on the UI.'},
                ],
            }],
        },
    },
    {
        // GJS 1.80 drops callbacks during garbage collection: every source goes through the
        // timer layer, which notices a lost one and runs it.
        files: ['src/**/*.ts'],
        ignores: ['src/lib/timers.ts'],
        rules: {
            'no-restricted-properties': ['error',
                ...['timeout_add', 'timeout_add_seconds', 'idle_add', 'source_remove', 'timeout_source_new', 'idle_source_new'].map(property => ({
                    object: 'GLib', property, message: 'Schedule through src/lib/timers.ts (Timer, withDeadline).',
                }))],
        },
    },
    {
        // Logging and main-loop timers, for every layer above the core.
        files: ['src/lib/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', {
                patterns: [{group: ['gi://St', 'gi://Clutter', 'gi://Meta', 'gi://Shell', 'gi://Gtk', 'gi://Adw', 'resource://*', '../transport/*', '../services/*', '../ui/*', '../prefs/*'], message: 'src/lib sits below the transport: GLib and Gio only.'}],
            }],
        },
    },
    {
        // Views render what the services give them; they never talk to the daemon themselves.
        files: ['src/ui/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', {
                patterns: [{group: ['../transport/*'], message: 'Views import no transport: go through a service.'}],
            }],
        },
    },
    {
        files: ['src/prefs/**/*.ts', 'src/prefs.ts'],
        rules: {
            'no-restricted-imports': ['error', {
                patterns: [{group: ['../ui/*', '../services/*', './ui/*', './services/*'], message: 'The preferences run outside the shell: no views or services.'}],
            }],
        },
    },
    {
        files: ['build.mjs', 'eslint.config.js', 'tools/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'vitest.config.ts'],
        languageOptions: {globals: {process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly'}},
    },
);
