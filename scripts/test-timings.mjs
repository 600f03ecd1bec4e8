// Writes tests/timings.json from the last run's JSON reports (.cache/test-reports/{linux,windows}.json): each test
// file's wall time in each tier, in whole seconds. tests/support/sequencer.ts starts the longest files first, so a
// long file does not start last and keep one worker busy while the other idles (a fresh clone has no vitest cache;
// without this it runs the largest files first, and file size says little about time).
// Usage: node scripts/test-timings.mjs   (after bash scripts/test.sh; commit the result when files were added)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

const timings = {};
for (const tier of ['linux', 'windows']) {
  const file = `.cache/test-reports/${tier}.json`;
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const tierTimings = {};
  for (const suite of report.testResults ?? []) {
    const seconds = Math.round((suite.endTime - suite.startTime) / 1000);
    if (seconds > 0) tierTimings[relative(process.cwd(), suite.name)] = seconds;
  }
  timings[tier] = Object.fromEntries(Object.entries(tierTimings).sort(([a], [b]) => (a < b ? -1 : 1)));
}
writeFileSync('tests/timings.json', JSON.stringify(timings, null, 2) + '\n');
console.log(`tests/timings.json: ${Object.entries(timings).map(([t, v]) => `${t} ${Object.keys(v).length} files`).join(', ')}`);
