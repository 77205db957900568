// SPDX-License-Identifier: GPL-2.0-or-later
// The driver's virtual keyboard reaches the shell: Super opens the overview, Escape closes it.
import type {Scenario} from '../driver.js';

export const keyboard: Scenario = {
    name: 'keyboard',
    async run({shell, t}) {
        await shell.pressKeys(['Super_L']);
        t.ok(await shell.waitFor('Main.overview.visible').catch(() => false), 'Super opens the overview');
        await shell.pressKeys(['Escape']);
        t.ok(await shell.waitFor('!Main.overview.visible').catch(() => false), 'Escape closes it');
        await shell.hideOverview();
    },
};
