// SPDX-License-Identifier: GPL-2.0-or-later
// The menu's figures as one table, so that a new figure is one entry here.
import {formatCount, formatDuration, formatLatency, formatMemory, formatPercent, formatWpm} from './format.js';
import type {SessionState} from './sessionState.js';

export const N_ = (message: string): string => message;

export type RowSection = 'session' | 'system';

export interface MetricRow {
    readonly id: string;
    readonly section: RowSection;
    readonly label: string;
    value(state: SessionState, locale: string | undefined): string | null;
}

function gpuMemory(state: SessionState, locale: string | undefined): string | null {
    const {gpuMemoryMb: mb, gpuMemoryPercent: percent} = state.system;
    // The daemon reports 0 MB without a GPU.
    if (mb == null || !(mb > 0))
        return null;
    if (percent == null || !(percent > 0))
        return formatMemory(mb, locale);
    // The daemon sends the used amount and its share; the card's size follows from both.
    const total = mb / (percent / 100);
    return `${formatMemory(mb, locale)} / ${formatMemory(total, locale)} (${formatPercent(percent, locale)})`;
}

export const METRIC_ROWS: readonly MetricRow[] = [
    {id: 'words', section: 'session', label: N_('Words'), value: (s, l) => formatCount(s.session.words, l)},
    {id: 'segments', section: 'session', label: N_('Segments'), value: (s, l) => formatCount(s.session.segments, l)},
    {id: 'wpm', section: 'session', label: N_('Speed'), value: (s, l) => formatWpm(s.session.wpm, l)},
    {id: 'speech', section: 'session', label: N_('Speech time'), value: s => formatDuration(s.session.durationS)},
    {id: 'latency', section: 'session', label: N_('Last latency'), value: (s, l) => formatLatency(s.session.latencyMs, l)},
    {id: 'gpu', section: 'system', label: N_('GPU memory'), value: gpuMemory},
    {id: 'cpu', section: 'system', label: N_('CPU'), value: (s, l) => s.system.cpuPercent != null ? formatPercent(s.system.cpuPercent, l) : null},
];

export function rowValues(state: SessionState, locale?: string): (string | null)[] {
    return METRIC_ROWS.map(row => row.value(state, locale));
}
