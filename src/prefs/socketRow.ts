// SPDX-License-Identifier: GPL-2.0-or-later
// The socket path override, with a check of what is at that path (or at the default). Prefs run
// in their own process, not in the shell, so the one directory test below may be synchronous.
import Adw from 'gi://Adw';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {socketDirCandidates, socketPaths} from '../core/socketPaths.js';

type Translate = (s: string) => string;

function defaultMetricsPath(): string {
    const dirs = socketDirCandidates({
        XDG_RUNTIME_DIR: GLib.getenv('XDG_RUNTIME_DIR'),
        XDG_DATA_HOME: GLib.getenv('XDG_DATA_HOME'),
        HOME: GLib.get_home_dir(),
    });
    const dir = dirs.find(d => GLib.file_test(d, GLib.FileTest.IS_DIR)) ?? dirs[dirs.length - 1] ?? null;
    return socketPaths('', dir)?.metrics ?? '';
}

export function socketRows(settings: Gio.Settings, _: Translate): {entry: Adw.EntryRow; status: Adw.ActionRow} {
    const row = new Adw.EntryRow({
        title: _('Metrics socket (empty: where the daemon puts it)'),
        show_apply_button: true,
        text: settings.get_string('socket-path'),
    });
    const status = new Adw.ActionRow({title: _('Socket'), subtitle: ''});
    let cancellable: Gio.Cancellable | null = null;

    const check = () => {
        cancellable?.cancel();
        cancellable = new Gio.Cancellable();
        const path = row.text.trim() || defaultMetricsPath();
        const file = Gio.File.new_for_path(path);
        file.query_info_async('unix::mode,unix::uid', Gio.FileQueryInfoFlags.NONE, GLib.PRIORITY_DEFAULT, cancellable, (_f, res) => {
            let verdict: string;
            try {
                const info = file.query_info_finish(res);
                const isSocket = (info.get_attribute_uint32('unix::mode') & 0o170000) === 0o140000;
                const mine = info.get_attribute_uint32('unix::uid') === (new Gio.Credentials().get_unix_user() as unknown as number);
                verdict = !isSocket ? _('exists, but is not a socket')
                    : !mine ? _('a socket owned by another user: it will be refused')
                        : _('a socket is there');
            } catch (e) {
                if (e instanceof GLib.Error && e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED))
                    return;
                verdict = _('nothing there yet (the daemon is not running)');
            }
            status.subtitle = `${path}: ${verdict}`;
        });
    };

    row.connect('apply', () => {
        const text = row.text.trim();
        if (text && !text.startsWith('/')) {
            row.add_css_class('error');
            status.subtitle = _('Give an absolute path, or leave it empty.');
            return;
        }
        row.remove_css_class('error');
        settings.set_string('socket-path', text);
        check();
    });
    row.connect('changed', () => row.remove_css_class('error'));
    row.connect('destroy', () => cancellable?.cancel());
    check();
    return {entry: row, status};
}
