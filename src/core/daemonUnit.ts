// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon as a systemd user service: what its unit's state means to a user, which actions
// the menu and the preferences offer for each unit state × connection state, and the
// "switch on while stopped" sequence (start the unit, wait for the control socket, toggle
// once). Pure: the transport feeds it what systemd says, the UI shows what it returns.
import type {Translate} from './presentation.js';

export const DEFAULT_DAEMON_UNIT = 'swictation-daemon.service';
export const DEFAULT_UI_UNIT = 'swictation-ui.service';

/** The daemon loads its models for 5–60 s before its sockets answer. */
export const MODEL_LOAD_GRACE_MS = 90_000;
/** How long the switch waits for a started daemon's control socket before giving up. */
export const START_THEN_TOGGLE_WAIT_MS = 90_000;
/** Between two toggle attempts while the control socket is not there yet. */
export const TOGGLE_RETRY_MS = 500;

export interface UnitProperties {
    loadState: string;          // loaded, not-found, masked, error, bad-setting
    activeState: string;        // active, activating, deactivating, inactive, failed, reloading (maintenance, refreshing)
    subState: string;           // running, dead, failed, auto-restart, start, …
    unitFileState: string;      // enabled, disabled, static, masked, linked, '' …
    /** CLOCK_MONOTONIC µs of the last entry into `active` (0: never). */
    activeEnterMonotonicUs: number;
}

export type UnitStatus =
    | {kind: 'unknown'}                         // not asked yet
    | {kind: 'no-systemd'}                      // no systemd user manager on the session bus
    | {kind: 'error'; error: string}            // asking systemd failed
    | ({kind: 'unit'} & UnitProperties);

export type UnitPhase =
    | 'unknown' | 'no-systemd' | 'error' | 'not-installed' | 'masked' | 'broken'
    | 'stopped' | 'starting' | 'running' | 'stopping' | 'failed' | 'restarting';

export function unitPhase(status: UnitStatus): UnitPhase {
    switch (status.kind) {
    case 'unknown':
    case 'no-systemd':
    case 'error':
        return status.kind;
    case 'unit':
        break;
    }
    switch (status.loadState) {
    case 'loaded':
        break;
    case 'not-found':
        return 'not-installed';
    case 'masked':
        return 'masked';
    default:
        return 'broken';
    }
    switch (status.activeState) {
    case 'active':
    case 'reloading':
    case 'refreshing':
        return 'running';
    case 'activating':
        // Restart=on-failure: systemd waits RestartSec before starting it again.
        return status.subState === 'auto-restart' ? 'restarting' : 'starting';
    case 'deactivating':
        return 'stopping';
    case 'failed':
        return 'failed';
    default:
        return 'stopped';
    }
}

/** The unit exists and can be started or restarted through systemd. */
export function unitStartable(status: UnitStatus): boolean {
    const phase = unitPhase(status);
    return phase === 'stopped' || phase === 'failed' || phase === 'starting' || phase === 'running' || phase === 'restarting';
}

/** `swictation-daemon.service` → `swictation-daemon`, as journalctl -u accepts it. */
export function journalCommand(unit: string): string {
    return `journalctl --user -u ${unit.replace(/\.service$/, '')} -e`;
}

/** What the state of a unit is, in words (Preferences). */
export function unitStateText(status: UnitStatus, unit: string, _: Translate): string {
    switch (unitPhase(status)) {
    case 'unknown':
        return _('Asking systemd…');
    case 'no-systemd':
        return _('No systemd user manager on the session bus');
    case 'error':
        return status.kind === 'error' ? status.error : '';
    case 'not-installed':
        return _('Not installed (%s not found)').replace('%s', unit);
    case 'masked':
        return _('Masked: systemd will not start it');
    case 'broken':
        return _('The unit file has an error');
    case 'stopped':
        return _('Stopped');
    case 'starting':
        return _('Starting…');
    case 'running':
        return _('Running');
    case 'stopping':
        return _('Stopping…');
    case 'failed':
        return _('Stopped with an error');
    case 'restarting':
        return _('Stopped with an error; systemd restarts it in a moment');
    }
}

/** Whether the unit starts at login (its enablement), in words. */
export function enablementText(unitFileState: string, _: Translate): string {
    switch (unitFileState) {
    case 'enabled':
    case 'enabled-runtime':
        return _('Starts at login');
    case 'disabled':
        return _('Does not start at login');
    case 'static':
    case 'indirect':
    case 'generated':
    case 'transient':
        return _('Started only when another unit asks for it');
    case 'masked':
    case 'masked-runtime':
        return _('Masked');
    case 'linked':
    case 'linked-runtime':
    case 'alias':
        return _('Linked from elsewhere');
    default:
        return unitFileState === '' ? _('Unknown') : unitFileState;
    }
}

/** The "start at login" switch only means something for a unit with an [Install] section. */
export function enablementSwitchable(status: UnitStatus): boolean {
    return status.kind === 'unit' && status.loadState === 'loaded' &&
        (status.unitFileState === 'enabled' || status.unitFileState === 'disabled');
}

export function isEnabled(status: UnitStatus): boolean {
    return status.kind === 'unit' && (status.unitFileState === 'enabled' || status.unitFileState === 'enabled-runtime');
}

// ---- Errors --------------------------------------------------------------------------------

const NO_MANAGER = new Set([
    'org.freedesktop.DBus.Error.ServiceUnknown',
    'org.freedesktop.DBus.Error.NameHasNoOwner',
]);

/** A systemd call failed because nobody owns org.freedesktop.systemd1 on the bus. */
export function isNoManagerError(remoteName: string | null): boolean {
    return remoteName !== null && NO_MANAGER.has(remoteName);
}

/** A D-Bus error from systemd in words. `remoteName` is the error's D-Bus name, if any. */
export function describeSystemdError(remoteName: string | null, message: string, unit: string, _: Translate): string {
    switch (remoteName) {
    case 'org.freedesktop.DBus.Error.ServiceUnknown':
    case 'org.freedesktop.DBus.Error.NameHasNoOwner':
        return _('No systemd user manager on the session bus');
    case 'org.freedesktop.systemd1.NoSuchUnit':
    case 'org.freedesktop.systemd1.LoadFailed':
        return _('%s is not installed').replace('%s', unit);
    case 'org.freedesktop.systemd1.UnitMasked':
        return _('%s is masked').replace('%s', unit);
    case 'org.freedesktop.DBus.Error.AccessDenied':
    case 'org.freedesktop.DBus.Error.InteractiveAuthorizationRequired':
        return _('Permission denied by systemd');
    case 'org.freedesktop.DBus.Error.NoReply':
    case 'org.freedesktop.DBus.Error.Timeout':
        return _('systemd did not answer');
    default: {
        // GDBus prefixes remote errors with "GDBus.Error:<name>: ".
        const text = message.replace(/^GDBus\.Error:[^\s]+:\s*/, '').trim();
        return text === '' ? _('systemd reported an error') : text;
    }
    }
}

/** The `result` of a systemd job (Manager.JobRemoved) in words; null when it succeeded. */
export function describeJobResult(result: string, _: Translate): string | null {
    switch (result) {
    case 'done':
    case 'skipped':
        return null;
    case 'canceled':
        return _('the job was cancelled');
    case 'timeout':
        return _('systemd gave up waiting');
    case 'dependency':
        return _('a unit it depends on failed');
    case 'failed':
        return _('the daemon could not be started');
    default:
        return result;
    }
}

export type UnitAction = 'start' | 'stop' | 'restart';

export interface DaemonMenuInput {
    unit: UnitStatus;
    unitName: string;
    /** The daemon's socket answers (connected, even if quiet). */
    daemonPresent: boolean;
    /** A start/stop/restart the user asked for is still running. */
    busy: UnitAction | null;
    /** The last action's error, in words, until the next action or state change clears it. */
    actionError: string | null;
    /** The switch asked for dictation and is waiting for the daemon (see StartThenToggle). */
    waitingToToggle: boolean;
    /** CLOCK_MONOTONIC µs now, to tell model loading from a daemon that never answers. */
    nowMonotonicUs: number;
}

export interface DaemonMenuModel {
    /** A line about the daemon's service, or null. */
    status: string | null;
    /** A smaller line under it: the command that shows why, how to install, … */
    hint: string | null;
    /** The hint is a command to paste in a terminal: clicking it copies it. */
    hintCopyable: boolean;
    /** The one action next to the state, or null. */
    primary: {action: UnitAction; label: string} | null;
    /** Stop/Restart, in a submenu away from the Dictation switch. Empty: no submenu. */
    secondary: Array<{action: UnitAction; label: string}>;
    /** The daemon is on its way (unit starting, or active and loading its models): "Starting…". */
    starting: boolean;
    /** The Dictation switch can start the daemon. */
    switchCanStart: boolean;
}

// ---- The menu ------------------------------------------------------------------------------

// The header already says "Starting…"; this line says why it takes a while.
const loadingModels = (_: Translate) => _('The daemon is loading its models (5–60 s)');

export function daemonMenu(input: DaemonMenuInput, _: Translate): DaemonMenuModel {
    const {unit, unitName, daemonPresent, busy, actionError} = input;
    const phase = unitPhase(unit);
    const stop = {action: 'stop' as const, label: _('Stop the daemon')};
    const restart = {action: 'restart' as const, label: _('Restart the daemon')};
    const model: DaemonMenuModel = {status: null, hint: null, hintCopyable: false, primary: null, secondary: [], starting: false, switchCanStart: false};

    if (daemonPresent) {
        // The socket answers: the Dictation switch is the main thing. A daemon managed by the
        // unit can be stopped or restarted from the submenu; one started by hand cannot.
        if (phase === 'running' || phase === 'starting')
            model.secondary = [stop, restart];
        if (actionError !== null)
            model.status = actionError;
        else if (busy === 'stop')
            model.status = _('Stopping…');
        else if (busy === 'restart')
            model.status = loadingModels(_);
        return model;
    }

    if (busy === 'stop' || phase === 'stopping') {
        model.status = _('Stopping…');
    } else if (busy === 'start' || busy === 'restart' || phase === 'starting' ||
        (phase === 'running' && (input.waitingToToggle || withinGrace(unit, input.nowMonotonicUs)))) {
        model.status = loadingModels(_);
        model.starting = true;
        model.secondary = [stop];
    } else {
        switch (phase) {
        case 'unknown':
            break;
        case 'no-systemd':
            model.hint = _('Start the daemon yourself (no systemd user manager was found).');
            break;
        case 'error':
            model.status = unit.kind === 'error' ? _('systemd: %s').replace('%s', unit.error) : null;
            break;
        case 'not-installed':
            model.hint = _('%s is not installed. Install the daemon with “npm install -g swictation”, or start it yourself.').replace('%s', unitName);
            break;
        case 'masked':
            model.hint = _('%s is masked: systemd will not start it.').replace('%s', unitName);
            break;
        case 'broken':
            model.status = _('The unit file of %s has an error.').replace('%s', unitName);
            model.hint = journalCommand(unitName);
            break;
        case 'stopped':
            model.primary = {action: 'start', label: _('Start Swictation')};
            model.switchCanStart = true;
            break;
        case 'failed':
            model.status = _('The daemon stopped with an error');
            model.hint = journalCommand(unitName);
            model.primary = {action: 'restart', label: _('Restart')};
            model.switchCanStart = true;
            break;
        case 'restarting':
            model.status = _('The daemon stopped with an error; systemd restarts it in a moment');
            model.hint = journalCommand(unitName);
            model.secondary = [stop];
            model.switchCanStart = true;
            break;
        case 'running':
            // Active for longer than any model load, and still no socket: another socket
            // path, or a daemon that hangs.
            model.status = _('The service runs, but its socket does not answer');
            model.hint = journalCommand(unitName);
            model.primary = {action: 'restart', label: _('Restart')};
            model.secondary = [stop];
            break;
        }
    }
    if (model.starting)
        model.switchCanStart = true;
    model.hintCopyable = model.hint !== null && model.hint === journalCommand(unitName);
    if (actionError !== null)
        model.status = actionError;
    return model;
}

function withinGrace(unit: UnitStatus, nowUs: number): boolean {
    if (unit.kind !== 'unit' || unit.activeEnterMonotonicUs <= 0)
        return false;
    return nowUs - unit.activeEnterMonotonicUs < MODEL_LOAD_GRACE_MS * 1000;
}

/** What the owner does next. */
export type StartThenToggleCommand = 'start-unit' | 'toggle' | 'retry-later';

export type StartThenTogglePhase =
    | {kind: 'idle'}
    | {kind: 'waiting'; deadline: number; startPending: boolean}   // waiting for the socket
    | {kind: 'toggling'; deadline: number}          // toggle sent, waiting for its reply
    | {kind: 'done'}
    | {kind: 'failed'; message: string};

export type ToggleOutcome = 'ok' | 'not-listening' | 'daemon-error';

// ---- Switch on while stopped -----------------------------------------------------------------

/**
 * "Switch on while the daemon is stopped": start the unit (unless systemd is already
 * starting it), wait until the daemon's socket answers, then send exactly one toggle. The
 * control socket appears a moment after the metrics socket, so a toggle that finds nobody
 * listening is retried until the deadline; a toggle the daemon answered is never repeated.
 */
export class StartThenToggle {
    private _phase: StartThenTogglePhase = {kind: 'idle'};
    private readonly _waitMs: number;

    constructor(waitMs = START_THEN_TOGGLE_WAIT_MS) {
        this._waitMs = waitMs;
    }

    get phase(): StartThenTogglePhase {
        return this._phase;
    }

    get active(): boolean {
        return this._phase.kind === 'waiting' || this._phase.kind === 'toggling';
    }

    /** The user asked for dictation while the daemon is away. */
    begin(now: number, unit: UnitStatus, daemonPresent: boolean): StartThenToggleCommand[] {
        if (this.active)
            return [];
        const deadline = now + this._waitMs;
        if (daemonPresent) {
            this._phase = {kind: 'toggling', deadline};
            return ['toggle'];
        }
        const phase = unitPhase(unit);
        const start = phase !== 'starting' && phase !== 'running';
        this._phase = {kind: 'waiting', deadline, startPending: start};
        return start ? ['start-unit'] : [];
    }

    /** The start job's outcome: null when systemd accepted it, else the error in words. */
    started(error: string | null): StartThenToggleCommand[] {
        if (error !== null && this.active)
            this._phase = {kind: 'failed', message: error};
        else if (this._phase.kind === 'waiting')
            this._phase = {...this._phase, startPending: false};
        return [];
    }

    /**
     * What systemd says about the unit now. A unit that fails while we wait ends the wait; until
     * the start job has ended, the unit's old state (stopped, failed) is still expected.
     */
    unitChanged(unit: UnitStatus, failedText: string): StartThenToggleCommand[] {
        if (this._phase.kind !== 'waiting' || this._phase.startPending)
            return [];
        const phase = unitPhase(unit);
        if (phase === 'failed' || phase === 'stopped' || phase === 'not-installed' || phase === 'masked')
            this._phase = {kind: 'failed', message: failedText};
        return [];
    }

    /** The daemon's socket answers (the connection caught up). */
    daemonReady(now: number): StartThenToggleCommand[] {
        if (this._phase.kind !== 'waiting')
            return [];
        if (now > this._phase.deadline)
            return this.tick(now);
        this._phase = {kind: 'toggling', deadline: this._phase.deadline};
        return ['toggle'];
    }

    toggled(now: number, outcome: ToggleOutcome, message: string): StartThenToggleCommand[] {
        if (this._phase.kind !== 'toggling')
            return [];
        switch (outcome) {
        case 'ok':
            this._phase = {kind: 'done'};
            return [];
        case 'daemon-error':
            this._phase = {kind: 'failed', message};
            return [];
        case 'not-listening':
            if (now + TOGGLE_RETRY_MS > this._phase.deadline) {
                this._phase = {kind: 'failed', message};
                return [];
            }
            return ['retry-later'];
        }
    }

    /** The retry timer fired. */
    retry(now: number): StartThenToggleCommand[] {
        if (this._phase.kind !== 'toggling')
            return [];
        return now > this._phase.deadline ? this.tick(now) : ['toggle'];
    }

    /** Called now and then while active: the bounded wait. */
    tick(now: number, timeoutText = 'The daemon did not answer in time.'): StartThenToggleCommand[] {
        if ((this._phase.kind === 'waiting' || this._phase.kind === 'toggling') && now > this._phase.deadline)
            this._phase = {kind: 'failed', message: timeoutText};
        return [];
    }

    /** Forget a finished or failed sequence (its message has been shown). */
    reset(): void {
        this._phase = {kind: 'idle'};
    }
}

// ---- The daemon's own GNOME shortcut ---------------------------------------------------------

export const MEDIA_KEYS_SCHEMA = 'org.gnome.settings-daemon.plugins.media-keys';
export const CUSTOM_KEYBINDING_SCHEMA = 'org.gnome.settings-daemon.plugins.media-keys.custom-keybinding';
export const DAEMON_KEYBINDING_PATH = '/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/swictation-toggle/';

export interface CustomKeybinding {
    path: string;
    name: string;
    binding: string;
    command: string;
}

/**
 * The custom keybindings the daemon wrote: its own path, or (written by hand or an older
 * installer) a command that toggles through the daemon's control socket.
 */
export function daemonKeybindings(entries: CustomKeybinding[]): CustomKeybinding[] {
    return entries.filter(e => e.path === DAEMON_KEYBINDING_PATH ||
        (/swictation\.sock\b/.test(e.command) && /toggle/.test(e.command)));
}

/** The custom-keybindings list without exactly that one path, nothing else of the user's. */
export function withoutKeybinding(list: string[], path: string): string[] {
    return list.filter(p => p !== path);
}

export function sameStatus(a: UnitStatus, b: UnitStatus): boolean {
    if (a.kind !== b.kind)
        return false;
    if (a.kind === 'error' && b.kind === 'error')
        return a.error === b.error;
    if (a.kind === 'unit' && b.kind === 'unit') {
        return a.loadState === b.loadState && a.activeState === b.activeState && a.subState === b.subState &&
            a.unitFileState === b.unitFileState && a.activeEnterMonotonicUs === b.activeEnterMonotonicUs;
    }
    return true;
}

/** The unit's status from its D-Bus properties (GetAll on org.freedesktop.systemd1.Unit). */
export function unitStatusOf(props: Record<string, unknown>): UnitStatus {
    const str = (key: string) => (typeof props[key] === 'string' ? props[key] as string : '');
    const num = (key: string) => (typeof props[key] === 'number' || typeof props[key] === 'bigint' ? Number(props[key]) : 0);
    return {
        kind: 'unit',
        loadState: str('LoadState'),
        activeState: str('ActiveState'),
        subState: str('SubState'),
        unitFileState: str('UnitFileState'),
        activeEnterMonotonicUs: num('ActiveEnterTimestampMonotonic'),
    };
}
