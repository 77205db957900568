// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon as a systemd user service: what its unit's state means to a user, in words.
// Pure: the transport feeds it what systemd says, the UI shows what it returns.
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

export type UnitAction = 'start' | 'stop' | 'restart';

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
