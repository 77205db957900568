// SPDX-License-Identifier: GPL-2.0-or-later
// When a view (the top-bar button, the Quick Settings toggle) renders: on the store's steps
// that change what it shows, the toggle command's note and the daemon unit's state, paced; and
// every second while it shows seconds. Owned by the view, which calls destroy() in its teardown.
import type {SessionState} from '../core/sessionState.js';
import {PacedRender, SecondsTicker} from './timing.js';
import type {ViewContext} from './viewContext.js';

/** Whether the view can show something else for `next` than for `previous`. */
export type Shows = (previous: SessionState, next: SessionState) => boolean;

export class ViewUpdates {
    private readonly _paced: PacedRender;
    private readonly _ticker: SecondsTicker;
    private readonly _unsubscribe: Array<() => void>;
    private _seen: SessionState;

    constructor(ctx: ViewContext, render: () => void, shows: Shows) {
        this._ticker = new SecondsTicker(() => this._paced.now());
        this._paced = new PacedRender(render, () => this._ticker.running);
        this._seen = ctx.store.state;
        this._unsubscribe = [
            ctx.store.subscribe(state => {
                const seen = this._seen;
                this._seen = state;
                if (shows(seen, state))
                    this._paced.changed();
                else
                    this._paced.counted();
            }),
            ctx.command.onNoteChanged(() => this._paced.changed()),
            ctx.daemon.onChanged(() => this._paced.changed()),
        ];
    }

    /** Something the view shows changed (a setting): render at the paced rate. */
    changed(): void {
        this._paced.changed();
    }

    /** Render at once (a menu opened or closed). */
    now(): void {
        this._paced.now();
    }

    /** Renders every second, just after the clock's second turns, while on. */
    set ticking(on: boolean) {
        this._ticker.running = on;
    }

    destroy(): void {
        for (const unsubscribe of this._unsubscribe)
            unsubscribe();
        this._unsubscribe.length = 0;
        this._paced.cancel();
        this._ticker.running = false;
    }
}
