// SPDX-License-Identifier: GPL-2.0-or-later
import {defineConfig} from 'vitest/config';

export default defineConfig({
    test: {
        include: ['test/**/*.test.ts'],
        globalSetup: ['test/globalSetup.ts'],
        reporters: ['default', './test/reporters/summary.ts'],
        exclude: ['test/e2e/**', 'node_modules/**'],
        testTimeout: 30_000,
        hookTimeout: 60_000,
    },
});
