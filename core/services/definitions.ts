/**
 * The stack's services, built from the configuration: the queue worker, the Laravel HTTP backend (artisan serve on
 * BACKEND_PORT) and Reverb (php artisan in BACKEND_PATH, with PHP_PATH or php on PATH) and nginx (NGINX_PATH or nginx on PATH, with the project's configs/nginx.conf). Nothing is
 * hard-coded but the shape of the commands. Also: name matching with wildcards and the dependency order.
 */
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import { WoosooError } from '../kernel/errors';
import { probePort, readServiceOptions, serviceOptionsFile } from '../dashboard/index';
import { engineCommand } from '../process/detached';
import { describeMiss, locateTool, toolQuery } from '../process/locate';
import { blueGreen } from '../releases';
import { wildcard } from '../util/wildcard';
import type { ServiceDefinition, ServiceSettings } from './types';

/** Where the rendered nginx configuration lives, relative to the project (written by the sync capability). */
export const NGINX_CONF = join('configs', 'nginx.conf');

export function serviceSettings(cfg: ProjectConfig): ServiceSettings {
  return {
    startTimeoutMs: cfg.num('SERVICE_START_TIMEOUT_SECONDS') * 1000,
    stopTimeoutMs: cfg.num('SERVICE_STOP_TIMEOUT_SECONDS') * 1000,
    throttleMs: cfg.num('SERVICE_THROTTLE_MS'),
    rotateBytes: cfg.num('LOG_ROTATE_BYTES'),
    retentionCount: cfg.num('LOG_RETENTION_COUNT'),
    retentionDays: cfg.num('LOG_RETENTION_DAYS'),
  };
}

/** The service's log files: logs/<service>/output.log and error.log under the project. */
export function logFiles(projectDir: string, name: string): { stdoutLog: string; stderrLog: string } {
  const dir = join(projectDir, 'logs', name);
  return { stdoutLog: join(dir, 'output.log'), stderrLog: join(dir, 'error.log') };
}

/**
 * A configured tool (absolute, or relative to the project) or the program on the session's PATH. When it is missing the
 * definition still exists (Get-WoosooService can show the service) and carries the error that installing it raises.
 */
function tool(cfg: ProjectConfig, env: Record<string, string>, keyName: string, program: string): { application: string; problem?: WoosooError } {
  const query = toolQuery(cfg, keyName, [program]);
  const found = locateTool(query, env);
  if (found.path !== null) return { application: found.path };
  const where = describeMiss(query, found);
  return {
    application: found.configured?.resolved ?? program,
    problem: new WoosooError('ToolNotFound', `${where} (in ${cfg.location.file}); the services need it.`, {
      category: 'NotInstalled', target: keyName,
      fix: `Install ${program}, or set ${keyName} in ${cfg.location.file} to its full path.`,
    }),
  };
}

export function stackDefinitions(cfg: ProjectConfig, env: Record<string, string>): ServiceDefinition[] {
  const prefix = cfg.str('SERVICE_PREFIX');
  const backendDir = cfg.path('BACKEND_PATH');
  const db = cfg.str('SERVICE_DB_NAME');
  const php = tool(cfg, env, 'PHP_PATH', 'php');
  const nginx = tool(cfg, env, 'NGINX_PATH', 'nginx');
  const app = cfg.str('APP_NAME');
  // Blue/green: the green colour's services are named <prefix>-<key>-green (blue keeps the plain names, so a project's
  // services from before blue/green deploys are its blue colour). nginx has no colour: it switches between them.
  const colour = cfg.slot?.colour === 'green' ? '-green' : '';
  const svc = (key: string) => `${prefix}-${key}${key === 'nginx' ? '' : colour}`;
  const base = (key: string) => ({ key, name: svc(key), ...logFiles(cfg.projectDir, svc(key)) });
  const nginxArgs = ['-p', `${cfg.projectDir}${process.platform === 'win32' ? '\\' : '/'}`, '-c', NGINX_CONF];
  // nginx for Windows runs in the foreground anyway; elsewhere the supervisor needs it not to daemonize.
  if (process.platform !== 'win32') nginxArgs.push('-g', 'daemon off;');
  const reverb = cfg.flag('REVERB_ENABLED');
  const defs: ServiceDefinition[] = [
    {
      ...base('queue-worker'), order: 10, displayName: `${app} queue worker`,
      description: `Runs the Laravel queue (php artisan queue:work) of ${backendDir}.`,
      ...php, arguments: ['artisan', 'queue:work', '--sleep=3', '--tries=3'], workingDirectory: backendDir,
      dependsOn: db ? [db] : [],
    },
    {
      // artisan serve runs a child `php -S`: stopping must end the whole tree (PM2's treekill and NSSM's
      // AppKillProcessTree, both on by default), or the child keeps the port. --no-reload: without it artisan serve
      // restarts its child by itself whenever .env changes (a deploy's Sync step), while the old code is in place.
      ...base('backend'), order: 15, displayName: `${app} HTTP backend`,
      description: `Serves the Laravel backend on 127.0.0.1:${cfg.num('BACKEND_PORT')} (php artisan serve) for nginx to proxy.`,
      ...php, arguments: ['artisan', 'serve', '--host=127.0.0.1', `--port=${cfg.num('BACKEND_PORT')}`, '--no-reload'],
      workingDirectory: backendDir, dependsOn: db ? [db] : [], readyPort: cfg.num('BACKEND_PORT'),
    },
    {
      ...base('reverb'), order: 20, displayName: `${app} Reverb websockets`,
      description: `Serves Laravel Reverb websockets on port ${cfg.num('REVERB_PORT')} (php artisan reverb:start).`,
      ...php, arguments: ['artisan', 'reverb:start', '--host=0.0.0.0', `--port=${cfg.num('REVERB_PORT')}`],
      workingDirectory: backendDir, dependsOn: db ? [db] : [], readyPort: cfg.num('REVERB_PORT'),
    },
    {
      ...base('nginx'), order: 30, displayName: `${app} nginx`,
      description: `Serves the PWA and proxies the API and websockets on port ${cfg.num('HTTP_PORT')} (${NGINX_CONF}).`,
      ...nginx, arguments: nginxArgs, workingDirectory: cfg.projectDir,
      // Not on a colour's services under blue/green: Windows refuses to stop a service another running one depends
      // on, and the old colour is stopped while nginx serves the new one.
      dependsOn: blueGreen(cfg) ? (db ? [db] : []) : [svc('backend'), ...(reverb ? [svc('reverb')] : [])], readyPort: cfg.num('HTTP_PORT'),
    },
  // REVERB_ENABLED=false: an app without Reverb has no websocket service.
  ].filter((d) => reverb || d.key !== 'reverb');
  // Windows keeps display names unique (ChangeServiceConfig: ERROR_DUPLICATE_SERVICE_NAME, seen through nssm under
  // Wine in tests/services/nssm-bluegreen.test.ts): the green colour's services, installed beside blue's, say so.
  return colour ? defs.map((d) => (d.key === 'nginx' ? d : { ...d, displayName: `${d.displayName} (green)` })) : defs;
}

/**
 * The web dashboard as a service (Install-WoosooService -Dashboard wrote its options file), or null: this engine run
 * with --dashboard. Not one of the stack's services (deploys, health checks and blue/green colours leave it alone: a
 * deploy run from the dashboard must not restart the dashboard); the cmdlets' service methods add it.
 */
export function dashboardDefinition(cfg: ProjectConfig): ServiceDefinition | null {
  const o = readServiceOptions(cfg.projectDir);
  if (!o) return null;
  const name = `${cfg.str('SERVICE_PREFIX')}-dashboard`;
  const cmd = engineCommand(['--dashboard', serviceOptionsFile(cfg.projectDir)]);
  return {
    key: 'dashboard', name, displayName: `${cfg.str('APP_NAME')} web dashboard`, order: 40,
    description: `Serves the Woosoo web dashboard of ${cfg.projectDir} on ${o.bindAddress} port ${o.port}.`,
    application: cmd.file, arguments: cmd.args, workingDirectory: cfg.projectDir, dependsOn: [], readyPort: probePort(o), ...logFiles(cfg.projectDir, name),
  };
}

/**
 * The definitions matching the names (full names, short keys or wildcards), in start order. A plain name that matches
 * nothing is an error naming the services that exist; a wildcard that matches nothing matches nothing.
 */
export function selectDefinitions(defs: readonly ServiceDefinition[], names?: readonly string[]): ServiceDefinition[] {
  const ordered = [...defs].sort((a, b) => a.order - b.order);
  if (!names || names.length === 0) return ordered;
  const wanted = new Set<ServiceDefinition>();
  for (const n of names) {
    const re = wildcard(n);
    const hits = ordered.filter((d) => re.test(d.name) || re.test(d.key));
    if (hits.length === 0 && !/[*?]/.test(n)) {
      throw new WoosooError('ServiceNotFound', `"${n}" is not a service of this stack; its services are ${ordered.map((d) => d.name).join(', ')}.`, {
        category: 'ObjectNotFound', target: n, fix: 'Use one of the names listed (wildcards such as *reverb* work), or run Get-WoosooService to see them.',
      });
    }
    for (const h of hits) wanted.add(h);
  }
  return ordered.filter((d) => wanted.has(d));
}
