/**
 * Runs the planned builds: each app's commands in order in the app's folder, through core/process/run.ts
 * (no shell, the session's environment, the request's cancel signal, BUILD_TIMEOUT_MINUTES per command),
 * every output line to <logDir>/<app>.log and to the verbose log as it arrives. An app stops at its first
 * failing command; the result names the command, its exit code and the last lines of its output.
 * Independent apps run at the same time when asked.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import type { RequestContext } from '../kernel/context';
import { run, type RunResult } from '../process/run';
import { WoosooError } from '../kernel/errors';
import { destructiveMessage, destructiveStatements, pretendArgs, pretendStatements } from './migrations';
import { planBuilds } from './plan';
import type { AppKind, BuildCommand, BuildPlan, BuildResult, RunBuildsOptions } from './types';

const TAIL_LINES = 20;
const APP_NAMES: Record<AppKind, string> = { backend: 'Backend', pwa: 'Pwa', relay: 'Relay' };

type BuildCtx = Pick<RequestContext, 'env' | 'signal' | 'log' | 'progress'>;

function stamp(): string {
  return new Date().toISOString();
}

function closeLog(log: WriteStream): Promise<void> {
  return new Promise((resolve) => log.end(() => resolve()));
}

function failure(cmd: BuildCommand, r: RunResult, timeoutMs: number, tail: string[]): string {
  let what: string;
  if (r.cancelled) what = 'was cancelled';
  else if (r.timedOut) what = `did not finish within ${timeoutMs % 60_000 === 0 ? `${timeoutMs / 60_000} minute(s)` : `${timeoutMs / 1000} s`} (BUILD_TIMEOUT_MINUTES) and was stopped`;
  else if (r.notFound) what = `could not be started (${r.spawnError ?? 'program not found'})`;
  else what = `failed with exit code ${r.exitCode}`;
  const lines = tail.length > 0 ? `; last lines of its output:\n${tail.map((l) => `  ${l}`).join('\n')}` : '; it wrote no output';
  return `\`${cmd.display}\` ${what}${lines}`;
}

/**
 * Runs the migrate command with --pretend and returns why the real one must not run (destructive statements), or
 * null. A pretend run that fails (a migration that reads data cannot always be pretended) does not stop the build:
 * the log and a warning say the check could not be made.
 */
async function checkMigrations(cmd: BuildCommand, plan: BuildPlan, ctx: BuildCtx, log: WriteStream, timeoutMs: number): Promise<string | null> {
  const args = pretendArgs(cmd.args);
  log.write(`\n$ ${cmd.display} --pretend    (${stamp()}: what would it run?)\n`);
  const r = await run(cmd.program, args, { cwd: plan.dir, env: ctx.env, signal: ctx.signal, timeoutMs });
  log.write(`${r.stdout}${r.stderr ? `! ${r.stderr.trimEnd().split('\n').join('\n! ')}\n` : ''}# exit code ${r.exitCode ?? '(none)'}\n`);
  if (r.cancelled) throw ctx.signal.reason;
  // Laravel cannot pretend a Doctrine column change: it says "failed to dump queries" and goes on.
  if (r.exitCode !== 0 || /failed to dump queries/i.test(r.stdout)) {
    ctx.log('warning', `[${plan.app}] \`${cmd.display} --pretend\` ${r.exitCode !== 0 ? `failed (exit ${r.exitCode ?? 'none'})` : 'could not show every query'}: the migrations could not be checked for dropped or renamed tables and columns before they run.`);
    if (r.exitCode !== 0) return null;
  }
  const found = destructiveStatements(r.stdout);
  return found.length > 0 ? destructiveMessage(found) : null;
}

function resultOf(plan: BuildPlan, logPath: string, message: string, status: BuildResult['status']): BuildResult {
  return { app: plan.app, dir: plan.dir, status, durationMs: 0, commands: plan.commands.map((c) => c.display), logPath, message, migrationsRan: false };
}

async function buildApp(plan: BuildPlan, ctx: BuildCtx, opts: RunBuildsOptions, timeoutMs: number, progressId: number): Promise<BuildResult> {
  const name = APP_NAMES[plan.app];
  const logPath = join(opts.logDir, `${plan.app}.log`);
  if (plan.skipped) {
    // A disabled app (RELAY_ENABLED=false) is a choice, not a problem: said under -Verbose, and in the result.
    ctx.log(plan.skipWarns ? 'warning' : 'verbose', `${name} build skipped: ${plan.skipped}`);
    return resultOf(plan, '', plan.skipped, 'Skipped');
  }
  if (plan.error) return resultOf(plan, '', plan.error, 'Failed');
  if (ctx.signal.aborted) return { ...resultOf(plan, '', 'Cancelled before it started.', 'Failed'), cancelled: true };

  const started = performance.now();
  const log = createWriteStream(logPath, { flags: 'w' });
  // A log that cannot be written (disk full, removed folder) must not crash the engine: the build goes on, the
  // message says the log is incomplete.
  let logError = '';
  log.on('error', (err) => {
    logError ||= err.message;
  });
  const result = resultOf(plan, logPath, '', 'Succeeded');
  try {
    log.write(`# ${name} build in ${plan.dir}, started ${stamp()}\n`);
    for (const [i, cmd] of plan.commands.entries()) {
      ctx.progress({ id: progressId, parentId: 1, activity: `Building ${name}`, status: cmd.display, percent: (100 * i) / plan.commands.length });
      ctx.log('verbose', `[${plan.app}] ${cmd.display}`);
      log.write(`\n$ ${cmd.display}    (${stamp()})\n`);
      if (cmd.kind === 'migrate' && !opts.allowDestructiveMigrations) {
        const refused = await checkMigrations(cmd, plan, ctx, log, timeoutMs);
        if (refused) {
          result.status = 'Failed';
          result.failedCommand = cmd.display;
          result.message = `${name} build stopped before \`${cmd.display}\`: ${refused}\nFull log: ${logPath}`;
          log.write(`# STOPPED before: ${cmd.display} (destructive migrations)\n`);
          break;
        }
      }
      if (cmd.kind === 'migrate') result.migrationsRan = true;
      const tail: string[] = [];
      const r = await run(cmd.program, cmd.args, {
        cwd: plan.dir, env: ctx.env, signal: ctx.signal, timeoutMs,
        onLine: (stream, line) => {
          log.write(stream === 'stderr' ? `! ${line}\n` : `${line}\n`);
          tail.push(line);
          if (tail.length > TAIL_LINES) tail.shift();
          ctx.log('verbose', `[${plan.app}] ${line}`);
          opts.onLine?.(plan.app, stream, line);
        },
      });
      log.write(`# exit code ${r.exitCode ?? '(none)'} after ${(r.durationMs / 1000).toFixed(2)} s\n`);
      if (r.exitCode !== 0 || r.cancelled || r.timedOut) {
        result.status = 'Failed';
        result.failedCommand = cmd.display;
        result.exitCode = r.exitCode;
        result.tail = tail;
        result.cancelled = r.cancelled;
        result.message = `${name} build failed: ${failure(cmd, r, timeoutMs, tail)}\nFull log: ${logPath}`;
        log.write(`# FAILED: ${cmd.display}\n`);
        break;
      }
    }
    if (result.status === 'Succeeded') result.message = `${name} built: ${plan.commands.length} command(s) succeeded.`;
    if (logError) result.message += `\nThe build log ${logPath} could not be written completely: ${logError}`;
  } finally {
    result.durationMs = Math.round(performance.now() - started);
    log.write(`\n# ${result.status} after ${(result.durationMs / 1000).toFixed(2)} s (${stamp()})\n`);
    await closeLog(log);
    ctx.progress({ id: progressId, parentId: 1, activity: `Building ${name}`, completed: true });
  }
  return result;
}

/** Plans and runs the builds; never throws for a failing build (the result says Failed and why). */
export async function runBuilds(cfg: ProjectConfig, ctx: BuildCtx, given: RunBuildsOptions): Promise<BuildResult[]> {
  const opts = { ...given, allowDestructiveMigrations: given.allowDestructiveMigrations ?? cfg.flag('DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS') };
  const plans = planBuilds(cfg, { apps: opts.apps, exclude: opts.exclude, skipTests: opts.skipTests, env: ctx.env });
  try {
    mkdirSync(opts.logDir, { recursive: true });
  } catch (err) {
    throw new WoosooError('BuildLogUnwritable', `Cannot create the build log folder ${opts.logDir}: ${(err as Error).message}`, {
      category: 'WriteError', target: opts.logDir,
      fix: 'Check that the folder (BUILD_LOG_PATH, relative to the project folder) can be created and written by you; nothing was built.',
    });
  }
  const timeoutMs = opts.timeoutMs ?? (cfg.num('BUILD_TIMEOUT_MINUTES') || 30) * 60_000;
  ctx.progress({ id: 1, activity: 'Building', status: plans.map((p) => APP_NAMES[p.app]).join(', ') });
  let results: BuildResult[];
  if (opts.parallel) {
    results = await Promise.all(plans.map((p, i) => buildApp(p, ctx, opts, timeoutMs, i + 2)));
  } else {
    results = [];
    for (const [i, p] of plans.entries()) results.push(await buildApp(p, ctx, opts, timeoutMs, i + 2));
  }
  ctx.progress({ id: 1, activity: 'Building', completed: true });
  return results;
}

/**
 * The SQL the pending migrations would run (`migrate --pretend` of each planned migrate command, in the app's
 * folder), for a deploy's -WhatIf: one line per statement, "[backend] SQL: …", or a line saying why it cannot be shown.
 */
export async function previewMigrations(cfg: ProjectConfig, ctx: Pick<RequestContext, 'env' | 'signal'>, apps?: AppKind[], runIn?: string): Promise<string[]> {
  const lines: string[] = [];
  for (const plan of planBuilds(cfg, { apps, skipTests: true, env: ctx.env })) {
    for (const cmd of plan.commands.filter((c) => c.kind === 'migrate' && !plan.skipped && !plan.error)) {
      // runIn: a built copy of the app (the live release) runs the app folder's migrations: the app folder itself
      // has no vendor/ when releases are built elsewhere.
      const elsewhere = runIn && runIn !== plan.dir && !cmd.args.some((a) => a.startsWith('--path'));
      const args = elsewhere ? [...pretendArgs(cmd.args), `--path=${join(plan.dir, 'database', 'migrations')}`, '--realpath'] : pretendArgs(cmd.args);
      const r = await run(cmd.program, args, { cwd: elsewhere ? runIn : plan.dir, env: ctx.env, signal: ctx.signal, timeoutMs: 120_000 });
      if (r.exitCode !== 0) {
        lines.push(`[${plan.app}] SQL not shown: \`${cmd.display} --pretend\` failed (exit ${r.exitCode ?? 'none'}): ${`${r.stderr}${r.stdout}`.trim().split(/\r?\n/).pop() ?? ''}`);
        continue;
      }
      const sql = pretendStatements(r.stdout);
      lines.push(...(sql.length > 0 ? sql.map((s) => `[${plan.app}] SQL: ${s}`) : [`[${plan.app}] no pending migration (migrate --pretend shows no SQL)`]));
      const destructive = destructiveStatements(r.stdout);
      if (destructive.length > 0 && !cfg.flag('DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS')) {
        lines.push(`[${plan.app}] the build would stop here: ${destructive.length} statement(s) drop or rename what the live release may use (DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS).`);
      }
    }
  }
  return lines;
}
