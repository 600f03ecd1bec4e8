/**
 * The NSSM backend: Windows services through nssm.exe (2.23 or 2.24). Every call goes through run() with a timeout;
 * the forms that open a dialog and never return headless (install without an application, remove without confirm,
 * edit, set with an empty value, unknown verbs) are never issued. Decisions come from exit codes and queried state,
 * never from message wording (which partly comes from Windows or Wine).
 *
 * Test seam (not a fake: the real nssm.exe runs): WOOSOO_NSSM_LAUNCHER in the session's environment names a program
 * that runs nssm.exe — `wine` on Linux — so the same code runs under Wine. With a launcher, absolute POSIX paths are
 * given to NSSM as Z:\ paths (Wine's mapping of /) and read back the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import { WoosooError } from '../kernel/errors';
import { run, type RunResult } from '../process/run';
import { quoteWindowsArg } from '../process/quote';
import { describeMiss, locateTool, toolQuery, type ToolQuery } from '../process/locate';
import { notInstalled } from './errors';
import pLimit from 'p-limit';
import type { ServiceBackend, ServiceDefinition, ServiceSettings, ServiceState, ServiceStatus } from './types';

const STATUS: Record<string, ServiceStatus> = {
  SERVICE_RUNNING: 'Running',
  SERVICE_STOPPED: 'Stopped',
  // NSSM does not implement pause: SERVICE_PAUSED means it is throttling an application that keeps exiting.
  SERVICE_PAUSED: 'Throttled',
  SERVICE_START_PENDING: 'StartPending',
  SERVICE_CONTINUE_PENDING: 'StartPending',
  SERVICE_STOP_PENDING: 'StopPending',
  SERVICE_PAUSE_PENDING: 'StopPending',
};
const EXIT_NOT_INSTALLED = 3;
const EXIT_EXISTS = 5;
const CALL_TIMEOUT_MS = 30_000;
const REMARKS = 'NSSM does not report start time, restart count or last exit code (see the Windows event log).';
const REMARKS_223 = ' NSSM before 2.24 cannot list the process id.';

export interface NssmOptions {
  exe: string;
  env: Record<string, string>;
  signal?: AbortSignal;
  /** A program that runs nssm.exe (wine): the test seam described above. */
  launcher?: string;
  /** How long a plain nssm call (status, get, set, install) may take; 30 s unless set. A test under Wine on a busy
   * machine sets more: a cold `wine nssm.exe` among six others can take longer than nssm ever does on Windows. */
  callTimeoutMs?: number;
}

/** Finds nssm.exe: NSSM_PATH → bin/nssm/win64|win32/nssm.exe (project, then Woosoo's folder) → PATH. */
export function locateNssm(cfg: ProjectConfig, env: Record<string, string>, moduleRoot: string): string {
  const is64 = process.arch === 'x64' || process.arch === 'arm64' || env.PROCESSOR_ARCHITEW6432 !== undefined;
  const arch = is64 ? 'win64' : 'win32';
  // 'exists': on Linux the tests hand nssm.exe to a launcher (wine), so it need not be executable here.
  const dirs = [cfg.projectDir, moduleRoot].map((root) => join(root, 'bin', 'nssm', arch));
  const query: ToolQuery = { ...toolQuery(cfg, 'NSSM_PATH', ['nssm.exe', 'nssm']), dirs, check: 'exists' };
  const found = locateTool(query, env);
  if (found.path !== null) return found.path;
  if (found.configured) throw notFound(`${describeMiss(query, found)} (in ${cfg.location.file}).`, found.configured.resolved);
  throw notFound(`NSSM was not found: NSSM_PATH is empty, there is no bin\\nssm\\${arch}\\nssm.exe in ${cfg.projectDir} or ${moduleRoot}, and nssm is not on PATH.`, 'nssm');
}

function notFound(message: string, target: string): WoosooError {
  return new WoosooError('NssmNotFound', message, {
    category: 'NotInstalled', target,
    fix: 'Download NSSM 2.24 (nssm.cc), put nssm.exe in bin\\nssm\\win64\\ of the project, or set NSSM_PATH to its full path.',
  });
}

/** `nssm processes` output: the service's process tree, NSSM first; children are indented one more space per level. */
export function parseProcesses(text: string): { pid: number; depth: number; image: string }[] {
  const out: { pid: number; depth: number; image: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+) (\s*)(\S.*)$/.exec(line);
    if (m) out.push({ pid: Number(m[1]), depth: m[2].length, image: m[3].trim() });
  }
  return out;
}

const versions = new Map<string, string>();

/**
 * NSSM's version from the FileVersion resource of the exe ("2.23", "2.24-101-g897c7ad"); '' when unreadable. Asking
 * nssm itself is not an option: 2.23's `version` opens a dialog, and so does any verb it does not know (`processes`).
 */
export function nssmVersion(exe: string): string {
  let v = versions.get(exe);
  if (v === undefined) {
    try {
      const text = readFileSync(exe).toString('utf16le');
      v = /FileVersion\0+([0-9][0-9A-Za-z.\-]*)/.exec(text)?.[1] ?? '';
    } catch {
      v = '';
    }
    versions.set(exe, v);
  }
  return v;
}

/** `nssm processes` exists from 2.24 on. */
function hasProcessesVerb(version: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m !== null && (Number(m[1]) > 2 || (Number(m[1]) === 2 && Number(m[2]) >= 24));
}

export class NssmBackend implements ServiceBackend {
  readonly name = 'NSSM' as const;
  readonly rotatesLogs = false;
  /** Queries run in parallel, but not 30 Wine (or nssm) processes at once on two cores. */
  private readonly limit = pLimit(6);

  private readonly canListProcesses: boolean;

  constructor(private readonly opts: NssmOptions) {
    this.canListProcesses = hasProcessesVerb(nssmVersion(opts.exe));
  }

  /** A path as NSSM (a Windows program) must see it. */
  toNssmPath(p: string): string {
    return this.opts.launcher && p.startsWith('/') ? `Z:${p.replace(/\//g, '\\')}` : p;
  }

  fromNssmPath(p: string): string {
    return this.opts.launcher && /^Z:\\/i.test(p) ? p.slice(2).replace(/\\/g, '/') : p;
  }

  /** One nssm call (limited in parallel); throws only when nssm could not run or did not answer. */
  async call(args: string[], timeoutMs = this.opts.callTimeoutMs ?? CALL_TIMEOUT_MS): Promise<RunResult> {
    const { exe, launcher, env, signal } = this.opts;
    const r = await this.limit(() => run(launcher ?? exe, launcher ? [exe, ...args] : args, { env, signal, timeoutMs }));
    if (r.cancelled) throw signal?.reason ?? new WoosooError('Cancelled', 'Cancelled.', { category: 'OperationStopped' });
    if (r.notFound) throw notFound(`${launcher ?? exe} could not be started: ${r.spawnError}`, launcher ?? exe);
    if (r.timedOut) {
      throw new WoosooError('NssmTimeout', `nssm ${args.slice(0, 2).join(' ')} did not answer within ${Math.round(timeoutMs / 1000)} s and was stopped.`, {
        category: 'OperationTimeout', target: args[1],
        fix: 'Check the service in services.msc; an application that ignores stop requests can hold NSSM (see AppStopMethod*).',
      });
    }
    return r;
  }

  private failed(r: RunResult, what: string, name: string): WoosooError {
    const said = (r.stderr || r.stdout).trim().split('\n')[0] ?? '';
    const denied = /access is denied/i.test(said);
    return new WoosooError(denied ? 'AccessDenied' : 'NssmFailed', `nssm ${what} for service ${name} failed (exit ${r.exitCode}): ${said}`, {
      category: denied ? 'PermissionDenied' : 'InvalidResult', target: name,
      fix: denied ? 'Run PowerShell as Administrator: installing and controlling Windows services needs it.' : `Run "${r.display}" yourself to see NSSM's full message.`,
    });
  }

  private async get(name: string, param: string): Promise<string | undefined> {
    const r = await this.call(['get', name, param]);
    return r.exitCode === 0 ? r.stdout.replace(/\n+$/, '') : undefined;
  }

  async status(name: string): Promise<ServiceStatus> {
    const r = await this.call(['status', name]);
    if (r.exitCode === EXIT_NOT_INSTALLED) return 'NotInstalled';
    const word = /SERVICE_[A-Z_]+/.exec(r.stdout)?.[0];
    if (r.exitCode !== 0 || !word || !STATUS[word]) throw this.failed(r, 'status', name);
    return STATUS[word];
  }

  async query(defs: readonly ServiceDefinition[]): Promise<ServiceState[]> {
    return Promise.all(defs.map((d) => this.queryOne(d.name)));
  }

  private async queryOne(name: string): Promise<ServiceState> {
    const status = await this.status(name);
    if (status === 'NotInstalled') return { name, status };
    const params = ['Application', 'AppParameters', 'AppDirectory', 'AppStdout', 'AppStderr', 'Start', 'DisplayName'];
    const [values, processes] = await Promise.all([
      Promise.all(params.map((p) => this.get(name, p))),
      status === 'Running' && this.canListProcesses ? this.call(['processes', name]) : undefined,
    ]);
    const [application, args, dir, out, err, start, displayName] = values;
    let app = processes?.exitCode === 0 ? parseProcesses(processes.stdout).find((p) => p.depth === 1) : undefined;
    if (processes && !app) {
      // A running service whose process list comes back empty is a transient answer (seen under load): ask once more.
      const again = await this.call(['processes', name]);
      app = again.exitCode === 0 ? parseProcesses(again.stdout).find((p) => p.depth === 1) : undefined;
    }
    const path = (v: string | undefined) => (v ? this.fromNssmPath(v) : undefined);
    return {
      name, status, displayName, startType: start ? startType(start) : undefined, processId: app?.pid,
      application: path(application), arguments: args, workingDirectory: path(dir), stdoutLog: path(out), stderrLog: path(err),
      remarks: this.canListProcesses ? REMARKS : REMARKS + REMARKS_223,
    };
  }

  private async set(name: string, param: string, ...values: string[]): Promise<void> {
    // `set NAME PARAM` with no value opens a dialog headless: an empty value is a reset instead.
    const args = values.length === 0 || values.every((v) => v === '') ? ['reset', name, param] : ['set', name, param, ...values];
    let r = await this.call(args);
    if (r.exitCode !== 0 && r.exitCode !== null) {
      // A set is idempotent. The service control manager can refuse a change while it is busy with another
      // (ERROR_SERVICE_DATABASE_LOCKED; seen under Wine on a loaded machine as a failing `set DisplayName`): once more.
      await new Promise((res) => setTimeout(res, 500));
      r = await this.call(args);
    }
    if (r.exitCode === 0) return;
    const err = this.failed(r, `${args[0]} ${param}`, name);
    if (param !== 'DependOnService') throw err;
    throw new WoosooError(err.errorId, `${err.message} (it depends on ${values.join(', ')}; NSSM refuses a dependency on a service that does not exist)`, {
      category: 'ObjectNotFound', target: name,
      fix: 'Install the services it depends on first (Install-WoosooService without -Name installs in order), and check SERVICE_DB_NAME names an existing database service.',
    });
  }

  async install(def: ServiceDefinition, settings: ServiceSettings): Promise<'Installed' | 'Updated'> {
    let outcome: 'Installed' | 'Updated' = 'Updated';
    if ((await this.status(def.name)) === 'NotInstalled') {
      const r = await this.call(['install', def.name, this.toNssmPath(def.application)]);
      if (r.exitCode === 0) outcome = 'Installed';
      else if (r.exitCode !== EXIT_EXISTS) throw this.failed(r, 'install', def.name);
    }
    const env = Object.entries(def.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const rotate = settings.rotateBytes > 0;
    const sets: [string, ...string[]][] = [
      ['Application', this.toNssmPath(def.application)],
      ['AppParameters', def.arguments.map(quoteWindowsArg).join(' ')],
      ['AppDirectory', this.toNssmPath(def.workingDirectory)],
      ['AppStdout', this.toNssmPath(def.stdoutLog)],
      ['AppStderr', this.toNssmPath(def.stderrLog)],
      ['AppRotateFiles', rotate ? '1' : '0'],
      ['AppRotateOnline', rotate ? '1' : '0'],
      ['AppRotateBytes', String(settings.rotateBytes)],
      ['AppExit', 'Default', 'Restart'],
      ['AppThrottle', String(settings.throttleMs)],
      ['AppEnvironmentExtra', ...env],
    ];
    // The App* values are registry values of NSSM's own: set concurrently. The native ones go through the service
    // control manager (ChangeServiceConfig), where two concurrent changes of one service can fail: one at a time.
    const native: [string, ...string[]][] = [
      ['Start', 'SERVICE_AUTO_START'],
      ['DependOnService', ...def.dependsOn],
      ['DisplayName', def.displayName],
      ['Description', def.description],
    ];
    await Promise.all(sets.map(([param, ...values]) => this.set(def.name, param, ...values)));
    for (const [param, ...values] of native) await this.set(def.name, param, ...values);
    return outcome;
  }

  private async control(verb: string, def: ServiceDefinition, timeoutMs?: number): Promise<void> {
    const r = await this.call([verb, def.name], timeoutMs);
    // Exit codes vary per verb (start of a running service 1, stop of a stopped one 0): the caller checks the state.
    if (r.exitCode === EXIT_NOT_INSTALLED) throw notInstalled(def.name);
    if (r.exitCode !== 0 && /access is denied/i.test(r.stderr + r.stdout)) throw this.failed(r, verb, def.name);
  }

  start(def: ServiceDefinition, settings: ServiceSettings): Promise<void> {
    return this.control('start', def, settings.startTimeoutMs + 5000);
  }

  stop(def: ServiceDefinition, settings: ServiceSettings): Promise<void> {
    return this.control('stop', def, settings.stopTimeoutMs + 5000);
  }

  restart(def: ServiceDefinition, settings: ServiceSettings): Promise<void> {
    return this.control('restart', def, settings.startTimeoutMs + settings.stopTimeoutMs + 5000);
  }

  async pause(def: ServiceDefinition): Promise<void> {
    throw new WoosooError('PauseNotSupported', `${def.name} cannot be paused: NSSM does not implement pausing an application (it refuses the PAUSE control).`, {
      category: 'NotImplemented', target: def.name,
      fix: 'Stop it with Stop-WoosooService instead. A service shown as Throttled is crash-looping: Resume-WoosooService retries it at once.',
    });
  }

  resume(def: ServiceDefinition): Promise<void> {
    // CONTINUE makes NSSM end the throttle and restart the application now (exit code 1 even when it does).
    return this.control('continue', def);
  }

  async remove(def: ServiceDefinition): Promise<void> {
    const r = await this.call(['remove', def.name, 'confirm']);
    if (r.exitCode !== 0 && r.exitCode !== EXIT_NOT_INSTALLED) throw this.failed(r, 'remove', def.name);
  }
}

function startType(v: string): string {
  return ({ SERVICE_AUTO_START: 'Automatic', SERVICE_DELAYED_AUTO_START: 'AutomaticDelayed', SERVICE_DEMAND_START: 'Manual', SERVICE_DISABLED: 'Disabled' } as Record<string, string>)[v.trim()] ?? v.trim();
}
