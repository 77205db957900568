import {describe, expect, it} from 'vitest';
import {resolveSocketDir, socketDirCandidates, socketPaths} from '../src/core/socketPaths.js';

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
