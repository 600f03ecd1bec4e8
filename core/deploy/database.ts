/**
 * The database facts a rollback needs beyond the dump: the tables before the deploy. A dump import drops and
 * re-creates the tables it holds, so a table a failed migration created would survive it; the rollback drops it.
 */
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

/** Drops the tables that were not there before; returns their names. */
export async function dropNewTables(cfg: ProjectConfig, ctx: Ctx, before: readonly string[]): Promise<string[]> {
  const extra = (await listTables(cfg, ctx)).filter((t) => !before.includes(t));
  if (extra.length === 0) return [];
  const names = extra.map((t) => `\`${t.replace(/`/g, '``')}\``).join(', ');
  await query(cfg, ctx, `SET FOREIGN_KEY_CHECKS=0; DROP TABLE IF EXISTS ${names}; SET FOREIGN_KEY_CHECKS=1`);
  return extra;
}
