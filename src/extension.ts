import {Extension} from 'resource:///org/gnome/shell/extensions/extension.js';

export default class SwictationExtension extends Extension {
    override enable(): void {
        console.log(`${this.metadata.name}: enabled`);
    }

    override disable(): void {
        console.log(`${this.metadata.name}: disabled`);
    }
}
