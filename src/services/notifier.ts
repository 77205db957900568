// SPDX-License-Identifier: GPL-2.0-or-later
// Desktop notifications under one source with the extension's icon. GNOME 46 changed the
// MessageTray API (params objects, addNotification); both shapes are handled here only.
import type Gio from 'gi://Gio';
import * as Main from 'resource:///org/gnome/shell/ui/main.js';
import * as MessageTray from 'resource:///org/gnome/shell/ui/messageTray.js';

type AnySource = MessageTray.Source & {
    addNotification?: (n: MessageTray.Notification) => void;
    showNotification?: (n: MessageTray.Notification) => void;
};

const hasParamsApi = 'getSystemSource' in MessageTray;

export class Notifier {
    private _source: AnySource | null = null;
    private readonly _title: string;
    private readonly _icon: Gio.Icon;

    constructor(title: string, icon: Gio.Icon) {
        this._title = title;
        this._icon = icon;
    }

    private _ensureSource(): AnySource {
        if (this._source)
            return this._source;
        const Source = MessageTray.Source as unknown as new (...args: unknown[]) => AnySource;
        const source = hasParamsApi
            ? new Source({title: this._title, icon: this._icon})
            : new Source(this._title, 'audio-input-microphone-symbolic');
        source.connect('destroy', () => {
            this._source = null;
        });
        Main.messageTray.add(source);
        this._source = source;
        return source;
    }

    notify(title: string, body: string): void {
        const source = this._ensureSource();
        const Notification = MessageTray.Notification as unknown as new (...args: unknown[]) => MessageTray.Notification;
        const notification = hasParamsApi
            ? new Notification({source, title, body, isTransient: true})
            : new Notification(source, title, body);
        if (!hasParamsApi)
            (notification as unknown as {setTransient(t: boolean): void}).setTransient(true);
        if (source.addNotification)
            source.addNotification(notification);
        else
            source.showNotification!(notification);
    }

    destroy(): void {
        this._source?.destroy(MessageTray.NotificationDestroyedReason.SOURCE_CLOSED);
        this._source = null;
    }
}
