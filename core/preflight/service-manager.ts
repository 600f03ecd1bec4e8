/**
 * The service manager: NSSM on Windows, PM2 elsewhere (SERVICE_MANAGER=auto), or the one configured. Finding it and
 * checking that it can be queried, without side effects: PM2 is asked only when its daemon already runs (every pm2
 * command would otherwise start one), and NSSM only with `status` (some nssm commands open a dialog and never return).
 * core/services does not expose a locator yet, so NSSM and PM2 are located here (small, and documented in
 * docs/preflight.md); when it does, use it instead.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProjectConfig } from '../config';
import type { RunResult } from '../process/run';
import { which } from '../process/which';
import { locate, toolRunFailure, type Located, type NotLocated } from './tools';
import { ProbeSkip, type Outcome, type ProbeContext } from './types';
import { evaluateWrite, probeWritable } from './permissions';

export type Manager = 'nssm' | 'pm2';

export function chosenManager(cfg: ProjectConfig): Manager {
  const m = cfg.str('SERVICE_MANAGER') || 'auto';
  if (m === 'nssm' || m === 'pm2') return m;
  return process.platform === 'win32' ? 'nssm' : 'pm2';
}

/** Folders that may hold the module's own bin/ and node_modules/ (the engine runs from bin/, the sources from core/preflight/). */
const moduleRoots = () => [join(__dirname, '..'), join(__dirname, '..', '..')];

/** NSSM_PATH, then bin/nssm/win64|win32/nssm.exe (project folder, then the module) by OS architecture, then PATH. */
export function locateNssm(cfg: ProjectConfig, env: Record<string, string>): Located | NotLocated {
  const install = 'Put nssm.exe 2.24 (nssm.cc) in bin\\nssm\\win64\\ of the project.';
  if (cfg.str('NSSM_PATH').trim()) return locate(cfg, env, 'NSSM_PATH', ['nssm'], 'NSSM', install);
  const arch = process.arch === 'x64' || process.arch === 'arm64' ? 'win64' : 'win32';
  for (const root of [cfg.projectDir, ...moduleRoots()]) {
    const p = join(root, 'bin', 'nssm', arch, 'nssm.exe');
    if (existsSync(p)) return { path: p, via: `bin\\nssm\\${arch}` };
  }
  return locate(cfg, env, 'NSSM_PATH', ['nssm'], 'NSSM', install);
}

/** node_modules/.bin/pm2 of the module (or the project), then pm2 on PATH. */
export function locatePm2(cfg: ProjectConfig, env: Record<string, string>): Located | NotLocated {
  for (const root of [...moduleRoots(), cfg.projectDir]) {
    const found = which(join(root, 'node_modules', '.bin', 'pm2'), env);
    if (found) return { path: found, via: 'node_modules/.bin' };
  }
  const onPath = which('pm2', env);
  if (onPath) return { path: onPath, via: 'PATH' };
  return { path: null, reason: 'PM2 was not found: not in the module\'s node_modules and pm2 is not on PATH.', fix: 'Install PM2 (npm install -g pm2), or reinstall Woosoo with its node_modules.' };
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
  if (manager === 'nssm' && process.platform !== 'win32') {
    throw new ProbeSkip(`NSSM runs only on Windows; this host is ${process.platform}, where SERVICE_MANAGER=auto uses PM2.`);
  }
  if (manager === 'nssm') return { manager, located: locateNssm(pc.cfg, pc.env) };
  const located = locatePm2(pc.cfg, pc.env);
  return { manager, located, version: located.path ? pm2Version(located.path) : null };
}

export function evaluateManager(p: ManagerProbe): Outcome {
  const label = p.manager === 'nssm' ? 'NSSM' : 'PM2';
  const expected = `${label} installed`;
  if (p.located.path === null) return { status: 'Fail', expected, actual: 'not found', message: p.located.reason, fix: p.located.fix };
  const version = p.version ? `${p.version} ` : '';
  return { status: 'Pass', expected, actual: `${version}(${p.located.path})`.trim(), message: `${label} ${version}found via ${p.located.via}.` };
}

function pm2Home(env: Record<string, string>): string {
  return env.PM2_HOME || join(env.HOME || env.USERPROFILE || '', '.pm2');
}

function alivePid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (!pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
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
  if (m.manager === 'nssm') {
    // exit 0 = exists, 3 = no such service: either way the service control manager answered.
    return { manager: m.manager, located: m.located, result: await pc.exec(m.located.path, ['status', 'WoosooPreflightProbe']) };
  }
  const home = pm2Home(pc.env);
  const daemonPid = alivePid(join(home, 'pm2.pid'));
  if (daemonPid) return { manager: 'pm2', located: m.located, daemonPid, home, result: await pc.exec(m.located.path, ['jlist']) };
  const w = await probeWritable(home);
  return { manager: 'pm2', located: m.located, daemonPid, home, homeWrite: evaluateWrite(w) };
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
