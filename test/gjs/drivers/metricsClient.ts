// SPDX-License-Identifier: GPL-2.0-or-later
// A plain `gjs -m` program that runs the extension's transport against a real socket and
// reports what the UI would be given, as JSON lines on stdout. Commands arrive on stdin.
//   gjs -m build/gjs/metricsClient.js <metrics-socket-path> [max-segments]
import GLib from 'gi://GLib';
import System from 'system';

import {SessionStore} from '../../../src/core/sessionStore.js';
import type {SessionState} from '../../../src/core/sessionState.js';
import {sendControl} from '../../../src/transport/controlClient.js';
import {MetricsConnection} from '../../../src/transport/metricsConnection.js';
import {type LostCallback, loseNext, pauseFor} from './lib/lostCallbacks.js';
import {readStdinCommands} from './lib/stdinCommands.js';

const [socketPath, maxSegmentsArg] = System.programArgs;
const loop = new GLib.MainLoop(null, false);
const store = new SessionStore({maxSegments: Number(maxSegmentsArg ?? 50)});

function emit(record: object): void {
    print(JSON.stringify(record));
}

function summary(state: SessionState, withTexts = false): object {
    const t = state.transcript;
    return {
        status: state.connection.status,
        problem: state.connection.problem,
        detail: state.connection.detail,
        retryAt: state.connection.retryAt,
        daemonState: state.daemonState,
        sessionId: state.sessionId,
        words: state.session.words,
        transcriptLength: t.length,
        firstText: t[0]?.text ?? null,
        lastText: t[t.length - 1]?.text ?? null,
        counters: state.counters,
        ...(withTexts ? {texts: t.map(s => s.text)} : {}),
    };
}

let stopped = false;
let dispatchesAfterStop = 0;
const dispatch = store.dispatch.bind(store);
store.dispatch = action => {
    if (stopped)
        dispatchesAfterStop++;
    dispatch(action);
};

// Coalesced like the UI: one report per main-loop idle, however many events arrived. GJS 1.74
// can drop a callback during garbage collection: a report pending for long is re-armed.
let idleSource = 0;
let idleSince = 0;
store.subscribe(() => {
    const now = GLib.get_monotonic_time();
    if (idleSource && now - idleSince < 500_000)
        return;
    idleSince = now;
    idleSource = GLib.idle_add(GLib.PRIORITY_DEFAULT_IDLE, () => {
        idleSource = 0;
        emit({kind: 'state', ...summary(store.state)});
        return GLib.SOURCE_REMOVE;
    });
});

const connection = new MetricsConnection({
    store,
    socketOverride: () => socketPath,
    logger: {
        info: message => emit({kind: 'log', level: 'info', message}),
        warn: message => emit({kind: 'log', level: 'warn', message}),
        debug: message => emit({kind: 'log', level: 'debug', message}),
    },
});

async function handle(command: string): Promise<void> {
    const [verb, arg] = command.trim().split(/\s+/, 2);
    switch (verb) {
    case 'start':
        stopped = false;
        connection.start();
        break;
    case 'stop':
        connection.stop();
        stopped = true;
        break;
    case 'reconnect':
        connection.reconnectNow();
        break;
    case 'probe':
        emit({kind: 'probe', dispatchesAfterStop, ...summary(store.state, arg === 'texts')});
        break;
    case 'control': {
        const started = GLib.get_monotonic_time();
        const result = await sendControl(connection.paths?.control ?? socketPath.replace(/[^/]*$/, 'swictation.sock'), (arg ?? 'toggle') as 'toggle');
        emit({kind: 'control', result, elapsedMs: (GLib.get_monotonic_time() - started) / 1000});
        break;
    }
    case 'lose':
        loseNext(arg as LostCallback);
        break;
    case 'pause':
        pauseFor(Number(arg));
        break;
    case 'exit':
        loop.quit();
        break;
    default:
        emit({kind: 'error', message: `unknown command ${verb}`});
    }
}

readStdinCommands(line => {
    handle(line).catch(e => emit({kind: 'error', message: String(e)}));
}, () => loop.quit());
emit({kind: 'ready'});
loop.run();
