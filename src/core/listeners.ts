// SPDX-License-Identifier: GPL-2.0-or-later
// The callbacks a source of truth calls when it changes.

export class Listeners {
    private _list: ReadonlyArray<() => void> = [];

    /** Returns the function that removes the listener again. */
    add(listener: () => void): () => void {
        const entry = () => listener();
        this._list = [...this._list, entry];
        return () => {
            this._list = this._list.filter(l => l !== entry);
        };
    }

    notify(): void {
        for (const listener of this._list)
            listener();
    }

    clear(): void {
        this._list = [];
    }
}
