// SPDX-License-Identifier: GPL-2.0-or-later
// Commands for a `gjs -m` test or benchmark program, one per line on stdin, read
// asynchronously so the program's main loop keeps running between them.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

type UnixInputStreamClass = new (props: {fd: number; close_fd: boolean}) => Gio.InputStream;

// GLib 2.80 moved UnixInputStream to GioUnix; the gjs of Debian 12 has it in Gio only.
// A variable keeps the typings, which do not know GioUnix, out of the way.
const GIO_UNIX = 'gi://GioUnix?version=2.0';

function unixInputStreamClass(): Promise<UnixInputStreamClass> {
    return import(GIO_UNIX).then(
        m => (m as {default: {InputStream: UnixInputStreamClass}}).default.InputStream,
        () => (Gio as unknown as {UnixInputStream: UnixInputStreamClass}).UnixInputStream);
}

/**
 * Calls onLine for every line on stdin and onEnd at end of input. Not awaitable on purpose:
 * a main loop run from a module that awaited at top level never runs promise jobs.
 */
export function readStdinCommands(onLine: (line: string) => void, onEnd: () => void): void {
    unixInputStreamClass().then(UnixInputStream => {
        const stdin = Gio.DataInputStream.new(new UnixInputStream({fd: 0, close_fd: false}));
        const next = (): void => {
            stdin.read_line_async(GLib.PRIORITY_DEFAULT, null, (_s, res) => {
                const [line] = stdin.read_line_finish_utf8(res);
                if (line === null) {
                    onEnd();
                    return;
                }
                onLine(line);
                next();
            });
        };
        next();
    });
}
