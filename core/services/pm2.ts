/**
 * The PM2 backend (Linux/macOS hosts, developer machines, the demo): the pm2 CLI through run(), `jlist` JSON, a
 * project-local short PM2_HOME and a clean environment for the daemon (apps inherit the daemon's environment, so the
 * session's secrets must not be in it). A service is "installed" when its process file exists
 * (<project>/.woosoo/pm2/<name>.json); PM2 has no installed-but-never-started state of its own.
 *
 * State checks and stop/restart/reset of a loaded app go to the daemon's RPC socket (./pm2rpc.ts: the messages the pm2
 * CLI sends, without starting node + pm2 for each); the CLI stays the fallback when the socket is absent or refuses,
 * and does what needs its own logic (starting from a process file, delete, kill).
 *
 * PM2 is not an honest source of truth on its own: `pm2 start` exits 0 for an app that dies at once; an app in a crash
 * loop shows `waiting restart` (pid 0); `pm_uptime` is the epoch-ms of the last start. So: pid 0 is down, a crash loop
 * is Throttled (Failed once PM2 gave up), and readiness is checked by the caller (process, port, stability).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { ProjectConfig } from '../config';
import { WoosooError } from '../kernel/errors';
import { run, type RunResult } from '../process/run';
import { notInstalled } from './errors';
import pLimit from 'p-limit';
import { pm2Call, Pm2RpcError, pm2RpcSocket, Pm2RpcTimeout, Pm2RpcUnavailable } from './pm2rpc';
import { DEFAULT_SETTINGS, type ServiceBackend, type ServiceDefinition, type ServiceSettings, type ServiceState, type ServiceStatus } from './types';
import { describeMiss, locateTool, moduleRoot, toolQuery, type ToolQuery } from '../process/locate';
import { livePidFrom } from '../process/pid';
import { nodeExecutable } from '../process/node';

const CALL_TIMEOUT_MS = 60_000;
/** PM2 gives up after this many restarts that each ran shorter than min_uptime (SERVICE_THROTTLE_MS). */
export const PM2_MAX_RESTARTS = 10;
const REMARKS = 'PM2: no start at boot unless you run `pm2 startup` and `pm2 save`; no pause; logs rotated by Woosoo at install/start.';
/** Variables the daemon (and so every app) may inherit from the session; everything else is left out. */
const KEEP_ENV = ['PATH', 'Path', 'HOME', 'USERPROFILE', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TEMP', 'TMP',
  'SystemRoot', 'SYSTEMROOT', 'windir', 'ComSpec', 'PATHEXT', 'APPDATA', 'LOCALAPPDATA', 'HOMEDRIVE', 'HOMEPATH'];


/** PM2_HOME for a project: <project>/.pm2 when its socket paths stay short (< 108 bytes), else /tmp/woosoo-pm2-<hash>. */
export function pm2Home(projectDir: string): string {
  const local = join(projectDir, '.pm2');
  if (process.platform === 'win32' || Buffer.byteLength(join(local, 'pub.sock')) < 100) return local;
  return join('/tmp', `woosoo-pm2-${createHash('sha256').update(projectDir).digest('hex').slice(0, 12)}`);
}

/** The pm2 CLI: PM2_PATH → the pm2 shipped in Woosoo's node_modules → pm2 on PATH. */
export function locatePm2(cfg: ProjectConfig, env: Record<string, string>): string {
  // 'exists': the pm2 CLI is a script that node runs; the one shipped in Woosoo's node_modules comes first.
  const shipped = join(moduleRoot(), 'node_modules', 'pm2', 'bin', 'pm2');
  const query: ToolQuery = { ...toolQuery(cfg, 'PM2_PATH', ['pm2']), dirs: [dirname(shipped)], check: 'exists' };
  const found = locateTool(query, env);
  if (found.path !== null) return found.path;
  if (found.configured) throw pm2NotFound(`${describeMiss(query, found)} (in ${cfg.location.file}).`);
  throw pm2NotFound(`PM2 was not found: PM2_PATH is empty, ${shipped} does not exist and pm2 is not on PATH.`);
}

function pm2NotFound(message: string): WoosooError {
  return new WoosooError('Pm2NotFound', message, {
    category: 'NotInstalled', target: 'pm2', fix: 'Run npm ci in the Woosoo folder, install pm2 (npm install -g pm2), or set PM2_PATH.',
  });
}

export interface Pm2Options {
  /** The pm2 CLI script (run with node) or executable. */
  pm2: string;
  home: string;
  projectDir: string;
  /** The session's environment: only KEEP_ENV of it is passed on. */
  env: Record<string, string>;
  signal?: AbortSignal;
  /** The daemon's RPC socket (default: where PM2 puts it for this home); false: always the CLI. A test seam. */
  rpcSocket?: string | false;
}

interface Pm2Entry {
  name: string;
  pid: number;
  pm2_env: {
    pm_id?: number; status: string; pm_uptime?: number; restart_time?: number; unstable_restarts?: number; exit_code?: number;
    pm_exec_path?: string; args?: string[] | string; pm_cwd?: string; pm_out_log_path?: string; pm_err_log_path?: string;
  };
}

/** PM2's status word and pid → the Woosoo status (pid 0 is down whatever PM2 says). */
export function pm2Status(entry: Pm2Entry): ServiceStatus {
  const env = entry.pm2_env;
  switch (env.status) {
    case 'online': return entry.pid > 0 ? 'Running' : 'Throttled';
    case 'launching': return 'StartPending';
    case 'stopping': return 'StopPending';
    case 'stopped': case 'one-launch-status': return 'Stopped';
    case 'errored': return 'Failed';
    case 'waiting restart': return (env.unstable_restarts ?? 0) >= PM2_MAX_RESTARTS ? 'Failed' : 'Throttled';
    default: return 'StartPending';
  }
}

export class Pm2Backend implements ServiceBackend {
  readonly name = 'PM2' as const;
  readonly rotatesLogs = true;
  private readonly env: Record<string, string>;
  /** The last list, for "is it registered?" checks right after a query (a pm2 CLI call costs ~0.4 s). */
  private last?: { at: number; entries: Pm2Entry[] };
  private inflight?: Promise<Pm2Entry[]>;
  private generation = 0;
  /** The daemon's RPC socket, or undefined when every call goes through the CLI. */
  private readonly socket?: string;
  /** How the last query reached the daemon: over its socket (a few ms) or through the CLI (a node + pm2 start). */
  transport: 'rpc' | 'cli' = 'rpc';
  private readonly oneCli = pLimit(1);

  constructor(private readonly opts: Pm2Options) {
    const env: Record<string, string> = {};
    for (const k of KEEP_ENV) if (opts.env[k] !== undefined) env[k] = opts.env[k];
    Object.assign(env, { PM2_HOME: opts.home, PM2_DISABLE_VERSION_CHECK: 'true', PM2_SILENT: 'true', FORCE_COLOR: '0', NO_COLOR: '1' });
    this.env = env;
    this.socket = opts.rpcSocket === false ? undefined : opts.rpcSocket ?? pm2RpcSocket(opts.home);
  }

  /** Polling interval for the caller's waits: short when a query is a socket round trip, not a process start. */
  pollMs(): number {
    return this.transport === 'rpc' && this.socket ? 100 : 250;
  }

  /**
   * One daemon method over the socket; undefined when the socket cannot be used and the request never reached the
   * daemon (or `readOnly`: any broken connection), so the caller does it with the CLI.
   */
  private async rpc(method: string, args: unknown[], target: string, timeoutMs = CALL_TIMEOUT_MS, readOnly = false): Promise<unknown[] | undefined> {
    if (!this.socket) return undefined;
    try {
      const r = await pm2Call(this.socket, method, args, { timeoutMs, signal: this.opts.signal });
      this.transport = 'rpc';
      return r;
    } catch (e) {
      if (e instanceof Pm2RpcUnavailable && (readOnly || !e.sent)) {
        this.transport = 'cli';
        return undefined;
      }
      if (e instanceof Pm2RpcTimeout) {
        throw new WoosooError('Pm2Timeout', `PM2 did not answer ${method} for ${target} within ${Math.round(timeoutMs / 1000)} s.`, {
          category: 'OperationTimeout', target,
          fix: `The PM2 daemon in ${this.opts.home} may hang: end it with "pm2 kill" (PM2_HOME=${this.opts.home}) and run the command again.`,
        });
      }
      if (e instanceof Pm2RpcError || e instanceof Pm2RpcUnavailable) {
        throw new WoosooError('Pm2Failed', `PM2 ${method} for ${target} failed: ${e.message}`, {
          category: 'InvalidResult', target, fix: `Look at ${join(this.opts.home, 'pm2.log')}, or run pm2 with PM2_HOME=${this.opts.home}.`,
        });
      }
      throw e;
    }
  }

  get home(): string {
    return this.opts.home;
  }

  processFile(name: string): string {
    return join(this.opts.projectDir, '.woosoo', 'pm2', `${name}.json`);
  }

  async call(args: string[], timeoutMs = CALL_TIMEOUT_MS): Promise<RunResult> {
    const { pm2, signal } = this.opts;
    const viaNode = /\.(c?js)$/i.test(pm2) || /[\\/]pm2[\\/]bin[\\/]pm2$/.test(pm2);
    const r = await run(viaNode ? nodeExecutable(this.opts.env, `the pm2 CLI (${pm2})`) : pm2, viaNode ? [pm2, ...args] : args, { env: this.env, signal, timeoutMs, cwd: this.opts.projectDir });
    if (r.cancelled) throw signal?.reason ?? new WoosooError('Cancelled', 'Cancelled.', { category: 'OperationStopped' });
    if (r.notFound) throw pm2NotFound(`${pm2} could not be started: ${r.spawnError}`);
    if (r.timedOut) {
      throw new WoosooError('Pm2Timeout', `pm2 ${args[0]} did not answer within ${Math.round(timeoutMs / 1000)} s.`, {
        category: 'OperationTimeout', target: args[1] ?? 'pm2',
        fix: `The PM2 daemon in ${this.opts.home} may hang: end it with "pm2 kill" (PM2_HOME=${this.opts.home}) and run the command again.`,
      });
    }
    return r;
  }

  private async must(args: string[], name: string, timeoutMs?: number): Promise<void> {
    this.changed();
    // One changing CLI call at a time: services start concurrently, and concurrent CLIs with no daemon yet would each
    // launch one. (Over the socket the daemon serialises the calls itself.)
    const r = await this.oneCli(() => this.call(args, timeoutMs));
    this.changed();
    if (r.exitCode !== 0) {
      throw new WoosooError('Pm2Failed', `pm2 ${args[0]} for service ${name} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`, {
        category: 'InvalidResult', target: name, fix: `Run "${r.display}" with PM2_HOME=${this.opts.home} to see PM2's full output.`,
      });
    }
  }

  /** Whether this PM2_HOME's daemon runs (every pm2 CLI call would start one: a query must not). */
  daemonRunning(): boolean {
    return livePidFrom(join(this.opts.home, 'pm2.pid')) !== null;
  }

  /**
   * The daemon's list. Concurrent waits share the query in flight; a change of ours ends the sharing, so a query
   * asked after a change sees its effect (and a list fetched across a change is not remembered).
   */
  list(): Promise<Pm2Entry[]> {
    if (!this.inflight) {
      const gen = this.generation;
      const p = this.fetchList().then((entries) => {
        if (gen === this.generation) this.last = { at: Date.now(), entries };
        return entries;
      }).finally(() => {
        if (this.inflight === p) this.inflight = undefined;
      });
      this.inflight = p;
    }
    return this.inflight;
  }

  /** Called around every change: forgets the last list and the query in flight. */
  private changed(): void {
    this.generation++;
    this.last = undefined;
    this.inflight = undefined;
  }

  private async fetchList(): Promise<Pm2Entry[]> {
    if (!this.daemonRunning()) return [];
    const viaSocket = await this.rpc('getMonitorData', [{}], 'pm2', CALL_TIMEOUT_MS, true);
    if (viaSocket && Array.isArray(viaSocket[0])) return viaSocket[0] as Pm2Entry[];
    this.transport = 'cli';
    const r = await this.call(['jlist']);
    const line = r.stdout.split('\n').find((l) => l.trimStart().startsWith('['));
    if (r.exitCode !== 0 || line === undefined) {
      throw new WoosooError('Pm2Failed', `pm2 jlist failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().slice(0, 300)}`, {
        category: 'InvalidResult', target: 'pm2', fix: `Check the PM2 daemon: pm2 ping with PM2_HOME=${this.opts.home}.`,
      });
    }
    return JSON.parse(line) as Pm2Entry[];
  }

  async query(defs: readonly ServiceDefinition[]): Promise<ServiceState[]> {
    const entries = await this.list();
    return defs.map((d) => {
      const e = entries.find((x) => x.name === d.name);
      if (!e) {
        if (!existsSync(this.processFile(d.name))) return { name: d.name, status: 'NotInstalled' as const };
        return { name: d.name, status: 'Stopped' as const, startType: 'Manual', remarks: `Not loaded in PM2; starts from ${this.processFile(d.name)}. ${REMARKS}` };
      }
      const env = e.pm2_env;
      const status = pm2Status(e);
      const running = status === 'Running';
      return {
        name: d.name, status, startType: 'Manual', processId: running ? e.pid : undefined,
        startedAt: running && env.pm_uptime ? new Date(env.pm_uptime) : undefined,
        restarts: env.restart_time, lastExitCode: typeof env.exit_code === 'number' ? env.exit_code : undefined,
        application: env.pm_exec_path, arguments: Array.isArray(env.args) ? env.args.join(' ') : env.args,
        workingDirectory: env.pm_cwd, stdoutLog: env.pm_out_log_path, stderrLog: env.pm_err_log_path, remarks: REMARKS,
      };
    });
  }

  private writeProcessFile(def: ServiceDefinition, settings: ServiceSettings): void {
    const app = {
      name: def.name, script: def.application, args: def.arguments, cwd: def.workingDirectory, interpreter: 'none',
      exec_mode: 'fork', out_file: def.stdoutLog, error_file: def.stderrLog, merge_logs: true, time: false,
      autorestart: true, min_uptime: settings.throttleMs, max_restarts: PM2_MAX_RESTARTS,
      exp_backoff_restart_delay: Math.max(100, settings.throttleMs), kill_timeout: Math.min(settings.stopTimeoutMs, 10_000),
      watch: false, vizion: false, pmx: false, automation: false, windowsHide: true, env: def.env ?? {},
    };
    const file = this.processFile(def.name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ apps: [app] }, null, 2)}\n`);
  }

  async install(def: ServiceDefinition, settings: ServiceSettings = DEFAULT_SETTINGS): Promise<'Installed' | 'Updated'> {
    const existed = existsSync(this.processFile(def.name));
    const entry = (await this.list()).find((e) => e.name === def.name);
    this.writeProcessFile(def, settings);
    if (!entry) return existed ? 'Updated' : 'Installed';
    // PM2 keeps the old script, args and cwd on restart: reload the process file so the definition takes effect.
    const wasUp = pm2Status(entry) !== 'Stopped';
    // Over the daemon's RPC when it answers (no CLI start: a blue/green deploy reinstalls a colour's services each time).
    if (!(await this.operate('delete', def.name, CALL_TIMEOUT_MS))) await this.must(['delete', def.name], def.name);
    if (wasUp) await this.must(['start', this.processFile(def.name)], def.name);
    return 'Updated';
  }

  /** Registered in PM2? Answered from a list at most 2 s old that no change of ours has made stale. */
  private async registered(name: string): Promise<boolean> {
    const entries = this.last && Date.now() - this.last.at < 2000 ? this.last.entries : await this.list();
    return entries.some((e) => e.name === name);
  }

  /**
   * `pm2 stop|restart|reset <name>` over the socket: the same daemon calls, in the same order, with the same arguments
   * as the CLI sends them (read from the wire: stopWatch + stopProcessId + notify; restartProcessId with the CLI's
   * current_conf + notify; resetMetaProcessId). The daemon answers a stop once the process tree has exited (or
   * kill_timeout passed). False when the socket cannot be used: the caller runs the CLI.
   */
  private async operate(verb: 'stop' | 'restart' | 'reset' | 'delete', name: string, timeoutMs: number): Promise<boolean> {
    if (!this.socket) return false;
    const entries = await this.list();
    const ids = entries.filter((e) => e.name === name).map((e) => e.pm2_env.pm_id).filter((id): id is number => typeof id === 'number');
    if (this.transport !== 'rpc' || ids.length === 0) return false;
    this.changed();
    try {
      for (const id of ids) {
        if ((verb === 'stop' || verb === 'delete') && !(await this.rpc('stopWatch', [verb === 'stop' ? 'stopProcessId' : 'deleteProcessId', id], name))) return false;
        const [method, arg] = verb === 'stop' ? ['stopProcessId', id] : verb === 'delete' ? ['deleteProcessId', id] : verb === 'reset' ? ['resetMetaProcessId', id] : ['restartProcessId', { id, env: { current_conf: cliConf() } }];
        if (!(await this.rpc(method, [arg], name, timeoutMs))) return false;
        if (verb !== 'reset') await this.rpc('notifyByProcessId', [{ id, action_name: verb, manually: true }], name).catch(() => undefined);
      }
    } finally {
      this.changed();
    }
    return true;
  }

  async start(def: ServiceDefinition, _settings?: ServiceSettings): Promise<void> {
    if (await this.registered(def.name)) {
      if (await this.operate('restart', def.name, CALL_TIMEOUT_MS)) return;
      return this.must(['restart', def.name], def.name);
    }
    if (!existsSync(this.processFile(def.name))) throw notInstalled(def.name);
    return this.must(['start', this.processFile(def.name)], def.name);
  }

  async stop(def: ServiceDefinition, settings: ServiceSettings): Promise<void> {
    if (!(await this.registered(def.name))) return;
    const timeoutMs = settings.stopTimeoutMs + 10_000;
    if (!(await this.operate('stop', def.name, timeoutMs))) await this.must(['stop', def.name], def.name, timeoutMs);
  }

  restart(def: ServiceDefinition, _settings?: ServiceSettings): Promise<void> {
    return this.start(def);
  }

  async pause(def: ServiceDefinition): Promise<void> {
    throw new WoosooError('PauseNotSupported', `${def.name} cannot be paused: PM2 has no pause (only stop and start).`, {
      category: 'NotImplemented', target: def.name,
      fix: 'Stop it with Stop-WoosooService instead. A service shown as Throttled is crash-looping: Resume-WoosooService retries it at once.',
    });
  }

  async resume(def: ServiceDefinition, _settings?: ServiceSettings): Promise<void> {
    // A crash-looping app: clear PM2's restart counters (so it is not given up on) and restart it now.
    if (await this.registered(def.name) && !(await this.operate('reset', def.name, CALL_TIMEOUT_MS))) await this.must(['reset', def.name], def.name);
    return this.start(def);
  }

  async remove(def: ServiceDefinition): Promise<void> {
    if (await this.registered(def.name)) await this.must(['delete', def.name], def.name);
    rmSync(this.processFile(def.name), { force: true });
  }

  async reopenLogs(): Promise<void> {
    if (this.daemonRunning() && (await this.rpc('reloadLogs', [{}], 'pm2'))) return;
    await this.call(['reloadLogs']);
  }
}

/**
 * What `pm2 restart <name>` sends as env.current_conf (PM2 7, no options given); the daemon merges it into the app's
 * pm2_env. Captured from the CLI's own request; the CLI also adds an empty object under the app's name, which the
 * daemon's merge skips.
 */
function cliConf(): Record<string, unknown> {
  let username = '';
  try {
    username = userInfo().username;
  } catch {
    /* no passwd entry: PM2 falls back to the environment */
  }
  if (username === '') username = process.env.USER ?? process.env.LNAME ?? process.env.USERNAME ?? process.env.SUDO_USER ?? process.env.LOGNAME ?? '';
  return { filter_env: [], env: {}, merge_logs: true, instance_var: 'NODE_APP_INSTANCE', username, windowsHide: true, kill_retry_time: 100, km_link: false };
}

/** For tests and clean-up: the daemon of this PM2_HOME, ended with the CLI's `pm2 kill`. */
export async function killPm2(backend: Pm2Backend): Promise<void> {
  if (backend.daemonRunning()) await backend.call(['kill'], 30_000);
}
