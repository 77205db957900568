// SPDX-License-Identifier: GPL-2.0-or-later
// Runs the end-to-end scenarios against the shell that test/e2e/run.sh started.
// Ends with `N passed, N failed`; exits non-zero when anything failed.
// E2E_SCENARIOS=name,name runs only those.
import {readFileSync} from 'node:fs';
import {Report, Shell, Simulator, logProblems, sleep, type Context, type Scenario} from './driver.js';
import {scenarios} from './scenarios/index.js';

const t = new Report();
const shell = await Shell.connect();
const {session} = shell;
const only = process.env.E2E_SCENARIOS?.split(',').map(s => s.trim()).filter(Boolean);
// 'de' for de_DE.UTF-8; undefined for English (the C locale the harness uses by default).
const sessionLanguage = /^([a-z]{2,3})(_|\.|$)/.exec(session.env.LANG ?? '')?.[1];
const language = sessionLanguage === 'en' ? undefined : sessionLanguage;
console.log(`# ${session.shellVersion}, ${session.uuid}, LANG=${session.env.LANG ?? ''}`);

function withTimeout(p: Promise<void>, ms: number, what: string): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

// Errors the extension logged since a line of shell.log (its uuid is in every path of its files).
function checkLog(from: number, what: string): number {
    const now = shell.log().lines;
    const problems = shell.extensionLogProblems(from);
    t.ok(problems.length === 0, `no JS ERROR, JS WARNING or CRITICAL about the extension in shell.log ${what}`,
        problems.map(p => `shell.log:${p.line}: ${p.text}`).join('\n'));
    return now;
}

async function runScenario(scenario: Scenario): Promise<void> {
    const simulators: Simulator[] = [];
    const ctx: Context = {
        shell, t, session,
        async simulator(opts) {
            const sim = await Simulator.start(session, opts);
            simulators.push(sim);
            return sim;
        },
    };
    try {
        await withTimeout(scenario.run(ctx), scenario.timeoutMs ?? 120_000, scenario.name);
    } catch (e) {
        t.fail('ran to the end', e instanceof Error ? e.stack : e);
        await shell.screenshot(`failed-${scenario.name}`).catch(() => undefined);
    } finally {
        for (const sim of simulators)
            await sim.stop();
    }
}

// Ends the shell as a session end would (SIGTERM), so that what the extension prints while the
// shell shuts down is checked like the rest. True when it exited within the time.
async function stopShell(timeoutMs = 15_000): Promise<boolean> {
    const gone = () => {
        try {   // gone, or a zombie that run.sh has not reaped yet
            return readFileSync(`/proc/${session.shellPid}/stat`, 'utf8').replace(/^.*\) /s, '').startsWith('Z');
        } catch {
            return true;
        }
    };
    try {
        process.kill(session.shellPid, 'SIGTERM');
    } catch {
        return gone();
    }
    const deadline = Date.now() + timeoutMs;
    while (!gone() && Date.now() < deadline)
        await sleep(100);
    return gone();
}

let mark = 0;
try {
    // Eval can answer before the shell has finished starting up (action mode NONE: no keybinding,
    // no overlay key yet).
    await shell.waitFor('!Main.layoutManager._startingUp', 30_000);
    await shell.hideOverview();
    // Eval answers once the helper is enabled; the product may still be loading (50 and 51 load
    // extensions concurrently and show ERROR, with no error, until the import finishes).
    await shell.waitFor(`(() => { const e = Main.extensionManager.lookup(${JSON.stringify(session.uuid)});
        return !e || e.state !== globalThis.swictationE2E?.ExtensionState?.ERROR || !!e.error; })()`, 10_000).catch(() => undefined);
    mark = checkLog(0, 'at start-up');
    for (const scenario of scenarios) {
        if ((only && !only.includes(scenario.name)) || scenario.language !== language)
            continue;
        console.log(`# scenario ${scenario.name}`);
        t.scenario = scenario.name;
        await runScenario(scenario);
        mark = checkLog(mark, 'during the scenario');
        t.scenario = '';
    }
    console.log('# shutdown');
    t.scenario = 'shutdown';
    shell.close();
    t.ok(await stopShell(), 'the shell exits on SIGTERM within 15 s');
    checkLog(mark, 'while the shell shuts down');
    t.scenario = '';
} catch (e) {
    t.fail('harness', e instanceof Error ? e.stack : e);
} finally {
    shell.close();
}

const others = logProblems(shell.log().text).length - shell.extensionLogProblems().length;
if (others > 0)
    console.log(`# shell.log has ${others} other JS ERROR/JS WARNING/CRITICAL entries, not about the extension`);
console.log(t.summary());
process.exit(t.failed > 0 ? 1 : 0);
