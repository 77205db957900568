// The Quick Settings side: a "Dictation" toggle (on while recording) whose menu carries the
// session summary, and a small panel icon in the system area while recording.
import GObject from 'gi://GObject';
import * as QuickSettings from 'resource:///org/gnome/shell/ui/quickSettings.js';

import type {Presentation} from '../core/presentation.js';
import type {IconSet} from './icons.js';

export const DictationToggle = GObject.registerClass(
class DictationToggle extends QuickSettings.QuickMenuToggle {
    declare private _icons: IconSet;
    declare private _shown: string;

    constructor(icons: IconSet, title: string, onClick: () => void) {
        super({title, gicon: icons.idle, toggleMode: false});
        this._icons = icons;
        this._shown = '';
        this.add_style_class_name('swictation-quick-toggle');
        this.connect('clicked', () => onClick());
    }

    // Most renders (the 1 s metrics) change nothing the toggle shows: leave its actors alone.
    render(p: Presentation): void {
        const shown = `${p.recording}|${p.icon}|${p.title}`;
        if (shown === this._shown)
            return;
        this._shown = shown;
        this.checked = p.recording;
        this.gicon = this._icons[p.icon];
        this.subtitle = p.title;
        this.menu.setHeader(this._icons[p.icon], this.title ?? '', p.title);
    }
});

export type DictationToggle = InstanceType<typeof DictationToggle>;

export const DictationSystemIndicator = GObject.registerClass(
class DictationSystemIndicator extends QuickSettings.SystemIndicator {
    declare private _icons: IconSet;
    declare private _indicator: ReturnType<QuickSettings.SystemIndicator['_addIndicator']>;

    constructor(icons: IconSet) {
        super();
        this._icons = icons;
        this._indicator = this._addIndicator();
        this._indicator.gicon = icons.recording;
        this._indicator.add_style_class_name('swictation-recording-indicator');
        this._indicator.visible = false;
    }

    render(p: Presentation): void {
        this._indicator.visible = p.recording;
    }
});

export type DictationSystemIndicator = InstanceType<typeof DictationSystemIndicator>;
