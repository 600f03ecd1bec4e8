/**
 * What a dashboard host is to do, and what it did: its options file (written by dashboard.start, or by
 * Install-WoosooService -Dashboard for the service mode), the plan made of them and the project's configuration
 * (address, HTTPS with the project's certificate, the host names it answers to, its URL), its state file
 * .woosoo/dashboard.json (written atomically once it listens, removed when it stops) and its log. Shared by the host
 * (core/dashboard/host.ts) and the lifecycle methods (core/dashboard/lifecycle.ts), so both refuse the same things.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { certPaths } from '../certs/index';
import type { ProjectConfig } from '../config';
import { WoosooError } from '../kernel/errors';
import { describeIssues } from '../kernel/method';

export const DEFAULT_PORT = 8080;
export const DEFAULT_BIND = '127.0.0.1';

/** Where a host listens: dashboard.start's params, and services.install's for the dashboard's service. */
export const listenParams = {
  port: z.number().int().min(1).max(65535).default(DEFAULT_PORT).describe('TCP port (default 8080)'),
  bindAddress: z.string().min(1).max(100).default(DEFAULT_BIND).describe('The address to listen on: 127.0.0.1 (default), or a LAN address with allowRemote'),
  allowRemote: z.boolean().default(false).describe('Allow an address other than loopback; it is then served over HTTPS with the project\'s certificate'),
};

export const hostOptionsSchema = z.object({
  projectDir: z.string().min(1),
  environment: z.string().optional(),
  port: z.number().int().min(1).max(65535).default(DEFAULT_PORT),
  bindAddress: z.string().min(1).default(DEFAULT_BIND),
  allowRemote: z.boolean().default(false),
});
export type HostOptions = z.infer<typeof hostOptionsSchema>;

export interface HostPlan {
  projectDir: string;
  environment?: string;
  port: number;
  bindAddress: string;
  /** The project's certificate and key (CERTS_PATH/woosoo.pem, woosoo-key.pem) when not on loopback. */
  https: { cert: string; key: string } | null;
  url: string;
  /** Host names besides loopback's that the server answers to (server.ts's `hosts`). */
  hosts: string[];
}

/** The state file: written by a host once it listens. */
export const hostStateSchema = z.object({
  pid: z.number().int().positive(),
  url: z.string(),
  port: z.number().int(),
  bindAddress: z.string(),
  https: z.boolean(),
  environment: z.string().nullable(),
  startedAt: z.string(),
  projectDir: z.string(),
  /** The options file it was started with (the service's: .woosoo/dashboard.service.json). */
  optionsFile: z.string().optional(),
});
export type HostState = z.infer<typeof hostStateSchema>;

export const stateFile = (projectDir: string) => join(projectDir, '.woosoo', 'dashboard.json');
export const optionsFile = (projectDir: string) => join(projectDir, '.woosoo', 'dashboard.options.json');
/** The options file of the dashboard's service (Install-WoosooService -Dashboard). */
export const serviceOptionsFile = (projectDir: string) => join(projectDir, '.woosoo', 'dashboard.service.json');
export const stderrFile = (projectDir: string) => join(projectDir, '.woosoo', 'dashboard.stderr.log');
export const logFile = (projectDir: string) => join(projectDir, 'logs', 'woosoo', 'dashboard.log');

export function isLoopback(address: string): boolean {
  const a = address.toLowerCase();
  return a === 'localhost' || a === '::1' || (isIP(a) === 4 && a.startsWith('127.'));
}

const bracketed = (a: string) => (isIP(a) === 6 ? `[${a}]` : a);

/** The options file, checked: a clear error naming the file and the problem. */
export function readHostOptions(file: string): HostOptions {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new WoosooError('DashboardOptionsInvalid', `The dashboard's options file ${file} cannot be read: ${(err as Error).message}`, {
      category: 'InvalidData', target: file, fix: 'Start the dashboard with Start-WoosooDashboard (it writes this file), or reinstall its service with Install-WoosooService -Dashboard.',
    });
  }
  const parsed = hostOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new WoosooError('DashboardOptionsInvalid', `The dashboard's options file ${file} is not valid: ${describeIssues(parsed.error.issues, 'options').join('; ')}`, {
      category: 'InvalidData', target: file, fix: 'Start the dashboard with Start-WoosooDashboard (it writes this file), or reinstall its service with Install-WoosooService -Dashboard.',
    });
  }
  return parsed.data;
}

/** The plan of a host: refuses a bad address, a remote address without allowRemote, and HTTPS without a certificate. */
export function planHost(o: HostOptions, cfg: ProjectConfig): HostPlan {
  const addr = o.bindAddress.trim();
  if (addr !== 'localhost' && isIP(addr) === 0) {
    throw new WoosooError('DashboardBadAddress', `-BindAddress ${addr} is not an IP address: the dashboard listens on one address of this machine.`, {
      category: 'InvalidArgument', target: addr, fix: 'Give 127.0.0.1 (the default, this machine only), or a LAN address of this machine with -AllowRemote.',
    });
  }
  const base = { projectDir: o.projectDir, environment: o.environment, port: o.port, bindAddress: addr };
  if (isLoopback(addr)) return { ...base, https: null, url: `http://${bracketed(addr)}:${o.port}/`, hosts: [] };
  if (!o.allowRemote) {
    throw new WoosooError('DashboardRemoteRefused', `-BindAddress ${addr} would open the dashboard to the network, and -AllowRemote was not given.`, {
      category: 'PermissionDenied', target: addr,
      fix: 'Keep the default 127.0.0.1 (this machine only), or add -AllowRemote to serve it on that address over HTTPS with the project\'s certificate.',
    });
  }
  const { cert, key } = certPaths(cfg);
  const missing = [cert, key].filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new WoosooError('DashboardCertificateMissing', `A remote dashboard is served over HTTPS only, and the project's certificate is missing: ${missing.join(', ')}.`, {
      category: 'ObjectNotFound', target: missing[0],
      fix: `Run New-WoosooCertificate -Path '${cfg.projectDir}' (it makes ${cert} and ${key}), then start the dashboard again.`,
    });
  }
  const unspecified = addr === '0.0.0.0' || addr === '::';
  const domains = cfg.str('CERT_DOMAINS').split(',').map((d) => d.trim()).filter(Boolean);
  const names = [...new Set([...(unspecified ? [] : [addr]), cfg.str('APP_IP'), hostname(), ...domains].filter(Boolean))].map(bracketed);
  const urlHost = unspecified ? names[0] : bracketed(addr);
  return { ...base, https: { cert, key }, url: `https://${urlHost}:${o.port}/`, hosts: names };
}

/** Written to a temporary file renamed over the state file: a reader sees the old content or the new, never half. */
export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The state file's content, or null (none, or unreadable: a host being written is never half-read). */
export function readState(projectDir: string): HostState | null {
  try {
    const parsed = hostStateSchema.safeParse(JSON.parse(readFileSync(stateFile(projectDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Removes the state file if it is this process's (a newer host may have replaced it). */
export function removeOwnState(projectDir: string, pid = process.pid): void {
  if (readState(projectDir)?.pid === pid) rmSync(stateFile(projectDir), { force: true });
}

/** How a host that cannot start tells its starter why: one JSON line on stderr (the starter reads the last one). */
export const HOST_ERROR_TAG = 'woosoo-dashboard-error ';

export function hostErrorLine(err: WoosooError): string {
  return `${HOST_ERROR_TAG}${JSON.stringify({ errorId: err.errorId, category: err.category, message: err.message, fix: err.recommendedAction ?? '', target: err.targetObject ?? '' })}`;
}

/** The error of the last host error line of a stderr text, or null. */
export function parseHostError(stderr: string): WoosooError | null {
  const line = stderr.split(/\r?\n/).reverse().find((l) => l.startsWith(HOST_ERROR_TAG));
  if (!line) return null;
  try {
    const e = JSON.parse(line.slice(HOST_ERROR_TAG.length)) as { errorId: string; category: WoosooError['category']; message: string; fix: string; target: string };
    return new WoosooError(e.errorId, e.message, { category: e.category, fix: e.fix || undefined, target: e.target || undefined });
  } catch {
    return null;
  }
}
