/**
 * The artisan commands a Laravel app really has, from `php artisan list --format=json` (run through the one process
 * module: no shell, arguments as an array, a timeout and the request's cancel signal). Artisan boots the app, so this
 * needs its vendor/ (composer install); without it, or without php, the caller falls back to reading the files and
 * says why.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { locateTool } from '../process/locate';
import { run } from '../process/run';

export type ArtisanList =
  | { ok: true; commands: Set<string>; php: string }
  | { ok: false; reason: string };

export interface ArtisanRunContext {
  env: Record<string, string>;
  signal?: AbortSignal;
}

export async function listArtisanCommands(dir: string, ctx: ArtisanRunContext): Promise<ArtisanList> {
  if (!existsSync(join(dir, 'vendor', 'autoload.php'))) return { ok: false, reason: 'no vendor/ yet (composer install makes it)' };
  const php = locateTool({ projectDir: dir, names: ['php'] }, ctx.env);
  if (php.path === null) return { ok: false, reason: 'php is not on PATH' };
  const r = await run(php.path, ['artisan', 'list', '--format=json', '--no-ansi', '--no-interaction'], { cwd: dir, env: ctx.env, signal: ctx.signal, timeoutMs: 60_000 });
  try {
    const names = (JSON.parse(r.stdout) as { commands?: { name?: unknown }[] }).commands?.map((c) => c.name).filter((n): n is string => typeof n === 'string') ?? [];
    if (names.length > 0) return { ok: true, commands: new Set(names), php: php.path };
  } catch {
    /* not a command list: said below */
  }
  const last = r.stderr.trim().split(/\r?\n/).pop() || r.stdout.trim().split(/\r?\n/).pop() || '';
  return { ok: false, reason: `"${r.display}" exited ${r.exitCode ?? '(did not start)'} without a command list${last ? ` (${last.slice(0, 200)})` : ''}` };
}
