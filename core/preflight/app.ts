/**
 * The checks of the apps themselves, so a deploy never starts a build that is sure to fail (issue 15's four
 * problems, found on a second, plain Laravel app):
 * - the app folders exist (BACKEND_PATH always; PWA_PATH and RELAY_PATH when they are deployed);
 * - the backend's .env has a well-formed APP_KEY (Laravel refuses to run without one);
 * - every artisan command the configuration runs (the build and test commands, the services' queue:work, serve and
 *   reverb:start) is a command of this app (`php artisan list --format=json`).
 * APP_KEY's value is never shown: only whether it is there and well-formed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planBuilds } from '../build';
import type { KeyName, ProjectConfig } from '../config';
import { parseDotenv } from '../config/dotenv';
import { liveConfig } from '../releases';
import { stackDefinitions } from '../services';
import { locate } from './tools';
import { PHP_INSTALL } from './php';
import { ProbeSkip, type Outcome, type ProbeContext } from './types';

export interface AppFolders {
  missing: { key: string; dir: string; why: string }[];
  present: string[];
}

export async function probeFolders(pc: ProbeContext): Promise<AppFolders> {
  const cfg = pc.cfg;
  const wanted: { key: KeyName; why: string }[] = [
    { key: 'BACKEND_PATH', why: 'the backend\'s services (queue worker, backend, Reverb) run from it' },
    ...(cfg.flag('PWA_ENABLED') ? [{ key: 'PWA_PATH' as const, why: 'the deploy builds the PWA from it and nginx serves its output (PWA_ENABLED=false for a project without one)' }] : []),
    ...(cfg.flag('RELAY_ENABLED') ? [{ key: 'RELAY_PATH' as const, why: 'RELAY_ENABLED=true: the deploy builds the relay app from it' }] : []),
  ];
  const missing = wanted.filter((w) => !existsSync(cfg.path(w.key))).map((w) => ({ key: w.key, dir: cfg.path(w.key), why: w.why }));
  return { missing, present: wanted.filter((w) => existsSync(cfg.path(w.key))).map((w) => w.key) };
}

export function evaluateFolders(f: AppFolders, pc: ProbeContext): Outcome {
  if (f.missing.length === 0) return { status: 'Pass', expected: 'present', actual: f.present.join(', '), message: `The app folders exist (${f.present.join(', ')}).` };
  return {
    status: 'Fail', expected: 'present', actual: `missing: ${f.missing.map((m) => m.key).join(', ')}`,
    message: f.missing.map((m) => `${m.key} points to ${m.dir}, which does not exist (${m.why}).`).join(' '),
    fix: `Check out the app there, or set ${f.missing.map((m) => m.key).join(' and ')} in ${pc.cfg.location.file} to where it is (relative to the project folder).`,
  };
}

export interface AppKey {
  file: string;
  state: 'missing-file' | 'empty' | 'malformed' | 'ok';
  detail: string;
}

/** Laravel's key: base64: plus the base64 of 32 random bytes (AES-256-CBC, key:generate) or 16 (AES-128-CBC). */
export function appKeyState(value: string | undefined): Pick<AppKey, 'state' | 'detail'> {
  if (value === undefined || value.trim() === '') return { state: 'empty', detail: 'empty' };
  const raw = value.startsWith('base64:') ? Buffer.from(value.slice(7), 'base64') : Buffer.from(value, 'utf8');
  if (value.startsWith('base64:') && !/^[A-Za-z0-9+/]+={0,2}$/.test(value.slice(7))) return { state: 'malformed', detail: 'base64: followed by text that is not base64' };
  if (raw.length !== 32 && raw.length !== 16) return { state: 'malformed', detail: `${raw.length} bytes (AES-256-CBC needs 32, AES-128-CBC 16)` };
  return { state: 'ok', detail: `${raw.length} bytes` };
}

export async function probeAppKey(pc: ProbeContext): Promise<AppKey> {
  const file = join(liveConfig(pc.cfg).path('BACKEND_PATH'), '.env');
  if (!existsSync(file)) return { file, state: 'missing-file', detail: 'no .env' };
  const entries = parseDotenv(readFileSync(file, 'utf8'), { as: 'laravel' }).entries;
  return { file, ...appKeyState(entries.find((e) => e.key === 'APP_KEY')?.value) };
}

export function evaluateAppKey(k: AppKey): Outcome {
  const fix = `Generate one: \`php artisan key:generate\` in the backend folder (it writes APP_KEY=base64:… into ${k.file}), then deploy.`;
  if (k.state === 'ok') return { status: 'Pass', expected: 'base64:<32 bytes>', actual: k.detail, message: `APP_KEY in ${k.file} is well-formed.` };
  if (k.state === 'missing-file') {
    return { status: 'Warn', expected: 'a .env with APP_KEY', actual: 'no .env', message: `${k.file} does not exist yet: Sync-WoosooConfig (and the deploy's Sync step) writes it, but not APP_KEY.`, fix };
  }
  return {
    status: 'Fail', expected: 'base64:<32 bytes>', actual: k.detail,
    message: `APP_KEY in ${k.file} is ${k.state === 'empty' ? 'empty or not set' : `malformed (${k.detail})`}: Laravel cannot encrypt sessions and cookies, and every request fails ("No application encryption key has been specified" / "Unsupported cipher or incorrect key length").`,
    fix,
  };
}

export interface ArtisanCommands {
  /** Where `php artisan list` ran. */
  dir: string;
  /** The app's own code (true) or the live release's, older than what is deployed (false). */
  sameCode: boolean;
  available: Set<string>;
  /** Each artisan command the configuration runs, with where it is configured. */
  needed: { name: string; from: string }[];
  /** The app folder, searched for a command's signature when judged from the live release. */
  source: string;
}

/** The artisan commands the configuration runs: the backend's build and test commands, and the services'. */
function neededCommands(cfg: ProjectConfig, env: Record<string, string>): { name: string; from: string }[] {
  const out = new Map<string, string>();
  const add = (args: readonly string[], from: string) => {
    const i = args.findIndex((a) => /(^|[\\/])artisan$/.test(a));
    if (i >= 0 && args[i + 1] && !args[i + 1].startsWith('-') && !out.has(args[i + 1])) out.set(args[i + 1], from);
  };
  for (const plan of planBuilds(cfg, { apps: ['backend'], skipTests: false, env })) {
    for (const c of plan.commands) add(c.args, c.kind === 'test' ? 'TEST_BACKEND_COMMAND' : 'BUILD_BACKEND_COMMANDS');
  }
  for (const d of stackDefinitions(liveConfig(cfg), env)) add(d.arguments, `the ${d.name} service`);
  return [...out].map(([name, from]) => ({ name, from }));
}

export async function probeArtisan(pc: ProbeContext): Promise<ArtisanCommands> {
  const source = pc.cfg.path('BACKEND_PATH');
  const live = liveConfig(pc.cfg).path('BACKEND_PATH');
  const built = (d: string) => existsSync(join(d, 'artisan')) && existsSync(join(d, 'vendor', 'autoload.php'));
  const dir = built(source) ? source : built(live) ? live : null;
  if (!dir) throw new ProbeSkip(`Cannot list the app's artisan commands: ${source} has no vendor/ yet (the build's composer install makes it); they are checked once it has one.`);
  const php = locate(pc.cfg, pc.env, 'PHP_PATH', ['php'], 'PHP', PHP_INSTALL);
  if (php.path === null) throw new ProbeSkip(`Cannot list the app's artisan commands: ${php.reason}`);
  const r = await pc.exec(php.path, [join(dir, 'artisan'), 'list', '--format=json', '--no-ansi']);
  let names: string[] = [];
  try {
    names = (JSON.parse(r.stdout) as { commands?: { name: string }[] }).commands?.map((c) => c.name) ?? [];
  } catch {
    throw new ProbeSkip(`Cannot list the app's artisan commands: "${r.display}" exited ${r.exitCode ?? '(did not start)'} without a command list${r.stderr.trim() ? ` (${r.stderr.trim().split(/\r?\n/).pop()})` : ''}.`);
  }
  return { dir, sameCode: dir === source, available: new Set(names), needed: neededCommands(pc.cfg, pc.env), source };
}

/** Whether the app folder's own code defines the command (a $signature or Artisan::command in app/ or routes/). */
function definedInSource(source: string, name: string): boolean {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(\\$signature\\s*=\\s*['"]|Artisan::command\\(\\s*['"])${esc}[\\s'"{]`);
  const walk = (d: string): boolean => {
    if (!existsSync(d)) return false;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() ? walk(p) : e.name.endsWith('.php') && re.test(readFileSync(p, 'utf8'))) return true;
    }
    return false;
  };
  return walk(join(source, 'app', 'Console')) || walk(join(source, 'routes'));
}

export function evaluateArtisan(a: ArtisanCommands): Outcome {
  const missing = a.needed.filter((n) => !a.available.has(n.name) && (a.sameCode || !definedInSource(a.source, n.name)));
  const names = a.needed.map((n) => n.name).join(', ');
  if (missing.length === 0) return { status: 'Pass', expected: names, actual: 'all present', message: `The app has every artisan command the configuration runs (${names}).` };
  const fixes = missing.map((m) => (m.name === 'reverb:start'
    ? 'reverb:start comes with Laravel Reverb: `composer require laravel/reverb` in the backend, or set REVERB_ENABLED=false for an app without websockets'
    : m.from === 'TEST_BACKEND_COMMAND' ? `set TEST_BACKEND_COMMAND to a test command the app has (\`php artisan test\`, \`vendor/bin/phpunit\`) or to none`
      : `remove \`artisan ${m.name}\` from ${m.from}, or add the command to the app`));
  return {
    // Judged from the live release (older code): the new code may bring the command with a package; warn only.
    status: a.sameCode ? 'Fail' : 'Warn', expected: names, actual: `missing: ${missing.map((m) => m.name).join(', ')}`,
    message: `${missing.map((m) => `\`php artisan ${m.name}\` (${m.from})`).join(', ')} ${missing.length === 1 ? 'is not a command' : 'are not commands'} of the app in ${a.dir}${a.sameCode ? '' : ' (the live release: the new code may add it)'}: the deploy would fail there.`,
    fix: `${fixes.join('; ')}.`,
  };
}
