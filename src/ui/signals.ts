// SPDX-License-Identifier: GPL-2.0-or-later
// The shell's connectObject(): handlers that go away with their owner (destroyed with an actor,
// or dropped by disconnectObject(owner)). The typings do not declare it on GObject.Object.
type Tracked = {
    connectObject(...args: unknown[]): void;
    disconnectObject(owner: object): void;
};

export function connectObject(target: object, owner: object, ...signalsAndHandlers: unknown[]): void {
    (target as Tracked).connectObject(...signalsAndHandlers, owner);
}

export function disconnectObject(target: object, owner: object): void {
    (target as Tracked).disconnectObject(owner);
}
