/**
 * What New-WoosooProject learns of a Laravel app: its PHP constraint, Reverb, Horizon, the queue, the test command it
 * has and the artisan commands the build may run — from `php artisan list` when the app has its vendor/ (what the app
 * really has), else from its files (composer.json, app/Console, routes, config, .env), and the evidence says which.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDotenv } from '../config/dotenv';
import { listArtisanCommands, type ArtisanRunContext } from './artisan';

export interface LaravelFacts {
  /** composer.json's require.php ('' when it has none). */
  php: string;
  reverb: boolean;
  horizon: boolean;
  /** The queue connection (QUEUE_CONNECTION, else config/queue.php's default, else Laravel's 'sync'). */
  queue: string;
  /** The test command it has: 'default' (app:selftest exists), a command, or 'none'. */
  test: string;
  /** Its artisan commands from `php artisan list`, or null when they were read from the files. */
  commands: string[] | null;
  /** Artisan commands of the default backend build that `php artisan list` lacks (empty when not listed). */
  missingBuild: string[];
  /** What each fact was read from, for the output's evidence. */
  evidence: string[];
  /** Values from its .env, else .env.example (placeholders included: not for secrets). */
  env: Record<string, string>;
  /** Values from its real .env only (secrets are taken from here, never from .env.example's placeholders). */
  realEnv: Record<string, string>;
  /**
   * Keys of .env.example with an empty value that look required (by name, or their comment says so; APP_KEY is
   * generated), each with the comment above it in .env.example as its help ('' when none).
   */
  emptyRequired: { key: string; help: string }[];
}

/** The artisan commands of the default BUILD_BACKEND_COMMANDS (core/config/keys/build.ts). */
export const BUILD_ARTISAN = ['migrate --force', 'config:cache', 'route:cache', 'view:cache'];

export function readJson(p: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** Whether any .php file under app/Console or routes defines the artisan command. */
function definesCommand(dir: string, name: string): boolean {
  const re = new RegExp(`(\\$signature\\s*=\\s*['"]|Artisan::command\\(\\s*['"])${name.replace(/[.:]/g, '\\$&')}[\\s'"{]`);
  const walk = (d: string): boolean => isDir(d) && readdirSync(d, { withFileTypes: true }).some((e) => (e.isDirectory()
    ? walk(join(d, e.name)) : e.name.endsWith('.php') && re.test(readFileSync(join(d, e.name), 'utf8'))));
  return walk(join(dir, 'app', 'Console')) || walk(join(dir, 'routes'));
}

/** The comment lines directly above each key of a dotenv text (its author's help for it), joined. */
export function commentsAbove(text: string): Map<string, string> {
  const help = new Map<string, string>();
  let block: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t.startsWith('#')) block.push(t.replace(/^#+\s*/, '').trim());
    else {
      const key = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=/.exec(t)?.[1];
      if (key && block.some(Boolean)) help.set(key, block.filter(Boolean).join(' '));
      block = [];
    }
  }
  return help;
}

function dotenvOf(p: string) {
  return existsSync(p) ? parseDotenv(readFileSync(p, 'utf8'), { as: 'laravel' }).entries : [];
}

export async function laravelFacts(dir: string, ctx: ArtisanRunContext): Promise<LaravelFacts> {
  const composer = readJson(join(dir, 'composer.json')) ?? {};
  const require = { ...(composer['require-dev'] ?? {}) as Record<string, string>, ...(composer.require ?? {}) as Record<string, string> };
  const example = dotenvOf(join(dir, '.env.example'));
  const real = dotenvOf(join(dir, '.env'));
  const env: Record<string, string> = {};
  for (const e of [...example, ...real]) if (e.value !== '') env[e.key] = e.value;
  const realEnv = Object.fromEntries(real.filter((e) => e.value !== '').map((e) => [e.key, e.value]));
  const exampleFile = join(dir, '.env.example');
  const help = existsSync(exampleFile) ? commentsAbove(readFileSync(exampleFile, 'utf8')) : new Map<string, string>();
  const looksRequired = (key: string) => /^(DB_PASSWORD|DB_DATABASE|DB_USERNAME|MAIL_|AWS_|PUSHER_|REVERB_)/.test(key) || /\b(required|must)\b/i.test(help.get(key) ?? '');
  const emptyRequired = example.filter((e) => e.value === '' && e.key !== 'APP_KEY' && looksRequired(e.key) && !env[e.key])
    .map((e) => ({ key: e.key, help: help.get(e.key) ?? '' }));
  const has = (f: string) => existsSync(join(dir, f));
  const evidence: string[] = [];

  const php = typeof require.php === 'string' ? require.php : '';
  evidence.push(php ? `PHP ${php} (composer.json require.php)` : 'no PHP constraint in composer.json');

  const listed = await listArtisanCommands(dir, ctx);
  const commands = listed.ok ? [...listed.commands].sort() : null;
  const can = listed.ok ? (c: string) => listed.commands.has(c) : (c: string) => definesCommand(dir, c);
  const from = listed.ok ? 'php artisan list' : 'the files';
  evidence.push(listed.ok ? `artisan commands: ${listed.commands.size} from php artisan list --format=json`
    : `artisan commands read from the files (composer.json, app/Console, routes), not listed: ${listed.reason}`);

  const reverbPkg = Boolean(require['laravel/reverb']);
  const reverb = listed.ok ? can('reverb:start') : reverbPkg || can('reverb:start');
  const reverbConfig = [has('config/reverb.php') ? 'config/reverb.php' : '', env.BROADCAST_DRIVER === 'reverb' || env.BROADCAST_CONNECTION === 'reverb' ? 'broadcasting to reverb (.env)' : ''].filter(Boolean);
  evidence.push(reverb ? `Reverb: ${listed.ok ? 'reverb:start (php artisan list)' : reverbPkg ? 'laravel/reverb (composer.json)' : 'a reverb:start command (app/Console, routes)'}${reverbConfig.length ? `, ${reverbConfig.join(', ')}` : ''}`
    : `no Reverb: no reverb:start command (${from})${reverbPkg ? '' : ', no laravel/reverb'}${reverbConfig.length ? ` although ${reverbConfig.join(', ')}` : ''}`);

  const horizon = listed.ok ? can('horizon') : Boolean(require['laravel/horizon']) || has('config/horizon.php');
  if (horizon) evidence.push(`Horizon: ${listed.ok ? 'horizon (php artisan list)' : [require['laravel/horizon'] ? 'laravel/horizon (composer.json)' : '', has('config/horizon.php') ? 'config/horizon.php' : ''].filter(Boolean).join(', ')}`);

  const configDefault = has('config/queue.php') ? /env\(\s*['"]QUEUE_CONNECTION['"]\s*,\s*['"]([\w-]+)['"]/.exec(readFileSync(join(dir, 'config', 'queue.php'), 'utf8'))?.[1] : undefined;
  const queue = env.QUEUE_CONNECTION || configDefault || 'sync';
  evidence.push(`queue: ${queue} (${env.QUEUE_CONNECTION ? `QUEUE_CONNECTION in ${realEnv.QUEUE_CONNECTION ? '.env' : '.env.example'}` : configDefault ? 'config/queue.php default' : "Laravel's default"})`);

  let test: string;
  if (can('app:selftest')) test = 'default';
  else if (listed.ok) test = can('test') ? 'php artisan test' : has('vendor/bin/phpunit') ? 'php vendor/bin/phpunit' : 'none';
  else test = require['nunomaduro/collision'] || require['pestphp/pest'] ? 'php artisan test' : require['phpunit/phpunit'] ? 'php vendor/bin/phpunit' : 'none';
  evidence.push(`tests: ${test === 'default' ? 'app:selftest' : test} (${test === 'php vendor/bin/phpunit' && listed.ok ? 'vendor/bin/phpunit' : test === 'none' ? `no app:selftest, test or phpunit in ${from}` : from})`);

  const missingBuild = listed.ok ? BUILD_ARTISAN.filter((c) => !can(c.split(' ')[0])) : [];
  if (missingBuild.length) evidence.push(`no ${missingBuild.map((c) => c.split(' ')[0]).join(', ')} (php artisan list): left out of the build`);
  return { php, reverb, horizon, queue, test, commands, missingBuild, evidence, env, realEnv, emptyRequired };
}
