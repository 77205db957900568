// SPDX-License-Identifier: GPL-2.0-or-later
// What systemd's D-Bus errors and job results mean, in words a user can act on.
import type {Translate} from './presentation.js';

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
