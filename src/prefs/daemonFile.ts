// SPDX-License-Identifier: GPL-2.0-or-later
// One of the daemon's files in $XDG_CONFIG_HOME/swictation, read and written so that the daemon
// always finds a whole, valid file: every write reads the file again first (the daemon rewrites
// it too), then writes a temporary file in the same folder and renames it over the old one.
// A symlink, a file of another user or an oversized one is refused, never followed or rewritten.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import type {Translate} from '../core/presentation.js';

/** Far more than any real file (5,000 corrections are about 1.3 MB), far less than harms the window. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

const ATTRIBUTES = 'standard::type,standard::size,unix::uid,time::modified,time::modified-usec';

export type FileText =
    | {kind: 'text'; text: string; modifiedUs: number}
    | {kind: 'missing'}
    | {kind: 'refused'; message: string};

export type Change = {ok: true; text: string} | {ok: false; message: string};
export type Written = {ok: true; text: string} | {ok: false; message: string};

function call<T>(start: (done: Gio.AsyncReadyCallback) => void, finish: (res: Gio.AsyncResult) => T): Promise<T> {
    return new Promise((resolve, reject) => start((_o, res) => {
        try {
            resolve(finish(res));
        } catch (e) {
            reject(e);
        }
    }));
}

const messageOf = (e: unknown) => (e instanceof GLib.Error || e instanceof Error ? e.message : String(e));

export class DaemonFile {
    readonly file: Gio.File;
    private readonly _: Translate;

    constructor(name: string, _: Translate, dir = GLib.build_filenamev([GLib.get_user_config_dir(), 'swictation'])) {
        this.file = Gio.File.new_for_path(GLib.build_filenamev([dir, name]));
        this._ = _;
    }

    get path(): string {
        return this.file.get_path()!;
    }

    async read(): Promise<FileText> {
        const _ = this._;
        let info: Gio.FileInfo;
        try {
            info = await call(cb => this.file.query_info_async(ATTRIBUTES, Gio.FileQueryInfoFlags.NOFOLLOW_SYMLINKS, GLib.PRIORITY_DEFAULT, null, cb),
                res => this.file.query_info_finish(res));
        } catch (e) {
            if (e instanceof GLib.Error && e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.NOT_FOUND))
                return {kind: 'missing'};
            return {kind: 'refused', message: _('%s cannot be read: %s').replace('%s', this.path).replace('%s', messageOf(e))};
        }
        const refuse = (message: string): FileText => ({kind: 'refused', message: message.replace('%s', this.path)});
        if (info.get_file_type() === Gio.FileType.SYMBOLIC_LINK)
            return refuse(_('%s is a symbolic link. The preferences change only a file of its own, not what a link points to.'));
        if (info.get_file_type() !== Gio.FileType.REGULAR)
            return refuse(_('%s is not a regular file.'));
        if (info.get_attribute_uint32('unix::uid') !== new Gio.Credentials().get_unix_user())
            return refuse(_('%s belongs to another user. The preferences change only your own files.'));
        if (info.get_size() > MAX_FILE_BYTES) {
            return refuse(_('%s is %d MiB, too large to be the daemon’s file; the preferences open files up to 4 MiB.')
                .replace('%d', (info.get_size() / 1024 / 1024).toFixed(1)));
        }
        try {
            const [, bytes] = await call(cb => this.file.load_contents_async(null, cb), res => this.file.load_contents_finish(res));
            const text = new TextDecoder('utf-8', {fatal: true}).decode(bytes);
            const modified = info.get_modification_date_time();
            return {kind: 'text', text, modifiedUs: modified ? modified.to_unix() * 1e6 + modified.get_microsecond() : 0};
        } catch (e) {
            return refuse(_('%s cannot be read: %s').replace('%s', this.path).replace('%s', messageOf(e)));
        }
    }

    /**
     * Reads the file as it is now, lets `change` edit that text, and puts the result in place
     * whole. Nothing is written when the file is refused or the change fails.
     */
    async write(change: (text: string) => Change): Promise<Written> {
        const current = await this.read();
        if (current.kind === 'refused')
            return {ok: false, message: current.message};
        const edited = change(current.kind === 'text' ? current.text : '');
        if (!edited.ok)
            return edited;
        const dir = this.file.get_parent()!;
        const temp = dir.get_child(`.${this.file.get_basename()}.${GLib.uuid_string_random().slice(0, 8)}.tmp`);
        try {
            if (!dir.query_exists(null))
                dir.make_directory_with_parents(null);
            const stream = await call(cb => temp.create_async(Gio.FileCreateFlags.PRIVATE, GLib.PRIORITY_DEFAULT, null, cb),
                res => temp.create_finish(res));
            // GBytes, not a JS array: GJS does not keep an array alive while an async write reads it.
            const data = new TextEncoder().encode(edited.text);
            for (let done = 0; done < data.length;) {
                const chunk = new GLib.Bytes(data.subarray(done));
                done += await call(cb => stream.write_bytes_async(chunk, GLib.PRIORITY_DEFAULT, null, cb), res => stream.write_bytes_finish(res));
            }
            await call(cb => stream.close_async(GLib.PRIORITY_DEFAULT, null, cb), res => stream.close_finish(res));
            // A rename within the folder: the daemon sees the old file or the new one, never half of one.
            temp.move(this.file, Gio.FileCopyFlags.OVERWRITE | Gio.FileCopyFlags.NOFOLLOW_SYMLINKS, null, null);
            return {ok: true, text: edited.text};
        } catch (e) {
            temp.delete_async(GLib.PRIORITY_DEFAULT, null, () => {});
            return {ok: false, message: this._('Could not write %s: %s').replace('%s', this.path).replace('%s', messageOf(e))};
        }
    }
}
