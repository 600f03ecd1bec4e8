/**
 * The dashboard host as a background process of the project, for dashboard.start / dashboard.stop / dashboard.get
 * (methods.ts; Start-, Stop-, Get-WoosooDashboard). start checks what the host would refuse (address, -AllowRemote, certificate)
 * before anything runs, writes the options file, starts the engine in --dashboard mode detached (core/process) and
 * waits until the host's state file names the child (it listens) or the child dies (its error, or its stderr's tail).
 * stop ends the process the state file names (checked to be a dashboard host where the system says so) and removes
 * the file; get reads it: Running, Stopped (no file) or Stale (a file whose process is gone).
 */
import { readFileSync, rmSync } from 'node:fs';
import type { ProjectConfig } from '../config';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { engineCommand, startDetached } from '../process/detached';
import { pidAlive } from '../process/pid';
import { redact } from '../util/redact';
import { sleep } from '../util/sleep';
import {
  optionsFile, parseHostError, planHost, readState, serviceOptionsFile, stateFile, stderrFile, writeJsonAtomic, type HostOptions, type HostState,
} from './hostplan';

export const DASHBOARD_STATES = ['Running', 'Stopped', 'Stale'] as const;
export type DashboardState = (typeof DASHBOARD_STATES)[number];

/** Whether pid is a dashboard host: alive and, where the system shows command lines (Linux), started with --dashboard. */
export function isHostProcess(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  if (process.platform !== 'linux') return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('--dashboard');
  } catch {
    return true;
  }
}

/** The project's dashboard as its state file says: the state and the file's content (null when there is none). */
export function dashboardStatus(projectDir: string): { state: DashboardState; host: HostState | null } {
  const host = readState(projectDir);
  if (!host) return { state: 'Stopped', host: null };
  return { state: isHostProcess(host.pid) ? 'Running' : 'Stale', host };
}

const WAIT_MS = 30_000;

function tail(file: string, lines = 15): string {
  try {
    return redact(readFileSync(file, 'utf8').trimEnd().split(/\r?\n/).slice(-lines).join('\n'));
  } catch {
    return '';
  }
}

/** Ends pid (SIGTERM, then SIGKILL after `graceMs`) and waits until it is gone. */
async function endProcess(pid: number, signal: AbortSignal, graceMs = 5000): Promise<boolean> {
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  };
  kill('SIGTERM');
  for (let waited = 0; pidAlive(pid); waited += 50) {
    if (waited === graceMs) kill('SIGKILL');
    if (waited > graceMs + 5000) return false;
    await sleep(50, signal);
  }
  return true;
}

async function startHostProcess(o: HostOptions, ctx: RequestContext): Promise<HostState> {
  writeJsonAtomic(optionsFile(o.projectDir), o);
  const cmd = engineCommand(['--dashboard', optionsFile(o.projectDir)]);
  const errFile = stderrFile(o.projectDir);
  const child = startDetached(cmd.file, cmd.args, { cwd: o.projectDir, env: ctx.env, stderrFile: errFile });
  let ended: { code: number | null; error?: string } | undefined;
  void child.exited.then((e) => { ended = e; });
  for (let waited = 0; ; waited += 50) {
    const s = readState(o.projectDir);
    if (s && s.pid === child.pid) return s;
    if (ended || child.pid === 0) {
      await child.exited;
      const stderr = tail(errFile);
      throw parseHostError(stderr) ?? new WoosooError('DashboardStartFailed', `The dashboard host ended before it listened (${ended?.error ?? `exit code ${ended?.code}`}).${stderr ? `\n${stderr}` : ''}`, {
        category: 'InvalidResult', target: cmd.file, fix: `Read ${errFile} and logs/woosoo/dashboard.log in the project.`,
      });
    }
    if (waited >= WAIT_MS || ctx.signal.aborted) {
      await endProcess(child.pid, new AbortController().signal, 1000);
      throw new WoosooError('DashboardStartTimeout', `The dashboard host did not listen within ${WAIT_MS / 1000} s${ctx.signal.aborted ? ' (cancelled)' : ''}; it was stopped.`, {
        category: 'OperationTimeout', target: cmd.file, fix: `Read ${errFile} and logs/woosoo/dashboard.log in the project.`,
      });
    }
    await sleep(50, new AbortController().signal);
  }
}

/** dashboard.start: refuses what the host would refuse, a dashboard of the project that runs already; then starts one. */
export async function startDashboard(o: HostOptions, cfg: ProjectConfig, ctx: RequestContext): Promise<HostState> {
  planHost(o, cfg); // the host refuses the same; refused here, nothing starts
  const now = dashboardStatus(o.projectDir);
  if (now.state === 'Running') {
    throw new WoosooError('DashboardAlreadyRunning', `The dashboard of ${o.projectDir} already runs at ${now.host!.url} (PID ${now.host!.pid}).`, {
      category: 'ResourceExists', target: now.host!.url, fix: 'Use it, or stop it first with Stop-WoosooDashboard.',
    });
  }
  if (now.state === 'Stale') rmSync(stateFile(o.projectDir), { force: true });
  const started = await startHostProcess(o, ctx);
  ctx.log('info', `dashboard started: ${started.url} (PID ${started.pid})`);
  return started;
}

/** dashboard.stop: ends the running host and removes the state file (also a stale one); returns what the file said. */
export async function stopDashboard(projectDir: string, ctx: RequestContext): Promise<HostState | null> {
  const now = dashboardStatus(projectDir);
  if (now.state === 'Running' && now.host!.optionsFile === serviceOptionsFile(projectDir)) {
    throw new WoosooError('DashboardIsService', `The dashboard of ${projectDir} runs as a service (Install-WoosooService -Dashboard), which would start it again.`, {
      category: 'InvalidOperation', target: now.host!.url, fix: 'Stop it with Stop-WoosooService -Name dashboard (or remove it with Uninstall-WoosooService -Name dashboard).',
    });
  }
  if (now.state === 'Running' && !(await endProcess(now.host!.pid, ctx.signal))) {
    throw new WoosooError('DashboardStopFailed', `The dashboard process ${now.host!.pid} did not end.`, {
      category: 'OperationTimeout', target: String(now.host!.pid), fix: `End process ${now.host!.pid} yourself (Stop-Process -Id ${now.host!.pid} -Force).`,
    });
  }
  if (now.state === 'Stopped') ctx.log('warning', `The dashboard of ${projectDir} is not running.`);
  rmSync(stateFile(projectDir), { force: true }); // a host killed without its signal handlers (Windows) leaves it
  return now.host;
}
