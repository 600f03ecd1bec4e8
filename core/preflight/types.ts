/**
 * The shapes of preflight: a check's result (CheckResult; preflight/methods.ts makes the wire's
 * Woosoo.PreflightCheck of it, whose schema is here too), a check definition (category, name, critical, probe,
 * evaluate) and what a probe gets to work with. The list of definitions itself is in checks.ts.
 */
import { z } from 'zod';
import type { KeyName, ProjectConfig } from '../config';
import type { RunResult } from '../process/run';
import { KEYS } from '../config/keys';
import { durationSchema, typedSchema } from '../kernel/method';

export const CATEGORIES = ['System', 'Tools', 'PhpExtensions', 'Configuration', 'Network', 'Permissions'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Status = 'Pass' | 'Warn' | 'Fail' | 'Skip';

export const preflightCheckSchema = typedSchema('PreflightCheck', {
  Category: z.enum(CATEGORIES),
  Name: z.string(),
  Status: z.enum(['Pass', 'Warn', 'Fail', 'Skip']),
  Critical: z.boolean(),
  Expected: z.string(),
  Actual: z.string(),
  Message: z.string(),
  Fix: z.string(),
  /** How long the check took: an ISO-8601 duration (a [timespan] in pwsh). */
  Duration: durationSchema,
  /** Only with detailed: the commands the probe ran and their raw output. */
  Probe: z.string().optional(),
  RawOutput: z.string().optional(),
});

export type PreflightCheck = z.infer<typeof preflightCheckSchema>;

/** One check's result, as the runner reports it. */
export interface CheckResult {
  category: Category;
  name: string;
  status: Status;
  critical: boolean;
  expected: string;
  actual: string;
  message: string;
  /** '' when it passed. */
  fix: string;
  durationMs: number;
  /** Only with detailed: the commands the probe ran, and their output (secrets masked). */
  probe?: string;
  rawOutput?: string;
}

/** What an evaluation says about one check (a check may report several, e.g. one per configuration problem). */
export interface Outcome {
  status: Status;
  expected: string;
  actual: string;
  message: string;
  fix?: string;
  /** Overrides the definition's name (used when one definition reports several results). */
  name?: string;
  /** Overrides the definition's critical flag (a configuration warning is not critical). */
  critical?: boolean;
}

/** Thrown by a probe when the host cannot run it: the check becomes Skip with this reason. */
export class ProbeSkip extends Error {}

/** Thrown by a probe whose tool ran longer than the probe timeout. */
export class ProbeTimeout extends Error {}

/** One command a probe ran, for -Detailed and -Verbose. */
export interface ProbeCommand {
  display: string;
  result: RunResult;
}

export interface ProbeContext {
  cfg: ProjectConfig;
  /** The session's environment (PATH, PM2_HOME, …). */
  env: Record<string, string>;
  signal: AbortSignal;
  timeoutMs: number;
  /**
   * Runs a tool through core/process/run.ts with the probe timeout and the request's cancel signal. The same
   * command line is run once per preflight run and shared (php -m serves every extension check).
   */
  exec(file: string, args: string[], opts?: { env?: Record<string, string> }): Promise<RunResult>;
  /** Shares any other probe work between checks of one run (the listening ports, systeminformation calls). */
  shared<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export interface CheckDef<T = unknown> {
  category: Category;
  name: string;
  /** A critical Fail makes -Quiet return $false. May depend on the configuration (Flutter only with the relay app). */
  critical: boolean | ((cfg: ProjectConfig) => boolean);
  /** Leave the check out when this returns false (HTTPS port without HTTPS). */
  applies?: (cfg: ProjectConfig) => boolean;
  probe: (pc: ProbeContext) => Promise<T>;
  evaluate: (data: T, pc: ProbeContext) => Outcome | Outcome[];
}

/** Lets a definition list stay typed per entry while the list itself is CheckDef<unknown>[]. */
export function check<T>(def: CheckDef<T>): CheckDef {
  return def as unknown as CheckDef;
}

/**
 * A preflight setting: its value, or its declared default when the file gives it a value of the wrong type (the
 * Configuration check reports that problem; the other checks still run with the default).
 */
export function setting(cfg: ProjectConfig, key: KeyName): string {
  const v = cfg.values[key];
  if (v !== undefined) return String(v);
  const def = KEYS.get(key);
  const parsed = def?.default === undefined ? undefined : def.schema.safeParse(def.default);
  return parsed?.success ? String(parsed.data) : '';
}
