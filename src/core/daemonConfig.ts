// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon's config.toml (docs/daemon-files.md): the keys it needs and their types, the few
// a user would change with their ranges, and an edit that changes only those values. The
// daemon refuses to start on a file missing a key or with a wrong type, so no such file is
// ever produced; every other key stays as it was.
import type {TomlTable} from 'smol-toml';

import {floatText, parseToml, sameValue, setTopLevel} from './tomlText.js';

export const CONFIG_FILE = 'config.toml';
export const MODELS = ['auto', '0.6b-cpu', '0.6b-gpu', '1.1b-gpu'] as const;

type Kind = 'string' | 'float' | 'integer';

const REQUIRED: Array<[string, Kind]> = [
    ['socket_path', 'string'], ['vad_model_path', 'string'], ['vad_min_silence', 'float'],
    ['vad_min_speech', 'float'], ['vad_max_speech', 'float'], ['vad_threshold', 'float'],
    ['stt_model_override', 'string'], ['stt_0_6b_model_path', 'string'], ['stt_1_1b_model_path', 'string'],
    ['phonetic_threshold', 'float'],
];
const OPTIONAL: Array<[string, Kind]> = [['num_threads', 'integer'], ['audio_device_index', 'integer']];
const HOTKEYS = ['toggle', 'push_to_talk'];

export type SettingKey = 'stt_model_override' | 'vad_min_silence' | 'vad_threshold' | 'vad_max_speech' | 'phonetic_threshold' | 'num_threads';

export interface NumberSetting {
    key: Exclude<SettingKey, 'stt_model_override'>;
    integer: boolean;
    min: number;
    max: number;
    step: number;
    digits: number;
}

/** The numbers the settings page offers, in its order, with the ranges it allows. */
export const NUMBER_SETTINGS: readonly NumberSetting[] = [
    {key: 'vad_min_silence', integer: false, min: 0.1, max: 5, step: 0.1, digits: 2},
    {key: 'vad_threshold', integer: false, min: 0.01, max: 0.99, step: 0.01, digits: 3},
    {key: 'vad_max_speech', integer: false, min: 1, max: 120, step: 1, digits: 1},
    {key: 'phonetic_threshold', integer: false, min: 0, max: 1, step: 0.05, digits: 2},
    {key: 'num_threads', integer: true, min: 1, max: 64, step: 1, digits: 0},
];

export type SettingValue = string | number;
export type ConfigValues = Record<SettingKey, SettingValue | null>;
export type ConfigResult<T> = ({ok: true} & T) | {ok: false; error: string};

function matches(value: unknown, kind: Kind): boolean {
    if (kind === 'string')
        return typeof value === 'string';
    if (kind === 'integer')
        return typeof value === 'bigint';
    // serde reads a TOML integer as a float too.
    return typeof value === 'number' || typeof value === 'bigint';
}

function describe(value: unknown): string {
    if (typeof value === 'string')
        return `string ${JSON.stringify(value)}`;
    return typeof value === 'bigint' ? `integer \`${value}\`` : typeof value === 'number' ? `floating point \`${value}\`` : Array.isArray(value) ? 'sequence' : 'map';
}

const EXPECTED: Record<Kind, string> = {string: 'a string', float: 'f32', integer: 'i32'};

// The daemon's own wording ("Failed to parse config file: …").
function configProblem(doc: TomlTable): string | null {
    for (const [key] of REQUIRED) {
        if (!(key in doc))
            return `missing field \`${key}\``;
    }
    for (const [key, kind] of [...REQUIRED, ...OPTIONAL]) {
        if (key in doc && !matches(doc[key], kind))
            return `invalid type: ${describe(doc[key])}, expected ${EXPECTED[kind]} for key \`${key}\``;
    }
    const hotkeys = doc.hotkeys;
    if (hotkeys === undefined)
        return 'missing field `hotkeys`';
    if (typeof hotkeys !== 'object' || Array.isArray(hotkeys) || hotkeys instanceof Date)
        return `invalid type: ${describe(hotkeys)}, expected struct HotkeyConfig for key \`hotkeys\``;
    for (const key of HOTKEYS) {
        if (!(key in hotkeys))
            return `missing field \`${key}\` for key \`hotkeys\``;
        if (typeof (hotkeys as TomlTable)[key] !== 'string')
            return `invalid type: ${describe((hotkeys as TomlTable)[key])}, expected a string for key \`hotkeys.${key}\``;
    }
    return null;
}

function load(text: string): ConfigResult<{doc: TomlTable}> {
    const parsed = parseToml(text);
    if (!parsed.ok)
        return {ok: false, error: `Failed to parse config file: ${parsed.error}`};
    const problem = configProblem(parsed.doc);
    return problem ? {ok: false, error: `Failed to parse config file: ${problem}`} : {ok: true, doc: parsed.doc};
}

const numberOf = (v: unknown) => (typeof v === 'bigint' || typeof v === 'number' ? Number(v) : null);

/** The values the page shows, or the daemon's reason to refuse the file. */
export function readConfig(text: string): ConfigResult<{values: ConfigValues}> {
    const file = load(text);
    if (!file.ok)
        return file;
    const {doc} = file;
    const values = {stt_model_override: doc.stt_model_override as string} as ConfigValues;
    for (const s of NUMBER_SETTINGS)
        values[s.key] = numberOf(doc[s.key]);
    return {ok: true, values};
}

/** Why a value cannot be written (out of the page's range, not a known model), or null. */
export function settingProblem(key: SettingKey, value: SettingValue): string | null {
    if (key === 'stt_model_override')
        return (MODELS as readonly string[]).includes(value as string) ? null : `unknown model ${JSON.stringify(value)}`;
    const spec = NUMBER_SETTINGS.find(s => s.key === key)!;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.min || value > spec.max)
        return `${key} must be between ${spec.min} and ${spec.max}`;
    return spec.integer && !Number.isInteger(value) ? `${key} must be a whole number` : null;
}

function tomlValue(key: SettingKey, value: SettingValue): [string, unknown] {
    if (key === 'stt_model_override')
        return [JSON.stringify(value), value];
    const spec = NUMBER_SETTINGS.find(s => s.key === key)!;
    if (spec.integer)
        return [String(value), BigInt(value)];
    const rounded = Number((value as number).toFixed(spec.digits));
    return [floatText(rounded), rounded];
}

/** The file's text with these values changed and nothing else, or why that cannot be done. */
export function editConfig(text: string, changes: Partial<Record<SettingKey, SettingValue>>): ConfigResult<{text: string}> {
    const file = load(text);
    if (!file.ok)
        return file;
    let next = text;
    const want: TomlTable = {...file.doc};
    for (const [key, value] of Object.entries(changes) as Array<[SettingKey, SettingValue]>) {
        const problem = settingProblem(key, value);
        if (problem)
            return {ok: false, error: problem};
        const [valueText, parsed] = tomlValue(key, value);
        const edited = setTopLevel(next, key, valueText);
        if (edited === null)
            return {ok: false, error: `the line of \`${key}\` is too unusual to edit`};
        next = edited;
        want[key] = parsed as TomlTable[string];
    }
    const result = load(next);
    if (!result.ok || !sameValue(result.doc, want))
        return {ok: false, error: 'the edited file would not read back as intended'};
    return {ok: true, text: next};
}
