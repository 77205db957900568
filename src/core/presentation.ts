// SPDX-License-Identifier: GPL-2.0-or-later
// What the indicator, the menu and the Quick Settings toggle show, derived from the session
// state alone. Pure, so the words a user reads are tested in Node; strings go through the
// translation function the caller passes (gettext in the shell, identity in tests).
import type {ControlResult} from './control.js';
import {formatAgo, formatCount, formatDuration, formatWpm, panelLabelText, segmentText} from './format.js';
import {type Translate, type TranslatePlural, englishPlural} from './i18n.js';
import {rowValues} from './metricRows.js';
import type {SessionState} from './sessionState.js';

export type IconKind = 'idle' | 'recording' | 'processing' | 'error' | 'offline';
export type PanelLabelMode = 'none' | 'elapsed' | 'words' | 'wpm' | 'today';

export type {Translate, TranslatePlural} from './i18n.js';

export interface PresentationOptions {
    now: number;
    panelLabel: PanelLabelMode;
    hideTranscript: boolean;
    /** Build what only the menu shows: transcript, figures, connection line (default true). */
    menu?: boolean;
    locale?: string;
    /** For the 'today' panel label: words dictated today (SessionHistory.wordsToday). */
    wordsToday?: number;
}

export interface TranscriptRow {
    key: number;
    clock: string;
    /** The segment's words, or only their count when the transcript is hidden. */
    text: string;
    /** The words are shown, so they can be taken to Preferences → Corrections. */
    correctable: boolean;
}

export interface Presentation {
    icon: IconKind;
    recording: boolean;
    /** The daemon is there (connected, even if quiet); the control socket is worth trying. */
    daemonPresent: boolean;
    /** Header line: state in words. */
    title: string;
    /** Text beside the panel icon ('' for none). */
    panelLabel: string;
    /** Connection line: socket state in words. */
    connection: string;
    socketPath: string;
    /** What each row of METRIC_ROWS says, in its order; null hides the row. */
    rows: (string | null)[];
    transcript: TranscriptRow[];
    /** "Copy all" has something to copy: text is not hidden and the session said something. */
    copyable: boolean;
    updated: string;
}

function seconds(ms: number): number {
    return Math.max(0, Math.ceil(ms / 1000));
}

function titleOf(state: SessionState, now: number, _: Translate, ngettext: TranslatePlural): string {
    const {connection} = state;
    switch (connection.status) {
    case 'connecting':
        return _('Connecting…');
    case 'disconnected':
        if (connection.problem === 'foreign-owner')
            return _('Socket owned by another user');
        if (connection.retryAt !== null && connection.retryAt - now >= 1000) {
            const n = seconds(connection.retryAt - now);
            // "s" reads the same for one and many in English, not in every language.
            return ngettext('Daemon not running — reconnecting in %d s', 'Daemon not running — reconnecting in %d s', n)
                .replace('%d', String(n));
        }
        return _('Daemon not running');
    case 'stale':
        return _('Daemon not responding');
    case 'connected':
        break;
    }
    switch (state.daemonState) {
    case 'recording':
        return state.sessionId !== null
            // Translators: %d is the daemon's session number, a name rather than a count.
            ? _('Recording — session #%d').replace('%d', String(state.sessionId))
            : _('Recording');
    case 'processing':
        return _('Processing…');
    case 'error':
        return _('Daemon error');
    case 'idle':
        return _('Idle');
    default:
        return _('Waiting for the daemon…');
    }
}

function connectionOf(state: SessionState, now: number, _: Translate): string {
    const {connection} = state;
    switch (connection.status) {
    case 'connected':
        // The 1 s metrics start only once the daemon has loaded its models (5 to 60 s).
        return state.heartbeat || now - connection.since < 3000
            ? _('Connected')
            : _('Connected; the daemon is still starting (loading models)');
    case 'connecting':
        return _('Connecting…');
    case 'stale':
        return state.lastEventAt !== null
            ? _('Connected, but silent: last event %s').replace('%s', formatAgo(now - state.lastEventAt))
            : _('Connected, no events yet');
    case 'disconnected':
        switch (connection.problem) {
        case 'not-found':
            return _('No socket: the daemon is not running');
        case 'refused':
            return _('Connection refused: stale socket, the daemon is not running');
        case 'foreign-owner':
            return _('Refused: the socket belongs to another user');
        case 'closed':
            return _('The daemon closed the connection');
        default:
            // The transport's own texts are marked for translation (N_) or come from GLib, translated.
            return connection.detail !== null ? _(connection.detail) : _('Disconnected');
        }
    }
}

function iconOf(state: SessionState): IconKind {
    if (state.connection.status !== 'connected')
        return 'offline';
    switch (state.daemonState) {
    case 'recording':
        return 'recording';
    case 'processing':
        return 'processing';
    case 'error':
        return 'error';
    default:
        return 'idle';
    }
}

function panelLabelOf(state: SessionState, options: PresentationOptions): string {
    const recording = state.connection.status === 'connected' && state.daemonState === 'recording';
    switch (options.panelLabel) {
    case 'elapsed':
        // Counted in whole seconds of the clock, so the label turns over when the
        // second-aligned ticker fires, like the top bar's clock.
        return recording && state.recordingSince !== null
            ? formatDuration(Math.floor(options.now / 1000) - Math.floor(state.recordingSince / 1000))
            : '';
    case 'words':
        return recording && state.session.words !== null ? formatCount(state.session.words, options.locale) : '';
    case 'wpm':
        return recording && state.session.wpm !== null ? formatWpm(state.session.wpm, options.locale) : '';
    case 'today':
        // Progress at a glance, idle or not.
        return options.wordsToday !== undefined ? formatCount(options.wordsToday, options.locale) : '';
    default:
        return '';
    }
}

export function present(state: SessionState, options: PresentationOptions, _: Translate = s => s,
    ngettext: TranslatePlural = englishPlural): Presentation {
    const {now, locale} = options;
    const present = state.connection.status === 'connected' || state.connection.status === 'stale';
    const menu = options.menu ?? true;
    const transcript = !menu ? [] : state.transcript.map(s => ({
        key: s.key,
        clock: s.clock ?? '',
        text: options.hideTranscript
            ? (s.words !== null ? ngettext('%d word', '%d words', s.words).replace('%d', formatCount(s.words, locale)) : _('(hidden)'))
            : segmentText(s.text),
        correctable: !options.hideTranscript && s.text.trim() !== '',
    }));
    return {
        icon: iconOf(state),
        recording: state.connection.status === 'connected' && state.daemonState === 'recording',
        daemonPresent: present,
        title: titleOf(state, now, _, ngettext),
        panelLabel: panelLabelText(panelLabelOf(state, options)),
        connection: menu ? connectionOf(state, now, _) : '',
        socketPath: state.connection.socketPath ?? '',
        rows: menu ? rowValues(state, locale) : [],
        transcript,
        copyable: !options.hideTranscript && state.transcript.length > 0,
        updated: menu && state.lastEventAt !== null ? _('updated %s').replace('%s', formatAgo(now - state.lastEventAt, locale)) : '',
    };
}

/** What the top bar shows of a presentation: a view renders when this changes. */
export function panelView(p: Presentation): unknown[] {
    return [p.icon, p.recording, p.title, p.panelLabel, p.daemonPresent];
}

/**
 * What an open menu shows at once: a change of state or connection. Figures, "updated" and new
 * segments wait for the seconds tick, so the menu repaints once a second, not once per event;
 * a segment is already in the window it was typed into.
 */
export function menuView(p: Presentation): unknown[] {
    return [...panelView(p), p.connection, p.socketPath];
}

export function sameView(a: readonly unknown[], b: readonly unknown[]): boolean {
    return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * What a failed toggle tells the user. The daemon's own words show as they came; the client's
 * diagnostics (English, for the log) give way to a translated sentence of the same meaning.
 */
export function controlErrorText(result: ControlResult & {ok: false}, _: Translate = s => s): string {
    switch (result.kind) {
    case 'daemon':
        return result.error;
    case 'timeout':
        return _('The daemon did not answer in time.');
    case 'no-reply':
        return _('The daemon closed the connection without replying.');
    case 'invalid-reply':
        return _('The daemon\'s reply could not be understood.');
    case 'connect':
        // N_-marked texts of the transport, or GLib's own message (translated by GLib).
        return _(result.error);
    }
}
