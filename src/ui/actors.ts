// SPDX-License-Identifier: GPL-2.0-or-later
// Setters that leave an actor alone when the value is already shown: not every St/Clutter
// setter compares first, and a no-op set can still queue a relayout or a repaint.
import type Clutter from 'gi://Clutter';
import type St from 'gi://St';

export function setText(label: St.Label, text: string): void {
    if (label.text !== text)
        label.text = text;
}

export function setVisible(actor: Clutter.Actor, visible: boolean): void {
    if (actor.visible !== visible)
        actor.visible = visible;
}

export function setAccessibleName(actor: St.Widget, name: string): void {
    if (actor.accessible_name !== name)
        actor.accessible_name = name;
}

export function setStyleClass(actor: St.Widget, name: string, on: boolean): void {
    if (actor.has_style_class_name(name) === on)
        return;
    if (on)
        actor.add_style_class_name(name);
    else
        actor.remove_style_class_name(name);
}
