/**
 * The deploy journal: deployments/<id>/journal.json, rewritten atomically (temp file + rename) as each step starts
 * and ends. It is what a later engine reads to tell an interrupted deploy (status Running, its engine gone) from a
 * finished one, and what Undo-WoosooDeploy needs to complete a rollback: the backup id, whether the database may
 * have changed, which files did not exist before, which services were running. No secret is ever written: every
 * string passes the engine's mask on the way to the disk.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import { WoosooError } from '../kernel/errors';
import { redactDeep } from '../util/redact';
import type { SchemaSnapshot } from './database';

/** The steps of an in-place deploy (DEPLOY_STRATEGY=InPlace, and the Relay scope). */
export const STEP_NAMES = ['Preflight', 'Lock', 'Backup', 'Sync', 'Build', 'StopServices', 'PlaceArtifacts', 'StartServices', 'Health', 'Report'] as const;
/** The steps of a blue/green deploy: the live release serves until Cutover, and keeps running until StopPrevious. */
export const BLUEGREEN_STEPS = ['Preflight', 'Lock', 'Backup', 'Release', 'Sync', 'Build', 'StartRelease', 'CheckRelease', 'Cutover', 'Health', 'StopPrevious', 'Report'] as const;
export type StepName = (typeof STEP_NAMES)[number] | (typeof BLUEGREEN_STEPS)[number];
export type Strategy = 'BlueGreen' | 'InPlace';

/** The steps of a deployment's strategy, in order. */
export function stepsOf(strategy: Strategy | undefined): readonly StepName[] {
  return strategy === 'BlueGreen' ? BLUEGREEN_STEPS : STEP_NAMES;
}

/** A blue/green deploy's release: where it was built, its colour, and what was live before it. */
export interface ReleaseRecord {
  id: string;
  colour: 'blue' | 'green';
  dir: string;
  previous: { colour: 'blue' | 'green'; releaseId: string | null };
  /** The new colour's services were (being) started: a rollback stops them. */
  started: boolean;
  /** nginx was (being) switched to the release: a rollback switches back. */
  cutover: boolean;
  /** The database's schema before the build: a rollback undoes only what changed (deploy/database.ts). */
  schemaBefore?: SchemaSnapshot;
}
export type StepStatus = 'Running' | 'Succeeded' | 'Failed' | 'Skipped' | 'Cancelled';
export type DeployStatus = 'Running' | 'Succeeded' | 'Failed' | 'RolledBack' | 'RollbackFailed' | 'Interrupted';
export type Scope = 'Full' | 'Backend' | 'Pwa' | 'Relay';

export interface StepRecord {
  name: StepName | 'Rollback';
  status: StepStatus;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  message: string;
  outputLog: string;
}

export interface DeployOptions {
  scope: Scope;
  skipBackup: boolean;
  skipBuild: boolean;
  skipTests: boolean;
  force: boolean;
  noRollback: boolean;
  parallel: boolean;
  reportPath?: string;
}

export interface Journal {
  format: 1;
  id: string;
  /** Absent in journals from before blue/green deploys (InPlace). */
  strategy?: Strategy;
  release?: ReleaseRecord;
  project: string;
  /** The environment deployed (its overlay applied); absent in journals from before environments, and when none was set. */
  environment?: string;
  host: string;
  pid: number;
  user: string;
  options: DeployOptions;
  status: DeployStatus;
  startedAt: string;
  endedAt?: string;
  steps: StepRecord[];
  backupId?: string;
  /** Tables of the database before the deploy (a rollback drops tables a failed migration created). */
  tablesBefore?: string[];
  /** The build step started with a migrate command in its plan: a rollback restores the database. */
  databaseMayHaveChanged: boolean;
  /** Tracked files (configs, .env files, build outputs) that did not exist before the deploy: a rollback deletes them. */
  absentBefore: string[];
  /** Folders whose files are all tracked: files found there after the deploy but not before are deleted on rollback. */
  snapshotDirs: string[];
  /** sha256 of each tracked file before the deploy (project-relative path → hash). */
  manifest: Record<string, string>;
  /**
   * The files at the top of each app folder before the deploy (project-relative folder → names): a rollback moves
   * away the ones a build made since (composer.lock, package-lock.json). Absent in journals from before.
   */
  appFilesBefore?: Record<string, string[]>;
  /** Services that were running before the deploy (restarted on rollback). */
  servicesRunning: string[];
  /** Files the deploy changed (PlaceArtifacts). */
  changed: string[];
  error?: string;
  failedStep?: string;
  /** What is left to do by hand after a failed rollback. */
  leftToDo?: string[];
  reportPath?: string;
  htmlReportPath?: string;
  /** Preflight results, health results and the system snapshot, for the report. */
  details: Record<string, unknown>;
}

export function deployRoot(cfg: ProjectConfig): string {
  return cfg.path('DEPLOY_PATH');
}

export function journalPath(cfg: ProjectConfig, id: string): string {
  return join(deployRoot(cfg), id, 'journal.json');
}

/** A deployment id: yyyyMMdd-HHmmss-xxxx. The one definition in the engine (the module's is Test-WoosooDeploymentId, kept equal by tests/static). */
export const DEPLOY_ID_RE = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

/** yyyyMMdd-HHmmss-xxxx (UTC), sortable. */
export function newDeployId(now = new Date()): string {
  const s = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${s}-${Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0')}`;
}

export function checkDeployId(id: string): string {
  if (!DEPLOY_ID_RE.test(id)) {
    throw new WoosooError('DeploymentIdInvalid', `"${id}" is not a deployment id: ids look like 20261122-031500-a1b2.`, {
      category: 'InvalidArgument', target: id, fix: 'Use an Id shown by Get-WoosooDeployment.',
    });
  }
  return id;
}

export function currentUser(env: Record<string, string>): string {
  if (env.USERNAME ?? env.USER ?? env.LOGNAME) return env.USERNAME ?? env.USER ?? env.LOGNAME ?? '';
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

export function newJournal(cfg: ProjectConfig, id: string, options: DeployOptions, env: Record<string, string>): Journal {
  return {
    format: 1, id, project: cfg.projectDir, environment: cfg.environment, host: hostname(), pid: process.pid, user: currentUser(env), options,
    status: 'Running', startedAt: new Date().toISOString(), steps: [], databaseMayHaveChanged: false, absentBefore: [],
    snapshotDirs: [], manifest: {}, servicesRunning: [], changed: [], details: {},
  };
}

/** Writes the journal atomically: a reader (or a crash) sees the old or the new file, never half of one. */
export function writeJournal(cfg: ProjectConfig, j: Journal): void {
  const file = journalPath(cfg, j.id);
  mkdirSync(join(deployRoot(cfg), j.id), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(redactDeep(j), null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export function readJournal(cfg: ProjectConfig, id: string): Journal {
  const file = journalPath(cfg, checkDeployId(id));
  if (!existsSync(file)) {
    throw new WoosooError('DeploymentNotFound', `There is no deployment ${id} in ${deployRoot(cfg)}.`, {
      category: 'ObjectNotFound', target: id, fix: 'Run Get-WoosooDeployment to list the deployments (or check DEPLOY_PATH).',
    });
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Journal;
  } catch (err) {
    throw new WoosooError('DeploymentJournalInvalid', `${file} is not a readable journal: ${(err as Error).message}.`, {
      category: 'InvalidData', target: file, fix: 'Restore the deploy\'s backup by hand (Restore-WoosooBackup), then delete the folder.',
    });
  }
}

/** Every deployment id, newest first. */
export function listDeployIds(cfg: ProjectConfig): string[] {
  const root = deployRoot(cfg);
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((n) => DEPLOY_ID_RE.test(n) && existsSync(join(root, n, 'journal.json'))).sort().reverse();
}

export function startStep(j: Journal, name: StepRecord['name'], outputLog = ''): StepRecord {
  const step: StepRecord = { name, status: 'Running', startedAt: new Date().toISOString(), message: '', outputLog };
  j.steps.push(step);
  return step;
}

export function endStep(step: StepRecord, status: StepStatus, message: string): void {
  step.status = status;
  step.message = message;
  step.endedAt = new Date().toISOString();
  step.durationMs = Date.parse(step.endedAt) - Date.parse(step.startedAt);
}
