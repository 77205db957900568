// SPDX-License-Identifier: GPL-2.0-or-later
// A plain `gjs -m` program that runs what the top bar runs, below St: the transport, the
// toggle command, the daemon's unit service and a view's ViewUpdates, whose render reports the
// panel's model as JSON lines. Commands on stdin; `pause N` loses every callback of the
// extension for N ms, as GJS 1.80 does during a garbage collection.
//   gjs -m build/gjs/viewClient.js <metrics-socket-path> <unit> [<panel-label>]
import GLib from 'gi://GLib';
import System from 'system';

import {type PanelLabelMode, type Translate, panelView, present} from '../../../src/core/presentation.js';
import type {Settings} from '../../../src/core/settings.js';
import {SessionStore} from '../../../src/core/sessionStore.js';
import type {Logger} from '../../../src/lib/logger.js';
import {DaemonService} from '../../../src/services/daemonService.js';
import {DictationCommand} from '../../../src/services/dictationCommand.js';
import type {Notifier} from '../../../src/services/notifier.js';
import {MetricsConnection} from '../../../src/transport/metricsConnection.js';
import type {ViewContext} from '../../../src/ui/viewContext.js';
import {ViewUpdates} from '../../../src/ui/viewUpdates.js';
import {pauseFor} from './lib/lostCallbacks.js';
import {readStdinCommands} from './lib/stdinCommands.js';

const [socketPath, unit, panelLabel = 'elapsed'] = System.programArgs;
const loop = new GLib.MainLoop(null, false);
const store = new SessionStore({maxSegments: 50});
const _: Translate = s => s;

function emit(record: object): void {
    print(JSON.stringify(record));
}

const logger: Logger = {
    info: message => emit({kind: 'log', level: 'info', message}),
    warn: message => emit({kind: 'log', level: 'warn', message}),
    debug: () => {},
};
const connection = new MetricsConnection({store, logger, socketOverride: () => socketPath});
const controlPath = () => connection.paths?.control ?? null;
const daemon = new DaemonService({store, controlPath, unit, logger, _});
const command = new DictationCommand({
    store, controlPath, daemon, logger, _,
    settings: {notifyToggleFailed: false} as Settings,
    notifier: {notify: () => {}} as unknown as Notifier,
});

let views: ViewUpdates | null = null;
const presentation = (state = store.state, now = Date.now()) =>
    daemon.titled(present(state, {now, panelLabel: panelLabel as PanelLabelMode, hideTranscript: false, menu: false}, _));

function render(): void {
    const p = presentation();
    views!.ticking = p.recording && panelLabel === 'elapsed';
    emit({kind: 'render', at: Date.now(), recording: p.recording, title: p.title, label: p.panelLabel, note: command.note});
}
views = new ViewUpdates({store, command, daemon} as unknown as ViewContext, render, (state, now) => panelView(presentation(state, now)));

readStdinCommands(line => {
    const [verb, arg] = line.trim().split(/\s+/, 2);
    switch (verb) {
    case 'start':
        connection.start();
        break;
    case 'pause':
        pauseFor(Number(arg));
        // Not a source of the extension's, so the pause spares it.
        GLib.timeout_add(GLib.PRIORITY_HIGH, Number(arg), () => {
            emit({kind: 'resumed', at: Date.now()});
            return GLib.SOURCE_REMOVE;
        });
        break;
    case 'toggle':
        command.toggle(arg === 'can-start');
        break;
    case 'exit':
        loop.quit();
        break;
    }
}, () => loop.quit());
emit({kind: 'ready'});
loop.run();
views.destroy();
command.destroy();
daemon.destroy();
connection.stop();
