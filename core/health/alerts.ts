/**
 * Health alerts: one webhook message (HEALTH_WEBHOOK_URL, else DEPLOY_WEBHOOK_URL) each time a check crosses the
 * alert status (HEALTH_ALERT_STATUS: Unhealthy, or Degraded and worse) in either direction, never one per round.
 * The last status of each check and the CPU samples are kept in <project>/logs/health/state.json, so the scheduled
 * health job (a new engine each run) sees a change since its previous run, and a -Watch goes on from it.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { ProjectConfig } from '../config';
import { redactDeep } from '../util/redact';
import { postWebhook } from '../util/webhook';
import type { HealthResult, HealthStatus } from './check';
import { cpuSamples, seedCpuSamples, type CpuSample } from './cpu';

export interface CheckState {
  status: HealthStatus;
  /** When it entered this status (ISO). */
  since: string;
}

export interface AlertState {
  version: 1;
  checks: Record<string, CheckState>;
  cpu: CpuSample[];
}

export interface Transition {
  kind: 'Alert' | 'Recovered';
  check: HealthResult;
  previous: HealthStatus | null;
}

export const statePath = (cfg: ProjectConfig) => join(cfg.projectDir, 'logs', 'health', 'state.json');

/** The saved state; an absent or unreadable file is an empty one (every check then counts from its current status). */
export function readState(file: string): AlertState {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<AlertState>;
    return { version: 1, checks: s.checks && typeof s.checks === 'object' ? s.checks : {}, cpu: Array.isArray(s.cpu) ? s.cpu : [] };
  } catch {
    return { version: 1, checks: {}, cpu: [] };
  }
}

export function writeState(file: string, state: AlertState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

/**
 * Compares a round with the state: a check alerts when it reaches `level` (Unhealthy, or Degraded) from below or
 * from nothing known, and recovers when it falls below it again. Unknown keeps the check's previous side (a check
 * that cannot tell is not a recovery). Returns the changes and the next state.
 */
export function transitions(state: AlertState, checks: HealthResult[], level: 'Unhealthy' | 'Degraded'): { changes: Transition[]; next: AlertState } {
  const bad = (s: HealthStatus) => s === 'Unhealthy' || (level === 'Degraded' && s === 'Degraded');
  const next: AlertState = { version: 1, checks: { ...state.checks }, cpu: state.cpu };
  const changes: Transition[] = [];
  for (const c of checks) {
    const before = state.checks[c.name];
    if (c.status === 'Unknown' && before) continue;
    const wasBad = before ? bad(before.status) : false;
    const isBad = bad(c.status);
    if (isBad && !wasBad) changes.push({ kind: 'Alert', check: c, previous: before?.status ?? null });
    if (!isBad && wasBad) changes.push({ kind: 'Recovered', check: c, previous: before.status });
    next.checks[c.name] = before && before.status === c.status ? before : { status: c.status, since: c.time.toISOString() };
  }
  return { changes, next };
}

/** The JSON an alert POSTs: what changed, with the value and the threshold, never a secret. */
export function alertPayload(cfg: ProjectConfig, t: Transition) {
  const c = t.check;
  const unit = c.threshold === null ? '' : ` (value ${c.value ?? 'none'}, threshold ${c.threshold})`;
  const text = t.kind === 'Alert'
    ? `${c.name} is ${c.status} on ${hostname()}: ${c.message}${unit}`
    : `${c.name} recovered on ${hostname()}: ${c.status} (was ${t.previous}). ${c.message}${unit}`;
  return redactDeep({
    event: 'woosoo.health', kind: t.kind, project: cfg.projectDir, environment: cfg.environment, host: hostname(),
    check: c.name, category: c.category, target: c.target, status: c.status, previousStatus: t.previous,
    value: c.value, threshold: c.threshold, message: c.message, time: c.time.toISOString(), text,
  });
}

/** The webhook alerts go to, and the key it came from (empty when neither is set). */
export function alertWebhook(cfg: ProjectConfig): { url: string; key: string } {
  const own = cfg.str('HEALTH_WEBHOOK_URL');
  return own ? { url: own, key: 'HEALTH_WEBHOOK_URL' } : { url: cfg.str('DEPLOY_WEBHOOK_URL'), key: 'DEPLOY_WEBHOOK_URL' };
}

/** Sends one message per change (in order); returns how many the webhook accepted. */
export async function sendAlerts(cfg: ProjectConfig, changes: Transition[], log: (level: 'warning', message: string) => void): Promise<number> {
  const hook = alertWebhook(cfg);
  let sent = 0;
  for (const t of changes) {
    log('warning', alertPayload(cfg, t).text);
    if (hook.url && await postWebhook(hook.url, alertPayload(cfg, t), { key: hook.key, unaffected: 'the health checks go on.', log })) sent++;
  }
  return sent;
}

/**
 * One round with alerts: the saved CPU samples first (a new engine goes on from the last run's), then the checks,
 * then one message per change and the new state.
 */
export async function alertingRound(cfg: ProjectConfig, log: (level: 'warning', message: string) => void, runChecks: () => Promise<HealthResult[]>): Promise<HealthResult[]> {
  const file = statePath(cfg);
  const state = readState(file);
  seedCpuSamples(state.cpu);
  const checks = await runChecks();
  const { changes, next } = transitions(state, checks, cfg.str('HEALTH_ALERT_STATUS') as 'Unhealthy' | 'Degraded');
  await sendAlerts(cfg, changes, log);
  try {
    writeState(file, { ...next, cpu: cpuSamples().slice(-20) });
  } catch (err) {
    log('warning', `Could not save the health state to ${file} (${(err as Error).message}): the next run may repeat an alert.`);
  }
  return checks;
}
