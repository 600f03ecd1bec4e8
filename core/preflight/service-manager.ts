/**
 * The service manager: NSSM on Windows, PM2 elsewhere (SERVICE_MANAGER=auto), or the one configured. Located with
 * core/services' own locators (so preflight checks exactly the tool the services will use), and checked without side
 * effects: PM2 is asked only when the project's daemon already runs (every pm2 command would otherwise start one),
 * NSSM only with `status` (some nssm commands open a dialog and never return), its version read from the exe.
 * WOOSOO_NSSM_LAUNCHER (core/services' test seam: `wine`) lets the NSSM path run on Linux against the real nssm.exe.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProjectConfig } from '../config';
import type { RunResult } from '../process/run';
import { WoosooError } from '../kernel/errors';
import { locateNssm, locatePm2, nssmVersion, pm2Home } from '../services';
import { toolRunFailure, type Located, type NotLocated } from './tools';
import { ProbeSkip, type Outcome, type ProbeContext } from './types';
import { evaluateWrite, probeWritable } from './permissions';
import { moduleRoot } from '../process/locate';
import { livePidFrom } from '../process/pid';
import { nssmLauncherName } from '../kernel/testseams';
import { nodeExecutable } from '../process/node';

export type Manager = 'nssm' | 'pm2';

export function chosenManager(cfg: ProjectConfig): Manager {
  const m = cfg.str('SERVICE_MANAGER') || 'auto';
  if (m === 'nssm' || m === 'pm2') return m;
  return process.platform === 'win32' ? 'nssm' : 'pm2';
}

/** A core/services locator (which throws a WoosooError with the fix) as Located/NotLocated. */
function located(find: () => string, via: string): Located | NotLocated {
  try {
    return { path: find(), via };
  } catch (err) {
    if (!(err instanceof WoosooError)) throw err;
    return { path: null, reason: err.message, fix: err.recommendedAction ?? '' };
  }
}

/** PM2's version from its package.json (running `pm2 --version` would start a daemon). */
function pm2Version(bin: string): string | null {
  let real = bin;
  try {
    real = realpathSync(bin);
  } catch {
    /* keep the path */
  }
  for (const p of [join(dirname(real), '..', 'package.json'), join(dirname(bin), '..', 'pm2', 'package.json'), join(dirname(bin), 'node_modules', 'pm2', 'package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pm2' && pkg.version) return pkg.version;
    } catch {
      /* next */
    }
  }
  return null;
}

export interface ManagerProbe {
  manager: Manager;
  located: Located | NotLocated;
  version?: string | null;
}

export async function probeManager(pc: ProbeContext): Promise<ManagerProbe> {
  const manager = chosenManager(pc.cfg);
  if (manager === 'nssm') {
    if (process.platform !== 'win32' && !nssmLauncherName(pc.env)) {
      throw new ProbeSkip(`NSSM runs only on Windows; this host is ${process.platform}, where SERVICE_MANAGER=auto uses PM2.`);
    }
    const nssm = located(() => locateNssm(pc.cfg, pc.env, moduleRoot()), pc.cfg.str('NSSM_PATH') ? 'NSSM_PATH' : 'the NSSM search order');
    return { manager, located: nssm, version: nssm.path ? nssmVersion(nssm.path) || null : null };
  }
  const pm2 = located(() => locatePm2(pc.cfg, pc.env), pc.cfg.str('PM2_PATH') ? 'PM2_PATH' : 'Woosoo\'s node_modules or PATH');
  return { manager, located: pm2, version: pm2.path ? pm2Version(pm2.path) : null };
}

export function evaluateManager(p: ManagerProbe): Outcome {
  const label = p.manager === 'nssm' ? 'NSSM' : 'PM2';
  const expected = `${label} installed`;
  if (p.located.path === null) return { status: 'Fail', expected, actual: 'not found', message: p.located.reason, fix: p.located.fix };
  const version = p.version ? `${p.version} ` : '';
  return { status: 'Pass', expected, actual: `${version}(${p.located.path})`.trim(), message: `${label} ${version}found via ${p.located.via}.` };
}


export interface AccessProbe {
  manager: Manager;
  located: Located | NotLocated;
  result?: RunResult;
  daemonPid?: number | null;
  home?: string;
  homeWrite?: Outcome;
}

export async function probeAccess(pc: ProbeContext): Promise<AccessProbe> {
  const m = await probeManager(pc);
  if (m.located.path === null) return { manager: m.manager, located: m.located };
  const exe = m.located.path;
  if (m.manager === 'nssm') {
    // exit 0 = exists, 3 = no such service: either way the service control manager answered.
    const launcher = nssmLauncherName(pc.env);
    const args = ['status', 'WoosooPreflightProbe'];
    return { manager: m.manager, located: m.located, result: await (launcher ? pc.exec(launcher, [exe, ...args]) : pc.exec(exe, args)) };
  }
  const home = pm2Home(pc.cfg.projectDir);
  const daemonPid = livePidFrom(join(home, 'pm2.pid'));
  if (!daemonPid) return { manager: 'pm2', located: m.located, daemonPid, home, homeWrite: evaluateWrite(await probeWritable(home)) };
  // The pm2 CLI is a node script in Woosoo's node_modules, or an executable on PATH.
  const viaNode = /\.(c?js)$/i.test(exe) || /[\\/]pm2[\\/]bin[\\/]pm2$/.test(exe);
  const env = { ...pc.env, PM2_HOME: home, PM2_DISABLE_VERSION_CHECK: 'true', PM2_SILENT: 'true', FORCE_COLOR: '0' };
  const result = await pc.exec(viaNode ? nodeExecutable(pc.env, `the pm2 CLI (${exe})`) : exe, viaNode ? [exe, 'jlist'] : ['jlist'], { env });
  return { manager: 'pm2', located: m.located, daemonPid, home, result };
}

export function evaluateAccess(p: AccessProbe): Outcome {
  const expected = 'the service manager answers';
  if (p.located.path === null) return { status: 'Skip', expected, actual: 'not installed', message: `Not tested: ${p.located.reason}`, fix: p.located.fix };
  if (p.manager === 'nssm') {
    const r = p.result!;
    if (r.exitCode === 0 || r.exitCode === 3) return { status: 'Pass', expected, actual: 'answers', message: 'NSSM can query the Windows service control manager.' };
    return toolRunFailure('NSSM', p.located, r, expected, 'Run PowerShell as Administrator: querying and controlling services needs it.');
  }
  if (p.daemonPid) {
    const r = p.result!;
    const json = r.stdout.split(/\r?\n/).find((l) => l.trim().startsWith('['));
    let count = -1;
    try {
      count = (JSON.parse(json ?? '') as unknown[]).length;
    } catch {
      /* not JSON */
    }
    if (r.exitCode === 0 && count >= 0) return { status: 'Pass', expected, actual: `daemon PID ${p.daemonPid}`, message: `The PM2 daemon (PID ${p.daemonPid}, PM2_HOME ${p.home}) answers; it runs ${count} process(es).` };
    return toolRunFailure('PM2', p.located, r, expected, `Run "pm2 jlist" as the same user; if the daemon is stuck, "pm2 kill" and run again (PM2_HOME ${p.home}).`);
  }
  const w = p.homeWrite!;
  if (w.status !== 'Pass') return { ...w, message: `The PM2 daemon is not running and PM2_HOME cannot be written: ${w.message}` };
  return { status: 'Pass', expected, actual: 'daemon not running', message: `The PM2 daemon is not running; it starts with the first service (PM2_HOME ${p.home} is usable).` };
}
