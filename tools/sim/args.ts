// SPDX-License-Identifier: GPL-2.0-or-later
// A small `--flag value` / `--flag=value` / `--switch` parser for the tools' command lines.

export interface ParsedArgs {
    values: Map<string, string>;
    switches: Set<string>;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], valueFlags: readonly string[], switchFlags: readonly string[]): ParsedArgs {
    const values = new Map<string, string>();
    const switches = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith('--'))
            throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
        const eq = arg.indexOf('=');
        const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
        if (switchFlags.includes(name)) {
            if (eq >= 0)
                throw new UsageError(`--${name} takes no value`);
            switches.add(name);
        } else if (valueFlags.includes(name)) {
            let value: string | undefined;
            if (eq >= 0)
                value = arg.slice(eq + 1);
            else
                value = argv[++i];
            if (value === undefined)
                throw new UsageError(`--${name} needs a value`);
            values.set(name, value);
        } else {
            throw new UsageError(`unknown option --${name}`);
        }
    }
    return {values, switches};
}

export function numberArg(args: ParsedArgs, name: string, dflt: number): number {
    const raw = args.values.get(name);
    if (raw === undefined)
        return dflt;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0)
        throw new UsageError(`--${name} needs a non-negative number, got ${JSON.stringify(raw)}`);
    return n;
}

/** Local time with milliseconds, for log lines. */
export function stamp(date: Date = new Date()): string {
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds(), 3)}`;
}
