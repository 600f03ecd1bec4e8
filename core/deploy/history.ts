/**
 * Get-WoosooDeployment: the journals summed up (deploy/methods.ts makes the Woosoo.Deployment objects), newest first. A journal still saying Running
 * whose engine is gone (this host, its PID dead, and not running in this engine) is an interrupted deploy; a step
 * still saying Running in the journal of a gone engine is shown as Failed (interrupted).
 */
import { hostname } from 'node:os';
import type { ProjectConfig } from '../config';
import { listDeployIds, readJournal, type DeployStatus, type Journal, type StepRecord } from './journal';
import { pidAlive } from '../process/pid';

/** Deployments running in this engine right now. */
export const runningHere = new Set<string>();

/** The engine that wrote this journal is gone (this host, its PID dead or this engine's, and not running here). */
export function engineGone(j: Journal): boolean {
  return !runningHere.has(j.id) && j.host === hostname() && (j.pid === process.pid || !pidAlive(j.pid));
}

export function effectiveStatus(j: Journal): DeployStatus {
  if (j.status !== 'Running') return j.status;
  return engineGone(j) ? 'Interrupted' : 'Running';
}

/** The steps that change the project (files, database, services); Preflight, Lock and Backup only read it. */
const CHANGING_STEPS: readonly string[] = ['Sync', 'Build', 'StopServices', 'PlaceArtifacts', 'StartServices', 'Health',
  'Release', 'StartRelease', 'CheckRelease', 'Cutover', 'StopPrevious'];

/** Whether the deploy may have changed the project: a step after the backup started (and was not skipped). */
export function changedProject(j: Journal): boolean {
  return j.steps.some((s) => CHANGING_STEPS.includes(s.name) && s.status !== 'Skipped');
}

/** The step a gone engine was in (the last one still Running), if any. */
export function interruptedStep(j: Journal): StepRecord | undefined {
  return [...j.steps].reverse().find((s) => s.status === 'Running');
}

function shownStep(j: Journal, s: StepRecord, gone: boolean): StepRecord {
  return gone && s.status === 'Running' ? { ...s, status: 'Failed', message: `Interrupted: its engine (PID ${j.pid}) is gone.` } : s;
}

/** A deployment as it stands: the journal, and what it means now (an interrupted one, the step it failed in). */
export interface DeploymentSummary {
  journal: Journal;
  status: DeployStatus;
  durationMs: number;
  failedStep: string;
  /** The journal's steps, a step a gone engine was in shown as Failed (interrupted). */
  steps: StepRecord[];
  /** The deploy's error; for an interrupted one what happened and what to do. */
  error: string;
}

export function summarizeDeployment(j: Journal): DeploymentSummary {
  const status = effectiveStatus(j);
  const end = j.endedAt ?? j.steps.reduce((m, s) => (s.endedAt && s.endedAt > m ? s.endedAt : m), j.startedAt);
  const failed = j.steps.find((s) => s.status === 'Failed' || s.status === 'Cancelled');
  const gone = engineGone(j);
  const cut = status === 'Interrupted' ? interruptedStep(j) : undefined;
  const error = j.error ?? (status !== 'Interrupted' ? '' : `Interrupted during step ${cut?.name ?? '(unknown)'}: its engine (PID ${j.pid}) is gone. ${changedProject(j)
    ? `Undo-WoosooDeploy -Id ${j.id} completes the rollback${j.backupId ? ` from backup ${j.backupId}` : ''}.`
    : 'It had changed nothing (it stopped before the first step that changes the project): nothing to roll back.'}`);
  return {
    journal: j, status, durationMs: Date.parse(end) - Date.parse(j.startedAt), error,
    failedStep: j.failedStep ?? failed?.name ?? cut?.name ?? '', steps: j.steps.map((s) => shownStep(j, s, gone)),
  };
}

export function listDeployments(cfg: ProjectConfig, opts: { id?: string; last?: number } = {}): Journal[] {
  if (opts.id) return [readJournal(cfg, opts.id)];
  const ids = listDeployIds(cfg);
  const journals: Journal[] = [];
  for (const id of opts.last ? ids.slice(0, opts.last) : ids) {
    try {
      journals.push(readJournal(cfg, id));
    } catch {
      /* an unreadable journal is skipped in the listing; -Id shows its error */
    }
  }
  return journals;
}

export function interruptedDeployments(cfg: ProjectConfig): Journal[] {
  return listDeployments(cfg).filter((j) => effectiveStatus(j) === 'Interrupted');
}

/** Deployments a rollback must be completed for: interrupted, failed or rollback-failed ones that changed the project. */
export function needsRollback(j: Journal): boolean {
  return ['Interrupted', 'Failed', 'RollbackFailed'].includes(effectiveStatus(j)) && changedProject(j);
}
