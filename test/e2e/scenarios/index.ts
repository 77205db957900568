// SPDX-License-Identifier: GPL-2.0-or-later
// The scenarios, in the order they run. One file per scenario: export a Scenario and add it here.
import type {Scenario} from '../driver.js';
import {corrections} from './corrections.js';
import {cycles} from './cycles.js';
import {daemonRestart} from './daemonRestart.js';
import {daemonSettings} from './daemonSettings.js';
import {daemonShortcut} from './daemonShortcut.js';
import {daemonUnit} from './daemonUnit.js';
import {dictation} from './dictation.js';
import {earlier} from './earlier.js';
import {hostile} from './hostile.js';
import {install} from './install.js';
import {keyboard} from './keyboard.js';
import {lostCallbacks} from './lostCallbacks.js';
import {noDaemon} from './noDaemon.js';
import {panelLabel} from './panelLabel.js';
import {prefs} from './prefs.js';
import {prefsBadFiles} from './prefsBadFiles.js';
import {prefsDaemon} from './prefsDaemon.js';
import {pushToTalk} from './pushToTalk.js';
import {screenshots} from './screenshots.js';
import {selfHealing} from './selfHealing.js';
import {simulator} from './simulator.js';
import {toggles} from './toggles.js';
import {daemonKilled, menuRebuild, privacy, shortcutName, teardown, transcriptOrder, transcriptScrolledUp} from './views.js';
import {translated} from './translated.js';

export const scenarios: Scenario[] = [
    install,
    keyboard,
    simulator,
    dictation,
    noDaemon,
    daemonRestart,
    daemonUnit,
    toggles,
    pushToTalk,
    menuRebuild,
    teardown,
    daemonKilled,
    privacy,
    transcriptOrder,
    transcriptScrolledUp,
    shortcutName,
    earlier,
    hostile,
    selfHealing,
    lostCallbacks,
    panelLabel,
    cycles,
    screenshots,
    prefs,
    daemonShortcut,
    prefsDaemon,
    corrections,
    daemonSettings,
    prefsBadFiles,
    // German session only (language 'de'): make e2e runs it in a second shell with E2E_LANG.
    translated,
];
