// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon for the shell benchmarks (4 and 5): the simulator's metrics socket, one write per
// event like the daemon, fed either at the daemon's real pace (a metrics_update every second;
// while dictating, a segment every few hundred ms) or as the realistic mix at a set rate.
// Run by bench/shell/main.ts as the session's user.
//   node build/bench/feeder.mjs --dir SOCKET_DIR
// stdin: `rate N` (the mix at N events/s, 0 = pause), `pace idle`, `pace recording SEGMENT_MS`,
// `status`, `exit`; stdout: JSON lines.
import {createInterface} from 'node:readline';
import {SimulatedDaemon} from '../tools/sim/daemon.js';
import {mixLines, rng, sentence} from './lib/mix.js';

const dirFlag = process.argv.indexOf('--dir');
const dir = dirFlag >= 0 ? process.argv[dirFlag + 1] : undefined;
if (!dir) {
    console.error('usage: feeder.mjs --dir SOCKET_DIR');
    process.exit(2);
}
const emit = (record: object) => process.stdout.write(`${JSON.stringify(record)}\n`);

const lines = mixLines(60_000, 13).map(l => Buffer.from(l, 'utf8'));
const sim = new SimulatedDaemon({dir, metricsIntervalMs: 0, stopDelayMs: 0});
await sim.start();

let rate = 0;
let timer: ReturnType<typeof setInterval> | null = null;
let sent = 0;
let since = 0;
let sentAtRateChange = 0;
const paceTimers: Array<ReturnType<typeof setInterval>> = [];
const words = rng(17);

function stopAll(): void {
    if (timer)
        clearInterval(timer);
    timer = null;
    paceTimers.splice(0).forEach(clearInterval);
}

/** The real daemon's pace: its 1 s metrics and, while recording, a segment every `segmentMs`. */
async function setPace(recording: boolean, segmentMs: number): Promise<void> {
    stopAll();
    rate = 0;
    if ((sim.state === 'recording') !== recording)
        await sim.toggle();
    paceTimers.push(setInterval(() => {
        sim.sendMetrics();
        sent++;
    }, 1000));
    if (recording) {
        paceTimers.push(setInterval(() => {
            sim.speak(sentence(words, 20 + Math.floor(words() * 100)));
            sent++;
        }, segmentMs));
    }
}

function setRate(r: number): void {
    stopAll();
    rate = r;
    since = performance.now();
    sentAtRateChange = sent;
    if (rate <= 0)
        return;
    // Wake no more often than needed: 1 ms at 1,000/s, 10 ms at 100/s, 100 ms at 1/s.
    const interval = Math.min(100, Math.max(1, Math.floor(1000 / rate)));
    timer = setInterval(() => {
        const due = sentAtRateChange + Math.floor((performance.now() - since) * rate / 1000);
        for (; sent < due; sent++)
            void sim.writeRaw(lines[sent % lines.length]);
    }, interval);
}

createInterface({input: process.stdin}).on('line', line => {
    const [verb, arg] = line.trim().split(/\s+/);
    if (verb === 'rate') {
        setRate(Number(arg));
        emit({kind: 'rate', rate});
    } else if (verb === 'pace') {
        const recording = arg === 'recording';
        const segmentMs = Number(line.trim().split(/\s+/)[2] ?? 700);
        void setPace(recording, segmentMs).then(() => emit({kind: 'pace', recording, segmentMs}));
    } else if (verb === 'status') {
        emit({kind: 'status', clients: sim.clientCount, sent, rate});
    } else if (verb === 'exit') {
        stopAll();
        void sim.stop().then(() => process.exit(0));
    }
}).on('close', () => {
    void sim.stop().then(() => process.exit(0));
});
emit({kind: 'ready', metricsPath: sim.metricsPath});
