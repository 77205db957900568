// SPDX-License-Identifier: GPL-2.0-or-later
// The end-to-end driver's hands inside the root: `gjs -m bridge.js`, run as the test user in
// the session's environment. One JSON request per line on stdin, one JSON answer per line on
// stdout, matched by `id`:
//   {id, op: 'eval', code}                     -> {id, ok, success, result}   (org.gnome.Shell.Eval)
//   {id, op: 'screenshot', path}               -> {id, ok, success, path}     (whole screen)
//   {id, op: 'screenshotArea', x, y, w, h, path}
//   {id, op: 'crop', src, dst, x, y, w, h}     -> {id, ok, width, height}     (GdkPixbuf)
// Any failure answers {id, ok: false, error}. Exits when stdin closes.
import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import GdkPixbuf from 'gi://GdkPixbuf';

const CALL_TIMEOUT_MS = 30_000;
const bus = Gio.bus_get_sync(Gio.BusType.SESSION, null);

// GLib >= 2.80 has the Unix streams in GioUnix; older ones in Gio.
let UnixInputStream, UnixOutputStream;
try {
    ({InputStream: UnixInputStream, OutputStream: UnixOutputStream} = (await import('gi://GioUnix')).default);
} catch {
    ({UnixInputStream, UnixOutputStream} = Gio);
}
const input = new Gio.DataInputStream({base_stream: new UnixInputStream({fd: 0, close_fd: false})});
const output = new Gio.DataOutputStream({base_stream: new UnixOutputStream({fd: 1, close_fd: false})});
const loop = new GLib.MainLoop(null, false);

function call(dest, path, iface, method, args, signature) {
    return new Promise((resolve, reject) => {
        bus.call(dest, path, iface, method, new GLib.Variant(signature, args), null,
            Gio.DBusCallFlags.NONE, CALL_TIMEOUT_MS, null, (conn, res) => {
                try {
                    resolve(conn.call_finish(res).deepUnpack());
                } catch (e) {
                    reject(e);
                }
            });
    });
}

const SCREENSHOT = ['org.gnome.Shell.Screenshot', '/org/gnome/Shell/Screenshot', 'org.gnome.Shell.Screenshot'];

const ops = {
    async eval({code}) {
        const [success, result] = await call('org.gnome.Shell', '/org/gnome/Shell', 'org.gnome.Shell', 'Eval', [code], '(s)');
        return {success, result};
    },
    async screenshot({path}) {
        const [success, used] = await call(...SCREENSHOT, 'Screenshot', [false, false, path], '(bbs)');
        return {success, path: used};
    },
    async screenshotArea({x, y, w, h, path}) {
        const [success, used] = await call(...SCREENSHOT, 'ScreenshotArea', [x, y, w, h, false, path], '(iiiibs)');
        return {success, path: used};
    },
    crop({src, dst, x, y, w, h}) {
        const image = GdkPixbuf.Pixbuf.new_from_file(src);
        const width = Math.min(w, image.get_width() - x);
        const height = Math.min(h, image.get_height() - y);
        image.new_subpixbuf(x, y, width, height).savev(dst, 'png', [], []);
        return {width, height};
    },
};

function answer(message) {
    output.put_string(`${JSON.stringify(message)}\n`, null);
    output.flush(null);
}

async function handle(line) {
    let request = {};
    try {
        request = JSON.parse(line);
        const op = ops[request.op];
        if (!op)
            throw new Error(`unknown op ${request.op}`);
        answer({id: request.id, ok: true, ...await op(request)});
    } catch (e) {
        answer({id: request.id, ok: false, error: `${e?.message ?? e}`});
    }
}

function readNext() {
    input.read_line_async(GLib.PRIORITY_DEFAULT, null, (stream, res) => {
        let line;
        try {
            [line] = stream.read_line_finish_utf8(res);
        } catch {
            line = null;
        }
        if (line === null) {
            loop.quit();
            return;
        }
        if (line.trim() !== '')
            handle(line);
        readNext();
    });
}

readNext();
await loop.runAsync();
