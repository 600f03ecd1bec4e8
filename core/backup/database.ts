/**
 * The database part of a backup: mariadb-dump (or mysqldump) streamed through gzip into the backup, and the
 * dump streamed back through gunzip into the mariadb (or mysql) client. Nothing is held in memory whole. The
 * password reaches the tools only through MYSQL_PWD in the child's environment, never on a command line.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { ProjectConfig } from '../config';
import { run, type RunResult } from '../process/run';
import { describeMiss, locateTool, toolQuery } from '../process/locate';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { EncryptStream, type MasterKey } from './crypto';
import { HashingStream, type Copied } from './files';

/** A database job may take long: cancellation (Ctrl+C) is the limit, plus a generous ceiling. */
const DB_TIMEOUT_MS = 6 * 60 * 60 * 1000;
const DUMP_END = '-- Dump completed';

function findTool(cfg: ProjectConfig, env: Record<string, string>, key: string, names: string[]): string {
  const query = toolQuery(cfg, key, names);
  const found = locateTool(query, env);
  if (found.path === null) {
    throw new WoosooError('DatabaseToolNotFound', `${describeMiss(query, found)} (in ${cfg.location.file}).`, {
      category: 'NotInstalled', target: key,
      fix: `Install the MariaDB client tools, or set ${key} in deployment.config.env to the full path of ${names[0]}.`,
    });
  }
  return found.path;
}

export function dumpTool(cfg: ProjectConfig, env: Record<string, string>): string {
  return findTool(cfg, env, 'MYSQLDUMP_PATH', ['mariadb-dump', 'mysqldump']);
}

export function clientTool(cfg: ProjectConfig, env: Record<string, string>): string {
  return findTool(cfg, env, 'MYSQL_PATH', ['mariadb', 'mysql']);
}

export function connection(cfg: ProjectConfig, ctx: Pick<RequestContext, 'env'>): { args: string[]; env: Record<string, string> } {
  const password = cfg.str('DB_PASSWORD');
  return {
    args: [`--host=${cfg.str('DB_HOST')}`, `--port=${cfg.num('DB_PORT')}`, `--user=${cfg.str('DB_USERNAME')}`, '--default-character-set=utf8mb4'],
    env: { ...ctx.env, MYSQL_PWD: password },
  };
}

/** Keeps the last bytes that pass, to check that the dump ran to its end. */
class TailKeeper extends Transform {
  tail = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.tail = Buffer.concat([this.tail, chunk]).subarray(-512);
    cb(null, chunk);
  }
}

function toolFailed(id: string, what: string, r: RunResult, target: string, fix: string): WoosooError {
  const why = r.notFound ? `could not be started (${r.spawnError})` : r.timedOut ? 'timed out' : `exited with code ${r.exitCode}`;
  const detail = r.stderr.trim().split('\n').slice(-5).join('\n');
  return new WoosooError(id, `${what} ${why}${detail ? `:\n${detail}` : '.'}`, { category: 'InvalidResult', target, fix });
}

/** Dumps DB_DATABASE into `dest` (gzip, then encrypted when a key is given), hashing the bytes written on the way. */
export async function dumpDatabase(cfg: ProjectConfig, ctx: RequestContext, dest: string, master?: MasterKey): Promise<Copied & { tool: string }> {
  const tool = dumpTool(cfg, ctx.env);
  const db = cfg.str('DB_DATABASE');
  const conn = connection(cfg, ctx);
  const tail = new TailKeeper();
  const hash = new HashingStream();
  const out = createWriteStream(dest, { mode: 0o600, flags: 'wx' });
  const written = master ? pipeline(tail, createGzip({ level: 6 }), new EncryptStream(master), hash, out) : pipeline(tail, createGzip({ level: 6 }), hash, out);
  const args = [...conn.args, '--single-transaction', '--quick', '--routines', '--triggers', '--hex-blob', '--no-tablespaces', db];
  const r = await run(tool, args, { env: conn.env, signal: ctx.signal, timeoutMs: DB_TIMEOUT_MS, stdoutTo: tail });
  if (!tail.writableEnded) tail.end();
  await written;
  if (r.cancelled) throw ctx.signal.reason;
  const complete = tail.tail.toString('utf8').includes(DUMP_END);
  if (r.exitCode !== 0 || !complete) {
    if (r.exitCode === 0) r.stderr += `\nthe dump stopped before its "${DUMP_END}" line`;
    throw toolFailed('DatabaseDumpFailed', `Dumping database ${db} with ${r.display}`, r, db,
      'Check DB_HOST, DB_PORT, DB_USERNAME and DB_PASSWORD (Test-WoosooConfig) and that the database server is running; or make the backup without -IncludeDatabase.');
  }
  return { sha256: hash.digest(), bytes: hash.bytes, tool: `${tool.replace(/^.*[\\/]/, '')}` };
}

/**
 * The names of the tables and views a dump creates, collected as it streams by (one line at a time; the long
 * INSERT lines are not kept, only their first bytes).
 */
export class CreatedNames extends Transform {
  readonly names = new Set<string>();
  private carry = Buffer.alloc(0);
  private overlong = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let nl = buf.indexOf(10);
    while (nl >= 0) {
      if (!this.overlong) this.scan(buf.subarray(0, nl));
      this.overlong = false;
      buf = buf.subarray(nl + 1);
      nl = buf.indexOf(10);
    }
    // A line longer than this is data (an extended INSERT), never a CREATE: keep its start only.
    if (buf.length > 4096) {
      if (!this.overlong) this.scan(buf.subarray(0, 4096));
      this.overlong = true;
      buf = Buffer.alloc(0);
    }
    this.carry = Buffer.from(buf);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (!this.overlong && this.carry.length) this.scan(this.carry);
    cb();
  }

  private scan(line: Buffer): void {
    if (line.length < 12) return;
    const m = /^(?:\/\*!\d+\s+)?CREATE\b(?:(?!\bAS\b).)*?\b(?:TABLE|VIEW)\s+(?:IF NOT EXISTS\s+)?`((?:[^`]|``)+)`/.exec(line.toString('utf8'));
    if (m) this.names.add(m[1].replace(/``/g, '`'));
  }
}

const quoteName = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * Drops the tables and views of DB_DATABASE that the dump did not create (made since the backup): restoring
 * brings the database back to the backup's state, and a table left behind would fail the next migration with
 * "table already exists". Returns their names.
 */
async function dropOthers(cfg: ProjectConfig, ctx: RequestContext, tool: string, keep: ReadonlySet<string>): Promise<string[]> {
  const db = cfg.str('DB_DATABASE');
  const conn = connection(cfg, ctx);
  const list = await run(tool, [...conn.args, '--batch', '--raw', '--skip-column-names', '-e',
    'SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()', db], { env: conn.env, signal: ctx.signal, timeoutMs: 120_000 });
  if (list.cancelled) throw ctx.signal.reason;
  if (list.exitCode !== 0) {
    throw toolFailed('DatabaseImportFailed', `Listing the tables of ${db} after the import with ${list.display}`, list, db,
      'Check the database settings (Test-WoosooConfig); the dump itself was imported, but tables created since the backup may remain.');
  }
  const extra = list.stdout.split(/\r?\n/).filter(Boolean).map((l) => l.split('\t'))
    .filter(([name]) => name !== undefined && !keep.has(name)) as [string, string][];
  if (extra.length === 0) return [];
  const drops = extra.map(([name, type]) => `DROP ${/VIEW/i.test(type) ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteName(name)};`);
  const r = await run(tool, [...conn.args, '--batch', '-e', `SET FOREIGN_KEY_CHECKS=0; ${drops.join(' ')}`, db], { env: conn.env, signal: ctx.signal, timeoutMs: 300_000 });
  if (r.cancelled) throw ctx.signal.reason;
  if (r.exitCode !== 0) {
    throw toolFailed('DatabaseImportFailed', `Dropping the tables created since the backup (${extra.map(([n]) => n).join(', ')}) from ${db}`, r, db,
      'Drop them by hand, or restore the safety backup made before this restore.');
  }
  return extra.map(([name]) => name);
}

/**
 * Streams a .sql.gz dump into DB_DATABASE (the dump drops and re-creates each table it holds), then drops the
 * tables and views it does not hold: the database is as it was at the backup. Returns the names dropped.
 */
export async function importDatabase(cfg: ProjectConfig, ctx: RequestContext, dumpFile: string): Promise<string[]> {
  const tool = clientTool(cfg, ctx.env);
  const db = cfg.str('DB_DATABASE');
  const conn = connection(cfg, ctx);
  // A damaged dump stops the client (killed, not fed an end of input) so a half statement is never run.
  const stop = new AbortController();
  const onCancel = () => stop.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onCancel, { once: true });
  const gunzip = createGunzip();
  const created = new CreatedNames();
  let gzError: Error | null = null;
  const decompressed = pipeline(createReadStream(dumpFile), gunzip, created).catch((err: Error) => {
    gzError = err;
    stop.abort(err);
  });
  const r = await run(tool, [...conn.args, '--batch', db], { env: conn.env, signal: stop.signal, timeoutMs: DB_TIMEOUT_MS, stdinFrom: created });
  ctx.signal.removeEventListener('abort', onCancel);
  if (!created.destroyed && r.exitCode !== 0) created.destroy();
  await decompressed;
  if (ctx.signal.aborted) throw ctx.signal.reason;
  if (gzError) {
    throw new WoosooError('DatabaseDumpDamaged', `${dumpFile} could not be decompressed (${(gzError as Error).message}); the import was stopped and part of it may have been applied.`, {
      category: 'InvalidData', target: dumpFile, fix: 'Restore the safety backup made before this restore, or use another backup.',
    });
  }
  if (r.exitCode !== 0) {
    throw toolFailed('DatabaseImportFailed', `Importing ${dumpFile} into ${db} with ${r.display}`, r, db,
      'Check the database settings (Test-WoosooConfig) and that the server is running; the safety backup holds the state before the restore.');
  }
  return dropOthers(cfg, ctx, tool, created.names);
}
