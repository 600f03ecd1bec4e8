/**
 * Runs check definitions: every probe in parallel, each under its own timeout (a hanging tool is a Fail "timed out
 * after N s", never a hang), then its evaluation, then one CheckResult per outcome, in definition order.
 */
import type { ProjectConfig } from '../config';
import { displayCommand, run, type RunResult } from '../process/run';
import type { RequestContext } from '../kernel/context';
import { redact } from '../util/redact';
import {
  ProbeSkip, ProbeTimeout, type Category, type CheckDef, type CheckResult, type Outcome, type ProbeCommand,
  type ProbeContext, setting,
} from './types';
import { SystemProbeTimeout } from '../util/sysinfo';

export interface RunOptions {
  categories?: readonly Category[];
  detailed?: boolean;
  /** How many probes run at once; default all (the benchmark's baseline runs them one after another). */
  concurrency?: number;
}

export type RunnerContext = Pick<RequestContext, 'env' | 'signal'> & Partial<Pick<RequestContext, 'log' | 'progress'>>;

const RAW_LIMIT = 4000;

export async function runChecks(defs: readonly CheckDef[], cfg: ProjectConfig, ctx: RunnerContext, opts: RunOptions = {}): Promise<CheckResult[]> {
  const timeoutMs = Number(setting(cfg, 'PREFLIGHT_PROBE_TIMEOUT_SECONDS')) * 1000 || 10_000;
  const selected = defs.filter((d) => (!opts.categories?.length || opts.categories.includes(d.category)) && (d.applies?.(cfg) ?? true));
  const commands = new Map<string, Promise<RunResult>>();
  const sharedWork = new Map<string, Promise<unknown>>();
  let done = 0;

  const runOne = async (def: CheckDef): Promise<CheckResult[]> => {
    const ran: ProbeCommand[] = [];
    const started: string[] = [];
    const pc: ProbeContext = {
      cfg, env: ctx.env, signal: ctx.signal, timeoutMs,
      exec: async (file, args, o = {}) => {
        started.push(displayCommand(file, args));
        const key = JSON.stringify([file, args, o.env ?? null]);
        let p = commands.get(key);
        if (!p) {
          p = run(file, args, { env: o.env ?? ctx.env, signal: ctx.signal, timeoutMs });
          commands.set(key, p);
        }
        const result = await p;
        ran.push({ display: result.display, result });
        const output = opts.detailed ? `\n${`${result.stdout}${result.stderr}`.trim().slice(0, RAW_LIMIT)}` : '';
        ctx.log?.('verbose', `preflight ${def.category}/${def.name}: ${result.display} → ${describeExit(result)} in ${result.durationMs} ms${output}`);
        if (result.timedOut) throw new ProbeTimeout(result.display);
        return result;
      },
      shared: <T>(key: string, fn: () => Promise<T>) => {
        let p = sharedWork.get(key) as Promise<T> | undefined;
        if (!p) {
          p = fn();
          sharedWork.set(key, p);
        }
        return p;
      },
    };
    const t0 = performance.now();
    let outcomes: Outcome[];
    try {
      // A little grace over the probe's own deadlines (run()'s, probeSystem's), so the one that names what hung wins.
      const data = await withTimeout(def.probe(pc), timeoutMs + 500);
      const evaluated = def.evaluate(data, pc);
      outcomes = Array.isArray(evaluated) ? evaluated : [evaluated];
    } catch (err) {
      outcomes = [failure(err, timeoutMs, started)];
    }
    ctx.signal.throwIfAborted();
    const durationMs = Math.round(performance.now() - t0);
    done++;
    ctx.progress?.({ activity: 'Preflight', status: `${def.category}: ${def.name}`, percent: (done / selected.length) * 100 });
    const critical = typeof def.critical === 'function' ? def.critical(cfg) : def.critical;
    return outcomes.map((o) => item(def, o, o.critical ?? critical, durationMs, opts.detailed ? ran : undefined));
  };

  const results = await pool(selected, opts.concurrency ?? selected.length, runOne);
  ctx.progress?.({ activity: 'Preflight', completed: true });
  return results.flat();
}

function describeExit(r: RunResult): string {
  if (r.notFound) return 'could not start';
  if (r.timedOut) return 'timed out';
  return `exit ${r.exitCode}`;
}

function failure(err: unknown, timeoutMs: number, started: string[]): Outcome {
  const seconds = Math.round(timeoutMs / 1000);
  if (err instanceof ProbeSkip) return { status: 'Skip', expected: '', actual: '', message: err.message };
  if (err instanceof ProbeTimeout || err instanceof SystemProbeTimeout) {
    const what = (err instanceof SystemProbeTimeout ? err.probe : err.message) || started.at(-1) || 'the probe';
    return {
      status: 'Fail', expected: `an answer within ${seconds} s`, actual: 'no answer',
      message: `${what} timed out after ${seconds} s.`,
      fix: `Run "${what}" by hand to see why it hangs (a prompt, a network drive, a stuck service); raise PREFLIGHT_PROBE_TIMEOUT_SECONDS only if it is merely slow.`,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { status: 'Fail', expected: '', actual: '', message: `The probe failed: ${message}`, fix: 'Run Test-WoosooPreflight -Detailed to see the probe commands and their output.' };
}

function item(def: CheckDef, o: Outcome, critical: boolean, durationMs: number, ran?: ProbeCommand[]): CheckResult {
  const r: CheckResult = {
    category: def.category, name: o.name ?? def.name, status: o.status, critical,
    expected: o.expected, actual: o.actual, message: o.message, fix: o.status === 'Pass' ? '' : o.fix ?? '', durationMs,
  };
  if (ran) {
    r.probe = ran.map((c) => c.display).join('\n');
    r.rawOutput = redact(ran.map((c) => `${c.display}\n${c.result.stdout}${c.result.stderr}`).join('\n').slice(0, RAW_LIMIT));
  }
  return r;
}

/** Rejects with ProbeTimeout after ms (the probe's own children are killed by run()'s timeout at the same moment). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout('')), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function pool<T, R>(items: readonly T[], size: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
  return out;
}
