/**
 * The deploy's step runner: each step is recorded in the journal as it starts and ends (atomic rewrite), shown as
 * progress, and handed to the context's step sink when it ends (deploy/methods.ts streams it to the pipeline as a
 * Woosoo.DeployStep). Also the context a rollback runs
 * with: the request's notifications, but its own cancel signal, so Ctrl+C (which cancelled the deploy) does not
 * cancel the rollback that undoes it.
 */
import type { KeySource } from '../backup';
import type { ProjectConfig } from '../config';
import type { RequestContext } from '../kernel/context';
import { endStep, startStep, stepsOf, writeJournal, type Journal, type StepName, type StepRecord, type StepStatus } from './journal';
import { holdAtCrashPoint } from '../kernel/testseams';

/** Told of each step as it ends (its record as the journal has it). */
export type StepSink = (j: Journal, s: StepRecord) => void;

/**
 * A request's context, with where the steps go as they end (none: they are only journaled), and the backup key the
 * cmdlet sent (a DPAPI-protected key only it can open) for the deploy's backup and the rollback's restore. The key
 * lives here, not in the deploy's options: those are written to the journal.
 */
export type DeployCtx = RequestContext & { readonly stepEnded?: StepSink; readonly backupKeys?: KeySource };

/** The request's context with a step sink (deploy/methods.ts: the pipeline) and the request's backup key. */
export function withStepSink(ctx: RequestContext, sink: StepSink, backupKeys?: KeySource): DeployCtx {
  return Object.create(ctx, { stepEnded: { value: sink }, backupKeys: { value: backupKeys } }) as DeployCtx;
}

/** What a step's body returns: its message and, when not Succeeded, its status. */
export interface StepOutcome {
  message: string;
  status?: StepStatus;
}

export class StepFailure extends Error {
  constructor(readonly step: string, message: string) {
    super(message);
  }
}

/**
 * Runs one step. With journal: false (Preflight, which changes nothing and holds no lock) the start is not written:
 * an engine that dies there leaves no journal at all; the end is written by the next step (or the Report).
 */
export async function runStep(
  cfg: ProjectConfig, ctx: DeployCtx, j: Journal, name: StepRecord['name'], body: (s: StepRecord) => Promise<StepOutcome>,
  opts: { journal?: boolean } = {},
): Promise<void> {
  const journal = opts.journal !== false;
  const s = startStep(j, name);
  if (journal) writeJournal(cfg, j);
  const steps = stepsOf(j.strategy);
  const index = steps.indexOf(name as StepName);
  ctx.progress({ id: 1, activity: `Invoke-WoosooDeploy ${j.id}`, status: index >= 0 ? `Step ${index + 1} of ${steps.length}: ${name}` : name, percent: index >= 0 ? (100 * index) / steps.length : undefined });
  ctx.log('verbose', `Deploy ${j.id}: ${name} started.`);
  try {
    if (name !== 'Lock') await holdAtCrashPoint(ctx, name);
    const out = await body(s);
    endStep(s, out.status ?? 'Succeeded', out.message);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    endStep(s, ctx.signal.aborted ? 'Cancelled' : 'Failed', ctx.signal.aborted ? `Cancelled (Ctrl+C): ${message}` : message);
    if (journal) writeJournal(cfg, j);
    ctx.stepEnded?.(j, s);
    throw new StepFailure(name, s.message);
  }
  if (journal) writeJournal(cfg, j);
  ctx.log('verbose', `Deploy ${j.id}: ${name} ${s.status} in ${((s.durationMs ?? 0) / 1000).toFixed(2)} s. ${s.message}`);
  ctx.stepEnded?.(j, s);
}

/** The request's context with a fresh cancel signal (for the rollback after a Ctrl+C). */
export function uncancellable(ctx: DeployCtx): DeployCtx {
  if (!ctx.signal.aborted) return ctx;
  const signal = new AbortController().signal;
  return Object.create(ctx, {
    signal: { value: signal },
    throwIfCancelled: { value: () => {} },
  }) as DeployCtx;
}
