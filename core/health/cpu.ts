/**
 * The CPU load, sustained: each check round takes one sample (the load since the previous sample) and keeps it;
 * the check is over its threshold only when the last HEALTH_CPU_SAMPLES consecutive samples all are. One busy
 * sample (another program's short burst) is a spike and stays Healthy, so Get-WoosooHealth -Quiet does not say
 * False because the machine was briefly busy. The samples live in the engine (a -Watch or a session's calls) and,
 * for the scheduled health job, in logs/health/state.json between runs (seedCpuSamples / cpuSamples).
 */
import { probeSystem, type ProbeLimits } from '../util/sysinfo';

export interface CpuSample {
  /** Epoch milliseconds. */
  at: number;
  load: number;
}

/** Samples further apart than this are not consecutive: the streak starts again. */
export const CPU_GAP_MS = 60 * 60 * 1000;
const KEEP = 100;
let history: CpuSample[] = [];
let primed = false;

/** Adds samples kept elsewhere (the job's state file), oldest first, before this engine's own. */
export function seedCpuSamples(samples: readonly CpuSample[]): void {
  const first = history[0]?.at ?? Infinity;
  history = [...samples.filter((s) => s.at < first && Number.isFinite(s.load)), ...history].slice(-KEEP);
}

export function cpuSamples(): CpuSample[] {
  return [...history];
}

/** Takes one sample (the first in an engine: two samples 250 ms apart) and keeps it. */
export async function sampleCpu(limits: Required<Pick<ProbeLimits, 'signal'>> & ProbeLimits): Promise<CpuSample> {
  const { signal } = limits;
  const sample = () => probeSystem('the CPU load probe', (si) => si.currentLoad(), limits);
  if (!primed) {
    await sample();
    primed = true;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 250);
      signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
  }
  const s = { at: Date.now(), load: Math.round((await sample()).currentLoad * 10) / 10 };
  history = [...history, s].slice(-KEEP);
  return s;
}

/** The trailing samples over `warn`, newest last, stopping at one under it or at a gap. */
export function overStreak(samples: readonly CpuSample[], warn: number): CpuSample[] {
  const streak: CpuSample[] = [];
  for (let i = samples.length - 1; i >= 0; i--) {
    const s = samples[i];
    if (s.load <= warn) break;
    if (streak.length && streak[0].at - s.at > CPU_GAP_MS) break;
    streak.unshift(s);
  }
  return streak;
}
