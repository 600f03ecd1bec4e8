/** Probes and evaluations of the System category: elevation, free disk, memory, CPU cores, operating system. */
import { readFile, statfs } from 'node:fs/promises';
import { cpus as cpus_, release as osRelease } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { probeSystem, type ProbeLimits } from '../util/sysinfo';
import { setting, type Outcome, type ProbeContext } from './types';

const GB = 1024 ** 3;
const gb = (bytes: number) => `${(bytes / GB).toFixed(1)} GB`;

/** Root on Linux/macOS; on Windows, `net session` answers only in an elevated session. */
export async function probeElevated(pc: ProbeContext): Promise<{ elevated: boolean; how: string }> {
  if (process.platform !== 'win32') {
    const uid = process.getuid?.() ?? -1;
    return { elevated: uid === 0, how: `uid ${uid}` };
  }
  const r = await pc.exec('net', ['session']);
  return { elevated: r.exitCode === 0, how: 'net session' };
}

export function evaluateElevated(d: { elevated: boolean; how: string }): Outcome {
  const who = process.platform === 'win32' ? 'Administrator' : 'root';
  if (d.elevated) return { status: 'Pass', expected: who, actual: who, message: `Running as ${who} (${d.how}).` };
  return {
    status: 'Fail', expected: who, actual: `not ${who} (${d.how})`,
    message: `Not running as ${who}: installing, starting and stopping services will be refused.`,
    fix: process.platform === 'win32'
      ? 'Start PowerShell with "Run as administrator" (or run the scheduled task with highest privileges).'
      : 'Run PowerShell as root (sudo pwsh).',
  };
}

/** Free space on the drive holding the project folder (the nearest existing folder of it). */
export async function probeDisk(pc: ProbeContext): Promise<{ freeBytes: number; path: string }> {
  let p = pc.cfg.projectDir;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  const s = await statfs(p);
  return { freeBytes: Number(s.bavail) * Number(s.bsize), path: p };
}

export function evaluateDisk(d: { freeBytes: number; path: string }, pc: ProbeContext): Outcome {
  const min = Number(setting(pc.cfg, 'PREFLIGHT_MIN_DISK_GB'));
  const expected = `≥ ${min} GB free`;
  const actual = `${gb(d.freeBytes)} free`;
  if (d.freeBytes >= min * GB) return { status: 'Pass', expected, actual, message: `${actual} on the drive of ${d.path}.` };
  return {
    status: 'Fail', expected, actual,
    message: `Only ${actual} on the drive of ${d.path}; deployments, backups and logs need at least ${min} GB.`,
    fix: 'Free space (old backups in backups/, old releases, logs/), move the project to a larger drive, or lower PREFLIGHT_MIN_DISK_GB.',
  };
}

export const probeMemory = (pc: ProbeContext) => pc.shared('si.mem', () => probeSystem('the memory probe', (si) => si.mem(), pc));

export function evaluateMemory(m: { total: number }, pc: ProbeContext): Outcome {
  const min = Number(setting(pc.cfg, 'PREFLIGHT_MIN_RAM_GB'));
  const warn = Number(setting(pc.cfg, 'PREFLIGHT_WARN_RAM_GB'));
  // Installed RAM is reported a little under its nominal size (firmware reservations): allow 5 %.
  const have = m.total / GB;
  const expected = `≥ ${min} GB (${warn} GB recommended)`;
  const actual = gb(m.total);
  if (have < min * 0.95) {
    return { status: 'Fail', expected, actual, message: `${actual} of memory; the stack (PHP, Reverb, queue worker, MariaDB, nginx) needs at least ${min} GB.`, fix: `Add memory, or run the database on another machine. The thresholds are PREFLIGHT_MIN_RAM_GB and PREFLIGHT_WARN_RAM_GB.` };
  }
  if (have < warn * 0.95) {
    return { status: 'Warn', expected, actual, message: `${actual} of memory works, but ${warn} GB is recommended under load.`, fix: 'Add memory if the server also does other work. The threshold is PREFLIGHT_WARN_RAM_GB.' };
  }
  return { status: 'Pass', expected, actual, message: `${actual} of memory.` };
}

/** Logical cores and the model, from the OS directly (systeminformation's cpu() runs extra tools for details we do not use). */
export async function probeCpu(): Promise<{ cores: number; brand: string }> {
  const cpus = cpus_();
  return { cores: cpus.length, brand: cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? '' };
}

export function evaluateCpu(c: { cores: number; brand: string }, pc: ProbeContext): Outcome {
  const min = Number(setting(pc.cfg, 'PREFLIGHT_MIN_CORES'));
  const warn = Number(setting(pc.cfg, 'PREFLIGHT_WARN_CORES'));
  const expected = `≥ ${min} cores (${warn} recommended)`;
  const actual = `${c.cores} cores${c.brand ? ` (${c.brand})` : ''}`;
  if (c.cores < min) return { status: 'Fail', expected, actual, message: `${c.cores} CPU core(s); the stack needs at least ${min}.`, fix: 'Give the machine (or VM) more cores. The thresholds are PREFLIGHT_MIN_CORES and PREFLIGHT_WARN_CORES.' };
  if (c.cores < warn) return { status: 'Warn', expected, actual, message: `${c.cores} CPU cores work, but ${warn} are recommended (builds and the queue worker compete).`, fix: 'Give the machine more cores if deployments are slow. The threshold is PREFLIGHT_WARN_CORES.' };
  return { status: 'Pass', expected, actual, message: `${c.cores} CPU cores.` };
}

type OsInfo = { platform: string; distro: string; release: string; build: string; arch: string };

/** systeminformation on Windows/macOS (edition and build); on Linux /etc/os-release says the same without spawning tools. */
export async function probeOs(limits: ProbeLimits = {}): Promise<OsInfo> {
  const viaLibrary = () => probeSystem('the operating system probe', (si) => si.osInfo(), limits);
  if (process.platform !== 'linux') return viaLibrary();
  let text = '';
  try {
    text = await readFile('/etc/os-release', 'utf8');
  } catch {
    return viaLibrary();
  }
  const field = (k: string) => new RegExp(`^${k}="?([^"\n]*)"?$`, 'm').exec(text)?.[1] ?? '';
  return { platform: 'linux', distro: field('NAME') || 'Linux', release: field('VERSION_ID'), build: osRelease(), arch: process.arch };
}

/** Windows Server 2019 is build 17763. */
const SERVER_2019_BUILD = 17763;
const WINDOWS_ONLY = 'NSSM services, the Windows firewall rules and Task Scheduler jobs are Windows-only; here services run under PM2';

export function evaluateOs(os: OsInfo): Outcome {
  const name = `${os.distro} ${os.release}`.trim();
  const expected = 'Windows 10/11 or Windows Server 2019+';
  if (os.platform !== 'win32' && os.platform !== 'Windows') {
    return { status: 'Pass', expected, actual: `${name} (${os.arch})`, message: `${name}: supported for development and tests. ${WINDOWS_ONLY}.` };
  }
  const build = Number(os.build || os.release.split('.')[2] || 0);
  const major = Number(os.release.split('.')[0] || 0);
  const server = /server/i.test(os.distro);
  const ok = server ? build >= SERVER_2019_BUILD : major >= 10;
  if (ok) return { status: 'Pass', expected, actual: `${name} (build ${build})`, message: `${name} is supported.` };
  return {
    status: 'Fail', expected, actual: `${name} (build ${build})`,
    message: `${name} is not supported: Woosoo needs Windows 10/11 or Windows Server 2019 or later.`,
    fix: 'Upgrade the operating system before deploying.',
  };
}
