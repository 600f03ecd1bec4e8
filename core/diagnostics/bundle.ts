/**
 * Export-WoosooDiagnostics: one zip for support. The parts (parts.ts) run in parallel, each under a deadline; a part
 * that fails is an entry of errors.json and a line of summary.txt, never a failure of the export. Only a place the
 * zip cannot be written fails, before anything is collected. Every file passes through the bundle's mask
 * (redact.ts); the zip is written to a temporary file beside the target and renamed into place.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, release, type as osType, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { readProject, type ProjectConfig, type ProjectRef } from '../config';
import { toItemError, WoosooError } from '../kernel/errors';
import { ENGINE_VERSION } from '../kernel/version';
import { secretValuesOf, syncTargets } from '../sync';
import { BundleRedactor } from './redact';
import { PARTS, type Part, type PartContext, type PartInput, type PartOutcome } from './parts';
import type { CheckResult } from '../preflight';

export interface ExportOptions {
  ref: ProjectRef;
  /** Absolute; undefined = a timestamped name in the project's logs/diagnostics (the current folder without a project). */
  outFile?: string;
  force: boolean;
  logLines: number;
  /** What the module knows of its side: its version, PowerShell's version and edition. */
  client: Record<string, string>;
  /** Per part (the probes have their own, shorter timeouts; this bounds a part as a whole). */
  partTimeoutMs?: number;
}

export interface PartStatus {
  name: string;
  ok: boolean;
  /** Collected, and found problems. */
  issues: boolean;
  summary: string;
}

export interface PartError {
  part: string;
  errorId: string;
  message: string;
  fix: string;
}

export interface BundleResult {
  path: string;
  sizeBytes: number;
  projectPath: string | null;
  createdAt: Date;
  entries: string[];
  parts: PartStatus[];
  errors: PartError[];
}

const PART_TIMEOUT_MS = 60_000;
const REFUSED = new Set(['ConfigNotFound', 'EnvironmentInvalid', 'EnvironmentNotFound']);

function fail(id: string, message: string, target: string, fix: string, category: 'ResourceExists' | 'ObjectNotFound' | 'WriteError' = 'WriteError'): never {
  throw new WoosooError(id, message, { category, target, fix });
}

/** Claims the output: refuses an existing file without force and a folder that is missing or not writable. */
function claimOutput(opts: ExportOptions, cfg: ProjectConfig | null, cwd: string, now: Date): { out: string; tmp: string } {
  let out = opts.outFile;
  if (!out) {
    const dir = cfg ? join(cfg.projectDir, 'logs', 'diagnostics') : cwd;
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const base = `woosoo-diagnostics-${hostname().replace(/[^\w.-]/g, '_')}-${stamp}`;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      fail('DiagnosticsFolderNotWritable', `Cannot create ${dir}: ${(err as Error).message}`, dir, 'Pass -OutFile with a file in a folder you can write to.');
    }
    out = join(dir, `${base}.zip`);
    for (let i = 2; existsSync(out); i++) out = join(dir, `${base}-${i}.zip`);
  } else {
    if (existsSync(out) && statSync(out).isDirectory()) {
      fail('DiagnosticsOutFileIsFolder', `-OutFile ${out} is a folder.`, out, 'Pass the path of the zip to write, e.g. -OutFile diagnostics.zip.');
    }
    if (existsSync(out) && !opts.force) {
      fail('DiagnosticsFileExists', `${out} already exists; nothing was written.`, out, 'Pass -Force to replace it, or another -OutFile.', 'ResourceExists');
    }
    if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) {
      fail('DiagnosticsFolderNotFound', `The folder of -OutFile ${out} does not exist; nothing was written.`, dirname(out), 'Create the folder first, or pass -OutFile in an existing folder.', 'ObjectNotFound');
    }
  }
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  try {
    closeSync(openSync(tmp, 'w', 0o600));
  } catch (err) {
    fail('DiagnosticsFolderNotWritable', `Cannot write in ${dirname(out)}: ${(err as Error).message}; nothing was written.`, dirname(out), 'Pass -OutFile in a folder you can write to.');
  }
  return { out, tmp };
}

/** Every secret the bundle must not hold: the configuration's (secret keys, URL passwords) and the apps' .env files'. */
function collectSecrets(cfg: ProjectConfig, redactor: BundleRedactor, ctx: PartContext): void {
  const values = cfg.secretValues();
  try {
    for (const t of syncTargets(cfg).filter((x) => x.kind === 'dotenv' && existsSync(x.path))) values.push(...secretValuesOf(cfg, readFileSync(t.path, 'utf8')));
  } catch {
    /* an unreadable .env (or app folder) holds nothing the bundle reads either */
  }
  ctx.registerSecrets(values);
  redactor.add(values);
}

/** Runs a part under its own signal and deadline; resolves with its outcome or the error it ended with. */
async function runPart(part: Part, input: Omit<PartInput, 'ctx'>, ctx: PartContext, timeoutMs: number): Promise<PartOutcome | { error: unknown }> {
  const ac = new AbortController();
  const forward = () => ac.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', forward, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let late = false; // a part past its deadline may still finish in the background: what it adds then is dropped
  const add: PartInput['add'] = (name, content) => {
    if (!late) input.add(name, content);
  };
  const deadline = new Promise<{ error: unknown }>((resolve) => {
    timer = setTimeout(() => {
      late = true;
      const e = new WoosooError('DiagnosticsPartTimedOut', `${part.name} did not finish within ${Math.round(timeoutMs / 1000)} s.`, { category: 'OperationTimeout', fix: `Run the matching cmdlet by hand to see where it hangs.` });
      ac.abort(e);
      resolve({ error: e });
    }, timeoutMs);
  });
  const partCtx: PartContext = { env: ctx.env, cwd: ctx.cwd, signal: ac.signal, log: ctx.log.bind(ctx), progress: () => {}, registerSecrets: ctx.registerSecrets.bind(ctx) };
  try {
    return await Promise.race([part.run({ ...input, add, ctx: partCtx }).catch((error: unknown) => ({ error })), deadline]);
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', forward);
  }
}

function errorOf(part: string, err: unknown): PartError {
  const e = toItemError(err);
  return { part, errorId: e.data.errorId, message: e.message, fix: e.data.recommendedAction ?? '' };
}

/** versions.json: Woosoo's and PowerShell's (from the module), the engine's runtime, and the tools as preflight found them. */
function versions(opts: ExportOptions, checks: CheckResult[] | undefined): Record<string, unknown> {
  const tools = Object.fromEntries((checks ?? []).filter((c) => c.category === 'Tools' || c.name === 'Operating system').map((c) => [c.name, `${c.status}: ${c.actual}`]));
  return {
    Woosoo: { Engine: ENGINE_VERSION, ...opts.client },
    Runtime: { Node: process.version, Platform: process.platform, Arch: process.arch, Os: `${osType()} ${release()}`, ExecPath: process.execPath },
    Tools: checks ? tools : 'unknown: the preflight did not run (errors.json says why)',
  };
}

function summaryText(r: Omit<BundleResult, 'sizeBytes' | 'entries'>, attention: string[], opts: ExportOptions, shortSecrets: number): string {
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [
    'Woosoo diagnostics bundle: read this first',
    `Created ${r.createdAt.toISOString()} on ${hostname()} by ${safeUser()}`,
    `Project ${r.projectPath ?? '(none found)'}`,
    `Woosoo ${ENGINE_VERSION}${Object.entries(opts.client).map(([k, v]) => `, ${k} ${v}`).join('')}, Node ${process.version}, ${osType()} ${release()}`,
    '',
    'Parts (OK: collected, nothing wrong; ISSUES: collected, problems found; FAILED: not collected, see errors.json)',
    ...r.parts.map((p) => `  ${pad(p.name, 14)} ${pad(p.ok ? (p.issues ? 'ISSUES' : 'OK') : 'FAILED', 7)} ${p.summary}`),
  ];
  if (r.errors.length > 0) {
    lines.push('', 'What could not be collected (errors.json)', ...r.errors.map((e) => `  ${e.part}: ${e.errorId}: ${e.message.replace(/\n\s*/g, '\n    ')}${e.fix ? `\n    Fix: ${e.fix}` : ''}`));
  }
  if (attention.length > 0) lines.push('', 'What failed (look here first)', ...attention.map((a) => `  ${a}`));
  lines.push('', 'Where to look',
    '  versions.json      Woosoo, PowerShell, Node, the tools and the OS',
    '  config.json        the configuration, secrets masked; config-test.json: Test-WoosooConfig',
    '  preflight.json     Test-WoosooPreflight -Detailed; health.json: Get-WoosooHealth',
    '  services.json      Get-WoosooService with each service\'s definition and the NSSM/PM2 settings',
    `  logs/              the last ${opts.logLines} lines of each service log`,
    '  deployments/       the last deployments: journal, report and build logs',
    '  engine/, audit/    the engine\'s own log and the audit trail',
    '',
    `Every secret of the configuration and of the apps' .env files is masked (********), in logs too.${shortSecrets > 0 ? ` ${shortSecrets} secret value(s) are shorter than 8 characters: masked in config.json, but not inside log text (Test-WoosooConfig flags them).` : ''}`);
  return `${lines.join('\n')}\n`;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function exportDiagnostics(opts: ExportOptions, ctx: PartContext): Promise<BundleResult> {
  const createdAt = new Date();
  const redactor = new BundleRedactor();
  const errors: PartError[] = [];
  let cfg: ProjectConfig | null = null;
  try {
    cfg = readProject(opts.ref, ctx);
    collectSecrets(cfg, redactor, ctx);
  } catch (err) {
    // No project where -Path (or the session) points, or no such -Environment: the admin's words are wrong, not the
    // system, so the command fails as every other one does. A project whose file cannot be read is still bundled.
    if (err instanceof WoosooError && REFUSED.has(err.errorId)) throw err;
    errors.push(errorOf('Project', err));
  }
  const { out, tmp } = claimOutput(opts, cfg, ctx.cwd, createdAt);
  try {
    const files = new Map<string, string>();
    const add = (name: string, content: string | object) => files.set(name, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
    const parts: PartStatus[] = [];
    const attention: string[] = [];
    let checks: CheckResult[] | undefined;
    const outcomes = await Promise.all(PARTS.map((part) => (cfg
      ? runPart(part, { ref: opts.ref, cfg, logLines: opts.logLines, add }, ctx, opts.partTimeoutMs ?? PART_TIMEOUT_MS)
      : Promise.resolve({ error: new WoosooError('DiagnosticsNoProject', `Not collected: the project could not be read (${errors[0]?.errorId}).`, { fix: errors[0]?.fix }) }))));
    if (ctx.signal.aborted) throw ctx.signal.reason; // cancelled (Ctrl+C): no zip
    PARTS.forEach((part, i) => {
      const o = outcomes[i];
      if ('error' in o) {
        const e = errorOf(part.name, o.error);
        errors.push(e);
        parts.push({ name: part.name, ok: false, issues: false, summary: `${e.errorId}: ${e.message.split('\n')[0]}` });
        ctx.log('warning', `Diagnostics: ${part.name} was not collected: ${e.message}`);
        return;
      }
      if (o.data) checks = o.data;
      parts.push({ name: part.name, ok: true, issues: o.issues === true, summary: `${o.summary} (${part.file})` });
      if (o.issues) attention.push(...(o.attention ?? []));
    });
    add('versions.json', versions(opts, checks));
    add('errors.json', errors);
    const base = { path: out, projectPath: cfg?.projectDir ?? null, createdAt, parts, errors };
    add('summary.txt', summaryText(base, attention, opts, redactor.short));
    const zippable: Zippable = {};
    const names = ['summary.txt', ...[...files.keys()].filter((n) => n !== 'summary.txt').sort()];
    for (const name of names) zippable[name] = [strToU8(redactor.text(files.get(name)!)), { mtime: createdAt }];
    writeFileSync(tmp, zipSync(zippable, { level: 6 }));
    renameSync(tmp, out);
    return { ...base, sizeBytes: statSync(out).size, entries: names };
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw err;
  }
}
