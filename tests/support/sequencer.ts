/**
 * The order test files start in: the longest first (by tests/timings.json, the wall times of a whole run written by
 * scripts/test-timings.mjs), so that with two workers the run ends when the work does, not when a long file that
 * started last does. A file with no timing yet (a new one) starts first: it may be long. Then vitest's own order.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

type Timings = Partial<Record<'linux' | 'windows', Record<string, number>>>;

function readTimings(root: string): Record<string, number> {
  try {
    const all = JSON.parse(readFileSync(join(root, 'tests', 'timings.json'), 'utf8')) as Timings;
    return all[process.env.WOOSOO_E2E_TIER === 'windows' ? 'windows' : 'linux'] ?? {};
  } catch {
    return {};
  }
}

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const timings = readTimings(this.ctx.config.root);
    const base = await super.sort(files);
    const seconds = (f: TestSpecification) => timings[relative(this.ctx.config.root, f.moduleId)] ?? Number.POSITIVE_INFINITY;
    return base.map((f, i) => ({ f, i, s: seconds(f) })).sort((a, b) => b.s - a.s || a.i - b.i).map(({ f }) => f);
  }
}
