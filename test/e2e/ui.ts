// SPDX-License-Identifier: GPL-2.0-or-later
// What the user sees of the extension, read from the live actors through Eval. Everything is
// looked up by the style classes the UI sets, so scenarios assert on rendered text, not state.
import type {Shell} from './driver.js';

export interface UiSnapshot {
    present: boolean;
    visible: boolean;
    icon: string | null;            // icon file name, e.g. swictation-recording-symbolic.svg
    recordingClass: boolean;
    label: string | null;           // text beside the icon ('' or null when hidden)
    menuOpen: boolean;
    title: string | null;
    switchOn: boolean | null;
    switchSensitive: boolean | null;
    note: string | null;
    info: Record<string, string>;   // menu rows: label -> value (visible rows only)
    transcript: string[];
    clocks: string[];
    connection: string | null;
    socketPath: string | null;
    quickToggle: {checked: boolean; subtitle: string | null} | null;
    /** The daemon's service in the menu (null: hidden). */
    daemon: {status: string | null; hint: string | null; action: string | null; submenu: boolean; stop: boolean; restart: boolean};
}

export function snapshotJs(uuid: string): string {
    return `(() => {
    const ind = Main.panel.statusArea[${JSON.stringify(uuid)}] ?? null;
    const all = (actor, out = []) => { out.push(actor); for (const c of actor.get_children()) all(c, out); return out; };
    const byClass = (root, cls) => root ? all(root).filter(a => a.has_style_class_name?.(cls)) : [];
    const text = (root, cls) => { const a = byClass(root, cls)[0]; return a ? a.text : null; };
    const file = gicon => gicon?.get_file?.()?.get_basename?.() ?? null;
    const menuBox = ind?.menu?.box ?? null;
    const info = {};
    for (const row of byClass(menuBox, 'swictation-info-row')) {
        if (!row.visible) continue;
        const l = byClass(row, 'swictation-info-label')[0], v = byClass(row, 'swictation-info-value')[0];
        if (l && v) info[l.text] = v.text;
    }
    const sw = menuBox ? all(menuBox).find(a => a.constructor?.name?.includes('PopupSwitchMenuItem') || (a._switch && 'state' in a)) : null;
    const noteActor = byClass(menuBox, 'swictation-note')[0];
    const qs = Main.panel.statusArea.quickSettings;
    const toggle = qs ? all(qs.menu.box).find(a => a.has_style_class_name?.('swictation-quick-toggle')) : null;
    const iconActor = ind ? byClass(ind, 'system-status-icon')[0] : null;
    const labelActor = ind ? byClass(ind, 'swictation-panel-label')[0] : null;
    return {
        present: ind !== null,
        visible: ind ? ind.visible && (ind.get_parent()?.visible ?? true) : false,
        icon: iconActor ? file(iconActor.gicon) : null,
        recordingClass: ind ? ind.has_style_class_name('swictation-recording') : false,
        label: labelActor && labelActor.visible ? labelActor.text : null,
        menuOpen: ind ? ind.menu.isOpen : false,
        title: text(menuBox, 'swictation-title'),
        switchOn: sw ? sw.state : null,
        switchSensitive: sw ? sw.sensitive : null,
        note: noteActor && noteActor.get_parent().visible ? noteActor.text : null,
        info,
        transcript: byClass(menuBox, 'swictation-segment-text').map(a => a.text),
        clocks: byClass(menuBox, 'swictation-segment-clock').map(a => a.text),
        connection: text(menuBox, 'swictation-connection-state'),
        socketPath: text(menuBox, 'swictation-socket-path'),
        quickToggle: toggle ? {checked: toggle.checked, subtitle: toggle.subtitle ?? null} : null,
        daemon: (() => {
            const shown = a => { for (let x = a; x && x !== menuBox; x = x.get_parent()) if (!x.visible) return false; return !!a; };
            const one = cls => byClass(menuBox, cls)[0] ?? null;
            const status = one('swictation-daemon-status'), hint = one('swictation-daemon-hint'), action = one('swictation-daemon-action');
            return {
                status: shown(status) ? status.text : null,
                hint: shown(hint) ? hint.text : null,
                action: shown(action) ? action.label.text : null,
                submenu: shown(one('swictation-daemon-submenu')),
                stop: one('swictation-daemon-stop')?.visible ?? false,
                restart: one('swictation-daemon-restart')?.visible ?? false,
            };
        })(),
    };
})()`;
}

export function snapshot(shell: Shell, uuid: string): Promise<UiSnapshot> {
    return shell.evalJs<UiSnapshot>(snapshotJs(uuid));
}

/** Polls the UI until `pred` holds; returns the last snapshot either way. */
export async function waitForUi(shell: Shell, uuid: string, pred: (s: UiSnapshot) => boolean, timeoutMs = 5000): Promise<{ok: boolean; ui: UiSnapshot; ms: number}> {
    const start = Date.now();
    let ui = await snapshot(shell, uuid);
    while (!pred(ui) && Date.now() - start < timeoutMs) {
        await new Promise(r => setTimeout(r, 100));
        ui = await snapshot(shell, uuid);
    }
    return {ok: pred(ui), ui, ms: Date.now() - start};
}

export async function openMenu(shell: Shell, uuid: string): Promise<void> {
    await shell.evalJs(`Main.panel.statusArea[${JSON.stringify(uuid)}].menu.open(false)`);
}

export async function closeMenu(shell: Shell, uuid: string): Promise<void> {
    await shell.evalJs(`Main.panel.statusArea[${JSON.stringify(uuid)}]?.menu.close(false)`);
}

// ---- Beyond the snapshot: settings, pointer, notifications, actors -------------------------

const q = JSON.stringify;

/**
 * A JS expression for the extension's own Gio.Settings (the schema from its install dir, the
 * session's keyfile backend): what the extension reads, so a change is seen at once.
 */
export function settingsJs(uuid: string): string {
    return `(() => {
        const {Gio} = imports.gi;
        const e = Main.extensionManager.lookup(${q(uuid)});
        if (e.stateObj?.getSettings) return e.stateObj.getSettings();
        const source = Gio.SettingsSchemaSource.new_from_directory(e.dir.get_child('schemas').get_path(), Gio.SettingsSchemaSource.get_default(), false);
        return new Gio.Settings({settings_schema: source.lookup('org.gnome.shell.extensions.swictation-shell', false)});
    })()`;
}

export type SettingValue = string | boolean | number | string[];

/** Sets one key of the extension's settings (enums by nick, like gsettings). */
export async function setSetting(shell: Shell, uuid: string, key: string, value: SettingValue): Promise<void> {
    const setter = Array.isArray(value) ? 'set_strv' : typeof value === 'boolean' ? 'set_boolean'
        : typeof value === 'number' ? 'set_int' : 'set_string';
    const ok = await shell.evalJs<boolean>(`${settingsJs(uuid)}.${setter}(${q(key)}, ${q(value)})`);
    if (!ok)
        throw new Error(`could not set ${key} to ${q(value)}`);
}

export async function resetSetting(shell: Shell, uuid: string, key: string): Promise<void> {
    await shell.evalJs(`${settingsJs(uuid)}.reset(${q(key)}), true`);
}

/** Sets a key of a system schema (org.gnome.desktop.interface ...) in the shell's process. */
export async function setSystemSetting(shell: Shell, schema: string, key: string, value: string): Promise<void> {
    await shell.evalJs(`new imports.gi.Gio.Settings({schema_id: ${q(schema)}}).set_string(${q(key)}, ${q(value)})`);
}

export interface Rect { x: number; y: number; w: number; h: number }

/** Where an actor is on screen (stage pixels), or null when it is not mapped. */
export function rectOf(shell: Shell, actorJs: string): Promise<Rect | null> {
    return shell.evalJs<Rect | null>(`(() => {
        const a = ${actorJs};
        if (!a || !a.mapped) return null;
        const [x, y] = a.get_transformed_position();
        const [w, h] = a.get_transformed_size();
        return {x: Math.round(x), y: Math.round(y), w: Math.round(w), h: Math.round(h)};
    })()`);
}

/**
 * A real click, through a Clutter virtual pointer (the same seat as the driver's keyboard):
 * moves to (x, y), presses and releases `button` (1 left, 2 middle, 3 right).
 */
export async function clickAt(shell: Shell, x: number, y: number, button = 1): Promise<void> {
    await pointerTo(shell, x, y);
    // Let the motion be processed (hover, pick) before the button, as a hand would.
    await new Promise(r => setTimeout(r, 50));
    await pressButton(shell, button);
}

/**
 * Presses and releases `button` where the pointer is. Returns once the stage has the release:
 * virtual input arrives a little later, and a menu opened before then would be closed by it.
 */
async function pressButton(shell: Shell, button: number): Promise<void> {
    // An event filter sees the release even under a grab.
    await shell.evalJs(`(() => {
        const {Clutter, GLib} = imports.gi;
        const p = globalThis.swictationE2EPointer;
        const w = globalThis.swictationE2EClick = {released: false};
        w.id = Clutter.Event.add_filter(global.stage, e => {
            w.released ||= e.type() === Clutter.EventType.BUTTON_RELEASE;
            return Clutter.EVENT_PROPAGATE;
        });
        p.notify_button(GLib.get_monotonic_time(), ${button}, Clutter.ButtonState.PRESSED);
        p.notify_button(GLib.get_monotonic_time(), ${button}, Clutter.ButtonState.RELEASED);
        return true;
    })()`);
    try {
        await shell.waitFor('globalThis.swictationE2EClick.released', 3000, 20);
    } finally {
        await shell.evalJs('imports.gi.Clutter.Event.remove_filter(globalThis.swictationE2EClick.id), true');
    }
}

/** Moves the Clutter virtual pointer to (x, y) and waits until the shell's pointer is there. */
export async function pointerTo(shell: Shell, x: number, y: number): Promise<void> {
    // A new virtual device's first events can be dropped while the seat adds it (seen on 50):
    // move until the shell's pointer is really there, then press.
    const at = (): Promise<boolean> => shell.evalJs<boolean>(`(() => {
        const {Clutter, GLib} = imports.gi;
        if (!globalThis.swictationE2EPointer) {
            const backend = typeof Clutter.get_default_backend === 'function'
                ? Clutter.get_default_backend() : global.stage.get_context().get_backend();
            globalThis.swictationE2EPointer = backend.get_default_seat().create_virtual_device(Clutter.InputDeviceType.POINTER_DEVICE);
            return false;
        }
        const [px, py] = global.get_pointer();
        if (Math.abs(px - ${x}) < 1 && Math.abs(py - ${y}) < 1) return true;
        globalThis.swictationE2EPointer.notify_absolute_motion(GLib.get_monotonic_time(), ${x}, ${y});
        return false;
    })()`);
    const deadline = Date.now() + 3000;
    while (!await at()) {
        if (Date.now() > deadline)
            throw new Error(`the virtual pointer does not reach (${x}, ${y}): ${JSON.stringify(await shell.evalJs('global.get_pointer()'))}`);
        await new Promise(r => setTimeout(r, 30));
    }
}

/**
 * Clicks the middle of an actor as a hand would, resting on it first; aimed again until it
 * stays put while the pointer rests (an open menu grows when the first figures arrive). Throws
 * when it is not on screen.
 */
export async function clickActor(shell: Shell, actorJs: string, button = 1): Promise<Rect> {
    let aimed: Rect | null = null;
    for (let i = 0; i < 10; i++) {
        const r = await rectOf(shell, actorJs);
        if (!r || r.w <= 0 || r.h <= 0)
            throw new Error(`not on screen, cannot click: ${actorJs}`);
        if (aimed && JSON.stringify(r) === JSON.stringify(aimed))
            break;
        aimed = r;
        await pointerTo(shell, Math.round(r.x + r.w / 2), Math.round(r.y + r.h / 2));
        await new Promise(done => setTimeout(done, 300));
    }
    await pressButton(shell, button);
    return aimed!;
}

/** Moves the pointer out of the way (bottom right corner), so no hover shows in screenshots. */
export async function parkPointer(shell: Shell): Promise<void> {
    await shell.evalJs(`(() => {
        const p = globalThis.swictationE2EPointer;
        if (p) p.notify_absolute_motion(imports.gi.GLib.get_monotonic_time(), global.stage.width - 1, global.stage.height - 1);
        return true;
    })()`);
}

/** JS for a menu item of the daemon's service (style class swictation-daemon-action, -stop, -restart). */
export const daemonItemJs = (uuid: string, cls: string) => `(() => {
    const all = (a, out = []) => { out.push(a); for (const c of a.get_children()) all(c, out); return out; };
    const box = Main.panel.statusArea[${q(uuid)}]?.menu.box;
    return box ? all(box).find(a => a.has_style_class_name?.(${q(cls)})) ?? null : null;
})()`;

/** JS for the panel indicator's actor, and for its menu's Dictation switch item. */
export const indicatorJs = (uuid: string) => `Main.panel.statusArea[${q(uuid)}]`;
export const switchItemJs = (uuid: string) => `(() => {
    const all = (a, out = []) => { out.push(a); for (const c of a.get_children()) all(c, out); return out; };
    const box = Main.panel.statusArea[${q(uuid)}]?.menu.box;
    return box ? all(box).find(a => a.constructor?.name?.includes('PopupSwitchMenuItem') || (a._switch && 'state' in a)) ?? null : null;
})()`;

/** Actors anywhere on the stage carrying a style class (any class starting with `prefix` when it ends in '*'). */
export function countStyled(shell: Shell, cls: string): Promise<number> {
    const test = cls.endsWith('*')
        ? `(a.get_style_class_name?.() ?? '').split(/\\s+/).some(c => c.startsWith(${q(cls.slice(0, -1))}))`
        : `a.has_style_class_name?.(${q(cls)})`;
    return shell.evalJs<number>(`(() => {
        let n = 0;
        const walk = a => { if (${test}) n++; for (const c of a.get_children()) walk(c); };
        walk(global.stage);
        return n;
    })()`);
}

export interface NotificationInfo { source: string; title: string; body: string }

/** The notifications in the message tray (any source), oldest first. */
export function notifications(shell: Shell): Promise<NotificationInfo[]> {
    return shell.evalJs<NotificationInfo[]>(`Main.messageTray.getSources().flatMap(s =>
        (s.notifications ?? []).map(n => ({source: String(s.title ?? ''), title: String(n.title ?? ''), body: String(n.body ?? n.bannerBodyText ?? '')})))`);
}

/**
 * How much longer than its own CPU time the shell's main thread takes for 200 ms of work right
 * now: about 1 on a quiet machine, several with busy loops on every core (E2E_STRESS=1). A bound
 * on how long the shell takes to do something is multiplied by it.
 */
export function cpuStretch(shell: Shell): Promise<number> {
    return shell.evalJs<number>(`(() => {
        const {GLib} = imports.gi;
        const cpuMs = () => {
            const stat = new TextDecoder().decode(GLib.file_get_contents('/proc/thread-self/stat')[1]);
            const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            return (Number(f[11]) + Number(f[12])) * 10;   // utime + stime, 100 ticks a second
        };
        const c0 = cpuMs(), w0 = GLib.get_monotonic_time();
        while (cpuMs() - c0 < 200) { /* spin */ }
        return Math.max(1, (GLib.get_monotonic_time() - w0) / 1000 / (cpuMs() - c0));
    })()`);
}

/** Reads the clipboard back with St.Clipboard (asynchronous, hence the global holder). */
export async function clipboard(shell: Shell): Promise<string | null> {
    await shell.evalJs(`(() => {
        const holder = globalThis.swictationE2EClipboard = {done: false, text: null};
        imports.gi.St.Clipboard.get_default().get_text(imports.gi.St.ClipboardType.CLIPBOARD, (_c, text) => {
            holder.text = text; holder.done = true;
        });
        return true;
    })()`);
    const read = await shell.waitFor<{text: string | null}>('globalThis.swictationE2EClipboard.done && {text: globalThis.swictationE2EClipboard.text}', 3000);
    return read.text;
}

export async function setClipboard(shell: Shell, text: string): Promise<void> {
    await shell.evalJs(`imports.gi.St.Clipboard.get_default().set_text(imports.gi.St.ClipboardType.CLIPBOARD, ${q(text)}), true`);
}
