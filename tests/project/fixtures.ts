/**
 * Generated app folders for New-WoosooProject's detection tests: a Laravel app of the given make-up (its artisan
 * commands defined in routes/console.php, its composer.json, its .env.example), Node apps, a Flutter app, a static
 * site; a fake `php` whose `artisan list --format=json` prints a given command list (an app "with vendor/"); and a
 * project.new call with the session environment a test chooses.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { RequestContext } from '../../core/kernel/context';
import { projectNew } from '../../core/project/methods';

export interface NewProjectItem {
  Apps: string[];
  Notes: string[];
  Content: string;
  Written: boolean;
  BackupId: string;
  ConfigPath: string;
  Secrets?: Record<string, string>;
}

export function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export interface LaravelOptions {
  /** Artisan commands the app defines itself (routes/console.php). */
  commands?: string[];
  require?: Record<string, string>;
  requireDev?: Record<string, string>;
  envExample?: string[];
  /** Extra files, path → text. */
  files?: Record<string, string>;
  /** The artisan list a fake php prints for this app (it then has a vendor/autoload.php). */
  listed?: string[];
}

export function laravelApp(dir: string, o: LaravelOptions = {}): void {
  write(join(dir, 'artisan'), '#!/usr/bin/env php\n<?php\n');
  write(join(dir, 'bootstrap', 'app.php'), '<?php\n');
  write(join(dir, 'composer.json'), JSON.stringify({ require: o.require ?? {}, 'require-dev': o.requireDev ?? {} }, null, 2));
  write(join(dir, 'routes', 'console.php'), `<?php\n${(o.commands ?? []).map((c) => `Artisan::command('${c}', function () {});`).join('\n')}\n`);
  write(join(dir, '.env.example'), `${(o.envExample ?? ['APP_NAME=Shop', 'APP_KEY=', 'DB_DATABASE=shop', 'DB_USERNAME=shop', 'DB_PASSWORD=']).join('\n')}\n`);
  for (const [f, text] of Object.entries(o.files ?? {})) write(join(dir, f), text);
  if (o.listed) {
    write(join(dir, 'vendor', 'autoload.php'), '<?php\n');
    write(join(dir, 'artisan-list.json'), JSON.stringify({ commands: o.listed.map((name) => ({ name })) }));
  }
}

export function nodeApp(dir: string, scripts: Record<string, string>, o: { nuxt?: boolean; lock?: boolean } = {}): void {
  write(join(dir, 'package.json'), JSON.stringify({ name: 'app', scripts, dependencies: o.nuxt ? { nuxt: '^3.0.0' } : {} }, null, 2));
  if (o.lock) write(join(dir, 'package-lock.json'), '{"lockfileVersion": 3}\n');
}

export function flutterApp(dir: string): void {
  write(join(dir, 'pubspec.yaml'), 'name: relay\ndependencies:\n  flutter:\n    sdk: flutter\n');
}

export function staticSite(dir: string): void {
  write(join(dir, 'index.html'), '<!doctype html><title>Menu</title>\n');
}

/** The framework's own commands, as php artisan list names them (Laravel 8). */
export const FRAMEWORK = ['list', 'help', 'migrate', 'config:cache', 'route:cache', 'view:cache', 'queue:work', 'key:generate'];

/** A folder with a `php` that prints the current folder's artisan-list.json for `artisan list` (and fails otherwise). */
export function fakePhpBin(): string {
  const bin = mkdtempSync(join(tmpdir(), 'wsphp-'));
  writeFileSync(join(bin, 'php'), '#!/bin/sh\n[ "$1 $2" = "artisan list" ] && exec cat artisan-list.json\necho "fake php: $*" >&2\nexit 1\n');
  chmodSync(join(bin, 'php'), 0o755);
  return bin;
}

export function newProjectDir(): string {
  return mkdtempSync(join(tmpdir(), 'wsnew-'));
}

/** project.new on dir with the given PATH in front (a fake php), returning its item and the $/log messages. */
export async function runNew(dir: string, params: Record<string, unknown> = {}, pathFirst = ''): Promise<{ item: NewProjectItem; logs: string[] }> {
  const env = { ...(process.env as Record<string, string>) };
  if (pathFirst) env.PATH = `${pathFirst}${delimiter}${env.PATH ?? ''}`;
  const logs: string[] = [];
  const ctx = new RequestContext(1, { env, cwd: dir }, new AbortController().signal, (method, p) => {
    if (method === '$/log') logs.push(String(p.message));
  });
  const r = await projectNew.handler({ path: dir, force: false, whatIf: false, reveal: false, ...params } as never, ctx);
  return { item: (r as { items: NewProjectItem[] }).items[0], logs };
}
