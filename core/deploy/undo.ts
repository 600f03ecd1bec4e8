/**
 * Undo-WoosooDeploy: completes the rollback of a deployment that was interrupted (its engine died), failed with
 * -NoRollback, or whose rollback failed — from the backup its journal names. Takes the deploy lock (a lock left by
 * the dead engine is stale and taken over), rolls back, rewrites the journal and the report, releases the lock.
 * An interrupted deployment that had changed nothing yet (its engine died in Lock or Backup) is only closed: nothing
 * is restored, no service is touched (closeUnchanged; the next deploy does the same by itself).
 */
import type { ProjectConfig } from '../config';
import { WoosooError } from '../kernel/errors';
import { uncancellable, type DeployCtx } from './context';
import { changedProject, effectiveStatus, runningHere } from './history';
import { endStep, readJournal, startStep, writeJournal, type Journal } from './journal';
import { acquireLock, releaseLock } from './lock';
import { systemSnapshot, writeReport } from './report';
import { rollbackDeploy } from './rollback';
import { rollbackRelease } from './switch';
import { existsSync } from 'node:fs';
import { readLive, releaseDirs } from '../releases';

export const UNDOABLE = ['Interrupted', 'Failed', 'RollbackFailed'];


/**
 * A successful blue/green deploy can be undone while it is the live release and the release before it is on disk:
 * Undo-WoosooDeploy switches back to that one (and restores the database when the deploy's migrations changed it).
 */
function checkSwitchBack(cfg: ProjectConfig, j: Journal): void {
  const rel = j.release as NonNullable<Journal['release']>;
  const live = readLive(cfg);
  if (live.releaseId !== j.id) {
    throw new WoosooError('DeploymentNotUndoable', `Deployment ${j.id} succeeded, but it is not the live release (${live.releaseId ? `release ${live.releaseId}` : 'the app folders'} is): only the live release's deployment can be undone.`, {
      category: 'InvalidOperation', target: j.id, fix: live.deployId ? `Undo the live one first: Undo-WoosooDeploy -Id ${live.deployId}.` : 'Get-WoosooDeployment shows the deployments.',
    });
  }
  const back = releaseDirs(cfg, rel.previous.releaseId);
  if (!existsSync(back.backend) && !existsSync(back.pwa)) {
    throw new WoosooError('DeploymentNotUndoable', `Deployment ${j.id} cannot be undone: the release before it (${rel.previous.releaseId ?? 'the app folders'}) is no longer on disk.`, {
      category: 'ObjectNotFound', target: j.id, fix: 'Deploy the version you want instead (DEPLOY_KEEP_RELEASES keeps more releases).',
    });
  }
}

export function checkUndoable(j: Journal, cfg?: ProjectConfig): void {
  const status = effectiveStatus(j);
  if (status === 'Succeeded' && j.release && cfg) {
    checkSwitchBack(cfg, j);
    return;
  }
  if (UNDOABLE.includes(status) && status !== 'Interrupted' && !changedProject(j)) {
    throw new WoosooError('DeploymentNotUndoable', `Deployment ${j.id} is ${status} at step ${j.failedStep ?? '(unknown)'}, before it changed anything: there is nothing to roll back.`, {
      category: 'InvalidOperation', target: j.id, fix: 'Nothing to do; Get-WoosooDeployment shows why it failed.',
    });
  }
  if (!UNDOABLE.includes(status)) {
    throw new WoosooError('DeploymentNotUndoable', `Deployment ${j.id} is ${status}: there is nothing to roll back (only ${UNDOABLE.join(', ')} deployments can be).`, {
      category: 'InvalidOperation', target: j.id,
      fix: status === 'Succeeded' ? `It was an in-place deploy: to go back to the state before it, restore its backup: Restore-WoosooBackup -Id ${j.backupId ?? '<id>'}.` : 'Get-WoosooDeployment shows the status of each deployment.',
    });
  }
}

/** Marks the steps a gone engine left Running as Failed (interrupted); sets failedStep and error. */
function markInterrupted(j: Journal, outcome: string): void {
  for (const s of j.steps) {
    if (s.status === 'Running') {
      s.status = 'Failed';
      s.message = 'Interrupted: the engine running this step was gone.';
      j.failedStep = j.failedStep ?? s.name;
    }
  }
  j.error = j.error ?? `Interrupted during step ${j.failedStep ?? '(unknown)'}; ${outcome}`;
}

function writeOutcome(cfg: ProjectConfig, j: Journal): void {
  j.endedAt = new Date().toISOString();
  j.details.system = systemSnapshot();
  writeReport(cfg, j);
  writeJournal(cfg, j);
}

/**
 * Closes an interrupted deployment whose engine died before it changed anything (Preflight, Lock or Backup: those
 * steps only read the project and write Woosoo's own lock, journal and backup folders): status RolledBack with a
 * Rollback step saying there was nothing to roll back. Its stale lock, if any, is left to the next taker.
 */
export function closeUnchanged(cfg: ProjectConfig, j: Journal, by: string): Journal {
  markInterrupted(j, `it had changed nothing, so there was nothing to roll back (closed by ${by}).`);
  const s = startStep(j, 'Rollback');
  endStep(s, 'Succeeded', `Nothing to roll back: the deploy was interrupted during ${j.failedStep ?? '(unknown)'}, before the first step that changes the project.`);
  j.status = 'RolledBack';
  j.leftToDo = [];
  writeOutcome(cfg, j);
  return j;
}

export async function undoDeploy(cfg: ProjectConfig, ctx: DeployCtx, id: string): Promise<Journal> {
  const j = readJournal(cfg, id);
  checkUndoable(j, cfg);
  const wasInterrupted = effectiveStatus(j) === 'Interrupted';
  acquireLock(cfg, ctx, j.id);
  runningHere.add(j.id);
  try {
    if (wasInterrupted && !changedProject(j)) {
      closeUnchanged(cfg, j, 'Undo-WoosooDeploy');
      return j;
    }
    if (wasInterrupted) markInterrupted(j, 'the rollback was completed by Undo-WoosooDeploy.');
    j.pid = process.pid;
    // Running while the rollback runs (as during a deploy's own rollback): if this engine dies half-way, the deploy is
    // Interrupted — the next deploy refuses it and another Undo-WoosooDeploy completes it — even if it was Failed.
    j.status = 'Running';
    const r = j.release ? await rollbackRelease(cfg, uncancellable(ctx), j) : await rollbackDeploy(cfg, uncancellable(ctx), j);
    j.status = r.ok ? 'RolledBack' : 'RollbackFailed';
    writeOutcome(cfg, j);
  } finally {
    runningHere.delete(j.id);
    releaseLock(cfg, j.id);
  }
  if (j.status === 'RollbackFailed') {
    throw new WoosooError('RollbackFailed', `The rollback of deployment ${j.id} is not complete. Left to do by hand: ${(j.leftToDo ?? []).join(' ')} Report: ${j.htmlReportPath}.`, {
      category: 'InvalidResult', target: j.id, fix: 'Do what is listed, then run Undo-WoosooDeploy again or check with Get-WoosooHealth.',
    });
  }
  return j;
}
