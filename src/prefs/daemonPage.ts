// SPDX-License-Identifier: GPL-2.0-or-later
// Preferences → Daemon: the daemon's systemd user unit (its state in words, Start/Stop/Restart,
// "Start the daemon at login"), and the daemon's own window and tray (swictation-ui.service),
// which the daemon's unit pulls in and which a user of the extension alone may not want.
import Adw from 'gi://Adw';
import type Gio from 'gi://Gio';
import Gtk from 'gi://Gtk';

import {enablementSwitchable, enablementText, isEnabled, type UnitAction, unitPhase, unitStateText, type UnitStatus} from '../core/daemonUnit.js';
import type {Translate} from '../core/presentation.js';
import {Key} from '../core/settings.js';
import type {Logger} from '../lib/logger.js';
import {SystemdUnit, type UnitActionResult} from '../transport/systemdUnit.js';

function button(label: string, onClick: () => void): Gtk.Button {
    const b = new Gtk.Button({label, valign: Gtk.Align.CENTER});
    b.connect('clicked', onClick);
    return b;
}

export interface DaemonPage {
    page: Adw.PreferencesPage;
    /** Stops following the units (the window closes). */
    destroy(): void;
}

export function daemonPage(settings: Gio.Settings, _: Translate, logger: Logger): DaemonPage {
    const page = new Adw.PreferencesPage({title: _('Daemon'), icon_name: 'system-run-symbolic'});

    // ---- The daemon's unit
    const daemonGroup = new Adw.PreferencesGroup({
        title: _('Swictation daemon'),
        description: _('Swictation’s installer sets the daemon up as a systemd user service. The extension starts and stops it through systemd.'),
    });
    const stateRow = new Adw.ActionRow({title: _('State')});
    stateRow.add_css_class('swictation-daemon-state');
    let daemonError: string | null = null;
    let daemonBusy = false;
    const run = (action: UnitAction) => {
        daemonBusy = true;
        daemonError = null;
        syncDaemon();
        daemon.run(action).then(result => {
            daemonBusy = false;
            daemonError = result.ok ? null : result.error;
            syncDaemon();
        });
    };
    const start = button(_('Start'), () => run('start'));
    const stop = button(_('Stop'), () => run('stop'));
    const restart = button(_('Restart'), () => run('restart'));
    for (const b of [start, stop, restart])
        stateRow.add_suffix(b);
    daemonGroup.add(stateRow);

    const loginRow = new Adw.ActionRow({title: _('Start the daemon at login')});
    const loginSwitch = new Gtk.Switch({valign: Gtk.Align.CENTER});
    loginRow.add_suffix(loginSwitch);
    loginRow.activatable_widget = loginSwitch;
    daemonGroup.add(loginRow);
    let syncing = false;
    loginSwitch.connect('notify::active', () => {
        if (syncing)
            return;
        const wanted = loginSwitch.active;
        daemonBusy = true;
        syncDaemon();
        daemon.setEnabled(wanted).then(result => {
            daemonBusy = false;
            daemonError = result.ok ? null : result.error;
            syncDaemon();
        });
    });

    const unitRow = new Adw.ActionRow({
        title: _('Unit name'),
        subtitle: _('For a daemon run under another systemd user unit'),
    });
    const unitEntry = new Gtk.Entry({valign: Gtk.Align.CENTER, width_chars: 26});
    settings.bind(Key.DAEMON_UNIT, unitEntry, 'text', 0);
    unitRow.add_suffix(unitEntry);
    daemonGroup.add(unitRow);
    page.add(daemonGroup);

    const daemon = new SystemdUnit({unit: settings.get_string(Key.DAEMON_UNIT), logger, _, onChange: () => syncDaemon()});
    const unitChanged = settings.connect('changed::daemon-unit', () => daemon.setUnit(settings.get_string(Key.DAEMON_UNIT)));

    function syncDaemon(): void {
        const status = daemon.status;
        const phase = unitPhase(status);
        stateRow.subtitle = daemonError ?? unitStateText(status, daemon.unit, _);
        const exists = phase === 'stopped' || phase === 'failed' || phase === 'running' || phase === 'starting' || phase === 'restarting';
        start.sensitive = !daemonBusy && (phase === 'stopped' || phase === 'failed');
        stop.sensitive = !daemonBusy && exists && phase !== 'stopped';
        restart.sensitive = !daemonBusy && exists;
        // While systemd enables or disables it, the switch keeps showing what the user asked for.
        if (!daemonBusy) {
            syncing = true;
            loginSwitch.active = isEnabled(status);
            syncing = false;
        }
        loginSwitch.sensitive = !daemonBusy && enablementSwitchable(status);
        loginRow.subtitle = status.kind === 'unit' && status.loadState === 'loaded' ? enablementText(status.unitFileState, _) : '';
    }

    // ---- The daemon's own window and tray
    const uiGroup = new Adw.PreferencesGroup({
        title: _('Swictation’s own window and tray'),
        description: _('The daemon’s unit also starts swictation-ui.service, the daemon’s own window and tray icon. With this extension you may not need it.'),
    });
    const uiRow = new Adw.ActionRow({title: _('State')});
    uiRow.add_css_class('swictation-ui-state');
    let uiError: string | null = null;
    let uiBusy = false;
    const stopAndDisable = button(_('Stop and disable'), () => {
        uiBusy = true;
        uiError = null;
        syncUi();
        ui.run('stop').then((stopped): Promise<UnitActionResult> => (stopped.ok ? ui.setEnabled(false) : Promise.resolve(stopped)))
            .then(result => {
                uiBusy = false;
                uiError = result.ok ? null : result.error;
                syncUi();
            });
    });
    uiRow.add_suffix(stopAndDisable);
    uiGroup.add(uiRow);
    page.add(uiGroup);

    const ui = new SystemdUnit({unit: settings.get_string(Key.UI_UNIT), logger, _, onChange: () => syncUi()});

    function syncUi(): void {
        const status: UnitStatus = ui.status;
        const phase = unitPhase(status);
        const state = unitStateText(status, ui.unit, _);
        uiRow.subtitle = uiError ?? (status.kind === 'unit' && status.loadState === 'loaded'
            ? `${state} · ${enablementText(status.unitFileState, _)}` : state);
        const running = phase === 'running' || phase === 'starting' || phase === 'restarting';
        stopAndDisable.sensitive = !uiBusy && (running || isEnabled(status));
    }

    syncDaemon();
    syncUi();
    daemon.start();
    ui.start();
    return {
        page,
        destroy: () => {
            settings.disconnect(unitChanged);
            daemon.stop();
            ui.stop();
        },
    };
}
