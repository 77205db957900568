// SPDX-License-Identifier: GPL-2.0-or-later
// Preferences → Speech: the keys of the daemon's config.toml a user would change. The
// daemon reads the file once at start and refuses to start on a file missing a key or with a
// wrong type, so Save changes only those values in the file as it is, and the page offers the
// restart that applies them.
import Adw from 'gi://Adw';
import type Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Gtk from 'gi://Gtk';

import {
    CONFIG_FILE, type ConfigValues, MODELS, NUMBER_SETTINGS, type NumberSetting, type SettingKey, type SettingValue,
    editConfig, readConfig,
} from '../core/daemonConfig.js';
import {unitPhase} from '../core/daemonUnit.js';
import type {Translate} from '../core/presentation.js';
import {Key} from '../core/settings.js';
import type {Logger} from '../lib/logger.js';
import {SystemdUnit} from '../transport/systemdUnit.js';
import {DaemonFile} from './daemonFile.js';

/** A short name for the row, and what it means in words. */
function modelText(model: string, _: Translate): [string, string] {
    switch (model) {
    case '0.6b-cpu':
        return [_('Small, CPU'), _('The small model on the processor: works without a graphics card, slower and a little less accurate')];
    case '0.6b-gpu':
        return [_('Small, GPU'), _('The small model on the graphics card: fast, for a card with little free memory')];
    case '1.1b-gpu':
        return [_('Large, GPU'), _('The large model on the graphics card: the most accurate, needs the most graphics memory')];
    default:
        return [_('Automatic'), _('The large model if the graphics card has the memory for it, else a small one')];
    }
}

/** Title, subtitle, and whether the row goes with the speech settings or the corrections. */
function numberText(s: NumberSetting, _: Translate): [string, string, boolean] {
    switch (s.key) {
    case 'vad_min_silence':
        return [_('Pause that ends a segment'), _('Seconds of silence after which what you said is written'), true];
    case 'vad_threshold':
        return [_('Speech threshold'), _('How sure the voice detector must be that you speak; higher ignores more noise'), true];
    case 'vad_max_speech':
        return [_('Longest segment'), _('Seconds; longer speech is cut into segments here'), true];
    case 'phonetic_threshold':
        return [_('Fuzziness of similar-sounding corrections'), _('0 matches only the same sounds; higher matches more loosely'), false];
    default:
        return [_('Processor threads'), _('How many the speech model uses'), true];
    }
}

export interface DaemonSettingsPage {
    page: Adw.PreferencesPage;
    destroy(): void;
}

export function daemonSettingsPage(settings: Gio.Settings, _: Translate, logger: Logger, file = new DaemonFile(CONFIG_FILE, _)): DaemonSettingsPage {
    const page = new Adw.PreferencesPage({title: _('Speech'), icon_name: 'audio-input-microphone-symbolic'});
    const speech = new Adw.PreferencesGroup({
        title: _('Recognition'),
        description: _('The daemon reads these from %s when it starts.').replace('%s', file.path),
    });
    const model = new Adw.ComboRow({title: _('Speech model'), model: Gtk.StringList.new(MODELS.map(m => modelText(m, _)[0]))});
    const explainModel = () => {
        model.subtitle = modelText(MODELS[model.selected], _)[1];
    };
    model.connect('notify::selected', explainModel);
    speech.add(model);
    page.add(speech);

    const corrections = new Adw.PreferencesGroup({title: _('Corrections')});
    page.add(corrections);
    const spins = new Map<NumberSetting, Adw.SpinRow>();
    for (const s of NUMBER_SETTINGS) {
        const [title, subtitle, isSpeech] = numberText(s, _);
        const row = Adw.SpinRow.new_with_range(s.min, s.max, s.step);
        row.title = title;
        row.subtitle = subtitle;
        row.digits = s.integer ? 0 : Math.min(s.digits, 2);
        (isSpeech ? speech : corrections).add(row);
        spins.set(s, row);
    }

    const apply = new Adw.PreferencesGroup({title: _('Apply')});
    const status = new Adw.ActionRow({title: '', use_markup: false});
    status.add_css_class('swictation-config-status');
    const save = new Gtk.Button({label: _('Save'), valign: Gtk.Align.CENTER, css_classes: ['suggested-action']});
    const restart = new Gtk.Button({label: _('Restart the daemon to apply'), valign: Gtk.Align.CENTER});
    status.add_suffix(save);
    status.add_suffix(restart);
    apply.add(status);
    page.add(apply);

    let loaded = false;
    let modifiedUs = 0;
    let message = '';
    let restarting = false;

    const unit = new SystemdUnit({unit: settings.get_string(Key.DAEMON_UNIT), logger, _, onChange: () => sync()});

    function sync(): void {
        for (const row of [model, ...spins.values()])
            row.sensitive = loaded;
        save.sensitive = loaded;
        const s = unit.status;
        const phase = unitPhase(s);
        restart.sensitive = !restarting && (phase === 'running' || phase === 'stopped' || phase === 'failed');
        // The unit's start in wall-clock time, from its monotonic timestamp.
        const startedUs = s.kind === 'unit' ? s.activeEnterMonotonicUs + GLib.get_real_time() - GLib.get_monotonic_time() : 0;
        const stale = phase === 'running' && modifiedUs > 0 && startedUs < modifiedUs;
        status.title = [message, stale ? _('The running daemon started before the last change: restart it to apply the file.') : '']
            .filter(text => text !== '').join(' ');
        status.visible = status.title !== '' || restart.sensitive || loaded;
    }

    // What the rows showed after loading (a spin row clamps to its range): only rows the user
    // moved from there are written, so a key the file lacks is not added by a Save.
    let shownModel = 0;
    const shownValues = new Map<NumberSetting, number>();

    function show(values: ConfigValues): void {
        loaded = true;
        model.selected = shownModel = Math.max(0, MODELS.indexOf(values.stt_model_override as typeof MODELS[number]));
        for (const [s, row] of spins) {
            row.value = (values[s.key] as number | null) ?? (s.key === 'num_threads' ? 4 : s.min);
            shownValues.set(s, row.value);
        }
        explainModel();
    }

    async function reload(): Promise<void> {
        const read = await file.read();
        loaded = false;
        modifiedUs = 0;
        message = '';
        if (read.kind === 'missing') {
            message = _('The daemon writes this file with its defaults the first time it starts.');
        } else if (read.kind === 'refused') {
            message = read.message;
        } else {
            const config = readConfig(read.text);
            modifiedUs = read.modifiedUs;
            if (config.ok)
                show(config.values);
            else
                message = _('The daemon cannot start with this file: %s').replace('%s', config.error);
        }
        sync();
    }

    function changes(): Partial<Record<SettingKey, SettingValue>> {
        const out: Partial<Record<SettingKey, SettingValue>> = {};
        if (model.selected !== shownModel)
            out.stt_model_override = MODELS[model.selected];
        for (const [s, row] of spins) {
            if (row.value !== shownValues.get(s))
                out[s.key] = s.integer ? Math.round(row.value) : Number(row.value.toFixed(s.digits));
        }
        return out;
    }

    save.connect('clicked', async () => {
        const wanted = changes();
        if (Object.keys(wanted).length === 0) {
            message = _('Nothing changed.');
            sync();
            return;
        }
        const written = await file.write(text => {
            const result = editConfig(text, wanted);
            return result.ok ? result : {ok: false, message: _('Not saved: %s').replace('%s', result.error)};
        });
        // A failed save keeps what the user set in the rows; the file is as it was.
        if (written.ok)
            await reload();
        message = written.ok ? _('Saved.') : written.message;
        sync();
    });

    restart.connect('clicked', async () => {
        restarting = true;
        message = '';
        sync();
        const result = await unit.run('restart');
        restarting = false;
        message = result.ok ? _('The daemon restarted with these settings.') : result.error;
        sync();
    });

    unit.start();
    reload();
    return {page, destroy: () => unit.stop()};
}
