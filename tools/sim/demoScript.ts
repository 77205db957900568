// SPDX-License-Identifier: GPL-2.0-or-later
// The `--script demo` loop: idle a few seconds, start dictating, speak 4–8 segments over ~20 s,
// stop; repeat. It follows the daemon's state rather than owning it, so toggles from the shell
// (control socket) mix in naturally: recording started elsewhere gets spoken into, a session
// stopped elsewhere ends the speaking phase.
import type {SimulatedDaemon} from './daemon.js';

/** Realistic dictation, including text a UI must escape or lay out with care. */
export const DEMO_TEXTS: readonly string[] = [
    "Let's meet at ten tomorrow to go over the quarterly numbers.",
    'The <b>great</b> & "plan" is to ship on Friday.',
    'Search for &amp; in the HTML export, it should read as an ampersand.',
    'She said "it\'s fine" but I\'m not so sure — let\'s double-check.',
    'Ship it 🚀 and tell the team thanks 🎉',
    '日本語の文も正しく表示されるはずです。',
    'Okay.',
    'New paragraph.\nSecond line after a newline, and a tab\there.',
    'Remind me to call Zoë and François about the café menu.',
    'This is a deliberately long sentence that keeps going well past the width of any reasonable ' +
        'panel or notification so that the interface has to decide whether to wrap it, ellipsize it, ' +
        'or scroll, and it goes on to mention several more things such as the weather, the budget for ' +
        'next year, the state of the build server, and the fact that nobody has watered the office ' +
        'plants in at least three weeks, which is frankly a little concerning.',
    'Use 5 < 7 > 3 and a backslash \\ in the regex, plus {braces} and [brackets].',
    'Send the draft to the whole team, period.',
];

export interface DemoScriptOptions {
    log?: (msg: string) => void;
    /** Scales every wait (tests use a small factor); default 1. */
    speed?: number;
}

export class DemoScript {
    private stopped = false;
    private textIndex = 0;
    private wake: (() => void) | null = null;
    private timer: ReturnType<typeof setTimeout> | null = null;

    constructor(private readonly sim: SimulatedDaemon, private readonly opts: DemoScriptOptions = {}) {}

    start(): void {
        void this.loop().catch(e => this.opts.log?.(`demo script stopped: ${(e as Error).message}`));
    }

    stop(): void {
        this.stopped = true;
        if (this.timer)
            clearTimeout(this.timer);
        this.wake?.();
    }

    private sleep(minS: number, maxS: number): Promise<void> {
        const ms = (minS + Math.random() * (maxS - minS)) * 1000 * (this.opts.speed ?? 1);
        return new Promise(resolve => {
            this.wake = resolve;
            this.timer = setTimeout(resolve, ms);
        });
    }

    private nextText(): string {
        const text = DEMO_TEXTS[this.textIndex % DEMO_TEXTS.length];
        this.textIndex++;
        return text;
    }

    private async loop(): Promise<void> {
        while (!this.stopped) {
            // Idle a few seconds (or wait for the daemon to come back from a restart).
            await this.sleep(3, 6);
            if (this.stopped)
                return;
            if (!this.sim.running)
                continue;
            if (this.sim.state === 'idle') {
                const reply = await this.sim.toggle();
                this.opts.log?.(`demo: ${reply}`);
            }
            const count = 4 + Math.floor(Math.random() * 5);
            for (let i = 0; i < count - 1 && !this.stopped; i++) {
                await this.sleep(2, 3.5);
                if (this.stopped || !this.sim.running || this.sim.state !== 'recording')
                    break;
                this.sim.speak(this.nextText());
            }
            if (this.stopped || !this.sim.running || this.sim.state !== 'recording')
                continue;
            await this.sleep(1.5, 3);
            if (this.stopped || !this.sim.running || this.sim.state !== 'recording')
                continue;
            // The last segment is still being transcribed when dictation stops.
            this.sim.queueFinal(this.nextText());
            const reply = await this.sim.toggle();
            this.opts.log?.(`demo: ${reply}`);
        }
    }
}
