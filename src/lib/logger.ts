// SPDX-License-Identifier: GPL-2.0-or-later
// Where the transport reports. In the shell, the extension's own logger (GNOME 48 added
// Extension.getLogger(), which names the extension on every line); before that, the console
// with a prefix. Connection changes are info, bad input is warn, everything else debug.

export interface Logger {
    info(message: string): void;
    warn(message: string): void;
    debug(message: string): void;
}

/** The console-like object Extension.getLogger() returns. */
interface ExtensionConsole {
    log(message: string): void;
    warn(message: string): void;
    debug(message: string): void;
}

export function extensionLogger(extension: {metadata: {name?: string}}): Logger {
    const own = (extension as {getLogger?: () => ExtensionConsole}).getLogger?.();
    if (own)
        return {info: m => own.log(m), warn: m => own.warn(m), debug: m => own.debug(m)};
    // The same prefix as the shell's own extension logger gives.
    const prefix = `[${extension.metadata.name ?? 'Swictation'}]`;
    return {
        info: m => console.log(`${prefix} ${m}`),
        warn: m => console.warn(`${prefix} ${m}`),
        debug: m => console.debug(`${prefix} ${m}`),
    };
}
