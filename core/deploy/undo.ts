/**
 * Undo-WoosooDeploy: completes the rollback of a deployment that was interrupted (its engine died), failed with
 * -NoRollback, or whose rollback failed — from the backup its journal names. Takes the deploy lock (a lock left by
 * the dead engine is stale and taken over), rolls back, rewrites the journal and the report, releases the lock.
 */
import type { ProjectConfig } from '../config';
import { WoosooError } from '../rpc/errors';
import { uncancellable, type DeployCtx } from './context';
import { effectiveStatus } from './history';
import { readJournal, writeJournal, type Journal } from './journal';
import { acquireLock, releaseLock } from './lock';
import { systemSnapshot, writeReport } from './report';
import { rollbackDeploy } from './rollback';

export const UNDOABLE = ['Interrupted', 'Failed', 'RollbackFailed'];

export function checkUndoable(j: Journal): void {
  const status = effectiveStatus(j);
  if (!UNDOABLE.includes(status)) {
    throw new WoosooError('DeploymentNotUndoable', `Deployment ${j.id} is ${status}: there is nothing to roll back (only ${UNDOABLE.join(', ')} deployments can be).`, {
      category: 'InvalidOperation', target: j.id,
      fix: status === 'Succeeded' ? `To go back to the state before it, restore its backup: Restore-WoosooBackup -Id ${j.backupId ?? '<id>'}.` : 'Get-WoosooDeployment shows the status of each deployment.',
    });
  }
}

export async function undoDeploy(cfg: ProjectConfig, ctx: DeployCtx, id: string): Promise<Journal> {
  const j = readJournal(cfg, id);
  checkUndoable(j);
  const wasInterrupted = effectiveStatus(j) === 'Interrupted';
  acquireLock(cfg, ctx, j.id);
  try {
    if (wasInterrupted) {
      for (const s of j.steps) {
        if (s.status === 'Running') {
          s.status = 'Failed';
          s.message = 'Interrupted: the engine running this step was gone.';
          j.failedStep = j.failedStep ?? s.name;
        }
      }
      j.error = j.error ?? `Interrupted during step ${j.failedStep ?? '(unknown)'}; the rollback was completed by Undo-WoosooDeploy.`;
    }
    j.pid = process.pid;
    const r = await rollbackDeploy(cfg, uncancellable(ctx), j);
    j.status = r.ok ? 'RolledBack' : 'RollbackFailed';
    j.endedAt = new Date().toISOString();
    j.details.system = systemSnapshot();
    const paths = writeReport(cfg, j);
    j.reportPath = paths.json;
    j.htmlReportPath = paths.html;
    writeReport(cfg, j);
    writeJournal(cfg, j);
  } finally {
    releaseLock(cfg, j.id);
  }
  if (j.status === 'RollbackFailed') {
    throw new WoosooError('RollbackFailed', `The rollback of deployment ${j.id} is not complete. Left to do by hand: ${(j.leftToDo ?? []).join(' ')} Report: ${j.htmlReportPath}.`, {
      category: 'InvalidResult', target: j.id, fix: 'Do what is listed, then run Undo-WoosooDeploy again or check with Get-WoosooHealth.',
    });
  }
  return j;
}
