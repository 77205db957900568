// SPDX-License-Identifier: GPL-2.0-or-later
// corrections.toml in the daemon's format: read as the daemon reads it, edited so that only the
// changed entry's text changes, never written into a file the daemon would refuse.
import {readFileSync} from 'node:fs';
import {parse} from 'smol-toml';
import {describe, expect, it} from 'vitest';

import {type Correction, learn} from '../../src/core/corrections.js';
import {type CorrectionEdit, editCorrections, readCorrections} from '../../src/core/correctionsFile.js';

const FILE = readFileSync('test/fixtures/daemon/corrections.toml', 'utf8');
const NOW = new Date('2026-12-07T12:00:00.000Z');
const ID = '1a2b3c4d-0000-4000-8000-000000000001';

function edited(text: string, edit: CorrectionEdit): string {
    const result = editCorrections(text, edit);
    if (!result.ok)
        throw new Error(result.error);
    return result.text;
}

const learnEdit = (original: string, corrected: string): CorrectionEdit =>
    ({kind: 'learn', correction: learn({original, corrected, matchType: 'exact', caseMode: 'preserve_input'}, ID, NOW)});

// The text of the table with this id, as it stands in the file.
function tableText(text: string, id: string): string {
    const start = text.lastIndexOf('[[corrections]]', text.indexOf(id));
    const next = text.indexOf('[[corrections]]', start + 1);
    return text.slice(start, next < 0 ? undefined : next);
}

describe('reading corrections.toml', () => {
    it('reads the daemon\'s field names, enum spellings and the optional case_mode', () => {
        const read = readCorrections(FILE);
        expect(read.ok && read.corrections.map(c => [c.original, c.corrected, c.mode, c.matchType, c.caseMode, c.useCount])).toEqual([
            ['get hub', 'GitHub', 'all', 'exact', 'force_pattern', 12],
            ['cube control', 'kubectl', 'code', 'phonetic', 'preserve_input', 0],
            ['swiftation', 'Swictation', 'all', 'exact', 'smart', 3],
        ]);
    });

    it('takes a missing file (empty text) as no corrections yet', () => {
        expect(readCorrections('')).toEqual({ok: true, corrections: []});
    });

    it.each([
        ['a missing key', FILE.replace('use_count = 3\n', ''), 'missing field `use_count` in entry 3'],
        ['a wrong type', FILE.replace('use_count = 12', 'use_count = "12"'), 'expected u64'],
        ['an unknown match type', FILE.replace('match_type = "phonetic"', 'match_type = "fuzzy"'), 'unknown variant `fuzzy`'],
        ['an unknown case mode', FILE.replace('case_mode = "smart"', 'case_mode = "Smart"'), 'unknown variant `Smart`'],
        ['a date that is no date', FILE.replace('2026-12-01T17:20:00Z', 'yesterday'), 'RFC 3339'],
        ['TOML that does not parse', `${FILE}\n[[corrections]\n`, 'line 32'],
    ])('refuses a file with %s, as the daemon would', (_what, text, message) => {
        const read = readCorrections(text);
        expect(read.ok).toBe(false);
        expect(!read.ok && read.error).toContain(message);
        // Nothing is made of it either.
        expect(editCorrections(text, learnEdit('a', 'b')).ok).toBe(false);
    });
});

describe('editing corrections.toml', () => {
    it('appends a learned correction and leaves every byte before it alone', () => {
        const text = edited(FILE, learnEdit('  Pie Torch ', 'PyTorch'));
        expect(text.startsWith(FILE)).toBe(true);
        const added = parse(text).corrections as Array<Record<string, unknown>>;
        expect(added[3]).toEqual({
            id: ID, original: 'pie torch', corrected: 'PyTorch', mode: 'all', match_type: 'exact',
            case_mode: 'preserve_input', learned_at: '2026-12-07T12:00:00.000Z', use_count: 0,
        });
    });

    it('learning the same original again replaces that entry in place, with a new id and count 0', () => {
        const text = edited(FILE, learnEdit('GET HUB', 'Github'));
        const read = readCorrections(text);
        expect(read.ok && read.corrections.map(c => [c.id, c.original, c.corrected, c.useCount])).toEqual([
            [ID, 'get hub', 'Github', 0],
            ['0b7d9a1c-3f5e-4a2b-8c6d-1e2f3a4b5c6d', 'cube control', 'kubectl', 0],
            ['9e8d7c6b-5a49-4382-9170-abcdefabcdef', 'swiftation', 'Swictation', 3],
        ]);
        expect(text.startsWith('# Learned by Swictation: do not remove the comment')).toBe(true);
        expect(tableText(text, 'cube control')).toBe(tableText(FILE, 'cube control'));
    });

    it('an entry of another mode with the same original is a different entry', () => {
        const text = edited(FILE, learnEdit('cube control', 'kubectl'));
        expect(readCorrections(text).ok && (readCorrections(text) as {corrections: Correction[]}).corrections.length).toBe(4);
    });

    it('updates one entry, keeping its id, use count and the keys it does not know', () => {
        const text = edited(FILE, {kind: 'update', id: '0b7d9a1c-3f5e-4a2b-8c6d-1e2f3a4b5c6d', corrected: 'kubectl!', matchType: 'exact', caseMode: 'smart'});
        const entry = (parse(text).corrections as Array<Record<string, unknown>>)[1];
        expect(entry).toMatchObject({corrected: 'kubectl!', match_type: 'exact', case_mode: 'smart', use_count: 0, mode: 'code', context: ['kubernetes', 'pods']});
        expect(tableText(text, 'get hub')).toBe(tableText(FILE, 'get hub'));
        expect(tableText(text, 'swiftation')).toBe(tableText(FILE, 'swiftation'));
    });

    it('deletes one entry and nothing else', () => {
        const text = edited(FILE, {kind: 'delete', id: '6f1c0b0e-8a53-4c1e-9a57-2f3e0c6d9b11'});
        expect(text).toBe(FILE.replace(tableText(FILE, 'get hub'), ''));
        const last = edited(edited(text, {kind: 'delete', id: '0b7d9a1c-3f5e-4a2b-8c6d-1e2f3a4b5c6d'}), {kind: 'delete', id: '9e8d7c6b-5a49-4382-9170-abcdefabcdef'});
        expect(readCorrections(last)).toEqual({ok: true, corrections: []});
        expect(last).toContain('# Learned by Swictation');
    });

    it('keeps what the daemon wrote between the read and the write: edits are made to the file as it is now', () => {
        // The preferences read the file, the daemon adds to the use counts, then the user saves.
        const rewrittenByDaemon = FILE.replace('use_count = 12', 'use_count = 62').replace('use_count = 3', 'use_count = 53');
        const text = edited(rewrittenByDaemon, {kind: 'update', id: '6f1c0b0e-8a53-4c1e-9a57-2f3e0c6d9b11', corrected: 'GitHub Inc', matchType: 'exact', caseMode: 'force_pattern'});
        const read = readCorrections(text);
        expect(read.ok && read.corrections.map(c => c.useCount)).toEqual([62, 0, 53]);
    });

    it('says the entry is gone when it was deleted meanwhile, and writes nothing', () => {
        const result = editCorrections(FILE, {kind: 'delete', id: 'not-there'});
        expect(result).toMatchObject({ok: false, kind: 'gone'});
    });

    it('starts a file that does not exist yet', () => {
        const text = edited('', learnEdit('get hub', 'GitHub'));
        expect(text.startsWith('[[corrections]]\n')).toBe(true);
        expect(readCorrections(text).ok).toBe(true);
    });

    it('refuses to edit a file whose tables it cannot tell apart, rather than guess', () => {
        // A multi-line string holding a line that looks like a header.
        const tricky = FILE.replace('corrected = "kubectl"', 'corrected = """kubectl\n[[corrections]]\n"""');
        expect(readCorrections(tricky).ok).toBe(true);
        expect(editCorrections(tricky, {kind: 'delete', id: '9e8d7c6b-5a49-4382-9170-abcdefabcdef'})).toMatchObject({ok: false, kind: 'layout'});
        // corrections as an inline array cannot be appended to.
        const inline = 'corrections = []\n';
        expect(editCorrections(inline, learnEdit('a', 'b'))).toMatchObject({ok: false, kind: 'layout'});
    });

    it('keeps tables of other names and text after the last entry', () => {
        const withOther = `${FILE}\n[future]\nflag = true # later daemons\n`;
        const text = edited(withOther, {kind: 'delete', id: '9e8d7c6b-5a49-4382-9170-abcdefabcdef'});
        expect(text.endsWith('[future]\nflag = true # later daemons\n')).toBe(true);
        expect(parse(text).future).toEqual({flag: true});
    });
});
