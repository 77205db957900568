// SPDX-License-Identifier: GPL-2.0-or-later
// Simulated Swictation daemon: `make demo` (node build/tools/simulator.mjs [options]).
// Listens where the real daemon would, so an installed extension shows live data with no
// Swictation installed.
import * as fs from 'node:fs';
import {resolveSocketDir} from '../src/core/socketPaths.js';
import {UsageError, numberArg, parseArgs, stamp} from './sim/args.js';
import {CommandServer} from './sim/commandServer.js';
import {SimulatedDaemon} from './sim/daemon.js';
import {DaemonFiles, defaultConfigDir} from './sim/daemonFiles.js';
import {DemoScript} from './sim/demoScript.js';

const USAGE = `Usage: node build/tools/simulator.mjs [options]
  --dir DIR               socket directory (default: where the daemon puts it,
                          $XDG_RUNTIME_DIR or $XDG_DATA_HOME/swictation)
  --script demo|none      demo: dictate in a loop (default); none: only control-socket toggles
  --metrics-interval MS   periodic metrics_update (default 1000; 0 = none)
  --model-load-ms MS      control socket and metrics start this late, like model loading (default 0)
  --restart-every S       stop, wait 1 s, start again every S seconds
  --faults LIST           inject faults in rotation: garbage,unknown,burst:N,bytewise,huge
  --fault-every S         seconds between injected faults (default 7)
  --cmd-socket PATH       test-only command socket (JSON line in, JSON line out)
  --silent                accept metrics clients but never send them anything (a hung daemon)
  --standby-pid PID       test-only: start the moment process PID has exited (a daemon
                          restarted by its supervisor right after a crash)
  --config-dir DIR        the daemon's config.toml and corrections.toml (default:
                          $XDG_CONFIG_HOME/swictation or ~/.config/swictation); config.toml
                          is read at start, corrections.toml followed while running
  --quiet                 log only start-up, errors and shutdown
Ctrl+C stops cleanly and removes both sockets.`;

type Fault = {kind: 'garbage' | 'unknown' | 'bytewise' | 'huge'} | {kind: 'burst'; n: number};

function parseFaults(spec: string | undefined): Fault[] {
    if (!spec)
        return [];
    return spec.split(',').map(s => s.trim()).filter(Boolean).map((item): Fault => {
        const [name, arg] = item.split(':');
        if (name === 'burst') {
            const n = arg === undefined ? 1000 : Number(arg);
            if (!Number.isInteger(n) || n < 1)
                throw new UsageError(`burst:N needs a positive integer, got ${JSON.stringify(item)}`);
            return {kind: 'burst', n};
        }
        if (name === 'garbage' || name === 'unknown' || name === 'bytewise' || name === 'huge')
            return {kind: name};
        throw new UsageError(`unknown fault ${JSON.stringify(item)} (garbage, unknown, burst:N, bytewise, huge)`);
    });
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
}

async function main(): Promise<number> {
    let args;
    try {
        args = parseArgs(process.argv.slice(2),
            ['dir', 'script', 'metrics-interval', 'model-load-ms', 'restart-every', 'faults', 'fault-every', 'cmd-socket', 'standby-pid', 'config-dir'],
            ['quiet', 'silent', 'help']);
    } catch (e) {
        console.error(`simulator: ${(e as Error).message}\n\n${USAGE}`);
        return 2;
    }
    if (args.switches.has('help')) {
        console.log(USAGE);
        return 0;
    }
    let script: string, metricsIntervalMs: number, modelLoadMs: number, restartEveryS: number;
    let faults: Fault[], faultEveryS: number;
    try {
        script = args.values.get('script') ?? 'demo';
        if (script !== 'demo' && script !== 'none')
            throw new UsageError(`--script must be demo or none, got ${JSON.stringify(script)}`);
        metricsIntervalMs = numberArg(args, 'metrics-interval', 1000);
        modelLoadMs = numberArg(args, 'model-load-ms', 0);
        restartEveryS = numberArg(args, 'restart-every', 0);
        faults = parseFaults(args.values.get('faults'));
        faultEveryS = numberArg(args, 'fault-every', 7);
    } catch (e) {
        console.error(`simulator: ${(e as Error).message}\n\n${USAGE}`);
        return 2;
    }
    const quiet = args.switches.has('quiet');
    const dir = args.values.get('dir') ?? resolveSocketDir(process.env, p => fs.existsSync(p));
    if (!dir) {
        console.error('simulator: no socket directory: set XDG_RUNTIME_DIR or HOME, or pass --dir DIR');
        return 1;
    }
    const say = (msg: string) => console.log(`${stamp()} ${msg}`);
    const log = quiet ? () => {} : say;
    const cmdPath = args.values.get('cmd-socket');

    let exiting = false;
    let script_: DemoScript | null = null;
    let commands: CommandServer | null = null;
    const timers: Array<ReturnType<typeof setInterval>> = [];
    const configDir = args.values.get('config-dir') ?? defaultConfigDir(process.env);
    const files = configDir ? new DaemonFiles(configDir, log) : undefined;
    try {
        files?.readConfig();
    } catch (e) {
        console.error(`Error: Failed to load configuration\n\nCaused by:\n    ${(e as Error).message}`);
        return 1;
    }
    files?.watch();
    const sim = new SimulatedDaemon({
        dir, metricsIntervalMs, modelLoadMs, log, files,
        onQuit: () => {
            say('received quit on the control socket: the daemon exits (socket files left behind, as the real daemon does)');
            if (!cmdPath)
                void shutdown(0, false);
        },
    });

    async function shutdown(code: number, clean = true): Promise<void> {
        if (exiting)
            return;
        exiting = true;
        timers.forEach(t => clearInterval(t));
        script_?.stop();
        files?.stop();
        await commands?.close();
        if (clean)
            await sim.stop();
        if (cmdPath) {
            try {
                fs.unlinkSync(cmdPath);
            } catch {
                // gone
            }
        }
        say(clean ? 'stopped; sockets removed' : 'exited');
        process.exit(code);
    }

    sim.silent = args.switches.has('silent');
    const standbyPid = numberArg(args, 'standby-pid', 0);
    while (standbyPid > 0 && alive(standbyPid))
        await new Promise(r => setTimeout(r, 5));
    try {
        await sim.start();
    } catch (e) {
        console.error(`simulator: ${(e as Error).message}`);
        return 1;
    }

    let restarting = false;
    const restart = async (gapMs: number) => {
        if (restarting)
            return;
        restarting = true;
        try {
            say('restart: stopping');
            await sim.stop();
            await new Promise(r => setTimeout(r, gapMs));
            if (!exiting) {
                await sim.start();
                say('restart: started again');
            }
        } finally {
            restarting = false;
        }
    };

    if (cmdPath) {
        commands = new CommandServer(cmdPath, sim, {restart, exit: () => void shutdown(0)}, log);
        try {
            await commands.start();
        } catch (e) {
            console.error(`simulator: cannot listen on --cmd-socket ${cmdPath}: ${(e as Error).message}`);
            await sim.stop();
            return 1;
        }
    }

    say('Simulated Swictation daemon');
    say(`  metrics socket: ${sim.metricsPath}`);
    say(`  control socket: ${sim.controlPath}${modelLoadMs > 0 ? ` (after ${modelLoadMs} ms of "model loading")` : ''}`);
    if (cmdPath)
        say(`  command socket: ${cmdPath}`);
    if (configDir)
        say(`  daemon files: ${configDir} (model ${files?.config?.stt_model_override ?? 'auto, no config.toml'})`);
    say(`  script: ${script}; metrics every ${metricsIntervalMs || 'never'}${metricsIntervalMs ? ' ms' : ''}` +
        `${restartEveryS ? `; restart every ${restartEveryS} s` : ''}${faults.length ? `; faults: ${faults.map(f => f.kind).join(',')}` : ''}`);
    say('  Ctrl+C stops cleanly and removes both sockets. Watch the stream with `make tail`.');

    let ctrlC = 0;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
        process.on(sig, () => {
            if (++ctrlC > 1)
                process.exit(130);
            void shutdown(0);
        });
    }

    if (script === 'demo') {
        script_ = new DemoScript(sim, {log});
        script_.start();
    }
    if (restartEveryS > 0) {
        timers.push(setInterval(() => {
            restart(1000).catch(e => say(`restart failed: ${(e as Error).message}`));
        }, restartEveryS * 1000));
    }
    if (faults.length > 0 && faultEveryS > 0) {
        let next = 0;
        timers.push(setInterval(() => {
            if (!sim.running)
                return;
            const fault = faults[next++ % faults.length];
            log(`fault: ${fault.kind}${fault.kind === 'burst' ? ` ${fault.n}` : ''}`);
            switch (fault.kind) {
            case 'garbage': sim.sendGarbage(); break;
            case 'unknown': sim.sendUnknownEvent(); break;
            case 'huge': sim.sendHugeLine(); break;
            case 'burst': sim.burst(fault.n); break;
            case 'bytewise': void sim.speakBytewise('Split across writes: ü 日本 🎉 done.', 2); break;
            }
        }, faultEveryS * 1000));
    }
    return -1; // keep running
}

main().then(code => {
    if (code >= 0)
        process.exit(code);
}, e => {
    console.error(`simulator: ${(e as Error).stack ?? e}`);
    process.exit(1);
});
