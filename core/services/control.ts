/**
 * Operations over a set of services with any backend: query, install, start (dependency order, waiting until really
 * running), stop (reverse order, waiting until the processes are gone), restart, suspend, resume, uninstall. Each
 * service's failure is reported for that service and the others go on (a service whose dependency failed is not started).
 *
 * Start, restart and resume do not wait for one service after another: a service starts as soon as the services it
 * depends on run with their port open, and the stability windows (PM2: SERVICE_THROTTLE_MS) are watched concurrently.
 * Stop likewise stops a service as soon as the services depending on it have stopped.
 */
import { connect } from 'node:net';
import type { RequestContext } from '../kernel/context';
import { WoosooError, toItemError, type ItemError } from '../kernel/errors';
import { notInstalled } from './errors';
import { ensureLogDirs, lastOutput, maintainLogs, retentionSummary } from './retention';
import { report, type ServiceReport } from './report';
import type { ServiceBackend, ServiceDefinition, ServiceSettings, ServiceState, ServiceStatus } from './types';
import { sleep } from '../util/sleep';
import { pidAlive } from '../process/pid';

export type ServiceContext = Pick<RequestContext, 'env' | 'cwd' | 'signal' | 'log' | 'progress'>;

export interface ServiceSet {
  backend: ServiceBackend;
  /** In start order. */
  defs: ServiceDefinition[];
  settings: ServiceSettings;
  projectDir: string;
}

export interface Outcome {
  items: ServiceReport[];
  errors: ItemError[];
}

const POLL_MS = 250;

/** The pause between two state checks: the backend's (PM2 over its socket: 100 ms), else POLL_MS. */
function pollMs(set: ServiceSet): number {
  return set.backend.pollMs?.() ?? POLL_MS;
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

const GONE: ServiceStatus[] = ['Stopped', 'NotInstalled', 'Failed'];
/** States of a service that is (again) up or on its way up: a stop sent has not been taken up; a start has been. */
const UP: ServiceStatus[] = ['Running', 'StartPending', 'Throttled'];

function crashLoop(def: ServiceDefinition, st: ServiceState, why: string): WoosooError {
  const said = lastOutput([st.stdoutLog ?? def.stdoutLog, st.stderrLog ?? def.stderrLog]);
  return new WoosooError('ServiceCrashLoop', `${def.name} does not stay up: ${why}.${said}`, {
    category: 'InvalidResult', target: def.name,
    fix: `Read ${def.stderrLog} and ${def.stdoutLog}, fix the cause, then Resume-WoosooService ${def.name} (retries at once) or Start-WoosooService.`,
  });
}

/**
 * Waits until the service is really running: the backend says Running, the process has stayed the same for the
 * throttle time (any backend: PM2's start returns before the app proved itself, and NSSM reports an application that
 * exits at once as running for a moment before it throttles it), and its port accepts connections.
 * `onUp` is called the first time it is Running with its port open (its dependents may start from then on).
 */
export async function waitRunning(set: ServiceSet, def: ServiceDefinition, ctx: ServiceContext, onUp?: () => void, upBefore = false): Promise<ServiceState> {
  const deadline = Date.now() + set.settings.startTimeoutMs;
  const stableMs = Math.min(set.settings.throttleMs, set.settings.startTimeoutMs / 2);
  let first: ServiceState | undefined;
  let since = 0;
  let why = 'it did not report Running';
  let wasUp = upBefore;
  let runningPid: number | undefined;
  for (;;) {
    const st = await stateOf(set, def);
    first ??= st;
    // Up, then Stopped with no stop sent: the service manager ended it (NSSM does when it cannot start the
    // application again; under Wine on a loaded machine it did so in the middle of a crash loop). Waiting out the
    // start timeout would only delay the same answer.
    if (st.status === 'Stopped' && wasUp) throw crashLoop(def, st, `${set.backend.name} reports it Stopped again: it ended while starting`);
    if (UP.includes(st.status)) wasUp = true;
    if (st.status === 'Throttled' || st.status === 'Failed') throw crashLoop(def, st, `${set.backend.name} reports it ${st.status === 'Failed' ? 'gave up restarting it' : 'is throttling restarts of an application that keeps exiting'}`);
    if (st.restarts !== undefined && first.restarts !== undefined && st.restarts > first.restarts) throw crashLoop(def, st, `it exited and was restarted ${st.restarts - first.restarts} time(s) while starting`);
    if (st.status === 'NotInstalled') throw notInstalled(def.name);
    if (st.status === 'Running') {
      // Two samples Running with different processes: the application exited and was started again in between
      // (NSSM may show the restart as StartPending, or not at all, between them).
      if (runningPid !== undefined && st.processId !== undefined && st.processId !== runningPid) {
        throw crashLoop(def, st, `its process changed from ${runningPid} to ${st.processId} while starting`);
      }
      runningPid = st.processId ?? runningPid;
      if (since === 0) since = Date.now();
      const stable = Date.now() - since >= stableMs;
      const portOk = def.readyPort === undefined || (await portOpen(def.readyPort));
      why = portOk ? `its process has not been up for ${stableMs} ms yet` : `port ${def.readyPort} does not accept connections`;
      if (portOk) onUp?.();
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
    await sleep(pollMs(set), ctx.signal);
  }
}

/** How long a stop may go without effect before it is sent again: a quarter of the stop timeout, at most 3 s. */
function resendMs(set: ServiceSet): number {
  return Math.max(pollMs(set), Math.min(3000, set.settings.stopTimeoutMs / 4));
}

/**
 * Stops the service and waits until the backend reports it down and (PM2, local pids) its process has exited.
 * While it still reports itself up past resendMs, the stop is sent again: NSSM can lose a stop that arrives while it
 * restarts a crash-looping application (a rollback's stop of a broken release, under Wine on a loaded machine: still
 * StartPending 60 s later), and a stop sent twice to a service on its way down changes nothing.
 */
async function stopAndWait(set: ServiceSet, def: ServiceDefinition, ctx: ServiceContext, pid?: number): Promise<ServiceState> {
  await set.backend.stop(def, set.settings);
  let sent = Date.now();
  const deadline = sent + set.settings.stopTimeoutMs;
  for (;;) {
    const st = await stateOf(set, def);
    const exited = pid === undefined || set.backend.name !== 'PM2' || !pidAlive(pid);
    if (GONE.includes(st.status) && exited) return st;
    if (Date.now() > deadline) {
      throw new WoosooError('ServiceStopTimeout', `${def.name} did not stop within ${set.settings.stopTimeoutMs / 1000} s (it is ${st.status}${exited ? '' : `, process ${pid} still running`}).`, {
        category: 'OperationTimeout', target: def.name, fix: 'Stop the process by hand (Stop-Process -Id <ProcessId>), or raise SERVICE_STOP_TIMEOUT_SECONDS.',
      });
    }
    if (UP.includes(st.status) && Date.now() - sent >= resendMs(set)) {
      ctx.log('verbose', `${def.name} is still ${st.status} after the stop: sending it again`);
      await set.backend.stop(def, set.settings);
      sent = Date.now();
      continue;
    }
    await sleep(pollMs(set), ctx.signal);
  }
}

type Step = (def: ServiceDefinition, st: ServiceState) => Promise<ServiceState>;

/** Runs a step per service, one after another in the given order, with progress; a failure is that service's error only. */
async function each(set: ServiceSet, defs: ServiceDefinition[], ctx: ServiceContext, activity: string, step: Step): Promise<Outcome> {
  const out: Outcome = { items: [], errors: [] };
  for (const [i, def] of defs.entries()) {
    ctx.progress({ activity, status: def.name, percent: (i / defs.length) * 100 });
    try {
      out.items.push(report(set, def, await step(def, await stateOf(set, def))));
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      out.errors.push(toItemError(err));
    }
  }
  ctx.progress({ activity, completed: true });
  return out;
}

/** A starting step: it calls `up` once the service runs with its port open, and returns once it proved stable. */
type StartStep = (def: ServiceDefinition, st: ServiceState, up: () => void) => Promise<ServiceState>;

function dependencyFailed(def: ServiceDefinition, dep: string, after?: 'stopped' | 'running'): WoosooError {
  const what = after === undefined ? `was not started because ${dep}, which it depends on, failed`
    : `came up, but ${dep}, which it depends on, failed after that; ${def.name} ${after === 'stopped' ? 'was stopped again' : 'is left running'}`;
  return new WoosooError('DependencyFailed', `${def.name} ${what}.`, {
    category: 'ResourceUnavailable', target: def.name, fix: `Fix ${dep} first (its error is above), then start ${def.name}.`,
  });
}

function deferred(): { promise: Promise<boolean>; resolve: (ok: boolean) => void } {
  let resolve!: (ok: boolean) => void;
  const promise = new Promise<boolean>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Runs a starting step for every service at once, each waiting only for the services it depends on (those earlier in
 * `defs`) to be up: a service whose dependency failed is not started. When a dependency fails its stability window
 * after a dependent started on it, the dependent is reported DependencyFailed too, and stopped again if this call
 * started it (the end state is the one a start one after another would leave). Results keep the order of `defs`.
 */
async function inDependencyOrder(set: ServiceSet, defs: ServiceDefinition[], ctx: ServiceContext, activity: string, step: StartStep): Promise<Outcome> {
  const up = new Map(defs.map((d) => [d.name, deferred()]));
  const done = new Map(defs.map((d) => [d.name, deferred()]));
  const results: (ServiceReport | ItemError)[] = [];
  let finished = 0;
  const position = new Map(defs.map((d, i) => [d.name, i]));
  const one = async (def: ServiceDefinition, index: number): Promise<void> => {
    const deps = def.dependsOn.filter((d) => (position.get(d) ?? Infinity) < index);
    try {
      const upOk = await Promise.all(deps.map((d) => up.get(d)!.promise));
      const early = deps.find((_, i) => !upOk[i]);
      if (early) throw dependencyFailed(def, early);
      ctx.progress({ activity, status: def.name, percent: (finished / defs.length) * 100 });
      const before = await stateOf(set, def);
      const st = await step(def, before, () => up.get(def.name)!.resolve(true));
      up.get(def.name)!.resolve(true);
      const doneOk = await Promise.all(deps.map((d) => done.get(d)!.promise));
      const late = deps.find((_, i) => !doneOk[i]);
      if (late) {
        // Started by this call: stop it again, as a start one after another would not have started it.
        if (before.status === 'Running') throw dependencyFailed(def, late, 'running');
        ctx.log('verbose', `Stopping ${def.name} again: ${late}, which it depends on, failed`);
        await stopAndWait(set, def, ctx, st.processId);
        throw dependencyFailed(def, late, 'stopped');
      }
      results[index] = report(set, def, st);
      done.get(def.name)!.resolve(true);
    } catch (err) {
      up.get(def.name)!.resolve(false);
      done.get(def.name)!.resolve(false);
      if (ctx.signal.aborted) throw err;
      results[index] = toItemError(err);
    } finally {
      finished++;
    }
  };
  await Promise.all(defs.map(one));
  ctx.progress({ activity, completed: true });
  return split(results);
}

/**
 * Runs a stopping step for every service at once, each once the services of the set that depend on it have been
 * dealt with (stopped, or failed to: the stop goes on, as one after another would). Results in reverse start order.
 */
async function inReverseDependencyOrder(set: ServiceSet, defs: ServiceDefinition[], ctx: ServiceContext, activity: string, step: Step): Promise<Outcome> {
  const over = new Map(defs.map((d) => [d.name, deferred()]));
  const results: (ServiceReport | ItemError)[] = [];
  let finished = 0;
  const one = async (def: ServiceDefinition, index: number): Promise<void> => {
    const dependents = defs.filter((d, i) => i > index && d.dependsOn.includes(def.name));
    try {
      await Promise.all(dependents.map((d) => over.get(d.name)!.promise));
      ctx.progress({ activity, status: def.name, percent: (finished / defs.length) * 100 });
      results[defs.length - 1 - index] = report(set, def, await step(def, await stateOf(set, def)));
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      results[defs.length - 1 - index] = toItemError(err);
    } finally {
      finished++;
      over.get(def.name)!.resolve(true);
    }
  };
  await Promise.all(defs.map(one));
  ctx.progress({ activity, completed: true });
  return split(results);
}

function split(results: (ServiceReport | ItemError)[]): Outcome {
  const isError = (r: ServiceReport | ItemError): r is ItemError => !('observedAt' in r);
  return { items: results.filter((r): r is ServiceReport => !isError(r)), errors: results.filter(isError) };
}

function requireInstalled(def: ServiceDefinition, st: ServiceState): void {
  if (st.status === 'NotInstalled') throw notInstalled(def.name);
}

function requireDefinable(def: ServiceDefinition): void {
  if (def.problem) throw def.problem;
}

type PrepareLogs = (def: ServiceDefinition) => Promise<void>;

/**
 * Runs a changer whose steps rotate (PM2) and prune each service's logs before it writes them again, then says once
 * what retention did — also that nothing was due: a retention run is never silent.
 */
async function withLogRetention(set: ServiceSet, ctx: ServiceContext, body: (prepare: PrepareLogs) => Promise<Outcome>): Promise<Outcome> {
  const deleted: string[] = [];
  let ran = false;
  const out = await body(async (def) => {
    ensureLogDirs(def);
    const r = maintainLogs(def, set.settings, set.backend.rotatesLogs);
    ran = true;
    deleted.push(...r.deleted);
    for (const f of r.deleted) ctx.log('verbose', `Deleted rotated log ${f} (retention)`);
    if (r.rotated && set.backend.reopenLogs) await set.backend.reopenLogs([def]);
  });
  if (ran) ctx.log('info', retentionSummary(set.settings, deleted));
  return out;
}

export async function queryServices(set: ServiceSet): Promise<Outcome> {
  const states = await set.backend.query(set.defs);
  const now = new Date();
  return { items: set.defs.map((d, i) => report(set, d, states[i], now)), errors: [] };
}

export function startAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return withLogRetention(set, ctx, (prepareLogs) => inDependencyOrder(set, set.defs, ctx, 'Starting services', async (def, st, up) => {
    requireInstalled(def, st);
    if (st.status === 'Running') return st;
    requireDefinable(def);
    await prepareLogs(def);
    ctx.log('verbose', `Starting ${def.name} (${set.backend.name})`);
    await set.backend.start(def, set.settings);
    return waitRunning(set, def, ctx, up);
  }));
}

export function stopAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return inReverseDependencyOrder(set, set.defs, ctx, 'Stopping services', async (def, st) => {
    if (GONE.includes(st.status)) return st;
    ctx.log('verbose', `Stopping ${def.name} (${set.backend.name})`);
    return stopAndWait(set, def, ctx, st.processId);
  });
}

export function restartAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return withLogRetention(set, ctx, (prepareLogs) => inDependencyOrder(set, set.defs, ctx, 'Restarting services', async (def, st, up) => {
    requireInstalled(def, st);
    requireDefinable(def);
    await prepareLogs(def);
    ctx.log('verbose', `Restarting ${def.name} (${set.backend.name})`);
    if (st.status === 'Running') await set.backend.restart(def, set.settings);
    else await set.backend.start(def, set.settings);
    return waitRunning(set, def, ctx, up);
  }));
}

export function suspendAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return each(set, [...set.defs].reverse(), ctx, 'Suspending services', async (def, st) => {
    requireInstalled(def, st);
    await set.backend.pause(def);
    return stateOf(set, def);
  });
}

export function resumeAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return inDependencyOrder(set, set.defs, ctx, 'Resuming services', async (def, st, up) => {
    requireInstalled(def, st);
    if (st.status === 'Running') return st;
    if (st.status === 'Stopped') {
      throw new WoosooError('ServiceNotSuspended', `${def.name} is Stopped, not suspended or throttled: there is nothing to resume.`, {
        category: 'InvalidOperation', target: def.name, fix: `Start it: Start-WoosooService ${def.name}`,
      });
    }
    ctx.log('verbose', `Resuming ${def.name}: restarting the throttled application now`);
    await set.backend.resume(def, set.settings);
    return waitRunning(set, def, ctx, up, UP.includes(st.status));
  });
}

export function installAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return withLogRetention(set, ctx, (prepareLogs) => each(set, set.defs, ctx, 'Installing services', async (def) => {
    requireDefinable(def);
    await prepareLogs(def);
    const how = await set.backend.install(def, set.settings);
    ctx.log('info', `${how} ${def.name} (${set.backend.name}): ${def.application} ${def.arguments.join(' ')}`);
    return stateOf(set, def);
  }));
}

export function uninstallAll(set: ServiceSet, ctx: ServiceContext): Promise<Outcome> {
  return each(set, [...set.defs].reverse(), ctx, 'Uninstalling services', async (def, st) => {
    if (st.status === 'NotInstalled') return st;
    if (!GONE.includes(st.status)) {
      await stopAndWait(set, def, ctx, st.processId);
    }
    await set.backend.remove(def);
    ctx.log('info', `Removed ${def.name} (${set.backend.name}); its logs in ${def.stdoutLog} are kept`);
    return { name: def.name, status: 'NotInstalled' as const };
  });
}
