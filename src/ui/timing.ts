// SPDX-License-Identifier: GPL-2.0-or-later
// The two main-loop timers a view owns: its paced render and its seconds ticker.
import GLib from 'gi://GLib';

import {RenderPacer} from '../core/renderPacer.js';
import {Timer} from '../lib/timers.js';

// A change this close before the seconds ticker's next render waits for it.
const TICK_SOON_MS = 300;

/** Until the clock's next second, when SecondsTicker fires. */
function untilNextSecond(): number {
    return 1000 - (Date.now() % 1000);
}

/**
 * Coalesces changes into renders (see RenderPacer): the first after a quiet spell at once, a
 * stream at most every 250 ms, a flood about once a second.
 */
export class PacedRender {
    private readonly _pacer = new RenderPacer();
    private readonly _render: () => void;
    private readonly _ticking: () => boolean;
    private readonly _timer = new Timer('render', () => this.now());

    /**
     * `ticking`: a ticker renders every second anyway, so a flood, or a change just before its
     * next render, needs no render of its own.
     */
    constructor(render: () => void, ticking: () => boolean = () => false) {
        this._render = render;
        this._ticking = ticking;
    }

    /** A change the view does not show: counted, so a flood of them still paces as a flood. */
    counted(): void {
        this._pacer.changed();
    }

    changed(): void {
        this._pacer.changed();
        if (this._timer.pending || (this._ticking() && (this._pacer.flooding || untilNextSecond() < TICK_SOON_MS)))
            return;
        // At the default priority, like GNOME's clock: below the compositor's redraws a loaded
        // shell could starve it for seconds.
        this._timer.schedule(this._pacer.delay(GLib.get_monotonic_time() / 1000));
    }

    /** Renders at once, covering whatever was pending. */
    now(): void {
        this._timer.cancel();
        this._pacer.rendered(GLib.get_monotonic_time() / 1000);
        this._render();
    }

    cancel(): void {
        this._timer.cancel();
    }
}

/**
 * Fires just after each second of the clock turns over, like the top bar's clock, and only
 * while `running`: nothing ticks while nothing shows seconds.
 */
export class SecondsTicker {
    private readonly _timer: Timer;
    private _running = false;

    constructor(tick: () => void) {
        // Re-aimed every second, so it never drifts off the clock's second.
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
