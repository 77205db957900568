// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import {checkedSocketPaths, MAX_SOCKET_PATH_BYTES, resolveSocketDir, socketDirCandidates, socketPaths} from '../../src/core/socketPaths.js';

describe('socket location, as the daemon chooses it', () => {
    it('uses $XDG_RUNTIME_DIR when it is set and exists', () => {
        const env = {XDG_RUNTIME_DIR: '/run/user/1000', HOME: '/home/ann'};
        expect(resolveSocketDir(env, () => true)).toBe('/run/user/1000');
        expect(socketPaths('', '/run/user/1000')).toEqual({
            metrics: '/run/user/1000/swictation_metrics.sock',
            control: '/run/user/1000/swictation.sock',
        });
    });

    it('falls back to $XDG_DATA_HOME/swictation when the runtime dir is missing', () => {
        const env = {XDG_RUNTIME_DIR: '/run/user/1000', XDG_DATA_HOME: '/data', HOME: '/home/ann'};
        expect(resolveSocketDir(env, p => p !== '/run/user/1000')).toBe('/data/swictation');
    });

    it('falls back to ~/.local/share/swictation without XDG variables', () => {
        expect(socketDirCandidates({HOME: '/home/ann'})).toEqual(['/home/ann/.local/share/swictation']);
        expect(resolveSocketDir({HOME: '/home/ann'}, () => false)).toBe('/home/ann/.local/share/swictation');
    });

    it('never looks in /tmp, where another user could have planted the socket', () => {
        const dirs = socketDirCandidates({XDG_RUNTIME_DIR: '', HOME: '/home/ann'});
        expect(dirs.some(d => d.startsWith('/tmp'))).toBe(false);
    });

    it('takes the control socket from the override directory', () => {
        expect(socketPaths('  /srv/sw/swictation_metrics.sock ', null)).toEqual({
            metrics: '/srv/sw/swictation_metrics.sock',
            control: '/srv/sw/swictation.sock',
        });
    });
});

describe('socket path overrides (issue 11, case 8)', () => {
    it('refuses a path too long for a socket address instead of connecting to a truncated one', () => {
        const long = `/run/user/1000/${'d'.repeat(80)}/swictation_metrics.sock`;
        expect(new TextEncoder().encode(long).length).toBeGreaterThan(MAX_SOCKET_PATH_BYTES);
        const checked = checkedSocketPaths(long, null, '/home/ann');
        expect(checked).toMatchObject({ok: false});
        expect(checked && !checked.ok && checked.error).toMatch(/path too long \(\d+ bytes; .* at most 107\)/);
        // The limit counts bytes, not characters.
        const wide = `/run/${'é'.repeat(40)}/swictation_metrics.sock`;
        expect(checkedSocketPaths(wide, null, null)).toMatchObject({ok: false});
    });

    it('expands "~/" and refuses relative paths', () => {
        expect(checkedSocketPaths('~/sw/swictation_metrics.sock', null, '/home/ann')).toEqual({ok: true, paths: {
            metrics: '/home/ann/sw/swictation_metrics.sock', control: '/home/ann/sw/swictation.sock',
        }});
        const relative = checkedSocketPaths('sw/swictation_metrics.sock', null, '/home/ann');
        expect(relative && !relative.ok && relative.error).toMatch(/not absolute/);
        expect(checkedSocketPaths('~/x.sock', null, null)).toMatchObject({ok: false});
    });

    it('checks the default paths too', () => {
        expect(checkedSocketPaths('', '/run/user/1000', '/home/ann')).toMatchObject({ok: true});
        expect(checkedSocketPaths('', `/run/${'x'.repeat(100)}`, '/home/ann')).toMatchObject({ok: false});
        expect(checkedSocketPaths('', null, null)).toBeNull();
    });
});
