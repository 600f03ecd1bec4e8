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

/** Dumps DB_DATABASE into `dest` (gzip), hashing the compressed bytes on the way. */
export async function dumpDatabase(cfg: ProjectConfig, ctx: RequestContext, dest: string): Promise<Copied & { tool: string }> {
  const tool = dumpTool(cfg, ctx.env);
  const db = cfg.str('DB_DATABASE');
  const conn = connection(cfg, ctx);
  const tail = new TailKeeper();
  const hash = new HashingStream();
  const written = pipeline(tail, createGzip({ level: 6 }), hash, createWriteStream(dest, { mode: 0o600, flags: 'wx' }));
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

/** Streams a .sql.gz dump into DB_DATABASE (the dump drops and re-creates each table it holds). */
export async function importDatabase(cfg: ProjectConfig, ctx: RequestContext, dumpFile: string): Promise<void> {
  const tool = clientTool(cfg, ctx.env);
  const db = cfg.str('DB_DATABASE');
  const conn = connection(cfg, ctx);
  // A damaged dump stops the client (killed, not fed an end of input) so a half statement is never run.
  const stop = new AbortController();
  const onCancel = () => stop.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onCancel, { once: true });
  const gunzip = createGunzip();
  let gzError: Error | null = null;
  const decompressed = pipeline(createReadStream(dumpFile), gunzip).catch((err: Error) => {
    gzError = err;
    stop.abort(err);
  });
  const r = await run(tool, [...conn.args, '--batch', db], { env: conn.env, signal: stop.signal, timeoutMs: DB_TIMEOUT_MS, stdinFrom: gunzip });
  ctx.signal.removeEventListener('abort', onCancel);
  if (!gunzip.destroyed && r.exitCode !== 0) gunzip.destroy();
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
}
