/**
 * The tables of the database before the deploy, for its journal and the Backup step's message. (Tables a failed
 * migration creates are dropped by the backup's restore itself: core/backup/database.ts.)
 */
import { createHash } from 'node:crypto';
import { clientTool, connection } from '../backup';
import type { ProjectConfig } from '../config';
import { run } from '../process/run';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';

type Ctx = Pick<RequestContext, 'env' | 'signal'>;

async function query(cfg: ProjectConfig, ctx: Ctx, sql: string): Promise<string> {
  const conn = connection(cfg, ctx);
  const r = await run(clientTool(cfg, ctx.env), [...conn.args, '--batch', '--skip-column-names', '-e', sql, cfg.str('DB_DATABASE')], {
    env: conn.env, signal: ctx.signal, timeoutMs: 60_000,
  });
  if (r.exitCode !== 0) {
    throw new WoosooError('DeployDatabaseQueryFailed', `The database ${cfg.str('DB_DATABASE')} on ${cfg.str('DB_HOST')}:${cfg.num('DB_PORT')} did not answer: ${r.stderr.trim() || r.spawnError || `exit code ${r.exitCode}`}.`, {
      category: 'ConnectionError', target: cfg.str('DB_DATABASE'), fix: 'Check that the database server runs and that DB_* in deployment.config.env are right.',
    });
  }
  return r.stdout;
}

export async function listTables(cfg: ProjectConfig, ctx: Ctx): Promise<string[]> {
  return (await query(cfg, ctx, 'SHOW TABLES')).split(/\r?\n/).map((s) => s.trim()).filter(Boolean).sort();
}

/** The schema as the migrations see it: each table's (or view's) column signature, and the last migration row. */
export interface SchemaSnapshot {
  /** Table or view name → sha256 of its columns (name, type, nullability, key) in order. */
  tables: Record<string, string>;
  views: string[];
  /** The highest id in the migrations table (0 when there is none). */
  lastMigration: number;
}

export async function schemaSnapshot(cfg: ProjectConfig, ctx: Ctx): Promise<SchemaSnapshot> {
  const kinds = await query(cfg, ctx, 'SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()');
  const columns = await query(cfg, ctx, 'SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_KEY FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION');
  const rows = kinds.split(/\r?\n/).filter(Boolean).map((l) => l.split('\t'));
  const byTable = new Map<string, string[]>(rows.map(([name]) => [name, []]));
  for (const line of columns.split(/\r?\n/).filter(Boolean)) byTable.get(line.split('\t')[0])?.push(line);
  const tables: Record<string, string> = {};
  for (const [name, cols] of [...byTable].sort(([a], [b]) => a.localeCompare(b))) tables[name] = createHash('sha256').update(cols.join('\n')).digest('hex');
  const hasMigrations = byTable.has('migrations');
  const last = hasMigrations ? Number((await query(cfg, ctx, 'SELECT COALESCE(MAX(id), 0) FROM migrations')).trim()) || 0 : 0;
  return { tables, views: rows.filter(([, type]) => /view/i.test(type ?? '')).map(([n]) => n), lastMigration: last };
}

/**
 * How the database differs from a snapshot: the tables made since, the tables changed or gone, and whether a
 * migration completed (a new row in migrations: it may have changed data too).
 */
export function schemaChanges(before: SchemaSnapshot, now: SchemaSnapshot): { added: string[]; changed: string[]; migrated: boolean } {
  const added = Object.keys(now.tables).filter((t) => !(t in before.tables));
  const changed = Object.keys(before.tables).filter((t) => now.tables[t] !== before.tables[t]);
  return { added, changed, migrated: now.lastMigration > before.lastMigration };
}

/** Drops tables and views (a failed migration's half-made ones), foreign keys off for the session. */
export async function dropTables(cfg: ProjectConfig, ctx: Ctx, names: string[], views: string[]): Promise<void> {
  const q = (n: string) => `\`${n.replace(/`/g, '``')}\``;
  const v = names.filter((n) => views.includes(n));
  const t = names.filter((n) => !views.includes(n));
  const sql = ['SET FOREIGN_KEY_CHECKS=0', ...(v.length ? [`DROP VIEW IF EXISTS ${v.map(q).join(', ')}`] : []), ...(t.length ? [`DROP TABLE IF EXISTS ${t.map(q).join(', ')}`] : [])];
  await query(cfg, ctx, `${sql.join('; ')};`);
}
