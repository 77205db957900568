// SPDX-License-Identifier: GPL-2.0-or-later
// A fake systemd user manager for the tests: owns org.freedesktop.systemd1 on the session bus
// ($DBUS_SESSION_BUS_ADDRESS) and implements what the extension uses of it: Manager.Subscribe,
// LoadUnit, GetUnit, StartUnit, StopUnit, RestartUnit, EnableUnitFiles, DisableUnitFiles,
// Reload; the JobRemoved, Reloading and UnitNew signals; the unit objects' LoadState,
// ActiveState, SubState, UnitFileState and ActiveEnterTimestampMonotonic with
// PropertiesChanged. Like a Type=simple service, a started unit is active at once (after
// `startDelayMs` in `activating`) and runs its `exec` (the bundled simulator); the process
// exiting with an error makes the unit `failed`.
//
//   gjs -m build/gjs/fakeSystemd.js '{"units": {"swictation-daemon.service": {...}}}'
// Unit config: load ('loaded' | 'not-found' | 'masked', default loaded), active ('inactive' |
// 'failed', default inactive), fileState (default 'enabled'), exec (argv), startDelayMs,
// failJob (the start job fails and the unit is `failed`).
// Reports JSON lines on stdout: {kind: 'ready'}, {kind: 'call', method, args}, {kind: 'exit',
// unit, status}. Commands, JSON lines on stdin: {cmd: 'set', unit, ...config}, {cmd: 'kill',
// unit} (SIGKILL its process: the unit fails), {cmd: 'exit'}.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import System from 'system';

import {readStdinCommands} from './lib/stdinCommands.js';

interface UnitConfig {
    load?: string;
    active?: string;
    fileState?: string;
    exec?: string[];
    startDelayMs?: number;
    failJob?: boolean;
}

const MANAGER_XML = `<node><interface name="org.freedesktop.systemd1.Manager">
  <method name="Subscribe"/>
  <method name="Unsubscribe"/>
  <method name="Reload"/>
  <method name="LoadUnit"><arg type="s" direction="in"/><arg type="o" direction="out"/></method>
  <method name="GetUnit"><arg type="s" direction="in"/><arg type="o" direction="out"/></method>
  <method name="StartUnit"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="o" direction="out"/></method>
  <method name="StopUnit"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="o" direction="out"/></method>
  <method name="RestartUnit"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="o" direction="out"/></method>
  <method name="EnableUnitFiles"><arg type="as" direction="in"/><arg type="b" direction="in"/><arg type="b" direction="in"/>
    <arg type="b" direction="out"/><arg type="a(sss)" direction="out"/></method>
  <method name="DisableUnitFiles"><arg type="as" direction="in"/><arg type="b" direction="in"/><arg type="a(sss)" direction="out"/></method>
  <signal name="JobRemoved"><arg type="u"/><arg type="o"/><arg type="s"/><arg type="s"/></signal>
  <signal name="Reloading"><arg type="b"/></signal>
  <signal name="UnitNew"><arg type="s"/><arg type="o"/></signal>
</interface></node>`;

const UNIT_XML = `<node><interface name="org.freedesktop.systemd1.Unit">
  <property name="Id" type="s" access="read"/>
  <property name="LoadState" type="s" access="read"/>
  <property name="ActiveState" type="s" access="read"/>
  <property name="SubState" type="s" access="read"/>
  <property name="UnitFileState" type="s" access="read"/>
  <property name="ActiveEnterTimestampMonotonic" type="t" access="read"/>
</interface></node>`;

const config = JSON.parse(System.programArgs[0] ?? '{}') as {units?: Record<string, UnitConfig>};
const loop = new GLib.MainLoop(null, false);
const bus = Gio.bus_get_sync(Gio.BusType.SESSION, null);
let nextJob = 1;

function emit(record: object): void {
    print(JSON.stringify(record));
}

// systemd's bus_label_escape: every byte outside [A-Za-z0-9] becomes _xx.
function unitPath(name: string): string {
    return `/org/freedesktop/systemd1/unit/${[...new TextEncoder().encode(name)].map(b =>
        /[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `_${b.toString(16).padStart(2, '0')}`).join('')}`;
}

class DBusError extends Error {
    readonly dbusName: string;

    constructor(dbusName: string, message: string) {
        super(message);
        this.dbusName = dbusName;
    }
}

class FakeUnit {
    readonly name: string;
    readonly path: string;
    cfg: UnitConfig;
    loadState: string;
    activeState: string;
    subState: string;
    unitFileState: string;
    /** What EnableUnitFiles wrote; the property follows on Reload, as in systemd. */
    fileOnDisk: string;
    activeEnter = 0;
    process: Gio.Subprocess | null = null;
    stopping = false;
    private _timer = 0;
    private readonly _exported: Gio.DBusExportedObject;

    constructor(name: string, cfg: UnitConfig) {
        this.name = name;
        this.path = unitPath(name);
        this.cfg = cfg;
        this.loadState = cfg.load ?? 'loaded';
        this.activeState = cfg.active ?? 'inactive';
        this.subState = this.activeState === 'failed' ? 'failed' : 'dead';
        this.unitFileState = this.loadState === 'loaded' ? cfg.fileState ?? 'enabled' : '';
        this.fileOnDisk = this.unitFileState;
        const props = {} as Record<string, unknown>;
        const read: Record<string, () => unknown> = {
            Id: () => this.name,
            LoadState: () => this.loadState,
            ActiveState: () => this.activeState,
            SubState: () => this.subState,
            UnitFileState: () => this.unitFileState,
            ActiveEnterTimestampMonotonic: () => this.activeEnter,
        };
        for (const [name, get] of Object.entries(read))
            Object.defineProperty(props, name, {get, enumerable: true});
        this._exported = Gio.DBusExportedObject.wrapJSObject(UNIT_XML, props);
        this._exported.export(bus, this.path);
    }

    set(active: string, sub: string): void {
        const changed: Record<string, GLib.Variant> = {};
        if (active !== this.activeState) {
            this.activeState = active;
            changed.ActiveState = new GLib.Variant('s', active);
            if (active === 'active') {
                this.activeEnter = GLib.get_monotonic_time();
                changed.ActiveEnterTimestampMonotonic = new GLib.Variant('t', this.activeEnter);
            }
        }
        if (sub !== this.subState) {
            this.subState = sub;
            changed.SubState = new GLib.Variant('s', sub);
        }
        this.emitChanged(changed);
    }

    emitChanged(changed: Record<string, GLib.Variant>): void {
        if (Object.keys(changed).length === 0)
            return;
        bus.emit_signal(null, this.path, 'org.freedesktop.DBus.Properties', 'PropertiesChanged',
            new GLib.Variant('(sa{sv}as)', ['org.freedesktop.systemd1.Unit', changed, []]));
    }

    start(jobDone: (result: string) => void): void {
        if (this.activeState === 'active' || this.activeState === 'activating') {
            jobDone('done');
            return;
        }
        this.set('activating', 'start');
        this._timer = GLib.timeout_add(GLib.PRIORITY_DEFAULT, Math.max(0, this.cfg.startDelayMs ?? 0), () => {
            this._timer = 0;
            if (this.cfg.failJob) {
                this.set('failed', 'failed');
                jobDone('failed');
                return GLib.SOURCE_REMOVE;
            }
            try {
                if (this.cfg.exec?.length)
                    this.spawn(this.cfg.exec);
                this.set('active', 'running');
                jobDone('done');
            } catch (e) {
                printerr(`fakeSystemd: ${this.name}: ${e}`);
                this.set('failed', 'failed');
                jobDone('failed');
            }
            return GLib.SOURCE_REMOVE;
        });
    }

    private spawn(argv: string[]): void {
        const proc = Gio.Subprocess.new(argv, Gio.SubprocessFlags.NONE);
        this.process = proc;
        proc.wait_async(null, () => {
            const status = proc.get_if_exited() ? proc.get_exit_status() : -1;
            emit({kind: 'exit', unit: this.name, status});
            if (this.process !== proc)
                return;
            this.process = null;
            const clean = this.stopping || status === 0;
            this.stopping = false;
            this.set(clean ? 'inactive' : 'failed', clean ? 'dead' : 'failed');
            if (this._afterStop) {
                const next = this._afterStop;
                this._afterStop = null;
                next();
            }
        });
    }

    private _afterStop: (() => void) | null = null;

    stop(jobDone: (result: string) => void): void {
        if (this._timer) {
            GLib.source_remove(this._timer);
            this._timer = 0;
        }
        if (!this.process) {
            this.set(this.activeState === 'failed' ? 'failed' : 'inactive', this.activeState === 'failed' ? 'failed' : 'dead');
            jobDone('done');
            return;
        }
        this.stopping = true;
        this.set('deactivating', 'stop-sigterm');
        this._afterStop = () => jobDone('done');
        this.process.send_signal(15);
    }

    kill(): void {
        this.process?.send_signal(9);
    }

    reload(): void {
        const changed: Record<string, GLib.Variant> = {};
        if (this.fileOnDisk !== this.unitFileState) {
            this.unitFileState = this.fileOnDisk;
            changed.UnitFileState = new GLib.Variant('s', this.unitFileState);
        }
        this.emitChanged(changed);
    }

    destroy(): void {
        if (this._timer)
            GLib.source_remove(this._timer);
        this.process?.send_signal(15);
        this._exported.unexport();
    }
}

const units = new Map<string, FakeUnit>();
for (const [name, cfg] of Object.entries(config.units ?? {}))
    units.set(name, new FakeUnit(name, cfg));

function unitFor(name: string, mustExist: boolean): FakeUnit {
    let unit = units.get(name);
    if (!unit) {
        if (mustExist)
            throw new DBusError('org.freedesktop.systemd1.NoSuchUnit', `Unit ${name} not loaded.`);
        unit = new FakeUnit(name, {load: 'not-found'});
        units.set(name, unit);
    }
    return unit;
}

function startable(name: string): FakeUnit {
    const unit = unitFor(name, false);
    if (unit.loadState === 'not-found')
        throw new DBusError('org.freedesktop.systemd1.NoSuchUnit', `Unit ${name} not found.`);
    if (unit.loadState === 'masked')
        throw new DBusError('org.freedesktop.systemd1.UnitMasked', `Unit ${name} is masked.`);
    return unit;
}

function newJob(unit: FakeUnit, run: (done: (result: string) => void) => void): string {
    const id = nextJob++;
    const path = `/org/freedesktop/systemd1/job/${id}`;
    // The reply goes out first, JobRemoved after it, as in systemd.
    GLib.idle_add(GLib.PRIORITY_DEFAULT, () => {
        run(result => manager.emit_signal('JobRemoved', new GLib.Variant('(uoss)', [id, path, unit.name, result])));
        return GLib.SOURCE_REMOVE;
    });
    return path;
}

function unitFiles(names: string[], state: string): Array<[string, string, string]> {
    return names.map(name => {
        const unit = unitFor(name, false);
        if (unit.loadState === 'not-found')
            throw new DBusError('org.freedesktop.DBus.Error.FileNotFound', `Unit file ${name} does not exist.`);
        unit.fileOnDisk = state;
        return [state === 'enabled' ? 'symlink' : 'unlink', `~/.config/systemd/user/default.target.wants/${name}`, `~/.config/systemd/user/${name}`];
    });
}

// Each method returns its out arguments.
const impl: Record<string, (...args: never[]) => unknown[]> = {
    Subscribe: () => [],
    Unsubscribe: () => [],
    Reload: () => {
        manager.emit_signal('Reloading', new GLib.Variant('(b)', [true]));
        for (const unit of units.values())
            unit.reload();
        manager.emit_signal('Reloading', new GLib.Variant('(b)', [false]));
        return [];
    },
    LoadUnit: (name: string) => [unitFor(name, false).path],
    GetUnit: (name: string) => [unitFor(name, true).path],
    StartUnit: (name: string) => {
        const unit = startable(name);
        return [newJob(unit, done => unit.start(done))];
    },
    StopUnit: (name: string) => {
        const unit = unitFor(name, true);
        return [newJob(unit, done => unit.stop(done))];
    },
    RestartUnit: (name: string) => {
        const unit = startable(name);
        return [newJob(unit, done => unit.stop(() => unit.start(done)))];
    },
    EnableUnitFiles: (names: string[]) => [true, unitFiles(names, 'enabled')],
    DisableUnitFiles: (names: string[]) => [unitFiles(names, 'disabled')],
};

const managerInfo = Gio.DBusNodeInfo.new_for_xml(MANAGER_XML).interfaces[0];
const outSignature = (method: string) => (managerInfo.lookup_method(method)?.out_args ?? []).map(a => a.signature).join('');

// Every call is reported; a DBusError becomes the D-Bus error of that name.
const manager = Gio.DBusExportedObject.wrapJSObject(MANAGER_XML, Object.fromEntries(Object.entries(impl).map(([method, fn]) => [
    `${method}Async`, (args: unknown[], invocation: Gio.DBusMethodInvocation) => {
        emit({kind: 'call', method, args});
        try {
            const out = fn(...(args as never[]));
            const sig = outSignature(method);
            invocation.return_value(sig === '' ? null : new GLib.Variant(`(${sig})`, out as never));
        } catch (e) {
            if (e instanceof DBusError)
                invocation.return_dbus_error(e.dbusName, e.message);
            else
                invocation.return_dbus_error('org.freedesktop.DBus.Error.Failed', String(e));
        }
    },
])));
manager.export(bus, '/org/freedesktop/systemd1');

let shuttingDown = false;
let ownerId = 0;
function shutdown(): void {
    if (shuttingDown)
        return;
    shuttingDown = true;
    // The name goes first, as when systemd exits: a client (or the next fake, queued for the
    // name) never meets an owner whose objects are already gone.
    if (ownerId)
        Gio.bus_unown_name(ownerId);
    ownerId = 0;
    for (const unit of units.values())
        unit.destroy();
    manager.unexport();
    // Give the TERM'd children a moment before the loop (and the process) ends.
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 200, () => {
        loop.quit();
        return GLib.SOURCE_REMOVE;
    });
}

readStdinCommands(line => {
    let command: {cmd: string; unit?: string} & UnitConfig;
    try {
        command = JSON.parse(line);
    } catch {
        return;
    }
    switch (command.cmd) {
    case 'set': {
        const unit = unitFor(command.unit ?? '', false);
        unit.cfg = {...unit.cfg, ...command};
        if (command.load !== undefined && command.load !== unit.loadState) {
            unit.loadState = command.load;
            unit.emitChanged({LoadState: new GLib.Variant('s', command.load)});
        }
        if (command.fileState !== undefined)
            unit.fileOnDisk = command.fileState;
        if (command.active !== undefined)
            unit.set(command.active, command.active === 'failed' ? 'failed' : command.active === 'active' ? 'running' : 'dead');
        emit({kind: 'done', cmd: 'set'});
        break;
    }
    case 'kill':
        unitFor(command.unit ?? '', true).kill();
        emit({kind: 'done', cmd: 'kill'});
        break;
    case 'exit':
        shutdown();
        break;
    }
}, shutdown);

ownerId = Gio.bus_own_name_on_connection(bus, 'org.freedesktop.systemd1', Gio.BusNameOwnerFlags.NONE,
    () => emit({kind: 'ready'}), () => {
        printerr('fakeSystemd: could not own org.freedesktop.systemd1');
        loop.quit();
    });
loop.run();
