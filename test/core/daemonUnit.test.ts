// SPDX-License-Identifier: GPL-2.0-or-later
// What the menu and the preferences offer for every unit state × connection state, and the
// "switch on while stopped" sequence.
import {describe, expect, it} from 'vitest';

import {type DaemonMenuInput, daemonMenu} from '../../src/core/daemonMenu.js';
import {
    MODEL_LOAD_GRACE_MS, type UnitStatus, enablementSwitchable, enablementText, journalCommand, unitPhase, unitStartable, unitStateText,
} from '../../src/core/daemonUnit.js';
import {DAEMON_KEYBINDING_PATH, daemonKeybindings, withoutKeybinding} from '../../src/core/mediaKeys.js';
import {StartThenToggle} from '../../src/core/startThenToggle.js';
import {describeJobResult, describeSystemdError, isNoManagerError} from '../../src/core/systemdErrors.js';

const NAME = 'swictation-daemon.service';
const NOW_US = 1_000_000_000_000;
const id = (s: string) => s;

function unit(activeState: string, over: Partial<Extract<UnitStatus, {kind: 'unit'}>> = {}): UnitStatus {
    return {kind: 'unit', loadState: 'loaded', activeState, subState: '', unitFileState: 'enabled',
        activeEnterMonotonicUs: activeState === 'active' ? NOW_US - 1_000_000 : 0, ...over};
}

const input = (u: UnitStatus, over: Partial<DaemonMenuInput> = {}): DaemonMenuInput => ({
    unit: u, unitName: NAME, daemonPresent: false, busy: null, actionError: null, waitingToToggle: false, nowMonotonicUs: NOW_US, ...over,
});

// Every unit state the menu can meet.
const UNITS: Record<string, UnitStatus> = {
    'unknown': {kind: 'unknown'},
    'no-systemd': {kind: 'no-systemd'},
    'bus error': {kind: 'error', error: 'Permission denied by systemd'},
    'not-found': unit('inactive', {loadState: 'not-found', unitFileState: ''}),
    'masked': unit('inactive', {loadState: 'masked', unitFileState: 'masked'}),
    'bad-setting': unit('inactive', {loadState: 'bad-setting'}),
    'inactive': unit('inactive', {subState: 'dead'}),
    'activating': unit('activating', {subState: 'start'}),
    'auto-restart': unit('activating', {subState: 'auto-restart'}),
    'active (just now)': unit('active', {subState: 'running'}),
    'active (long ago)': unit('active', {subState: 'running', activeEnterMonotonicUs: NOW_US - (MODEL_LOAD_GRACE_MS + 1000) * 1000}),
    'reloading': unit('reloading', {subState: 'running', activeEnterMonotonicUs: NOW_US - 2_000_000}),
    'deactivating': unit('deactivating', {subState: 'stop-sigterm'}),
    'failed': unit('failed', {subState: 'failed'}),
};

// The expected menu with the daemon's socket away: [status starts with, hint, primary, secondary, switchCanStart].
type Row = [string | null, string | null, string | null, string[], boolean];
const ABSENT: Record<string, Row> = {
    'unknown': [null, null, null, [], false],
    'no-systemd': [null, 'Start the daemon yourself (no systemd user manager was found).', null, [], false],
    'bus error': ['systemd: Permission denied by systemd', null, null, [], false],
    'not-found': [null, 'swictation-daemon.service is not installed. Install the daemon with “npm install -g swictation”, or start it yourself.', null, [], false],
    'masked': [null, 'swictation-daemon.service is masked: systemd will not start it.', null, [], false],
    'bad-setting': ['The unit file of swictation-daemon.service has an error.', 'journalctl --user -u swictation-daemon -e', null, [], false],
    'inactive': [null, null, 'Start Swictation', [], true],
    'activating': ['The daemon is loading its models (5–60 s)', null, null, ['stop'], true],
    'auto-restart': ['The daemon stopped with an error; systemd restarts it in a moment', 'journalctl --user -u swictation-daemon -e', null, ['stop'], true],
    'active (just now)': ['The daemon is loading its models (5–60 s)', null, null, ['stop'], true],
    'active (long ago)': ['The service runs, but its socket does not answer', 'journalctl --user -u swictation-daemon -e', 'Restart', ['stop'], false],
    'reloading': ['The daemon is loading its models (5–60 s)', null, null, ['stop'], true],
    'deactivating': ['Stopping…', null, null, [], false],
    'failed': ['The daemon stopped with an error', 'journalctl --user -u swictation-daemon -e', 'Restart', [], true],
};

describe('daemon menu, socket away', () => {
    for (const [name, u] of Object.entries(UNITS)) {
        it(`unit ${name}`, () => {
            const m = daemonMenu(input(u), id);
            const [status, hint, primary, secondary, canStart] = ABSENT[name];
            if (status === null)
                expect(m.status).toBeNull();
            else
                expect(m.status?.startsWith(status), `${m.status}`).toBe(true);
            expect(m.hint).toBe(hint);
            expect(m.hintCopyable).toBe(hint?.startsWith('journalctl') ?? false);
            expect(m.primary?.label ?? null).toBe(primary);
            expect(m.secondary.map(s => s.action)).toEqual(secondary);
            expect(m.switchCanStart).toBe(canStart);
            expect(m.starting).toBe((m.status ?? '').startsWith('The daemon is loading its models'));
            // Never a start button where systemd cannot start anything.
            if (!unitStartable(u))
                expect(m.primary).toBeNull();
        });
    }

    it('says that "Starting…" is model loading, not an error', () => {
        const m = daemonMenu(input(UNITS.activating), id);
        expect(m.starting).toBe(true);
        expect(m.status).toBe('The daemon is loading its models (5–60 s)');
    });

    it('keeps saying "Starting…" past the grace period while the switch waits for the daemon', () => {
        const m = daemonMenu(input(UNITS['active (long ago)'], {waitingToToggle: true}), id);
        expect(m.starting).toBe(true);
        expect(m.primary).toBeNull();
    });

    it('shows "Starting…" from the click on, before systemd reports anything', () => {
        for (const busy of ['start', 'restart'] as const) {
            const m = daemonMenu(input(UNITS.inactive, {busy}), id);
            expect(m.starting).toBe(true);
            expect(m.primary).toBeNull();
        }
        expect(daemonMenu(input(UNITS['active (just now)'], {busy: 'stop'}), id).status).toBe('Stopping…');
    });

    it('shows an action that failed in words, and still offers the way out', () => {
        const m = daemonMenu(input(UNITS.failed, {actionError: 'Could not start the daemon: permission denied'}), id);
        expect(m.status).toBe('Could not start the daemon: permission denied');
        expect(m.primary?.action).toBe('restart');
    });

    it('names the unit the user configured in the journal command', () => {
        const m = daemonMenu(input(UNITS.failed, {unitName: 'my-dictation.service'}), id);
        expect(m.hint).toBe('journalctl --user -u my-dictation -e');
    });
});

describe('daemon menu, socket answering', () => {
    for (const [name, u] of Object.entries(UNITS)) {
        it(`unit ${name}`, () => {
            const m = daemonMenu(input(u, {daemonPresent: true}), id);
            // No start button and no status line while the daemon answers: the switch is the thing.
            expect(m.primary).toBeNull();
            expect(m.status).toBeNull();
            expect(m.hint).toBeNull();
            expect(m.starting).toBe(false);
            // Stop and Restart only for a daemon that systemd runs (not one started by hand).
            const managed = ['activating', 'active (just now)', 'active (long ago)', 'reloading'].includes(name);
            expect(m.secondary.map(s => s.action)).toEqual(managed ? ['stop', 'restart'] : []);
        });
    }

    it('shows a restart in progress, and an error of the last action', () => {
        expect(daemonMenu(input(UNITS['active (just now)'], {daemonPresent: true, busy: 'restart'}), id).status).toMatch(/^The daemon is loading its models/);
        expect(daemonMenu(input(UNITS['active (just now)'], {daemonPresent: true, actionError: 'Permission denied by systemd'}), id).status)
            .toBe('Permission denied by systemd');
    });
});

describe('unit state in words', () => {
    it('describes every state for Preferences', () => {
        const texts = Object.fromEntries(Object.entries(UNITS).map(([k, u]) => [k, unitStateText(u, NAME, id)]));
        expect(texts).toEqual({
            'unknown': 'Asking systemd…',
            'no-systemd': 'No systemd user manager on the session bus',
            'bus error': 'Permission denied by systemd',
            'not-found': 'Not installed (swictation-daemon.service not found)',
            'masked': 'Masked: systemd will not start it',
            'bad-setting': 'The unit file has an error',
            'inactive': 'Stopped',
            'activating': 'Starting…',
            'auto-restart': 'Stopped with an error; systemd restarts it in a moment',
            'active (just now)': 'Running',
            'active (long ago)': 'Running',
            'reloading': 'Running',
            'deactivating': 'Stopping…',
            'failed': 'Stopped with an error',
        });
    });

    it('maps phases', () => {
        expect(unitPhase(UNITS.failed)).toBe('failed');
        expect(unitPhase(UNITS['auto-restart'])).toBe('restarting');
        expect(unitPhase(unit('maintenance'))).toBe('stopped');
    });

    it('says whether it starts at login, and offers the switch only where it means something', () => {
        expect(enablementText('enabled', id)).toBe('Starts at login');
        expect(enablementText('disabled', id)).toBe('Does not start at login');
        expect(enablementText('static', id)).toBe('Started only when another unit asks for it');
        expect(enablementText('masked', id)).toBe('Masked');
        expect(enablementSwitchable(unit('inactive', {unitFileState: 'enabled'}))).toBe(true);
        expect(enablementSwitchable(unit('inactive', {unitFileState: 'disabled'}))).toBe(true);
        expect(enablementSwitchable(unit('inactive', {unitFileState: 'static'}))).toBe(false);
        expect(enablementSwitchable(UNITS['not-found'])).toBe(false);
        expect(enablementSwitchable({kind: 'no-systemd'})).toBe(false);
    });

    it('builds the journal command from the unit name', () => {
        expect(journalCommand('swictation-daemon.service')).toBe('journalctl --user -u swictation-daemon -e');
        expect(journalCommand('other')).toBe('journalctl --user -u other -e');
    });
});

describe('systemd errors in words', () => {
    const d = (name: string | null, msg = '') => describeSystemdError(name, msg, NAME, id);
    it('names the usual failures', () => {
        expect(d('org.freedesktop.DBus.Error.ServiceUnknown')).toBe('No systemd user manager on the session bus');
        expect(d('org.freedesktop.systemd1.NoSuchUnit')).toBe('swictation-daemon.service is not installed');
        expect(d('org.freedesktop.systemd1.UnitMasked')).toBe('swictation-daemon.service is masked');
        expect(d('org.freedesktop.DBus.Error.AccessDenied')).toBe('Permission denied by systemd');
        expect(d('org.freedesktop.DBus.Error.NoReply')).toBe('systemd did not answer');
        expect(d('org.example.Other', 'GDBus.Error:org.example.Other: Something broke')).toBe('Something broke');
        expect(d(null, '')).toBe('systemd reported an error');
        expect(isNoManagerError('org.freedesktop.DBus.Error.NameHasNoOwner')).toBe(true);
        expect(isNoManagerError('org.freedesktop.DBus.Error.AccessDenied')).toBe(false);
        expect(isNoManagerError(null)).toBe(false);
    });

    it('explains job results', () => {
        expect(describeJobResult('done', id)).toBeNull();
        expect(describeJobResult('failed', id)).toBe('the daemon could not be started');
        expect(describeJobResult('dependency', id)).toBe('a unit it depends on failed');
        expect(describeJobResult('timeout', id)).toBe('systemd gave up waiting');
        expect(describeJobResult('canceled', id)).toBe('the job was cancelled');
    });
});

describe('switch on while stopped', () => {
    it('starts the unit, waits for the socket, toggles exactly once', () => {
        const s = new StartThenToggle(10_000);
        expect(s.begin(0, UNITS.inactive, false)).toEqual(['start-unit']);
        expect(s.active).toBe(true);
        expect(s.begin(10, UNITS.inactive, false)).toEqual([]);     // a second press starts nothing more
        expect(s.started(null)).toEqual([]);
        expect(s.unitChanged(UNITS.activating, 'failed')).toEqual([]);
        expect(s.unitChanged(UNITS['active (just now)'], 'failed')).toEqual([]);
        expect(s.daemonReady(4000)).toEqual(['toggle']);
        expect(s.daemonReady(4100)).toEqual([]);                     // reconnects do not toggle again
        expect(s.toggled(4200, 'ok', '')).toEqual([]);
        expect(s.phase.kind).toBe('done');
        expect(s.daemonReady(5000)).toEqual([]);
    });

    it('does not start a unit systemd is already starting, and toggles at once if the daemon is there', () => {
        const s = new StartThenToggle();
        expect(s.begin(0, UNITS.activating, false)).toEqual([]);
        expect(s.phase.kind).toBe('waiting');
        const t = new StartThenToggle();
        expect(t.begin(0, UNITS.inactive, true)).toEqual(['toggle']);
    });

    it('retries a toggle that finds nobody listening, within the wait', () => {
        const s = new StartThenToggle(2000);
        s.begin(0, UNITS.failed, false);
        expect(s.daemonReady(100)).toEqual(['toggle']);
        expect(s.toggled(200, 'not-listening', 'not running')).toEqual(['retry-later']);
        expect(s.retry(700)).toEqual(['toggle']);
        expect(s.toggled(800, 'ok', '')).toEqual([]);
        expect(s.phase.kind).toBe('done');
    });

    it('never repeats a toggle the daemon answered with an error', () => {
        const s = new StartThenToggle();
        s.begin(0, UNITS.inactive, false);
        s.daemonReady(100);
        expect(s.toggled(200, 'daemon-error', 'No microphone')).toEqual([]);
        expect(s.phase).toEqual({kind: 'failed', message: 'No microphone'});
    });

    it('gives up with a clear message after the bounded wait', () => {
        const s = new StartThenToggle(1000);
        s.begin(0, UNITS.inactive, false);
        s.tick(500, 'timeout');
        expect(s.active).toBe(true);
        s.tick(1001, 'The daemon did not answer within 90 s.');
        expect(s.phase).toEqual({kind: 'failed', message: 'The daemon did not answer within 90 s.'});
        expect(s.daemonReady(1200)).toEqual([]);
        // Late readiness after the deadline does not toggle.
        const t = new StartThenToggle(1000);
        t.begin(0, UNITS.inactive, false);
        expect(t.daemonReady(1500)).toEqual([]);
        expect(t.phase.kind).toBe('failed');
        // Nor a retry past it.
        const u = new StartThenToggle(1000);
        u.begin(0, UNITS.inactive, false);
        u.daemonReady(100);
        expect(u.toggled(900, 'not-listening', 'not running')).toEqual([]);
        expect(u.phase).toEqual({kind: 'failed', message: 'not running'});
    });

    it('does not take the old state, before the start job ends, for a failure', () => {
        const s = new StartThenToggle();
        s.begin(0, UNITS.failed, false);
        s.unitChanged(UNITS.failed, 'failed');
        s.unitChanged(UNITS.inactive, 'failed');
        expect(s.phase.kind).toBe('waiting');
        s.started(null);
        s.unitChanged(UNITS.activating, 'failed');
        expect(s.phase.kind).toBe('waiting');
    });

    it('ends the wait when the start job or the unit fails', () => {
        const s = new StartThenToggle();
        s.begin(0, UNITS.inactive, false);
        s.started('Permission denied by systemd');
        expect(s.phase).toEqual({kind: 'failed', message: 'Permission denied by systemd'});
        const t = new StartThenToggle();
        t.begin(0, UNITS.inactive, false);
        t.started(null);
        t.unitChanged(UNITS.activating, 'x');
        t.unitChanged(UNITS.failed, 'The daemon stopped with an error');
        expect(t.phase).toEqual({kind: 'failed', message: 'The daemon stopped with an error'});
        t.reset();
        expect(t.phase.kind).toBe('idle');
        expect(t.begin(0, UNITS.failed, false)).toEqual(['start-unit']);
    });
});

describe("the daemon's own shortcut", () => {
    const daemons = {path: DAEMON_KEYBINDING_PATH, name: 'Swictation Toggle', binding: '<Super><Shift>d',
        command: 'sh -c "echo \'{\\"action\\":\\"toggle\\"}\' | nc -U $XDG_RUNTIME_DIR/swictation.sock"'};
    const users = {path: '/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/custom0/', name: 'Terminal', binding: '<Super>t', command: 'kgx'};
    it('finds the daemon\'s entry among the user\'s', () => {
        expect(daemonKeybindings([users, daemons])).toEqual([daemons]);
        expect(daemonKeybindings([users])).toEqual([]);
        const elsewhere = {...daemons, path: '/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/custom1/'};
        expect(daemonKeybindings([elsewhere])).toEqual([elsewhere]);
    });

    it('removes exactly that one path', () => {
        expect(withoutKeybinding([users.path, DAEMON_KEYBINDING_PATH, '/x/'], DAEMON_KEYBINDING_PATH)).toEqual([users.path, '/x/']);
        expect(withoutKeybinding([users.path], DAEMON_KEYBINDING_PATH)).toEqual([users.path]);
    });
});
