// SPDX-License-Identifier: GPL-2.0-or-later
// Where the transport reports: Extension.getLogger() from GNOME 48, else the console with a
// prefix. Connection changes are info, bad input is warn, everything else debug.

export interface Logger {
    info(message: string): void;
    warn(message: string): void;
    debug(message: string): void;
}

interface ExtensionConsole {
    log(message: string): void;
    warn(message: string): void;
    debug(message: string): void;
}

export function extensionLogger(extension: {metadata: {name?: string}}): Logger {
    const own = (extension as {getLogger?: () => ExtensionConsole}).getLogger?.();
    if (own)
        return {info: m => own.log(m), warn: m => own.warn(m), debug: m => own.debug(m)};
    const prefix = `[${extension.metadata.name ?? 'Swictation'}]`;
    return {
        info: m => console.log(`${prefix} ${m}`),
        warn: m => console.warn(`${prefix} ${m}`),
        debug: m => console.debug(`${prefix} ${m}`),
    };
}
