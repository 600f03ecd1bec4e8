/** RPC methods of deploys: deploy.run (or its plan with whatIf), deploy.get (history), deploy.undo. Thin. */
import { z } from 'zod';
import { keyParams, keysOf, type KeySource } from '../backup';
import { loadValidProject } from '../config';
import type { RequestContext } from '../kernel/context';
import { defineMethod, duration, durationSchema, projectParams, typed, typedSchema } from '../kernel/method';
import { withStepSink, type DeployCtx } from './context';
import { changedProject, effectiveStatus, interruptedDeployments, listDeployments, needsRollback, summarizeDeployment } from './history';
import { readJournal, type Journal, type StepRecord } from './journal';
import { runDeploy } from './orchestrator';
import { deployPlanWithSql, type PlanStep } from './steps';
import { checkUndoable, undoDeploy } from './undo';

const scope = z.enum(['Full', 'Backend', 'Pwa', 'Relay']);
const stepStatus = z.enum(['Running', 'Succeeded', 'Failed', 'Skipped', 'Cancelled']);
const stepSchema = typedSchema('DeployStep', {
  DeploymentId: z.string(), Name: z.string(), Status: stepStatus, StartedAt: z.string(), Duration: durationSchema,
  Message: z.string(), OutputLog: z.string(), ProjectPath: z.string(),
});
const deploymentSchema = typedSchema('Deployment', {
  Id: z.string(), Scope: scope, Status: z.enum(['Running', 'Succeeded', 'Failed', 'RolledBack', 'RollbackFailed', 'Interrupted']),
  StartedAt: z.string(), Duration: durationSchema, BackupId: z.string(), FailedStep: z.string(), Steps: z.array(stepSchema),
  ReportPath: z.string(), JsonReportPath: z.string(), Error: z.string(), LeftToDo: z.array(z.string()), Host: z.string(),
  User: z.string(), Environment: z.string(), Strategy: z.enum(['BlueGreen', 'InPlace']), Colour: z.string(), ReleasePath: z.string(), ProjectPath: z.string(),
});

/** The wire's Woosoo.DeployStep of a journal's step. */
export function stepObject(j: Journal, s: StepRecord) {
  return typed('DeployStep', {
    DeploymentId: j.id, Name: s.name, Status: s.status, StartedAt: s.startedAt,
    Duration: duration(s.durationMs ?? 0), Message: s.message, OutputLog: s.outputLog, ProjectPath: j.project,
  });
}

/** The wire's Woosoo.Deployment of a journal, as it stands now (summarizeDeployment). */
export function toDeployment(j: Journal) {
  const d = summarizeDeployment(j);
  return typed('Deployment', {
    Id: j.id, Scope: j.options.scope, Status: d.status, StartedAt: j.startedAt, Duration: duration(d.durationMs),
    BackupId: j.backupId ?? '', FailedStep: d.failedStep, Steps: d.steps.map((s) => stepObject(j, s)),
    ReportPath: j.htmlReportPath ?? '', JsonReportPath: j.reportPath ?? '', Error: d.error, LeftToDo: j.leftToDo ?? [],
    Host: j.host, User: j.user, Environment: j.environment ?? '', Strategy: j.strategy ?? 'InPlace', Colour: j.release?.colour ?? '', ReleasePath: j.release?.dir ?? '',
    ProjectPath: j.project,
  });
}

/** The wire's Woosoo.DeployPlanStep of a step of the plan. */
function planObject(s: PlanStep, projectPath: string) {
  return typed('DeployPlanStep', { Order: s.order, Name: s.name, Description: s.description, Commands: s.commands, ProjectPath: projectPath });
}

/** The request's context with each deploy step streamed to the pipeline as it ends (and the request's backup key). */
export function streamingSteps(ctx: RequestContext, backupKeys?: KeySource): DeployCtx {
  return withStepSink(ctx, (j, s) => ctx.emit([stepObject(j, s)]), backupKeys);
}

const planSchema = typedSchema('DeployPlanStep', {
  Order: z.number(), Name: z.string(), Description: z.string(), Commands: z.array(z.string()), ProjectPath: z.string(),
});

export const deployRun = defineMethod({
  name: 'deploy.run',
  summary: 'Deploys the project (preflight, lock, backup, sync, build, stop, place, start, health, report) and rolls back on failure; whatIf returns the plan and changes nothing.',
  params: z.object({
    ...projectParams,
    scope: scope.default('Full'),
    skipBackup: z.boolean().default(false),
    skipBuild: z.boolean().default(false),
    skipTests: z.boolean().default(false),
    force: z.boolean().default(false),
    noRollback: z.boolean().default(false),
    parallel: z.boolean().default(true),
    reportPath: z.string().min(1).optional(),
    whatIf: z.boolean().default(false),
    ...keyParams,
  }),
  item: z.union([stepSchema, deploymentSchema, planSchema]),
  handler: async (p, ctx) => {
    const cfg = loadValidProject(p, ctx);
    const options = {
      scope: p.scope, skipBackup: p.skipBackup, skipBuild: p.skipBuild, skipTests: p.skipTests, force: p.force,
      noRollback: p.noRollback, parallel: p.parallel, reportPath: p.reportPath,
    };
    if (p.whatIf) {
      for (const j of interruptedDeployments(cfg)) {
        ctx.log('warning', changedProject(j) ? `Deployment ${j.id} was interrupted; Undo-WoosooDeploy -Id ${j.id} completes its rollback.`
          : `Deployment ${j.id} was interrupted before it changed anything: the deploy closes it (nothing to roll back).`);
      }
      return { items: (await deployPlanWithSql(cfg, options, ctx)).map((s) => planObject(s, cfg.projectDir)) };
    }
    const j = await runDeploy(cfg, streamingSteps(ctx, keysOf(p)), options);
    return { items: [toDeployment(j)] };
  },
});

export const deployGet = defineMethod({
  name: 'deploy.get',
  summary: 'Lists deployments, newest first (an interrupted one shows as Interrupted); by id or the last N.',
  params: z.object({ ...projectParams, id: z.string().optional(), last: z.number().int().min(1).optional() }),
  item: deploymentSchema,
  handler: async (p, ctx) => {
    const cfg = loadValidProject(p, ctx);
    return { items: listDeployments(cfg, { id: p.id, last: p.last }).map(toDeployment) };
  },
});

export const deployUndo = defineMethod({
  name: 'deploy.undo',
  summary: 'Completes the rollback of an interrupted or failed deployment (the newest such one when no id), or switches a successful blue/green deployment back to the release before it; whatIf returns it unchanged.',
  params: z.object({ ...projectParams, id: z.string().optional(), whatIf: z.boolean().default(false), ...keyParams }),
  item: z.union([deploymentSchema, stepSchema]),
  handler: async (p, ctx) => {
    const cfg = loadValidProject(p, ctx);
    let id = p.id;
    if (!id) {
      // Interrupted ones (even those that changed nothing: undo closes them), and failed ones that changed the project.
      const candidates = listDeployments(cfg).filter((j) => effectiveStatus(j) === 'Interrupted' || needsRollback(j));
      if (candidates.length === 0) return { items: [] };
      id = candidates[0].id;
    }
    const j = readJournal(cfg, id);
    checkUndoable(j, cfg);
    if (p.whatIf) return { items: [toDeployment(j)] };
    return { items: [toDeployment(await undoDeploy(cfg, streamingSteps(ctx, keysOf(p)), id))] };
  },
});

export const deployMethods = [deployRun, deployGet, deployUndo];
