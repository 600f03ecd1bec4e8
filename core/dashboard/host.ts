/**
 * The dashboard host: the engine run as `woosoo-engine --dashboard <options.json>` (core/main.ts loads this module
 * only in that mode). It reads its options (core/dashboard/hostplan.ts), plans them against the project (loopback, or
 * HTTPS with the project's certificate and -AllowRemote), builds the server (server.ts) with the engine's methods,
 * listens, and only then writes the state file .woosoo/dashboard.json; it removes that file when it stops (SIGTERM,
 * SIGINT, exit). Its log is logs/woosoo/dashboard.log: starts, stops and failures, never a secret. A failure to start
 * (bad options, no certificate, port in use) is one error line on stderr (hostErrorLine) for dashboard.start to report,
 * and exit code 1.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadProject } from '../config';
import { idleCollector } from '../kernel/idlegc';
import { WoosooError } from '../kernel/errors';
import type { CallObserver } from '../kernel/run';
import { redact } from '../util/redact';
import type { ResolveMethod } from './invoke';
import { hostErrorLine, logFile, planHost, readHostOptions, removeOwnState, stateFile, writeJsonAtomic, type HostOptions, type HostPlan, type HostState } from './hostplan';
import { buildDashboard } from './server';

/** One line of the dashboard's log (never fails the host). */
export function hostLog(projectDir: string, message: string): void {
  try {
    const file = logFile(projectDir);
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${new Date().toISOString()} [${process.pid}] ${redact(message).replace(/[\r\n]+/g, ' ')}\n`);
  } catch {
    /* a log that cannot be written does not stop the dashboard */
  }
}

/** The plan of an options file, against the project's configuration as the host's environment reads it. */
export function planFromOptions(o: HostOptions, env: Record<string, string>): HostPlan {
  const cfg = loadProject({ path: o.projectDir, environment: o.environment }, { env, cwd: o.projectDir });
  return planHost({ ...o, projectDir: cfg.projectDir, environment: o.environment ?? cfg.environment }, cfg);
}

function listenError(err: NodeJS.ErrnoException, plan: HostPlan): WoosooError {
  const where = `${plan.bindAddress} port ${plan.port}`;
  if (err.code === 'EADDRINUSE') {
    return new WoosooError('DashboardPortInUse', `The dashboard cannot listen on ${where}: another program (or another dashboard) already uses that port.`, {
      category: 'ResourceBusy', target: String(plan.port), fix: 'Choose another port with -Port, or stop the program on that port (Get-WoosooDashboard shows a dashboard of this project).',
    });
  }
  if (err.code === 'EADDRNOTAVAIL') {
    return new WoosooError('DashboardBadAddress', `The dashboard cannot listen on ${where}: that address is not one of this machine's.`, {
      category: 'InvalidArgument', target: plan.bindAddress, fix: 'Give an address of this machine (ipconfig / ip addr), or 127.0.0.1.',
    });
  }
  if (err.code === 'EACCES') {
    return new WoosooError('DashboardPortDenied', `The dashboard may not listen on ${where}: ports below 1024 need administrator rights.`, {
      category: 'PermissionDenied', target: String(plan.port), fix: 'Choose a port above 1024 with -Port (the default is 8080).',
    });
  }
  return new WoosooError('DashboardListenFailed', `The dashboard cannot listen on ${where}: ${err.message}`, { category: 'ResourceUnavailable', target: where });
}

/** A running host: its state and how to stop it (the signals call stop; tests call it directly). */
export interface RunningHost {
  state: HostState;
  stop: () => Promise<void>;
}

/** Plans, builds, listens, writes the state file. Throws a WoosooError (nothing written) when it cannot. */
export async function startHost(
  o: HostOptions, resolve: ResolveMethod, env: Record<string, string> = process.env as Record<string, string>,
  more: { onCallEnd?: CallObserver; optionsFile?: string; onQuiet?: () => void } = {},
): Promise<RunningHost> {
  const { onCallEnd, optionsFile, onQuiet } = more;
  const plan = planFromOptions(o, env);
  const https = plan.https ? { cert: readFileSync(plan.https.cert), key: readFileSync(plan.https.key) } : undefined;
  const app = await buildDashboard({
    projectDir: plan.projectDir, environment: plan.environment, secure: https !== undefined, resolve, hosts: plan.hosts, https,
    session: { env: { ...env }, cwd: plan.projectDir }, onCallEnd,
  });
  if (onQuiet) {
    // Work ends with a response, or with a live socket's close (the upgraded connection's end).
    app.addHook('onResponse', async () => onQuiet());
    app.server.on('upgrade', (_req, socket: import('node:stream').Duplex) => socket.once('close', onQuiet));
  }
  try {
    await app.listen({ port: plan.port, host: plan.bindAddress });
  } catch (err) {
    await app.close();
    throw listenError(err as NodeJS.ErrnoException, plan);
  }
  const state: HostState = {
    pid: process.pid, url: plan.url, port: plan.port, bindAddress: plan.bindAddress, https: https !== undefined,
    environment: plan.environment ?? null, startedAt: new Date().toISOString(), projectDir: plan.projectDir,
    ...(optionsFile ? { optionsFile } : {}),
  };
  writeJsonAtomic(stateFile(plan.projectDir), state);
  hostLog(plan.projectDir, `started: ${plan.url} (bind ${plan.bindAddress}, ${https ? 'HTTPS' : 'HTTP'}, environment ${plan.environment ?? 'none'})`);
  let stopped = false;
  return {
    state,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      removeOwnState(plan.projectDir);
      await app.close();
      hostLog(plan.projectDir, 'stopped');
    },
  };
}

/**
 * `--dashboard <options.json>`: runs until SIGTERM/SIGINT; a failure to start is an error line on stderr and exit 1.
 * `onCallEnd` gets each method call a route ran (main.ts passes the engine's log).
 */
export async function runHost(file: string | undefined, resolve: ResolveMethod, onCallEnd?: CallObserver): Promise<void> {
  let projectDir: string | undefined;
  try {
    if (!file) throw new WoosooError('DashboardOptionsInvalid', 'The engine was started with --dashboard and no options file.', { category: 'InvalidArgument' });
    const o = readHostOptions(file);
    projectDir = o.projectDir;
    // A process of its own, idle most of its life: kept small as the RPC engine is (core/kernel/idlegc.ts).
    const quiet = idleCollector();
    const host = await startHost(o, resolve, process.env as Record<string, string>, { onCallEnd, optionsFile: file, onQuiet: quiet });
    quiet(); // the start-up's garbage too
    projectDir = host.state.projectDir;
    const end = (why: string) => {
      hostLog(host.state.projectDir, `stopping (${why})`);
      void host.stop().finally(() => process.exit(0));
      setTimeout(() => process.exit(0), 3000).unref();
    };
    process.on('SIGTERM', () => end('SIGTERM'));
    process.on('SIGINT', () => end('SIGINT'));
    process.on('SIGHUP', () => end('SIGHUP'));
    process.on('exit', () => removeOwnState(host.state.projectDir));
  } catch (err) {
    const e = err instanceof WoosooError ? err : new WoosooError('DashboardFailed', `The dashboard failed to start: ${(err as Error).message}`, { category: 'NotSpecified' });
    if (projectDir) hostLog(projectDir, `failed to start: ${e.errorId}: ${e.message}`);
    process.stderr.write(`${redact(hostErrorLine(e))}\n`);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100).unref();
  }
}
