// SPDX-License-Identifier: GPL-2.0-or-later
import type {Reporter, TestModule} from 'vitest/node';

// Ends the run with the plain "N passed, N failed" line that CI reads, whatever the runner.
export default class SummaryReporter implements Reporter {
    onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
        let passed = 0, failed = 0, skipped = 0;
        for (const module of testModules) {
            for (const test of module.children.allTests()) {
                const state = test.result().state;
                if (state === 'passed')
                    passed++;
                else if (state === 'failed')
                    failed++;
                else
                    skipped++;
            }
            if (module.state() === 'failed' && [...module.children.allTests()].length === 0)
                failed++;
        }
        console.log(`\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    }
}
