/** RPC method of builds: build.run (or its plan with whatIf). Thin: the work is in plan.ts and run.ts. */
import { join } from 'node:path';
import { z } from 'zod';
import { loadValidProject } from '../config';
import { toItemError, WoosooError } from '../kernel/errors';
import { defineMethod, duration, durationSchema, projectParams, typed, typedSchema } from '../kernel/method';
import { planBuilds, runBuilds, APP_KINDS, type AppKind, type BuildPlan, type BuildResult } from './index';

const APP_NAMES: Record<AppKind, 'Backend' | 'Pwa' | 'Relay'> = { backend: 'Backend', pwa: 'Pwa', relay: 'Relay' };
const appKind = z.enum(APP_KINDS as [AppKind, ...AppKind[]]);
const appName = z.enum(['Backend', 'Pwa', 'Relay']);

const resultItem = typedSchema('BuildResult', {
  App: appName, Status: z.enum(['Succeeded', 'Failed', 'Skipped']), Duration: durationSchema, Steps: z.array(z.string()),
  FailedCommand: z.string(), ExitCode: z.number().nullable(), MigrationsRan: z.boolean(), LogPath: z.string(),
  Message: z.string(), AppPath: z.string(), ProjectPath: z.string(),
});
const planItem = typedSchema('BuildPlan', {
  App: appName, Status: z.enum(['WillRun', 'Skipped', 'Blocked']), AppPath: z.string(), Commands: z.array(z.string()),
  Kinds: z.array(z.enum(['build', 'test', 'migrate'])), Reason: z.string(), ProjectPath: z.string(),
});

function planObject(p: BuildPlan, projectPath: string) {
  return typed('BuildPlan', {
    App: APP_NAMES[p.app], Status: p.skipped ? 'Skipped' as const : p.error ? 'Blocked' as const : 'WillRun' as const, AppPath: p.dir,
    Commands: p.commands.map((c) => c.display), Kinds: p.commands.map((c) => c.kind), Reason: p.skipped ?? p.error ?? '',
    ProjectPath: projectPath,
  });
}

function resultObject(r: BuildResult, projectPath: string) {
  return typed('BuildResult', {
    App: APP_NAMES[r.app], Status: r.status, Duration: duration(r.durationMs), Steps: r.commands,
    FailedCommand: r.failedCommand ?? '', ExitCode: r.exitCode ?? null, MigrationsRan: r.migrationsRan, LogPath: r.logPath,
    Message: r.message, AppPath: r.dir, ProjectPath: projectPath,
  });
}

/** A folder name for this run's logs: 2026-02-15_14-30-00 (UTC). */
function runFolder(): string {
  return new Date().toISOString().slice(0, 19).replace('T', '_').replace(/:/g, '-');
}

export const buildRun = defineMethod({
  name: 'build.run',
  summary: 'Builds the apps (Backend, Pwa, Relay; all when none given) with their build and test commands and returns a Woosoo.BuildResult per app; with whatIf, returns the plan as Woosoo.BuildPlan objects and runs nothing.',
  params: z.object({
    ...projectParams,
    apps: z.array(appKind).optional().describe('backend, pwa, relay; all when empty'),
    exclude: z.array(appKind).optional().describe('apps to leave out after planning (declined at -Confirm)'),
    skipTests: z.boolean().default(false),
    parallel: z.boolean().default(false),
    whatIf: z.boolean().default(false),
  }),
  item: z.union([resultItem, planItem]),
  async handler(p, ctx) {
    const cfg = loadValidProject(p, ctx);
    const apps = p.apps && p.apps.length > 0 ? [...new Set(p.apps)] : undefined;
    if (p.whatIf) {
      const plans = planBuilds(cfg, { apps, exclude: p.exclude, skipTests: p.skipTests, env: ctx.env });
      return { items: plans.map((x) => planObject(x, cfg.projectDir)) };
    }
    const logDir = join(cfg.path('BUILD_LOG_PATH'), runFolder());
    const results = await runBuilds(cfg, ctx, { apps, exclude: p.exclude, skipTests: p.skipTests, parallel: p.parallel, logDir });
    ctx.throwIfCancelled();
    const errors = results.filter((r) => r.status === 'Failed').map((r) => toItemError(new WoosooError('BuildFailed', r.message, {
      category: r.failedCommand ? 'InvalidResult' : 'NotInstalled',
      target: r.failedCommand ?? r.dir,
      fix: r.failedCommand
        ? `Read ${r.logPath}, fix the cause, then run Invoke-WoosooBuild -App ${APP_NAMES[r.app]} again.`
        : 'Install the missing tool or set its *_PATH key (or the app folder key) in deployment.config.env, then run the build again.',
    })));
    return { items: results.map((r) => resultObject(r, cfg.projectDir)), errors };
  },
});
