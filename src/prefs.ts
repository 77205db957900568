import Adw from 'gi://Adw';
import Gtk from 'gi://Gtk';
import {ExtensionPreferences} from 'resource:///org/gnome/Shell/Extensions/js/extensions/prefs.js';

export default class SwictationPreferences extends ExtensionPreferences {
    override fillPreferencesWindow(window: Adw.PreferencesWindow): Promise<void> {
        const page = new Adw.PreferencesPage();
        const group = new Adw.PreferencesGroup({title: 'Swictation'});
        group.add(new Gtk.Label({label: 'Preferences'}));
        page.add(group);
        window.add(page);
        return Promise.resolve();
    }
}
