// SPDX-License-Identifier: GPL-2.0-or-later
import {describe, expect, it} from 'vitest';
import {sameAccelerator} from '../../src/core/accelerators.js';

describe('sameAccelerator', () => {
    it('finds the push-to-talk keys taken by the toggle shortcut, however they are written', () => {
        expect(sameAccelerator('<Super><Shift>d', '<Shift><Super>D')).toBe(true);
        expect(sameAccelerator('<Primary>F9', '<Control>F9')).toBe(true);
        expect(sameAccelerator('<Ctrl><Mod1>space', '<Alt><Control>space')).toBe(true);
    });

    it('tells other keys and other modifiers apart, and an unset shortcut matches nothing', () => {
        expect(sameAccelerator('<Super>F9', 'F9')).toBe(false);
        expect(sameAccelerator('<Super><Shift>d', '<Super>d')).toBe(false);
        expect(sameAccelerator('F9', 'F10')).toBe(false);
        expect(sameAccelerator(undefined, undefined)).toBe(false);
        expect(sameAccelerator('', '')).toBe(false);
    });
});
