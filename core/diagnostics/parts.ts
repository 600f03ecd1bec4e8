/**
 * The parts of a diagnostics bundle. Each part calls the same domain functions as the RPC method it stands for
 * (config.test, preflight.run, health.get, services.get, logs, deploy journals), loads the project the way that
 * method does (so a broken configuration fails the parts it fails in the cmdlets, and only those), adds its files
 * and says in one line what it found. A part that throws becomes an entry of errors.json (bundle.ts).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { KEYS } from '../config/keys';
import { validateConfig } from '../config/validate';
import { loadProject, loadValidProject, type ProjectConfig, type ProjectRef } from '../config';
import type { RequestContext } from '../kernel/context';
import { MASK } from '../util/redact';
import { runPreflight, type CheckResult } from '../preflight';
import { runHealthChecks } from '../health';
import { getServices, openServiceSet } from '../services';
import { discoverSources, familyFiles } from '../logs';
import { listDeployIds, journalPath, reportFiles } from '../deploy';
import { userStateDir } from '../util/statedir';
import { readTail } from './tail';

export type PartContext = Pick<RequestContext, 'env' | 'cwd' | 'signal' | 'log' | 'progress' | 'registerSecrets'>;

export interface PartInput {
  ref: ProjectRef;
  /** The project as written (readProject); the parts that need it fail with its error when it could not be read. */
  cfg: ProjectConfig;
  ctx: PartContext;
  logLines: number;
  /** Adds a file to the bundle (text is masked when the zip is written; objects become indented JSON). */
  add: (name: string, content: string | object) => void;
}

export interface PartOutcome {
  /** One line for summary.txt. */
  summary: string;
  /** Lines a person should look at first (failed checks, unhealthy services). */
  attention?: string[];
  /** The part ran but found problems (summary.txt says ISSUES, not OK). */
  issues?: boolean;
  /** What another part builds on (the preflight's results: the versions). */
  data?: CheckResult[];
}

export interface Part {
  name: string;
  file: string;
  run: (input: PartInput) => Promise<PartOutcome>;
}

const count = <T>(items: readonly T[], key: (x: T) => string) =>
  Object.entries(items.reduce<Record<string, number>>((m, x) => ({ ...m, [key(x)]: (m[key(x)] ?? 0) + 1 }), {}))
    .map(([k, n]) => `${n} ${k}`).join(', ');

/** How many deployments (newest first) the bundle holds: enough to see a pattern, small enough to mail. */
export const LAST_DEPLOYMENTS = 3;

/** The configuration as Get-WoosooConfig -Name * shows it: every key, secrets masked by key, with file and line. */
async function configuration({ cfg, add }: PartInput): Promise<PartOutcome> {
  const names = [...new Set([...KEYS.keys(), ...cfg.entries.keys()])].filter((n) => cfg.values[n] !== undefined || cfg.entries.has(n));
  const keys = names.map((name) => {
    const entry = cfg.entries.get(name);
    const value = cfg.values[name] ?? entry?.value ?? '';
    const secret = cfg.isSecret(name);
    return { Name: name, Value: secret && value !== '' ? MASK : value, Secret: secret, File: entry?.file ?? null, Line: entry?.line ?? null, Declared: KEYS.has(name as never) };
  });
  add('config.json', { ProjectPath: cfg.projectDir, ConfigPath: cfg.location.file, OverlayPath: cfg.location.overlay ?? null, Environment: cfg.environment ?? null, Keys: keys });
  return { summary: `${keys.length} keys from ${cfg.location.file}${cfg.location.overlay ? ` and ${cfg.location.overlay}` : ''}, secrets masked` };
}

async function configTest({ cfg, add }: PartInput): Promise<PartOutcome> {
  const problems = validateConfig(cfg);
  add('config-test.json', problems);
  const errors = problems.filter((p) => p.severity === 'Error');
  return {
    summary: problems.length === 0 ? 'no problems' : `${errors.length} error(s), ${problems.length - errors.length} warning(s)`,
    issues: errors.length > 0,
    attention: errors.map((p) => `Test-WoosooConfig: ${p.message}${p.line ? ` (${p.file} line ${p.line})` : ''} Fix: ${p.fix}`),
  };
}

async function preflight(input: PartInput): Promise<PartOutcome> {
  const checks = await runPreflight(input.cfg, input.ctx, { detailed: true });
  input.add('preflight.json', checks);
  const failed = checks.filter((c) => c.status === 'Fail');
  return {
    summary: `${checks.length} checks: ${count(checks, (c) => c.status)}`,
    issues: failed.some((c) => c.critical),
    attention: failed.map((c) => `Preflight ${c.category}/${c.name}${c.critical ? ' (critical)' : ''}: ${c.message}${c.fix ? ` Fix: ${c.fix}` : ''}`),
    data: checks,
  };
}

async function health({ ref, ctx, add }: PartInput): Promise<PartOutcome> {
  const checks = await runHealthChecks(loadValidProject(ref, ctx), ctx);
  add('health.json', checks);
  const bad = checks.filter((c) => c.status !== 'Healthy');
  return {
    summary: `${checks.length} checks: ${count(checks, (c) => c.status)}`,
    issues: bad.some((c) => c.status === 'Unhealthy'),
    attention: bad.map((c) => `Health ${c.category}/${c.name} ${c.status}: ${c.message}`),
  };
}

async function services({ ref, ctx, add }: PartInput): Promise<PartOutcome> {
  const cfg = loadProject(ref, ctx);
  const set = openServiceSet(cfg, ctx);
  const out = await getServices(cfg, ctx);
  add('services.json', {
    Backend: set.backend.name, Settings: set.settings,
    Services: out.items.map((r) => ({ ...r, Definition: set.defs.find((d) => d.name === r.name) ?? null })),
    Errors: out.errors,
  });
  const down = out.items.filter((r) => r.status !== 'Running');
  return {
    summary: `${set.backend.name}: ${out.items.length} services: ${count(out.items, (r) => r.status) || 'none'}`,
    issues: down.length > 0 || out.errors.length > 0,
    attention: [...down.map((r) => `Service ${r.name} is ${r.status}${r.remarks ? `: ${r.remarks}` : ''}`), ...out.errors.map((e) => `Service: ${e.message}`)],
  };
}

/** Adds the last `lines` lines of `file` (reading back through its rotated predecessors when it is short). */
async function addTail(input: PartInput, name: string, files: readonly string[]): Promise<number> {
  const text = await readTail(files, input.logLines);
  input.add(name, text);
  return text === '' ? 0 : 1;
}

async function logs(input: PartInput): Promise<PartOutcome> {
  const { cfg } = input;
  const deployDir = cfg.get('DEPLOY_REPORT_PATH') === undefined ? undefined : cfg.path('DEPLOY_REPORT_PATH');
  const sources = discoverSources(cfg.projectDir, cfg.path('BACKEND_PATH'), deployDir).filter((s) => s.service !== 'deployment');
  let n = 0;
  for (const src of sources) {
    const files = familyFiles(src).map((f) => f.path).reverse(); // newest first
    if (files.length === 0) continue;
    n += await addTail(input, `logs/${src.service}/${basename(files[0])}`, files);
  }
  return { summary: `${n} log file(s), the last ${input.logLines} lines of each` };
}

const readJson = (file: string): Record<string, unknown> | null => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
};

async function deployments(input: PartInput): Promise<PartOutcome> {
  const { cfg, add } = input;
  const ids = listDeployIds(cfg).slice(0, LAST_DEPLOYMENTS);
  const lines: string[] = [];
  for (const id of ids) {
    const journal = readFileSync(journalPath(cfg, id), 'utf8');
    add(`deployments/${id}/journal.json`, journal);
    const report = reportFiles(cfg, id);
    if (existsSync(report.json)) add(`deployments/${id}/report.json`, readFileSync(report.json, 'utf8'));
    const buildLogs = report.json.replace(/\.json$/, ''); // <DEPLOY_REPORT_PATH>/<id>/<app>.log
    if (existsSync(buildLogs) && statSync(buildLogs).isDirectory()) {
      for (const f of readdirSync(buildLogs).filter((x) => /\.log$/i.test(x))) await addTail(input, `deployments/${id}/${f}`, [join(buildLogs, f)]);
    }
    const j = readJson(journalPath(cfg, id));
    lines.push(`${id} ${String(j?.status ?? 'unreadable')}${j?.failedStep ? ` at ${String(j.failedStep)}` : ''}`);
  }
  return {
    summary: ids.length === 0 ? 'no deployments yet' : `last ${ids.length}: ${lines.join('; ')}`,
    issues: lines.length > 0 && !lines[0].endsWith(' Succeeded'),
    attention: lines.length > 0 ? [`The last deployment ${lines[0]}: see deployments/${ids[0]}/`] : [],
  };
}

/**
 * The engine's own log (logs/woosoo/engine.log and its rotated files; the user's state folder holds the log of calls
 * made outside any project) and the audit trail (logs/audit/*.jsonl, the newest two months).
 */
async function engineLog(input: PartInput): Promise<PartOutcome> {
  const list = (d: string, re: RegExp) => (existsSync(d) ? readdirSync(d).filter((f) => re.test(f)).sort() : []);
  const logDirs = [['engine', join(input.cfg.projectDir, 'logs', 'woosoo')], ['engine/outside-projects', join(userStateDir(input.ctx.env), 'logs', 'woosoo')]];
  let engine = 0;
  for (const [into, d] of logDirs) {
    for (const f of list(d, /\.log$/i)) engine += await addTail(input, `${into}/${f}`, [join(d, f)]);
  }
  const auditDir = join(input.cfg.projectDir, 'logs', 'audit');
  const audit = list(auditDir, /\.jsonl$/i).slice(-2);
  for (const f of audit) await addTail(input, `audit/${f}`, [join(auditDir, f)]);
  return { summary: engine + audit.length === 0 ? 'no engine log or audit trail yet' : `${engine} engine log file(s), ${audit.length} audit file(s)` };
}

/** In the order summary.txt lists them. */
export const PARTS: readonly Part[] = [
  { name: 'Configuration', file: 'config.json', run: configuration },
  { name: 'ConfigTest', file: 'config-test.json', run: configTest },
  { name: 'Preflight', file: 'preflight.json', run: preflight },
  { name: 'Health', file: 'health.json', run: health },
  { name: 'Services', file: 'services.json', run: services },
  { name: 'Logs', file: 'logs/', run: logs },
  { name: 'Deployments', file: 'deployments/', run: deployments },
  { name: 'EngineLog', file: 'engine/, audit/', run: engineLog },
];
