// SPDX-License-Identifier: GPL-2.0-or-later
// The two main-loop timers a view owns: its paced render and its seconds ticker.
import GLib from 'gi://GLib';

import {RenderPacer} from '../core/renderPacer.js';
import {Timer} from '../lib/timers.js';

const TICK_SOON_MS = 300;

function untilNextSecond(): number {
    return 1000 - (Date.now() % 1000);
}

export class PacedRender {
    private readonly _pacer = new RenderPacer();
    private readonly _render: () => void;
    private readonly _ticking: () => boolean;
    private readonly _timer = new Timer('render', () => this.now());

    // While ticking, the ticker's render covers a flood or a change just before it.
    constructor(render: () => void, ticking: () => boolean = () => false) {
        this._render = render;
        this._ticking = ticking;
    }

    // A change the view does not show still counts towards a flood.
    counted(count = 1): void {
        this._pacer.changed(count);
    }

    changed(count = 1): void {
        this._pacer.changed(count);
        if (this._timer.pending || (this._ticking() && (this._pacer.flooding || untilNextSecond() < TICK_SOON_MS)))
            return;
        // Default priority, like GNOME's clock: below redraws a loaded shell could starve it.
        this._timer.schedule(this._pacer.delay(GLib.get_monotonic_time() / 1000));
    }

    now(): void {
        this._timer.cancel();
        this._pacer.rendered(GLib.get_monotonic_time() / 1000);
        this._render();
    }

    cancel(): void {
        this._timer.cancel();
    }
}

// Fires just after each second turns over, like the top bar's clock, only while running.
export class SecondsTicker {
    private readonly _timer: Timer;
    private _running = false;

    constructor(tick: () => void) {
        this._timer = new Timer('seconds', () => {
            this._timer.schedule(untilNextSecond() + 1);
            tick();
        });
    }

    get running(): boolean {
        return this._running;
    }

    set running(on: boolean) {
        this._running = on;
        if (!on)
            this._timer.cancel();
        else if (!this._timer.pending)
            this._timer.schedule(untilNextSecond() + 1);
    }
}
