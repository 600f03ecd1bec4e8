/**
 * systeminformation, loaded on first use, and asked only through `probeSystem`. It is the largest library in the
 * bundle (~640 KB) and only preflight and health need it: loading it lazily keeps the idle engine small
 * (docs/performance.md).
 *
 * Some of its calls start tools of their own (processes(): ps or WMI; networkConnections(): ss, netstat), outside
 * core/process/run.ts, with no timeout and no cancel. `probeSystem` gives every call the request's deadline and
 * cancel signal: the request goes on (or stops) at once, whatever the library's child is still doing — under Wine,
 * for one, netstat never answers. The library is kept (and not rewritten on run()) for the parsing of each OS's
 * tools it does well; what it cannot do is stop its children, which is why its answers are raced, not awaited.
 */
type SystemInformation = typeof import('systeminformation');

let loading: Promise<SystemInformation> | undefined;

function systemInfo(): Promise<SystemInformation> {
  loading ??= import('systeminformation').then((m) => ((m as { default?: SystemInformation }).default ?? m) as SystemInformation);
  return loading;
}

/** A systeminformation call that took longer than its deadline; `probe` names it for the message. */
export class SystemProbeTimeout extends Error {
  constructor(readonly probe: string, readonly timeoutMs: number) {
    super(`${probe} did not answer within ${Math.round(timeoutMs / 1000)} s`);
  }
}

export interface ProbeLimits {
  signal?: AbortSignal;
  /** 0 or undefined: no deadline of its own (the signal still ends the wait). */
  timeoutMs?: number;
}

/**
 * Runs `call` on systeminformation, ending the wait at the deadline (ProbeTimeout, naming `name`) or on the request's
 * cancel (its reason), whichever comes first.
 */
export async function probeSystem<T>(name: string, call: (si: SystemInformation) => Promise<T>, limits: ProbeLimits = {}): Promise<T> {
  const { signal, timeoutMs } = limits;
  signal?.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs && timeoutMs > 0) {
      timer = setTimeout(() => {
        done();
        reject(new SystemProbeTimeout(name, timeoutMs));
      }, timeoutMs);
      timer.unref();
    }
    systemInfo().then(call).then(
      (v) => { done(); resolve(v); },
      (e) => { done(); reject(e); },
    );
  });
}

/** What the process list says of one process: CPU %, resident memory, start time. */
export interface ProcessFacts {
  pid: number;
  /** CPU % since the library's previous look; null when it could not tell (its figure was not a number). */
  cpu: number | null;
  /** Resident memory in KiB. */
  memRss: number;
  /** Local start time as systeminformation gives it ("2026-11-22 03:17:51"). */
  started: string;
}

type ProcessList = Awaited<ReturnType<SystemInformation['processes']>>['list'];

/**
 * The process list, one read at a time per engine: systeminformation keeps its CPU figures as the difference from
 * its previous read, so two reads at once (the dashboard's overview asks services.get and health.get together) can
 * meet the same /proc/stat total and divide 0 by 0 (CPU NaN%). A caller arriving while a read runs shares it.
 */
let listing: Promise<ProcessList> | undefined;
export function processList(si: SystemInformation): Promise<ProcessList> {
  listing ??= si.processes().then((r) => r.list).finally(() => { listing = undefined; });
  return listing;
}

/** The facts of these processes in a process list (ids not found are left out; a CPU figure that is no number is null). */
export function factsOf(list: Pick<ProcessList[number], 'pid' | 'cpu' | 'memRss' | 'started'>[], pids: number[]): Map<number, ProcessFacts> {
  return new Map(list.filter((p) => pids.includes(p.pid)).map((p) => [p.pid, {
    pid: p.pid, cpu: Number.isFinite(p.cpu) ? p.cpu : null, memRss: p.memRss, started: p.started,
  }]));
}

/** The facts of these processes (one process list read, shared with a read already running). */
export async function processFacts(pids: number[], limits: ProbeLimits = {}): Promise<Map<number, ProcessFacts>> {
  if (pids.length === 0) return new Map();
  return factsOf(await probeSystem('the process list probe', processList, limits), pids);
}
