/**
 * The tables of the database before the deploy, for its journal and the Backup step's message. (Tables a failed
 * migration creates are dropped by the backup's restore itself: core/backup/database.ts.)
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
