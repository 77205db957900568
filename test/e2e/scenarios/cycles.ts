// SPDX-License-Identifier: GPL-2.0-or-later
// Scenario 6: 30 disable/enable cycles leave exactly what one enable makes: one indicator, the
// same actors, one keybinding (one toggle per press), no errors. Then placement 'both': one
// Quick Settings toggle, checked while recording, and the same after more cycles.
import type {Scenario, Shell} from '../driver.js';
import {countStyled, resetSetting, setSetting, snapshot, waitForUi} from '../ui.js';

const CYCLES = 30;
const RECORDING = 'swictation-recording-symbolic.svg';
const IDLE = 'swictation-idle-symbolic.svg';

async function cycle(shell: Shell, times: number): Promise<string | null> {
    for (let i = 0; i < times; i++) {
        await shell.disableExtension();
        const off = await shell.waitFor<string>(`(() => { const n = Object.entries(globalThis.swictationE2E?.ExtensionState ?? {})
            .find(([, v]) => v === Main.extensionManager.lookup(${JSON.stringify(shell.session.uuid)}).state)?.[0]; return n !== 'ACTIVE' && n !== 'DEACTIVATING' ? n : false; })()`, 5000, 20)
            .catch(e => `cycle ${i + 1}: ${(e as Error).message}`);
        if (off !== 'INACTIVE' && off !== 'DISABLED')
            return `cycle ${i + 1}: after disable: ${off}`;
        await shell.enableExtension();
        const on = await shell.waitFor(`Main.extensionManager.lookup(${JSON.stringify(shell.session.uuid)}).state === globalThis.swictationE2E?.ExtensionState?.ACTIVE`, 5000, 20)
            .catch(() => false);
        if (!on)
            return `cycle ${i + 1}: not ACTIVE after enable: ${JSON.stringify(await shell.extension())}`;
    }
    return null;
}

/** Indicator actors in the panel's status area for the uuid, and styled actors on the whole stage. */
async function census(shell: Shell, uuid: string) {
    return {
        statusArea: await shell.evalJs<number>(`Object.entries(Main.panel.statusArea).filter(([k, v]) => k === ${JSON.stringify(uuid)} || v?.has_style_class_name?.('swictation-indicator')).length`),
        indicators: await countStyled(shell, 'swictation-indicator'),
        styled: await countStyled(shell, 'swictation*'),
        quickToggles: await countStyled(shell, 'swictation-quick-toggle'),
        systemIcons: await countStyled(shell, 'swictation-recording-indicator'),
        keybinding: await shell.evalJs<boolean>(`Main.wm._allowedKeybindings?.['swictation-toggle'] !== undefined`),
    };
}

/** Where the swictation-styled actors are: the nearest ancestor that is not the extension's, counted. */
function whereStyled(shell: Shell): Promise<Record<string, number>> {
    return shell.evalJs<Record<string, number>>(`(() => {
        const mine = a => (a.get_style_class_name?.() ?? '').split(/\\s+/).some(c => c.startsWith('swictation'));
        const out = {};
        const walk = a => {
            if (mine(a)) {
                let p = a.get_parent(), path = [];
                while (p && path.length < 12) { path.push((p.get_style_class_name?.() || p.constructor.name)); p = p.get_parent(); }
                const key = path.filter(s => !/^(St|Clutter)|^popup-menu-item|^popup-menu-section/.test(s)).slice(0, 3).join(' < ');
                out[key] = (out[key] ?? 0) + 1;
            }
            a.get_children().forEach(walk);
        };
        walk(global.stage);
        return out;
    })()`);
}

async function pressToggle(shell: Shell): Promise<void> {
    await shell.evalJs('Main.panel.menuManager.activeMenu?.close(false); true');
    await shell.hideOverview();
    await shell.pressKeys(['Super_L', 'Shift_L', 'd']);
}

export const cycles: Scenario = {
    name: 'cycles',
    async run({shell, t, session, simulator}) {
        const uuid = session.uuid;
        const sim = await simulator({script: 'none'});
        await shell.hideOverview();
        // One cycle first, so that the reference is a fresh instance with this daemon's (empty)
        // transcript, not whatever an earlier scenario left on screen.
        await cycle(shell, 1);
        await waitForUi(shell, uuid, ui => ui.icon === IDLE, 5000);
        const base = await census(shell, uuid);
        t.ok(base.indicators === 1 && base.statusArea === 1, 'one indicator before the cycles', base);

        const start = Date.now();
        const broken = await cycle(shell, CYCLES);
        console.log(`# ${CYCLES} disable/enable cycles: ${Date.now() - start} ms`);
        t.ok(broken === null, `${CYCLES} disable/enable cycles, each reaching INACTIVE then ACTIVE`, broken);
        t.equal((await shell.extension())?.stateName, 'ACTIVE', 'the extension is ACTIVE afterwards');

        const live = await waitForUi(shell, uuid, ui => ui.icon === IDLE, 5000);
        t.ok(live.ok, 'the indicator is live after the cycles', live.ui);
        const after = await census(shell, uuid);
        t.equal(after.statusArea, 1, 'exactly one indicator in Main.panel.statusArea');
        t.equal(after.indicators, 1, 'exactly one swictation-indicator actor on the stage');
        t.equal(after.styled, base.styled, `no leftover swictation actors (${base.styled} styled actors, as before)`);
        t.equal(after.keybinding, true, 'the shortcut is registered');
        const clients = await shell.waitFor<number>(`true && ${'1'}`).then(async () => {
            // Old connections close asynchronously; poll the daemon until it settles.
            const deadline = Date.now() + 3000;
            let n = (await sim.status()).clientCount;
            while (n !== 1 && Date.now() < deadline) {
                await new Promise(r => setTimeout(r, 100));
                n = (await sim.status()).clientCount;
            }
            return n;
        });
        t.equal(clients, 1, 'the daemon sees exactly one connection (none leaked by the cycles)');

        // The keybinding works, once per press.
        for (const want of ['recording', 'idle'] as const) {
            const before = (await sim.status()).toggleCount;
            await pressToggle(shell);
            const ui = await waitForUi(shell, uuid, s => s.icon === (want === 'recording' ? RECORDING : IDLE), 3000);
            await new Promise(r => setTimeout(r, 700));
            const status = await sim.status();
            t.equal(status.toggleCount - before, 1, `one press of Super+Shift+D sends one toggle (${want})`);
            t.ok(ui.ok && status.state === want, `the daemon and the indicator are ${want}`, {daemon: status.state, icon: ui.ui.icon});
        }

        // placement 'both': a Quick Settings toggle next to the indicator.
        try {
            await setSetting(shell, uuid, 'placement', 'both');
            const both = await shell.waitFor(`(() => { let n = 0; const walk = a => { if (a.has_style_class_name?.('swictation-quick-toggle')) n++; a.get_children().forEach(walk); }; walk(global.stage); return n === 1; })()`, 3000).catch(() => false);
            t.ok(both, 'placement both: the Quick Settings toggle exists');
            let c = await census(shell, uuid);
            t.ok(c.quickToggles === 1 && c.indicators === 1, 'once, beside one panel indicator', c);
            let ui = await snapshot(shell, uuid);
            t.equal(ui.quickToggle?.checked, false, 'the toggle is unchecked while idle');

            await sim.cmd({cmd: 'toggle'});
            const rec = await waitForUi(shell, uuid, s => s.quickToggle?.checked === true && s.icon === RECORDING, 3000);
            t.ok(rec.ok, 'the Quick Settings toggle is checked while recording', rec.ui.quickToggle);
            t.ok(/^Recording/.test(rec.ui.quickToggle?.subtitle ?? ''), 'its subtitle says recording', rec.ui.quickToggle);
            t.equal(await shell.evalJs(`(() => { let v = null; const walk = a => { if (a.has_style_class_name?.('swictation-recording-indicator')) v = a.visible; a.get_children().forEach(walk); }; walk(global.stage); return v; })()`),
                true, 'the recording icon shows in the system area');

            const broken2 = await cycle(shell, 5);
            t.ok(broken2 === null, 'five more cycles with placement both', broken2);
            c = await census(shell, uuid);
            t.ok(c.quickToggles === 1 && c.indicators === 1 && c.systemIcons === 1, 'still one toggle, one indicator, one system icon', c);
            const again = await waitForUi(shell, uuid, s => s.quickToggle?.checked === true, 3000);
            t.ok(again.ok, 'and the toggle is checked again (the daemon is still recording)', again.ui.quickToggle);
            await sim.cmd({cmd: 'toggle'});
            ui = (await waitForUi(shell, uuid, s => s.quickToggle?.checked === false && s.icon === IDLE, 3000)).ui;
            t.equal(ui.quickToggle?.checked, false, 'unchecked when the daemon stops');
        } finally {
            await resetSetting(shell, uuid, 'placement');
        }
        const panelOnly = await shell.waitFor(`(() => { let n = 0; const walk = a => { if (a.has_style_class_name?.('swictation-quick-toggle')) n++; a.get_children().forEach(walk); }; walk(global.stage); return n === 0; })()`, 3000).catch(() => false);
        t.ok(panelOnly, 'back to placement panel: the Quick Settings toggle is gone');
        const end = await census(shell, uuid);
        t.ok(end.styled === base.styled, 'and the stage holds what it held before (no swictation actors left behind)',
            `${base.styled} styled actors before, ${end.styled} now; the extra ones sit in: ${JSON.stringify(await whereStyled(shell))}`);
        t.equal((await sim.status()).clientCount, 1, 'one connection at the end');
    },
};
