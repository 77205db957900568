// SPDX-License-Identifier: GPL-2.0-or-later
// `make tail` (tools/tail.ts) against hostile daemons on real sockets (issue 11, case 10):
// daemon text never reaches the terminal raw, and it vets sockets as the extension does.
import {type ChildProcess, spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import {join} from 'node:path';
import * as esbuild from 'esbuild';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';

let root: string;
let bundle: string;
let dir: string;
let count = 0;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
    root = fs.mkdtempSync(join(os.tmpdir(), 'swtail-'));
    bundle = join(root, 'tail.mjs');
    await esbuild.build({
        entryPoints: ['tools/tail.ts'], bundle: true, platform: 'node', format: 'esm',
        target: 'node20', outfile: bundle, logLevel: 'error',
    });
});

afterEach(() => {
    cleanups.splice(0).reverse().forEach(c => c());
});

afterAll(() => {
    fs.rmSync(root, {recursive: true, force: true});
});

function freshDir(mode = 0o700): string {
    dir = join(root, `d${count++}`);
    fs.mkdirSync(dir, {mode});
    fs.chmodSync(dir, mode);
    return dir;
}

async function serve(path: string, lines: string[]): Promise<net.Server> {
    const server = net.createServer(sock => {
        sock.on('error', () => undefined);
        sock.write(lines.map(l => `${l}\n`).join(''));
    });
    await new Promise<void>(resolve => server.listen(path, resolve));
    cleanups.push(() => server.close());
    return server;
}

/** Runs the tail until its output satisfies `done` (or 5 s), then stops it; returns the output. */
async function tail(args: string[], done: (out: string) => boolean): Promise<string> {
    const child: ChildProcess = spawn(process.execPath, [bundle, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    child.stdout!.on('data', d => {
        out += d;
    });
    child.stderr!.on('data', d => {
        out += d;
    });
    const deadline = Date.now() + 5000;
    while (!done(out) && Date.now() < deadline && child.exitCode === null)
        await new Promise(r => setTimeout(r, 50));
    child.kill('SIGTERM');
    await new Promise(r => child.exitCode !== null ? r(null) : child.once('exit', r));
    return out;
}

const HOSTILE = [
    '{"type":"state_change","state":"idle","timestamp":1e300}',
    '{"type":"transcription","text":"hi \\u001b[2J","timestamp":"\\u001b]0;pwned\\u0007\\u001b[31mred","wpm":1,"latency_ms":2,"words":1}',
    '{"type":"future\\u001b[2J","x":1}',
    '{"type":"session_start","session_id":1,"timestamp":99999999999999}',
];

describe('make tail', () => {
    it('prints daemon strings escaped: no escape sequence reaches the terminal', async () => {
        const path = join(freshDir(), 'swictation_metrics.sock');
        await serve(path, HOSTILE);
        for (const mode of [[], ['--raw'], ['--json']]) {
            const out = await tail(['--socket', path, ...mode], o => o.includes('session_start'));
            expect(out).toMatch(/transcription/);
            // Before: the timestamp went out raw, ESC and BEL included.
            // eslint-disable-next-line no-control-regex
            expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
            expect(out).not.toMatch(/NaN/);
        }
    });

    it('takes a symlink to a socket of ours, as the extension does', async () => {
        const target = join(freshDir(), 'real.sock');
        await serve(target, ['{"type":"state_change","state":"idle","timestamp":1.0}']);
        const link = join(dir, 'swictation_metrics.sock');
        fs.symlinkSync(target, link);
        const out = await tail(['--socket', link], o => o.includes('state_change'));
        // Before: "exists but is not a socket", refused.
        expect(out).toMatch(/connected to/);
        expect(out).toMatch(/state_change +"idle"/);
    });

    it('refuses a socket path too long for an address, as the extension does', async () => {
        const out = await tail(['--socket', `/run/${'x'.repeat(120)}/swictation_metrics.sock`], o => o.includes('too long'));
        expect(out).toMatch(/socket path too long/);
    });

    it.skipIf(process.getuid?.() !== 0)('refuses a file of ours behind which another user listens (peer check)', async () => {
        fs.chmodSync(root, 0o711);
        const d = freshDir(0o777);
        const foreignPath = join(d, 'foreign.sock');
        const server = spawn('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e',
            `require('net').createServer(s => s.write('{"type":"state_change","state":"recording","timestamp":1.0}\\n')).listen(${JSON.stringify(foreignPath)}, () => console.log('up'))`]);
        cleanups.push(() => server.kill());
        await new Promise<void>((resolve, reject) => {
            server.stdout!.once('data', () => resolve());
            server.once('exit', code => reject(new Error(`foreign server exited ${code}`)));
        });
        const path = join(d, 'swictation_metrics.sock');
        fs.renameSync(foreignPath, path);
        fs.chownSync(path, 0, 0);
        const out = await tail(['--socket', path], o => /another user/.test(o));
        // Before: the file was ours, so the foreign daemon's events were printed.
        expect(out).toMatch(/runs as another user/);
        expect(out).not.toMatch(/recording/);
    });
});
