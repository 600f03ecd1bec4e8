/**
 * Finding a tool (its configured *_PATH key, else the session's PATH) and checking its version against a minimum.
 * One spec per tool; the check definitions in checks.ts are built from these specs.
 */
import type { KeyName, ProjectConfig } from '../config';
import type { RunResult } from '../process/run';
import { configuredMiss, locateTool, toolQuery } from '../process/locate';
import { atLeast, parseVersion, shortVersion } from './version';
import { setting, type Outcome, type ProbeContext } from './types';

export interface Located {
  path: string;
  /** How it was found, for messages: "PHP_PATH" or "PATH". */
  via: string;
}

export interface NotLocated {
  path: null;
  /** Why not, naming the key or PATH. */
  reason: string;
  fix: string;
}

/** The configured path (relative to the project folder), else each name on the session's PATH. */
export function locate(cfg: ProjectConfig, env: Record<string, string>, pathKey: string, names: readonly string[], label: string, install: string): Located | NotLocated {
  const found = locateTool(toolQuery(cfg, pathKey, names), env);
  if (found.path !== null) return { path: found.path, via: found.via === pathKey ? pathKey : 'PATH' };
  const c = found.configured;
  if (c) {
    return {
      path: null,
      reason: `${pathKey}=${c.value} ${configuredMiss(c)}.`,
      fix: `Correct ${pathKey} in deployment.config.env (the full path of the ${label} executable), or empty it to use ${names[0]} on PATH.`,
    };
  }
  return {
    path: null,
    reason: `${label} was not found: ${pathKey} is empty and ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} not on PATH.`,
    fix: `${install} Then add it to PATH, or set ${pathKey} in deployment.config.env to the full path of the executable.`,
  };
}

export interface ToolSpec {
  label: string;
  pathKey: KeyName;
  names: readonly string[];
  args: readonly string[];
  /** Where in the output the version stands (e.g. /\bPHP\s+/). */
  near?: RegExp;
  /** Key holding the minimum version; absent = any version. */
  minKey?: KeyName;
  install: string;
}

export interface ToolProbe {
  located: Located | NotLocated;
  result?: RunResult;
  version?: string | null;
}

/** Locates the tool and runs its version command (shared with other checks of the same run). */
export async function probeTool(pc: ProbeContext, spec: ToolSpec): Promise<ToolProbe> {
  const located = locate(pc.cfg, pc.env, spec.pathKey, spec.names, spec.label, spec.install);
  if (located.path === null) return { located };
  const result = await pc.exec(located.path, [...spec.args]);
  const output = `${result.stdout}\n${result.stderr}`;
  return { located, result, version: result.exitCode === 0 ? parseVersion(output, spec.near) : null };
}

/** A failed start or exit of a tool, as an outcome. */
export function toolRunFailure(label: string, located: Located, r: RunResult, expected: string, fix: string): Outcome {
  const detail = r.notFound ? r.spawnError ?? 'it could not be started' : `exit code ${r.exitCode}: ${firstLine(r.stderr || r.stdout) || 'no output'}`;
  return { status: 'Fail', expected, actual: 'does not run', message: `${label} (${located.path}, from ${located.via}) did not run: ${detail}.`, fix };
}

export function evaluateTool(spec: ToolSpec, probe: ToolProbe, pc: ProbeContext, optional = false): Outcome {
  const minimum = spec.minKey ? setting(pc.cfg, spec.minKey) : '';
  const expected = minimum ? `${spec.label} ${shortVersion(minimum)} or later` : `${spec.label} installed`;
  const { located, result, version } = probe;
  if (located.path === null) {
    return { status: optional ? 'Warn' : 'Fail', expected, actual: 'not found', message: located.reason, fix: located.fix };
  }
  if (!result || result.exitCode !== 0) {
    return toolRunFailure(spec.label, located, result!, expected, `Run "${result?.display}" by hand and repair the installation, or point ${spec.pathKey} to a working ${spec.label}.`);
  }
  if (!version) {
    return {
      status: 'Fail', expected, actual: firstLine(result.stdout || result.stderr) || 'no output',
      message: `${spec.label} at ${located.path} ran, but "${result.display}" printed no version Woosoo can read.`,
      fix: `Check that ${spec.pathKey || 'PATH'} points to ${spec.label} itself and not to a wrapper.`,
    };
  }
  const actual = `${version} (${located.path})`;
  if (minimum && !atLeast(version, minimum)) {
    return {
      status: 'Fail', expected, actual,
      message: `${spec.label} ${version} is older than the required ${shortVersion(minimum)}.`,
      fix: `Install ${spec.label} ${shortVersion(minimum)} or later and put it first on PATH, or set ${spec.pathKey} to the newer one (the minimum is ${spec.minKey}).`,
    };
  }
  return { status: 'Pass', expected, actual, message: `${spec.label} ${version} found via ${located.via}.` };
}

export function firstLine(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
}
