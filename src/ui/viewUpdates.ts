// SPDX-License-Identifier: GPL-2.0-or-later
// When a view renders: paced, when what it would show changes, and every second while it
// shows seconds.
import {sameView} from '../core/presentation.js';
import type {SessionState} from '../core/sessionState.js';
import {PacedRender, SecondsTicker} from './timing.js';
import type {ViewContext} from './viewContext.js';

export type View = (state: SessionState, now: number) => readonly unknown[];

export class ViewUpdates {
    private readonly _paced: PacedRender;
    private readonly _ticker: SecondsTicker;
    private readonly _unsubscribe: Array<() => void>;
    private _seen: SessionState;
    private _seenView: readonly unknown[] = [];
    private _seenSecond = NaN;

    constructor(ctx: ViewContext, render: () => void, view: View) {
        this._ticker = new SecondsTicker(() => this._paced.now());
        this._paced = new PacedRender(render, () => this._ticker.running);
        this._seen = ctx.store.state;
        this._unsubscribe = [
            ctx.store.subscribeSettled(state => {
                // Compared at the same second: what changes with the clock alone is the ticker's
                // to show. Within a second the last event's view stands in for the seen state's.
                const now = Date.now();
                const second = Math.floor(now / 1000);
                const seen = second === this._seenSecond ? this._seenView : view(this._seen, now);
                const shown = view(state, now);
                // Each event counts towards a flood, though the store settles once per read.
                const events = Math.max(1, state.counters.events - this._seen.counters.events);
                this._seen = state;
                this._seenView = shown;
                this._seenSecond = second;
                if (sameView(seen, shown))
                    this._paced.counted(events);
                else
                    this._paced.changed(events);
            }),
            ctx.command.noteChanged.add(() => this._paced.changed()),
            ctx.daemon.changed.add(() => this._paced.changed()),
        ];
    }

    changed(): void {
        this._paced.changed();
    }

    now(): void {
        this._paced.now();
    }

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
