// SPDX-License-Identifier: GPL-2.0-or-later
// Which actions the menu offers for each unit state × connection state, and what it says.
import type {Translate} from './presentation.js';
import {MODEL_LOAD_GRACE_MS, type UnitAction, type UnitStatus, journalCommand, unitPhase} from './daemonUnit.js';

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
