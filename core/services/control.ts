/**
 * Operations over a set of services with any backend: query, install, start (dependency order, waiting until really
 * running), stop (reverse order, waiting until the processes are gone), restart, suspend, resume, uninstall. Each
 * service's failure is reported for that service and the others go on (a service whose dependency failed is not started).
 */
import { connect } from 'node:net';
import type { RequestContext } from '../rpc/context';
import { WoosooError, toItemError, type ItemError } from '../rpc/errors';
import { typed } from '../rpc/method';
import { notInstalled } from './errors';
import { ensureLogDirs, maintainLogs, tailLines } from './retention';
import type { ServiceBackend, ServiceDefinition, ServiceSettings, ServiceState, ServiceStatus } from './types';
import { sleep } from '../util/sleep';

export type ServiceContext = Pick<RequestContext, 'env' | 'cwd' | 'signal' | 'log' | 'progress'>;

export interface ServiceSet {
  backend: ServiceBackend;
  /** In start order. */
  defs: ServiceDefinition[];
  settings: ServiceSettings;
  projectDir: string;
}

export type ServiceItem = ReturnType<typeof toItem>;

export interface Outcome {
  items: ServiceItem[];
  errors: ItemError[];
}

const POLL_MS = 250;

function uptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  const days = Math.floor(s / 86400);
  return `${days > 0 ? `${days}.` : ''}${p(Math.floor(s / 3600) % 24)}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
}

/** The Woosoo.Service object: the backend's facts, the definition where the backend has none. */
export function toItem(set: ServiceSet, def: ServiceDefinition, st: ServiceState, now = Date.now()) {
  return typed('Service', {
    Name: def.name,
    DisplayName: st.displayName ?? def.displayName,
    Status: st.status,
    StartType: st.startType ?? null,
    ProcessId: st.processId ?? null,
    StartTime: st.startedAt ? st.startedAt.toISOString() : null,
    Uptime: st.startedAt ? uptime(now - st.startedAt.getTime()) : null,
    Restarts: st.restarts ?? null,
    LastExitCode: st.lastExitCode ?? null,
    Application: st.application ?? def.application,
    Arguments: st.arguments ?? def.arguments.join(' '),
    WorkingDirectory: st.workingDirectory ?? def.workingDirectory,
    StdoutLog: st.stdoutLog ?? def.stdoutLog,
    StderrLog: st.stderrLog ?? def.stderrLog,
    DependsOn: def.dependsOn,
    Port: def.readyPort ?? null,
    Backend: set.backend.name,
    ProjectPath: set.projectDir,
    Remarks: [def.problem?.message, st.remarks].filter(Boolean).join(' ') || null,
  });
}

async function stateOf(set: ServiceSet, def: ServiceDefinition): Promise<ServiceState> {
  return (await set.backend.query([def]))[0];
}

export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ port, host });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

function crashLoop(def: ServiceDefinition, st: ServiceState, why: string): WoosooError {
  const tail = tailLines(st.stderrLog ?? def.stderrLog, 5);
  const said = tail.length ? ` Last lines of ${st.stderrLog ?? def.stderrLog}:\n  ${tail.join('\n  ')}` : ` ${st.stderrLog ?? def.stderrLog} is empty.`;
  return new WoosooError('ServiceCrashLoop', `${def.name} does not stay up: ${why}.${said}`, {
    category: 'InvalidResult', target: def.name,
    fix: `Read ${def.stderrLog} and ${def.stdoutLog}, fix the cause, then Resume-WoosooService ${def.name} (retries at once) or Start-WoosooService.`,
  });
}

/**
 * Waits until the service is really running: the backend says Running, the process has stayed the same for the
 * throttle time (PM2, whose start returns before the app proved itself), and its port accepts connections.
 */
export async function waitRunning(set: ServiceSet, def: ServiceDefinition, ctx: ServiceContext): Promise<ServiceState> {
  const deadline = Date.now() + set.settings.startTimeoutMs;
  const stableMs = set.backend.name === 'PM2' ? Math.min(set.settings.throttleMs, set.settings.startTimeoutMs / 2) : 0;
  let first: ServiceState | undefined;
  let since = 0;
  let why = 'it did not report Running';
  for (;;) {
    const st = await stateOf(set, def);
    first ??= st;
    if (st.status === 'Throttled' || st.status === 'Failed') throw crashLoop(def, st, `${set.backend.name} reports it ${st.status === 'Failed' ? 'gave up restarting it' : 'is throttling restarts of an application that keeps exiting'}`);
    if (st.restarts !== undefined && first.restarts !== undefined && st.restarts > first.restarts) throw crashLoop(def, st, `it exited and was restarted ${st.restarts - first.restarts} time(s) while starting`);
    if (st.status === 'NotInstalled') throw notInstalled(def.name);
    if (st.status === 'Running') {
      if (first.processId !== undefined && st.processId !== undefined && st.processId !== first.processId && first.status === 'Running') {
        throw crashLoop(def, st, `its process changed from ${first.processId} to ${st.processId} while starting`);
      }
      if (since === 0) since = Date.now();
      const stable = Date.now() - since >= stableMs;
      const portOk = def.readyPort === undefined || (await portOpen(def.readyPort));
      why = portOk ? `its process has not been up for ${stableMs} ms yet` : `port ${def.readyPort} does not accept connections`;
      if (stable && portOk) return st;
    } else {
      since = 0;
      why = `it is ${st.status}`;
    }
    if (Date.now() > deadline) {
      throw new WoosooError('ServiceStartTimeout', `${def.name} was not running after ${set.settings.startTimeoutMs / 1000} s: ${why}.`, {
        category: 'OperationTimeout', target: def.name,
        fix: `Read ${def.stderrLog}; if the service only starts slowly, raise SERVICE_START_TIMEOUT_SECONDS.`,
      });
    }
    await sleep(POLL_MS, ctx.signal);
  }
}

const GONE: ServiceStatus[] = ['Stopped', 'NotInstalled', 'Failed'];

/** Waits until the backend reports the service down and (PM2, local pids) its process has exited. */
export async function waitStopped(set: ServiceSet, def: ServiceDefinition, ctx: ServiceContext, pid?: number): Promise<ServiceState> {
  const deadline = Date.now() + set.settings.stopTimeoutMs;
  for (;;) {
    const st = await stateOf(set, def);
    const exited = pid === undefined || set.backend.name !== 'PM2' || !alive(pid);
    if (GONE.includes(st.status) && exited) return st;
    if (Date.now() > deadline) {
      throw new WoosooError('ServiceStopTimeout', `${def.name} did not stop within ${set.settings.stopTimeoutMs / 1000} s (it is ${st.status}${exited ? '' : `, process ${pid} still running`}).`, {
        category: 'OperationTimeout', target: def.name, fix: 'Stop the process by hand (Stop-Process -Id <ProcessId>), or raise SERVICE_STOP_TIMEOUT_SECONDS.',
      });
    }
    await sleep(POLL_MS, ctx.signal);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Step = (def: ServiceDefinition, st: ServiceState) => Promise<ServiceState>;

/** Runs a step per service in the given order, with progress; a failure is that service's error only. */
async function each(set: ServiceSet, defs: ServiceDefinition[], ctx: ServiceContext, activity: string, step: Step, skipAfterFailedDependency: boolean): Promise<Outcome> {
  const out: Outcome = { items: [], errors: [] };
  const failed = new Set<string>();
  for (const [i, def] of defs.entries()) {
    ctx.progress({ activity, status: def.name, percent: (i / defs.length) * 100 });
    try {
      const dep = def.dependsOn.find((d) => failed.has(d));
      if (skipAfterFailedDependency && dep) {
        throw new WoosooError('DependencyFailed', `${def.name} was not started because ${dep}, which it depends on, failed.`, {
          category: 'ResourceUnavailable', target: def.name, fix: `Fix ${dep} first (its error is above), then start ${def.name}.`,
        });
      }
      const st = await step(def, await stateOf(set, def));
      out.items.push(toItem(set, def, st));
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      failed.add(def.name);
      out.errors.push(toItemError(err));
    }
  }
  ctx.progress({ activity, completed: true });
  return out;
}

function requireInstalled(def: ServiceDefinition, st: ServiceState): void {
  if (st.status === 'NotInstalled') throw notInstalled(def.name);
}

function requireDefinable(def: ServiceDefinition): void {
  if (def.problem) throw def.problem;
}

/** Rotates (PM2) and prunes the service's logs before it starts writing them again. */
async function prepareLogs(set: ServiceSet, def: ServiceDefinition, ctx: ServiceContext): Promise<void> {
  ensureLogDirs(def);
  const { rotated, deleted } = maintainLogs(def, set.settings, set.backend.rotatesLogs);
  for (const f of deleted) ctx.log('verbose', `Deleted rotated log ${f} (retention)`);
  if (rotated && set.backend.reopenLogs) await set.backend.reopenLogs([def]);
}

export async function queryServices(set: ServiceSet): Promise<Outcome> {
  const states = await set.backend.query(set.defs);
  const now = Date.now();
  return { items: set.defs.map((d, i) => toItem(set, d, states[i], now)), errors: [] };
}

export function startAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return each(set, set.defs, ctx, 'Starting services', async (def, st) => {
    requireInstalled(def, st);
    if (st.status === 'Running') return st;
    requireDefinable(def);
    await prepareLogs(set, def, ctx);
    ctx.log('verbose', `Starting ${def.name} (${set.backend.name})`);
    await set.backend.start(def, set.settings);
    return waitRunning(set, def, ctx);
  }, true);
}

export function stopAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return each(set, [...set.defs].reverse(), ctx, 'Stopping services', async (def, st) => {
    if (GONE.includes(st.status)) return st;
    ctx.log('verbose', `Stopping ${def.name} (${set.backend.name})`);
    await set.backend.stop(def, set.settings);
    return waitStopped(set, def, ctx, st.processId);
  }, false);
}

export function restartAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return each(set, set.defs, ctx, 'Restarting services', async (def, st) => {
    requireInstalled(def, st);
    requireDefinable(def);
    await prepareLogs(set, def, ctx);
    ctx.log('verbose', `Restarting ${def.name} (${set.backend.name})`);
    if (st.status === 'Running') await set.backend.restart(def, set.settings);
    else await set.backend.start(def, set.settings);
    return waitRunning(set, def, ctx);
  }, true);
}

export function suspendAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return each(set, [...set.defs].reverse(), ctx, 'Suspending services', async (def, st) => {
    requireInstalled(def, st);
    await set.backend.pause(def);
    return stateOf(set, def);
  }, false);
}

export function resumeAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return each(set, set.defs, ctx, 'Resuming services', async (def, st) => {
    requireInstalled(def, st);
    if (st.status === 'Running') return st;
    if (st.status === 'Stopped') {
      throw new WoosooError('ServiceNotSuspended', `${def.name} is Stopped, not suspended or throttled: there is nothing to resume.`, {
        category: 'InvalidOperation', target: def.name, fix: `Start it: Start-WoosooService ${def.name}`,
      });
    }
    ctx.log('verbose', `Resuming ${def.name}: restarting the throttled application now`);
    await set.backend.resume(def, set.settings);
    return waitRunning(set, def, ctx);
  }, true);
}

export function installAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return each(set, set.defs, ctx, 'Installing services', async (def) => {
    requireDefinable(def);
    await prepareLogs(set, def, ctx);
    const how = await set.backend.install(def, set.settings);
    ctx.log('info', `${how} ${def.name} (${set.backend.name}): ${def.application} ${def.arguments.join(' ')}`);
    return stateOf(set, def);
  }, false);
}

export function uninstallAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return each(set, [...set.defs].reverse(), ctx, 'Uninstalling services', async (def, st) => {
    if (st.status === 'NotInstalled') return st;
    if (!GONE.includes(st.status)) {
      await set.backend.stop(def, set.settings);
      await waitStopped(set, def, ctx, st.processId);
    }
    await set.backend.remove(def);
    ctx.log('info', `Removed ${def.name} (${set.backend.name}); its logs in ${def.stdoutLog} are kept`);
    return { name: def.name, status: 'NotInstalled' as const };
  }, false);
}
