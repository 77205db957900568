// The top-bar button: an icon per state (recording also gets a style class that colours it,
// like the shell's own screen-recording indicator) and an optional label in tabular figures.
import Clutter from 'gi://Clutter';
import GObject from 'gi://GObject';
import St from 'gi://St';
import * as PanelMenu from 'resource:///org/gnome/shell/ui/panelMenu.js';

import type {IconKind, Presentation} from '../core/presentation.js';
import type {IconSet} from './icons.js';

export interface MiddleClick {
    enabled(): boolean;
    activate(): void;
}

export const PanelIndicator = GObject.registerClass(
class PanelIndicator extends PanelMenu.Button {
    declare private _icons: IconSet;
    declare private _icon: St.Icon;
    declare private _label: St.Label;
    declare private _middleClick: MiddleClick;
    declare private _shownIcon: IconKind | null;

    constructor(icons: IconSet, accessibleName: string, middleClick: MiddleClick) {
        super(0.5, accessibleName, false);
        this._icons = icons;
        this._middleClick = middleClick;
        this._shownIcon = null;
        this.add_style_class_name('swictation-indicator');

        const box = new St.BoxLayout({style_class: 'panel-status-menu-box'});
        this._icon = new St.Icon({style_class: 'system-status-icon'});
        this._label = new St.Label({style_class: 'swictation-panel-label', y_align: Clutter.ActorAlign.CENTER, visible: false});
        box.add_child(this._icon);
        box.add_child(this._label);
        this.add_child(box);
        this._routeMiddleClick();
    }

    // The button opens its menu for any mouse button; the middle one is kept for toggling.
    // Up to GNOME 49 the menu opens from the button's event handler, which a signal handler
    // can stop; from 50 on it opens from a click gesture, which has to be vetoed, and a gesture
    // of ours recognises the middle click instead.
    private _routeMiddleClick(): void {
        const shellGesture = (this as unknown as {_clickGesture?: Clutter.Action})._clickGesture;
        const ClickGesture = (Clutter as unknown as {ClickGesture?: new (props: object) => Clutter.Action}).ClickGesture;
        if (shellGesture && ClickGesture) {
            shellGesture.connect('may-recognize', (gesture: {get_button(): number}) =>
                !(gesture.get_button() === Clutter.BUTTON_MIDDLE && this._middleClick.enabled()));
            const middle = new ClickGesture({required_button: Clutter.BUTTON_MIDDLE});
            middle.connect('recognize', () => {
                if (this._middleClick.enabled())
                    this._middleClick.activate();
            });
            this.add_action(middle);
            return;
        }
        this.connect('event', (_actor, event: Clutter.Event) => {
            const type = event.type();
            if ((type !== Clutter.EventType.BUTTON_PRESS && type !== Clutter.EventType.BUTTON_RELEASE) ||
                event.get_button() !== Clutter.BUTTON_MIDDLE || !this._middleClick.enabled())
                return Clutter.EVENT_PROPAGATE;
            if (type === Clutter.EventType.BUTTON_RELEASE)
                this._middleClick.activate();
            return Clutter.EVENT_STOP;
        });
    }

    render(p: Presentation): void {
        if (this._shownIcon !== p.icon) {
            this._icon.gicon = this._icons[p.icon];
            this._shownIcon = p.icon;
        }
        if (p.recording)
            this.add_style_class_name('swictation-recording');
        else
            this.remove_style_class_name('swictation-recording');
        if (this._label.text !== p.panelLabel)
            this._label.text = p.panelLabel;
        this._label.visible = p.panelLabel !== '';
        if (this.accessible_name !== p.title)
            this.accessible_name = p.title;
    }
});

export type PanelIndicator = InstanceType<typeof PanelIndicator>;
