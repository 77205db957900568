// SPDX-License-Identifier: GPL-2.0-or-later
// One unit of the systemd user manager over D-Bus: its state, its jobs and its enablement, all
// asynchronous and cancelled by stop(). A session without a systemd user manager is a state,
// not an error: the extension then works with the daemon's socket alone.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {sameStatus, type UnitAction, type UnitStatus, unitStatusOf} from '../core/daemonUnit.js';
import {describeJobResult, describeSystemdError, isNoManagerError} from '../core/systemdErrors.js';
import type {Translate} from '../core/presentation.js';
import {errorMessage, isCancelled} from './gioAsync.js';
import {JobWaits, callSystemd} from './systemdJobs.js';
import type {Logger} from '../lib/logger.js';

const SYSTEMD = 'org.freedesktop.systemd1';
const MANAGER_PATH = '/org/freedesktop/systemd1';
const MANAGER = 'org.freedesktop.systemd1.Manager';
const UNIT = 'org.freedesktop.systemd1.Unit';
const PROPERTIES = 'org.freedesktop.DBus.Properties';

const METHODS: Record<UnitAction, string> = {start: 'StartUnit', stop: 'StopUnit', restart: 'RestartUnit'};

export type UnitActionResult = {ok: true} | {ok: false; error: string};

export interface SystemdUnitOptions {
    unit: string;
    logger: Logger;
    _: Translate;
    onChange(status: UnitStatus): void;
}

export class SystemdUnit {
    private _unit: string;
    private readonly _logger: Logger;
    private readonly _: Translate;
    private readonly _onChange: (status: UnitStatus) => void;
    private _cancellable: Gio.Cancellable | null = null;
    private _bus: Gio.DBusConnection | null = null;
    private _watchId = 0;
    private _managerSignals: number[] = [];
    private _unitSignal = 0;
    private _unitPath: string | null = null;
    private _status: UnitStatus = {kind: 'unknown'};
    private _refreshSerial = 0;
    private _lastLogged: string | null = null;
    private readonly _jobs = new JobWaits();

    constructor(options: SystemdUnitOptions) {
        this._unit = options.unit;
        this._logger = options.logger;
        this._ = options._;
        this._onChange = options.onChange;
    }

    get unit(): string {
        return this._unit;
    }

    get status(): UnitStatus {
        return this._status;
    }

    start(): void {
        if (this._cancellable)
            return;
        const cancellable = this._cancellable = new Gio.Cancellable();
        Gio.bus_get(Gio.BusType.SESSION, cancellable, (_o, res) => {
            let bus: Gio.DBusConnection;
            try {
                bus = Gio.bus_get_finish(res);
            } catch (e) {
                if (!isCancelled(e))
                    this._setStatus({kind: 'error', error: errorMessage(e)});
                return;
            }
            if (cancellable.is_cancelled())
                return;
            this._bus = bus;
            const onManager = (signal: string, handler: (params: GLib.Variant) => void) =>
                bus.signal_subscribe(SYSTEMD, MANAGER, signal, MANAGER_PATH, null, Gio.DBusSignalFlags.NONE,
                    (_c, _sender, _path, _iface, _signal, params) => handler(params));
            this._managerSignals = [
                onManager('JobRemoved', params => {
                    const [, job, , result] = params.deepUnpack() as [number, string, string, string];
                    this._jobs.ended(job, result);
                }),
                // After a daemon-reload (a unit file installed or changed) the unit is read anew.
                onManager('Reloading', params => {
                    const [active] = params.deepUnpack() as [boolean];
                    if (!active)
                        this._refresh();
                }),
                onManager('UnitNew', params => {
                    const [id] = params.deepUnpack() as [string, string];
                    if (id === this._unit)
                        this._refresh();
                }),
            ];
            // Without a systemd user manager the name never appears; if it comes later (a
            // session whose manager starts after the shell), the unit is picked up then.
            this._watchId = Gio.bus_watch_name_on_connection(bus, SYSTEMD, Gio.BusNameWatcherFlags.NONE,
                () => this._appeared(), () => this._vanished());
        });
    }

    stop(): void {
        this._cancellable?.cancel();
        this._cancellable = null;
        if (this._watchId)
            Gio.bus_unwatch_name(this._watchId);
        this._watchId = 0;
        for (const id of this._managerSignals)
            this._bus?.signal_unsubscribe(id);
        this._managerSignals = [];
        this._forgetUnitPath();
        this._jobs.cancelAll();
        this._bus = null;
        this._refreshSerial++;
    }

    /** Follow another unit (the name is a setting). */
    setUnit(unit: string): void {
        if (unit === this._unit)
            return;
        this._unit = unit;
        this._forgetUnitPath();
        this._setStatus({kind: 'unknown'});
        if (this._bus && this._watchId)
            this._refresh();
    }

    /** Starts, stops or restarts the unit and resolves when systemd's job has ended. */
    async run(action: UnitAction): Promise<UnitActionResult> {
        try {
            const reply = await this._call(MANAGER_PATH, MANAGER, METHODS[action],
                new GLib.Variant('(ss)', [this._unit, 'replace']), '(o)');
            const [job] = reply.deepUnpack() as [string];
            const error = describeJobResult(await this._jobs.wait(job), this._);
            return error === null ? {ok: true} : this._failed(action, error);
        } catch (e) {
            return this._failed(action, this._describe(e));
        }
    }

    /** Enables or disables the unit (start at login), then reloads systemd as systemctl does. */
    async setEnabled(enabled: boolean): Promise<UnitActionResult> {
        try {
            const params = enabled ? new GLib.Variant('(asbb)', [[this._unit], false, false]) : new GLib.Variant('(asb)', [[this._unit], false]);
            await this._call(MANAGER_PATH, MANAGER, enabled ? 'EnableUnitFiles' : 'DisableUnitFiles', params, null);
            await this._call(MANAGER_PATH, MANAGER, 'Reload', null, null);
            this._refresh();
            return {ok: true};
        } catch (e) {
            return this._failed(enabled ? 'enable' : 'disable', this._describe(e));
        }
    }

    private _failed(what: string, error: string): UnitActionResult {
        // After stop() (the extension disabled, the window closed) nobody is waiting for it.
        if (this._cancellable !== null && !this._cancellable.is_cancelled())
            this._logger.warn(`${this._unit}: ${what} failed: ${error}`);
        return {ok: false, error};
    }

    private _describe(e: unknown): string {
        const remote = e instanceof GLib.Error ? Gio.DBusError.get_remote_error(e) : null;
        return describeSystemdError(remote, errorMessage(e), this._unit, this._);
    }

    private _appeared(): void {
        // Most signals are sent only to subscribers. There is no Unsubscribe on stop(): the
        // shell's bus connection is shared, and systemd drops the subscription with it.
        this._call(MANAGER_PATH, MANAGER, 'Subscribe', null, null).catch(e => {
            if (!isCancelled(e))
                this._logOnce(`systemd Subscribe failed: ${errorMessage(e)}`);
        });
        this._refresh();
    }

    private _vanished(): void {
        this._forgetUnitPath();
        this._refreshSerial++;
        this._setStatus({kind: 'no-systemd'});
    }

    private _forgetUnitPath(): void {
        if (this._unitSignal)
            this._bus?.signal_unsubscribe(this._unitSignal);
        this._unitSignal = 0;
        this._unitPath = null;
    }

    // Reads the whole unit again. Changes are rare (a start, a stop, a reload), so one GetAll
    // per PropertiesChanged keeps this simple and right whatever the signal carried.
    private _refresh(): void {
        const serial = ++this._refreshSerial;
        this._load(this._unit).then(status => {
            if (serial === this._refreshSerial)
                this._setStatus(status);
        }).catch(e => {
            if (isCancelled(e) || serial !== this._refreshSerial)
                return;
            const remote = e instanceof GLib.Error ? Gio.DBusError.get_remote_error(e) : null;
            this._setStatus(isNoManagerError(remote) ? {kind: 'no-systemd'} : {kind: 'error', error: this._describe(e)});
        });
    }

    private async _load(unit: string): Promise<UnitStatus> {
        const [path] = (await this._call(MANAGER_PATH, MANAGER, 'LoadUnit', new GLib.Variant('(s)', [unit]), '(o)'))
            .deepUnpack() as [string];
        if (path !== this._unitPath && unit === this._unit) {
            this._forgetUnitPath();
            this._unitPath = path;
            this._unitSignal = this._bus!.signal_subscribe(SYSTEMD, PROPERTIES, 'PropertiesChanged', path, UNIT,
                Gio.DBusSignalFlags.NONE, () => this._refresh());
        }
        const [props] = (await this._call(path, PROPERTIES, 'GetAll', new GLib.Variant('(s)', [UNIT]), '(a{sv})'))
            .recursiveUnpack() as [Record<string, unknown>];
        return unitStatusOf(props);
    }

    private _setStatus(status: UnitStatus): void {
        if (sameStatus(status, this._status))
            return;
        this._status = status;
        if (status.kind === 'error')
            this._logOnce(`systemd: ${this._unit}: ${status.error}`);
        else if (status.kind === 'no-systemd')
            this._logOnce('no systemd user manager on the session bus: start/stop of the daemon unavailable');
        else if (status.kind === 'unit')
            this._lastLogged = null;
        this._onChange(status);
    }

    private _logOnce(message: string): void {
        if (message === this._lastLogged)
            return;
        this._lastLogged = message;
        this._logger.info(message);
    }

    private _call(path: string, iface: string, method: string, params: GLib.Variant | null, replyType: string | null): Promise<GLib.Variant> {
        if (!this._bus || !this._cancellable)
            return Promise.reject(new Error('not connected to the session bus yet'));
        return callSystemd(this._bus, path, iface, method, params, replyType, this._cancellable);
    }
}
