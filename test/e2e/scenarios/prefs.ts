// SPDX-License-Identifier: GPL-2.0-or-later
// The preferences window opens from the installed extension, as "Preferences" in the menu or
// `gnome-extensions prefs` would open it, and shows every group without errors.
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

import {type Scenario, sleep} from '../driver.js';

export const prefs: Scenario = {
    name: 'prefs',
    async run({shell, t, session}) {
        const opened = await shell.runInSession(['gnome-extensions', 'prefs', session.uuid]);
        t.equal(opened.code, 0, 'gnome-extensions prefs opens the preferences');
        const title = await shell.waitFor<Record<string, unknown> | false>(`(() => {
            const w = global.get_window_actors().map(a => a.meta_window).find(w => (w.get_wm_class() ?? '').includes('Extensions') || (w.get_title() ?? '').includes('Swictation'));
            const r = w?.get_frame_rect();
            if (!w || !r.width) return false;
            return {title: w.get_title(), x: r.x, y: r.y, width: r.width, height: r.height, minimized: w.minimized, showing: w.showing_on_its_workspace?.() ?? null};
        })()`, 45_000);   // a separate process starting with software rendering: slow on a loaded machine
        t.ok(title && title.title === 'Swictation', 'the preferences window is on screen', title);
        await sleep(1000);
        await shell.clearNotifications();
        await shell.screenshot('prefs');
        // The prefs run in the org.gnome.Shell.Extensions process, whose output goes to the session bus log.
        const busLog = join(session.out, 'session-bus.log');
        const problems = existsSync(busLog)
            ? readFileSync(busLog, 'utf8').split('\n').filter(l => /JS ERROR|JS WARNING|CRITICAL/.test(l) && l.includes(session.uuid))
            : [];
        t.equal(problems.length, 0, 'the preferences process logs no error about the extension');
        if (problems.length)
            console.log(`# ${problems.join('\n# ')}`);
        await shell.evalJs(`global.get_window_actors().map(a => a.meta_window).filter(w => (w.get_title() ?? '').includes('Swictation') || (w.get_wm_class() ?? '').includes('Extensions')).forEach(w => w.delete(global.get_current_time()))`);
    },
};
