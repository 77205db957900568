// SPDX-License-Identifier: GPL-2.0-or-later
// The notifications a store's steps give, collected as the controller subscribes its watcher:
// on every dispatch, from the state the store holds now.
import {type Notice, NoticeWatcher} from '../../src/core/notices.js';
import type {SessionStore} from '../../src/core/sessionStore.js';

export function noticeLog(store: SessionStore): Notice[] {
    const watcher = new NoticeWatcher(store.state);
    const notices: Notice[] = [];
    store.subscribe(state => {
        const n = watcher.observe(state);
        if (n)
            notices.push(n);
    });
    return notices;
}
