// SPDX-License-Identifier: GPL-2.0-or-later
// The two main-loop timers a view owns: its paced render and its seconds ticker.
import GLib from 'gi://GLib';

import {RenderPacer} from '../core/renderPacer.js';

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
    private _source = 0;

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
        // A ticker about to render covers this change too: one repaint instead of two.
        if (this._source || (this._ticking() && (this._pacer.flooding || untilNextSecond() < TICK_SOON_MS)))
            return;
        // At the priority of the seconds ticker and of GNOME's clock: below the compositor's
        // redraws (HIGH_IDLE) a render could wait as long as a loaded shell keeps painting, and
        // the menu then showed a state 11 s old (e2e under E2E_STRESS). Bursts are coalesced by
        // the pacer's delay, not by waiting for the reads to go quiet.
        const wait = this._pacer.delay(GLib.get_monotonic_time() / 1000);
        this._source = GLib.timeout_add(GLib.PRIORITY_DEFAULT, Math.ceil(wait), () => {
            this._source = 0;
            this.now();
            return GLib.SOURCE_REMOVE;
        });
    }

    /** Renders at once, covering whatever was pending. */
    now(): void {
        this.cancel();
        this._pacer.rendered(GLib.get_monotonic_time() / 1000);
        this._render();
    }

    cancel(): void {
        if (this._source)
            GLib.source_remove(this._source);
        this._source = 0;
    }
}

/**
 * Fires just after each second of the clock turns over, like the top bar's clock, and only
 * while `running`: nothing ticks while nothing shows seconds.
 */
export class SecondsTicker {
    private readonly _tick: () => void;
    private _source = 0;

    constructor(tick: () => void) {
        this._tick = tick;
    }

    get running(): boolean {
        return this._source !== 0;
    }

    set running(on: boolean) {
        if (on === this.running)
            return;
        if (on) {
            this._arm();
        } else {
            GLib.source_remove(this._source);
            this._source = 0;
        }
    }

    private _arm(): void {
        // Re-aimed every second, so it never drifts off the clock's second.
        const wait = untilNextSecond() + 1;
        this._source = GLib.timeout_add(GLib.PRIORITY_DEFAULT, wait, () => {
            this._arm();
            this._tick();
            return GLib.SOURCE_REMOVE;
        });
    }
}
