// SPDX-License-Identifier: GPL-2.0-or-later
// config.toml: the page reads the values a user changes, writes only those, and never produces a
// file the daemon would refuse to start on.
import {readFileSync} from 'node:fs';
import {parse} from 'smol-toml';
import {describe, expect, it} from 'vitest';

import {editConfig, readConfig, settingProblem} from '../../src/core/daemonConfig.js';

const FILE = readFileSync('test/fixtures/daemon/config.toml', 'utf8');

function edited(text: string, changes: Parameters<typeof editConfig>[1]): string {
    const result = editConfig(text, changes);
    if (!result.ok)
        throw new Error(result.error);
    return result.text;
}

describe('reading config.toml', () => {
    it('reads the model, the pauses, the thresholds and the threads', () => {
        expect(readConfig(FILE)).toEqual({ok: true, values: {
            stt_model_override: 'auto', vad_min_silence: 0.8, vad_threshold: 0.25, vad_max_speech: 30,
            phonetic_threshold: 0.3, num_threads: 4,
        }});
    });

    it('takes an integer where the daemon wants a float, as serde does, and allows no threads key', () => {
        const read = readConfig(FILE.replace('vad_max_speech = 30.0', 'vad_max_speech = 30').replace('num_threads = 4\n', ''));
        expect(read.ok && read.values.vad_max_speech).toBe(30);
        expect(read.ok && read.values.num_threads).toBe(null);
    });

    it.each([
        ['a missing key', FILE.replace(/^vad_threshold.*\n/m, ''), 'Failed to parse config file: missing field `vad_threshold`'],
        ['a string where a float belongs', FILE.replace('vad_min_silence = 0.8', 'vad_min_silence = "0.8"'), 'invalid type: string "0.8", expected f32 for key `vad_min_silence`'],
        ['a float where an integer belongs', FILE.replace('num_threads = 4', 'num_threads = 4.0'), 'expected i32 for key `num_threads`'],
        ['no [hotkeys] table', FILE.replace(/\[hotkeys\][^]*$/, ''), 'missing field `hotkeys`'],
        ['TOML that does not parse', FILE.replace('vad_min_speech = 0.25', 'vad_min_speech = '), 'Failed to parse config file: Invalid TOML document'],
    ])('refuses %s with the daemon\'s kind of message, and edits nothing', (_what, text, message) => {
        const read = readConfig(text);
        expect(!read.ok && read.error).toContain(message);
        expect(editConfig(text, {stt_model_override: '0.6b-cpu'}).ok).toBe(false);
    });
});

describe('editing config.toml', () => {
    it('changes only the values asked for: every other line, key and comment stays', () => {
        const text = edited(FILE, {stt_model_override: '1.1b-gpu', vad_threshold: 0.4, vad_max_speech: 45});
        const before = FILE.split('\n'), after = text.split('\n');
        const changed = after.filter((line, i) => line !== before[i]);
        expect(changed).toEqual(['vad_max_speech = 45.0', 'vad_threshold = 0.4   # tuned for the USB microphone', 'stt_model_override = "1.1b-gpu"']);
        expect(after.length).toBe(before.length);
    });

    it('writes floats as floats and threads as an integer, the types the daemon needs', () => {
        const doc = parse(edited(FILE, {vad_min_silence: 2, num_threads: 8}), {integersAsBigInt: true});
        expect(doc.vad_min_silence).toBe(2);
        expect(edited(FILE, {vad_min_silence: 2})).toContain('vad_min_silence = 2.0\n');
        expect(doc.num_threads).toBe(8n);
    });

    it('rounds a spin button\'s binary fractions to the setting\'s digits', () => {
        expect(edited(FILE, {vad_min_silence: 0.1 + 0.2})).toContain('vad_min_silence = 0.3\n');
    });

    it('adds the optional threads key when the file has none, before the first table', () => {
        const text = edited(FILE.replace('num_threads = 4\n', ''), {num_threads: 2});
        expect(parse(text, {integersAsBigInt: true}).num_threads).toBe(2n);
        expect(text.indexOf('num_threads = 2')).toBeLessThan(text.indexOf('[hotkeys]'));
    });

    it.each([
        ['an unknown model', {stt_model_override: '2b-gpu'}],
        ['a pause out of range', {vad_min_silence: 0}],
        ['a fractional thread count', {num_threads: 2.5}],
    ])('refuses %s, writing nothing', (_what, changes) => {
        expect(editConfig(FILE, changes as Parameters<typeof editConfig>[1]).ok).toBe(false);
    });

    it('knows the four models by the daemon\'s spellings', () => {
        for (const model of ['auto', '0.6b-cpu', '0.6b-gpu', '1.1b-gpu'])
            expect(settingProblem('stt_model_override', model)).toBe(null);
        expect(settingProblem('stt_model_override', '0.6B-CPU')).not.toBe(null);
    });
});
