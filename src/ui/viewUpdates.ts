// SPDX-License-Identifier: GPL-2.0-or-later
// When a view (the top-bar button, the Quick Settings toggle) renders: when what it would show
// for the store's state changes, on the toggle command's note and the daemon unit's state,
// paced; and every second while it shows seconds. Owned by the view, destroyed in its teardown.
import {sameView} from '../core/presentation.js';
import type {SessionState} from '../core/sessionState.js';
import {PacedRender, SecondsTicker} from './timing.js';
import type {ViewContext} from './viewContext.js';

/** What the view would show for a state at a time, in the terms of panelView() or menuView(). */
export type View = (state: SessionState, now: number) => readonly unknown[];

export class ViewUpdates {
    private readonly _paced: PacedRender;
    private readonly _ticker: SecondsTicker;
    private readonly _unsubscribe: Array<() => void>;
    private _seen: SessionState;

    constructor(ctx: ViewContext, render: () => void, view: View) {
        this._ticker = new SecondsTicker(() => this._paced.now());
        this._paced = new PacedRender(render, () => this._ticker.running);
        this._seen = ctx.store.state;
        this._unsubscribe = [
            ctx.store.subscribe(state => {
                // Both at the same time: what changes with the clock alone is the ticker's to show.
                const now = Date.now();
                const seen = this._seen;
                this._seen = state;
                if (sameView(view(seen, now), view(state, now)))
                    this._paced.counted();
                else
                    this._paced.changed();
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
