// SPDX-License-Identifier: GPL-2.0-or-later
// Learning a correction the way the daemon's own window does, and applying exact ones the way
// the daemon does (the simulator shows the result).
import {describe, expect, it} from 'vitest';

import {type Correction, applyExact, draftProblem, learn, searchCorrections, withCase} from '../../src/core/corrections.js';

const NOW = new Date('2026-12-07T10:49:41.291Z');

function entry(original: string, corrected: string, extra: Partial<Correction> = {}): Correction {
    return {id: original, original, corrected, mode: 'all', matchType: 'exact', caseMode: 'preserve_input', learnedAt: NOW.toISOString(), useCount: 0, ...extra};
}

describe('learning', () => {
    it('trims and lower-cases what was heard, in mode all, learned now, never used', () => {
        expect(learn({original: '  Get Hub ', corrected: ' GitHub ', matchType: 'exact', caseMode: 'force_pattern'}, 'id-1', NOW)).toEqual({
            id: 'id-1', original: 'get hub', corrected: 'GitHub', mode: 'all', matchType: 'exact', caseMode: 'force_pattern',
            learnedAt: '2026-12-07T10:49:41.291Z', useCount: 0,
        });
    });

    it('asks for both texts, and for them to differ', () => {
        const draft = {original: 'get hub', corrected: 'GitHub', matchType: 'exact', caseMode: 'smart'} as const;
        expect(draftProblem(draft)).toBe(null);
        expect(draftProblem({...draft, original: '  '})).toBe('no-original');
        expect(draftProblem({...draft, corrected: ''})).toBe('no-corrected');
        expect(draftProblem({...draft, corrected: ' get hub'})).toBe('same');
    });
});

describe('applying exact corrections', () => {
    const list = [entry('get hub', 'GitHub', {caseMode: 'force_pattern'}), entry('teh', 'the'), entry('jason', 'JSON', {caseMode: 'smart'})];

    it('replaces phrases and words case-insensitively and joins the words with single spaces', () => {
        expect(applyExact('push it to  Get hub please', list)).toBe('push it to GitHub please');
        expect(applyExact('teh jason file', list)).toBe('the JSON file');
    });

    it('follows the case modes: the spoken capitals, as written, or as written unless shouted', () => {
        expect(withCase('Teh', 'the', 'preserve_input')).toBe('The');
        expect(withCase('TEH', 'the', 'preserve_input')).toBe('THE');
        expect(withCase('teh', 'The', 'preserve_input')).toBe('the');
        expect(withCase('get', 'GitHub', 'force_pattern')).toBe('GitHub');
        expect(withCase('JASON', 'Json', 'smart')).toBe('JSON');
        expect(withCase('jason', 'JSON', 'smart')).toBe('JSON');
    });

    it('uses only mode all and exact ones; phonetic and other modes are kept but not applied here', () => {
        const others = [entry('teh', 'the', {mode: 'code'}), entry('get hub', 'GitHub', {matchType: 'phonetic'})];
        expect(applyExact('teh get hub', others)).toBe('teh get hub');
    });

    it('leaves the text exactly as it was without corrections', () => {
        expect(applyExact('a  b\nc', [])).toBe('a  b\nc');
    });
});

describe('search', () => {
    it('finds entries by any words of what was heard or meant', () => {
        const list = [entry('get hub', 'GitHub'), entry('teh', 'the')];
        expect(searchCorrections(list, 'HUB').map(c => c.original)).toEqual(['get hub']);
        expect(searchCorrections(list, 'get github').map(c => c.original)).toEqual(['get hub']);
        expect(searchCorrections(list, '').length).toBe(2);
    });
});
