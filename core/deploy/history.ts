/**
 * Get-WoosooDeployment: the journals as Woosoo.Deployment objects, newest first. A journal still saying Running
 * whose engine is gone (this host, its PID dead, and not running in this engine) is an interrupted deploy.
 */
import { hostname } from 'node:os';
import type { ProjectConfig } from '../config';
import { typed } from '../rpc/method';
import { stepItem } from './context';
import { listDeployIds, readJournal, type DeployStatus, type Journal } from './journal';
import { pidAlive } from './lock';

/** Deployments running in this engine right now. */
export const runningHere = new Set<string>();

export function effectiveStatus(j: Journal): DeployStatus {
  if (j.status !== 'Running') return j.status;
  if (runningHere.has(j.id)) return 'Running';
  if (j.host === hostname() && (j.pid === process.pid || !pidAlive(j.pid))) return 'Interrupted';
  return 'Running';
}

export function toDeployment(j: Journal) {
  const status = effectiveStatus(j);
  const end = j.endedAt ?? j.steps.reduce((m, s) => (s.endedAt && s.endedAt > m ? s.endedAt : m), j.startedAt);
  const failed = j.steps.find((s) => s.status === 'Failed' || s.status === 'Cancelled');
  return typed('Deployment', {
    Id: j.id, Scope: j.options.scope, Status: status, StartedAt: j.startedAt,
    Duration: Math.max(0, Date.parse(end) - Date.parse(j.startedAt)) / 1000,
    BackupId: j.backupId ?? '', FailedStep: j.failedStep ?? failed?.name ?? '', Steps: j.steps.map((s) => stepItem(j, s)),
    ReportPath: j.htmlReportPath ?? '', JsonReportPath: j.reportPath ?? '', Error: j.error ?? '', LeftToDo: j.leftToDo ?? [],
    Host: j.host, User: j.user, ProjectPath: j.project,
  });
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
