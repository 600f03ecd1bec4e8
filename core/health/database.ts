/**
 * The database checks, with the real MariaDB/MySQL client in one round trip: the connection (server version and
 * latency), then the Laravel database queue's pending (jobs) and failed (failed_jobs) counts. The password goes
 * through MYSQL_PWD in the client's environment, never on its command line.
 */
import type { ProjectConfig } from '../config';
import { run } from '../process/run';
import { locateTool, toolQuery } from '../process/locate';
import { healthCheck, type CheckContext, type HealthResult } from './check';

/** MYSQL_PATH, else mariadb, else mysql on the session's PATH. */
export function findMysqlClient(cfg: ProjectConfig, env: Record<string, string>): string | null {
  return locateTool(toolQuery(cfg, 'MYSQL_PATH', ['mariadb', 'mysql']), env).path;
}

const QUERY = [
  "SELECT 'version', VERSION();",
  "SELECT 'jobs', COUNT(*) FROM jobs;",
  "SELECT 'failed_jobs', COUNT(*) FROM failed_jobs;",
].join(' ');

export interface DbProbe {
  ok: boolean;
  version?: string;
  jobs?: number;
  failedJobs?: number;
  /** The client's error lines (access denied, unknown table, ...). */
  errors: string[];
  latencyMs: number;
  display: string;
}

/** Runs the query with --force so that a missing queue table does not hide the others. */
export async function probeDatabase(cfg: ProjectConfig, client: string, c: CheckContext): Promise<DbProbe> {
  const password = cfg.str('DB_PASSWORD');
  const args = [
    '--no-defaults', '--protocol=TCP', `--host=${cfg.str('DB_HOST')}`, `--port=${cfg.num('DB_PORT')}`,
    `--user=${cfg.str('DB_USERNAME')}`, `--database=${cfg.str('DB_DATABASE')}`,
    `--connect-timeout=${Math.max(1, Math.ceil(c.timeoutMs / 1000))}`, '--batch', '--skip-column-names', '--force',
    '-e', QUERY,
  ];
  const env = { ...c.env, MYSQL_PWD: password };
  const r = await run(client, args, { env, signal: c.signal, timeoutMs: c.timeoutMs });
  if (r.cancelled) throw c.signal.reason;
  const rows = new Map(r.stdout.split(/\r?\n/).filter(Boolean).map((l) => l.split('\t') as [string, string]));
  const errors = r.stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (r.notFound) errors.unshift(`${client} could not be started: ${r.spawnError ?? 'not found'}`);
  if (r.timedOut) errors.unshift(`${r.display} timed out`);
  const count = (k: string) => (rows.has(k) ? Number(rows.get(k)) : undefined);
  return {
    ok: rows.has('version'), version: rows.get('version'), jobs: count('jobs'), failedJobs: count('failed_jobs'),
    errors, latencyMs: r.durationMs, display: r.display,
  };
}

function queueCheck(name: string, table: string, value: number | undefined, warn: number, warnKey: string, p: DbProbe, target: string): HealthResult {
  if (!p.ok) {
    return healthCheck('Application', name, target, { status: 'Unknown', threshold: warn, message: 'The database is not reachable, so the queue cannot be read.' });
  }
  if (value === undefined) {
    const why = p.errors.find((e) => e.includes(`.${table}'`) || e.includes(` ${table}`)) ?? `table ${table} could not be read`;
    return healthCheck('Application', name, target, {
      status: 'Unknown', threshold: warn,
      message: `${why}. Run the migrations (php artisan migrate; queue:table / queue:failed-table) or ignore this if QUEUE_CONNECTION is not database.`,
    });
  }
  const over = value > warn;
  return healthCheck('Application', name, target, {
    status: over ? 'Degraded' : 'Healthy', value, threshold: warn,
    message: over ? `${value} jobs in ${table}, over ${warnKey}=${warn}.` : `${value} jobs in ${table}.`,
  });
}

/** Database connection, pending and failed jobs: three results from one client run. */
export async function databaseChecks(cfg: ProjectConfig, c: CheckContext): Promise<HealthResult[]> {
  const target = `${cfg.str('DB_USERNAME')}@${cfg.str('DB_HOST')}:${cfg.num('DB_PORT')}/${cfg.str('DB_DATABASE')}`;
  const pendingWarn = cfg.num('HEALTH_QUEUE_PENDING_WARN');
  const failedWarn = cfg.num('HEALTH_QUEUE_FAILED_WARN');
  const client = findMysqlClient(cfg, c.env);
  if (!client) {
    const fix = cfg.str('MYSQL_PATH') ? `MYSQL_PATH=${cfg.str('MYSQL_PATH')} is not an executable` : 'neither mariadb nor mysql is on PATH';
    const unknown = (name: string, category: 'Service' | 'Application') => healthCheck(category, name, target, {
      status: 'Unknown', message: `Cannot check the database: ${fix}. Install the MariaDB client or set MYSQL_PATH.`,
    });
    return [unknown('Database', 'Service'), unknown('Queue pending', 'Application'), unknown('Queue failed', 'Application')];
  }
  const p = await probeDatabase(cfg, client, c);
  const db = p.ok
    ? healthCheck('Service', 'Database', target, { status: 'Healthy', value: p.version ?? null, latencyMs: p.latencyMs, message: `Connected as ${cfg.str('DB_USERNAME')} in ${p.latencyMs} ms (server ${p.version}).` })
    : healthCheck('Service', 'Database', target, { status: 'Unhealthy', latencyMs: p.latencyMs, message: `Cannot connect: ${p.errors.join(' ') || 'the client gave no answer'}` });
  return [
    db,
    queueCheck('Queue pending', 'jobs', p.jobs, pendingWarn, 'HEALTH_QUEUE_PENDING_WARN', p, target),
    queueCheck('Queue failed', 'failed_jobs', p.failedJobs, failedWarn, 'HEALTH_QUEUE_FAILED_WARN', p, target),
  ];
}
