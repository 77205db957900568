// SPDX-License-Identifier: GPL-2.0-or-later
// A plain `gjs -m` program that runs the extension's systemd transport on the session bus
// ($DBUS_SESSION_BUS_ADDRESS) and reports what it sees as JSON lines on stdout.
//   gjs -m build/gjs/systemdClient.js <unit-name>
// Commands on stdin: start | stop | run start|stop|restart | enable on|off | unit NAME | exit
import GLib from 'gi://GLib';
import System from 'system';

import {SystemdUnit} from '../../../src/transport/systemdUnit.js';
import {readStdinCommands} from './lib/stdinCommands.js';

const loop = new GLib.MainLoop(null, false);

function emit(record: object): void {
    print(JSON.stringify(record));
}

const unit = new SystemdUnit({
    unit: System.programArgs[0] ?? 'swictation-daemon.service',
    _: s => s,
    logger: {
        info: message => emit({kind: 'log', level: 'info', message}),
        warn: message => emit({kind: 'log', level: 'warn', message}),
        debug: message => emit({kind: 'log', level: 'debug', message}),
    },
    onChange: status => emit({...status, kind: 'status', status: status.kind}),
});

readStdinCommands(line => {
    const [verb, arg] = line.trim().split(/\s+/, 2);
    switch (verb) {
    case 'start':
        unit.start();
        break;
    case 'stop':
        unit.stop();
        emit({kind: 'stopped'});
        break;
    case 'run':
        unit.run(arg as 'start' | 'stop' | 'restart').then(result => emit({kind: 'result', action: arg, ...result}));
        break;
    case 'enable':
        unit.setEnabled(arg === 'on').then(result => emit({kind: 'result', action: `enable ${arg}`, ...result}));
        break;
    case 'unit':
        unit.setUnit(arg);
        break;
    case 'exit':
        unit.stop();
        loop.quit();
        break;
    }
}, () => {
    unit.stop();
    loop.quit();
});
loop.run();
