/**
 * Sync-WoosooConfig: renders deployment.config.env into each target (the apps' .env files, configs/nginx.conf),
 * in two phases. Plan: render, merge, diff and check every target (nginx -t); any failure stops here and nothing
 * is written. Apply (unless whatIf): back up the files about to be overwritten, then write each atomically.
 * The deploy calls syncConfig directly.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createBackup, type KeySource } from '../backup';
import type { ProjectConfig } from '../config';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { MASK, MIN_SECRET_LENGTH, looksSecret, redact } from '../util/redact';
import { unifiedDiff } from './diff';
import { dotenvSyntaxProblems, laravelReadingWarnings, mergeDotenv, splitLines, withAppKey } from './envmerge';
import { placeholders, secretEntries, secretValuesOf } from './secrets';
import { checkNginxConf, NGINX_PREFIX_DIRS } from './nginxcheck';
import { selectTargets, templateContext, type SyncTarget } from './targets';
import { findTemplate, renderTemplate } from './templates';
import { writeFileAtomic } from './atomic';

export { NGINX_CONF, releaseMarker, syncTargets } from './targets';
export { dotenvQuote } from './quote';
export { writeFileAtomic } from './atomic';
export { withAppKey } from './envmerge';
// Export-WoosooDiagnostics masks the apps' .env secrets in its bundle.
export { secretValuesOf } from './secrets';

/** What the sync did (or, with whatIf, would do) to one file: sync/methods.ts makes the wire's Woosoo.ConfigChange. */
export interface ConfigChange {
  app: string;
  path: string;
  action: 'Create' | 'Update' | 'Unchanged';
  /** Unified diff, secrets masked; empty when unchanged. */
  diff: string;
  linesAdded: number;
  linesRemoved: number;
  template: string;
  /** "nginx -t passed", "not checked: …", or '' for files without a check. */
  check: string;
  /** The backup holding the file as it was (only when it was overwritten). */
  backupId?: string;
  /** true when nothing was written (-WhatIf). */
  whatIf: boolean;
}

export interface SyncOptions {
  apps?: string[];
  whatIf: boolean;
  /**
   * The backup of the files about to be overwritten; false when the caller holds them in its own (the deploy's
   * backup, made just before, has every sync target), so a deploy leaves one backup, not two.
   */
  backup?: boolean;
  /** The backup's key, as the cmdlet sent it (a DPAPI-protected key file only the cmdlets can open). */
  keys?: KeySource;
}

interface Plan {
  target: SyncTarget;
  change: ConfigChange;
  content: string;
  secret: boolean;
}

const ENTRY_KEY = /^(\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=).*$/;

function readExisting(path: string): string | null {
  if (!existsSync(path)) return null;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new WoosooError('SyncTargetUnreadable', `Cannot read ${path}: ${(err as Error).message}`, {
      category: 'ReadError', target: path, fix: 'Check that you may read the file, then run the command again.',
    });
  }
  // Notepad's "Unicode" is UTF-16: merging into it would corrupt it, and no app reads a UTF-16 .env.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.subarray(0, 4096).includes(0)) {
    throw new WoosooError('SyncTargetEncoding', `${path} is not UTF-8 text (it looks like UTF-16 or binary); it was not changed.`, {
      category: 'InvalidData', target: path, fix: 'Save the file as UTF-8 (in Notepad: Save As, Encoding UTF-8), then run the command again.',
    });
  }
  return bytes.toString('utf8');
}

/** Whether a rendered file (not a .env) contains the value of a secret configuration key. */
function holdsSecret(cfg: ProjectConfig, content: string): boolean {
  return [...cfg.entries.keys()].some((k) => cfg.isSecret(k) && cfg.text(k).length >= MIN_SECRET_LENGTH && content.includes(cfg.text(k)));
}

async function planTarget(cfg: ProjectConfig, ctx: RequestContext, target: SyncTarget, context: Record<string, unknown>): Promise<Plan> {
  const template = findTemplate(cfg, target.template);
  const rendered = await renderTemplate(template, context);
  const existing = readExisting(target.path);
  let content: string;
  let secret = false;
  if (target.kind === 'dotenv') {
    // A new .env starts from the app's .env.example when it has one (Laravel's convention), so its other keys
    // (LOG_*, QUEUE_*, an empty APP_KEY for key:generate) are there too.
    const example = join(dirname(target.path), '.env.example');
    const basePath = existing === null && existsSync(example) ? example : target.path;
    const base = basePath === example ? readExisting(example) : existing;
    if (base !== null) {
      const problems = dotenvSyntaxProblems(base);
      if (problems.length > 0) {
        throw new WoosooError('SyncTargetSyntax', `${basePath} line ${problems[0].line}: ${problems[0].message}; ${target.path} was not changed.`, {
          category: 'ParserError', target: basePath, fix: `Correct line ${problems[0].line} of ${basePath}${basePath === target.path ? ' (or delete the file to have it created anew)' : ''}, then run the command again.`,
        });
      }
    }
    if (existing !== null) {
      // Read as Laravel reads it: what phpdotenv refuses (the app then fails to start) or cuts at a # is said.
      for (const w of laravelReadingWarnings(existing)) ctx.log('warning', `${target.path} ${w}`);
    }
    // The real .env's secrets and the rendered ones are masked from now on; .env.example's placeholders are not.
    if (existing !== null) ctx.registerSecrets(secretValuesOf(cfg, existing, placeholders(cfg, example)));
    ctx.registerSecrets(secretValuesOf(cfg, rendered));
    content = mergeDotenv(base, rendered).text;
    if (target.template === 'laravel.env.hbs') {
      const keyed = withAppKey(content);
      if (keyed.generated) {
        ctx.registerSecrets([keyed.generated]);
        ctx.log('info', `${target.path}: APP_KEY was ${existing === null ? 'not set' : 'empty'}; a new one is generated into the file (as php artisan key:generate does).`);
        content = keyed.text;
      }
    }
    secret = secretEntries(cfg, content).length > 0;
  } else {
    content = rendered.endsWith('\n') || rendered === '' ? rendered : `${rendered}\n`;
    secret = holdsSecret(cfg, content);
  }

  let check = '';
  if (target.kind === 'nginx') {
    const r = await checkNginxConf(content, cfg, ctx);
    if (r.ok === false) {
      throw new WoosooError('SyncNginxCheckFailed', `nginx -t rejected the rendered ${target.path} (from ${template.file}): ${r.summary}. The old file was kept.`, {
        category: 'InvalidData', target: target.path,
        fix: template.overridden ? `Correct ${template.file}, then run the command again.` : 'Correct the configuration value nginx names, then run the command again.',
      });
    }
    check = r.summary;
    if (r.ok === undefined) ctx.log('warning', `${target.path}: ${r.summary}.`);
  }

  const action = existing === null ? 'Create' : existing === content ? 'Unchanged' : 'Update';
  const rel = relative(cfg.projectDir, target.path).replace(/\\/g, '/');
  const mask = (line: string) => {
    const m = target.kind === 'dotenv' ? ENTRY_KEY.exec(line) : null;
    if (m && (cfg.isSecret(m[2]) || looksSecret(m[2]))) return `${m[1]}${MASK}`;
    return redact(line);
  };
  const diff = unifiedDiff(existing === null ? [] : splitLines(existing), splitLines(content), {
    fromFile: existing === null ? '/dev/null' : `a/${rel}`, toFile: `b/${rel}`, mask,
  });
  return {
    target, content, secret,
    change: {
      app: target.name, path: target.path, action, diff: diff.text, linesAdded: diff.added, linesRemoved: diff.removed,
      template: template.file, check, whatIf: true,
    },
  };
}

function combine(failures: unknown[]): unknown {
  if (failures.length === 1) return failures[0];
  const messages = failures.map((f) => `  - ${f instanceof Error ? f.message : String(f)}`).join('\n');
  const first = failures.find((f): f is WoosooError => f instanceof WoosooError);
  return new WoosooError('SyncFailed', `${failures.length} configuration targets failed; nothing was written:\n${messages}`, {
    category: first?.category ?? 'InvalidData', target: first?.targetObject, fix: first?.recommendedAction ?? 'Correct the problems listed, then run the command again.',
  });
}

export async function syncConfig(cfg: ProjectConfig, ctx: RequestContext, opts: SyncOptions): Promise<ConfigChange[]> {
  const targets = selectTargets(cfg, opts.apps, (m) => ctx.log('warning', m));
  const context = templateContext(cfg);
  const plans: Plan[] = [];
  const failures: unknown[] = [];
  for (const [i, target] of targets.entries()) {
    ctx.throwIfCancelled();
    ctx.progress({ activity: 'Sync-WoosooConfig', status: `Rendering ${target.name} (${target.path})`, percent: (i / targets.length) * 50 });
    try {
      plans.push(await planTarget(cfg, ctx, target, context));
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw combine(failures);
  if (opts.whatIf) {
    ctx.progress({ activity: 'Sync-WoosooConfig', completed: true });
    return plans.map((p) => p.change);
  }

  const toWrite = plans.filter((p) => p.change.action !== 'Unchanged');
  const overwritten = toWrite.filter((p) => p.change.action === 'Update').map((p) => p.target.path);
  let backupId: string | undefined;
  if (overwritten.length > 0 && opts.backup !== false) {
    ctx.progress({ activity: 'Sync-WoosooConfig', status: `Backing up ${overwritten.length} file(s)`, percent: 60 });
    const backup = await createBackup(cfg, ctx, {
      description: `Before Sync-WoosooConfig: ${toWrite.map((p) => p.target.name).join(', ')}`,
      includeDatabase: false, includeFiles: false, extraFiles: overwritten, creator: 'Sync-WoosooConfig', keys: opts.keys,
    });
    backupId = backup.id;
    ctx.log('verbose', `Backed up ${overwritten.join(', ')} in backup ${backup.id}.`);
  }

  const written: string[] = [];
  for (const [i, p] of toWrite.entries()) {
    ctx.progress({ activity: 'Sync-WoosooConfig', status: `Writing ${p.target.path}`, percent: 70 + (i / toWrite.length) * 30 });
    try {
      if (p.target.kind === 'nginx') {
        for (const d of NGINX_PREFIX_DIRS.filter((x) => x !== 'conf')) mkdirSync(join(cfg.projectDir, d), { recursive: true });
      }
      await writeFileAtomic(p.target.path, p.content, { secret: p.secret }, ctx);
      written.push(p.target.path);
      ctx.log('verbose', `${p.change.action === 'Create' ? 'Created' : 'Updated'} ${p.target.path}.`);
    } catch (err) {
      const e = err instanceof WoosooError ? err : new WoosooError('SyncWriteFailed', String(err), { category: 'WriteError' });
      const undo = backupId ? ` The files as they were are in backup ${backupId} (Restore-WoosooBackup -Id ${backupId}).` : '';
      throw new WoosooError(e.errorId, `${e.message} Written before the failure: ${written.length ? written.join(', ') : 'nothing'}.${undo}`, {
        category: e.category, target: e.targetObject, fix: e.recommendedAction, cause: err,
      });
    }
  }
  const backend = toWrite.find((p) => p.target.name === 'backend');
  if (backend && existsSync(join(dirname(backend.target.path), 'bootstrap', 'cache', 'config.php'))) {
    ctx.log('warning', `${dirname(backend.target.path)} has a cached configuration (bootstrap/cache/config.php): Laravel ignores the new .env until you run php artisan config:cache (a deploy does).`);
  }
  ctx.progress({ activity: 'Sync-WoosooConfig', completed: true });
  return plans.map((p) => ({ ...p.change, whatIf: false, backupId: p.change.action === 'Update' ? backupId : undefined }));
}
