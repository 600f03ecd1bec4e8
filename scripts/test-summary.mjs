// Prints, after both runs, every failed test of each run's JSON report with the first lines of its error, so the
// tail of a CI log (often all a CI keeps) names what failed even when it failed in the first of the two runs.
// Usage: node scripts/test-summary.mjs <label>=<report.json> ...
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const LINES = 12;
let failed = 0;
for (const arg of process.argv.slice(2)) {
  const eq = arg.indexOf('=');
  const label = arg.slice(0, eq);
  const file = arg.slice(eq + 1);
  if (!existsSync(file)) {
    console.log(`== ${label}: no report (${file}); the run ended before writing it`);
    failed++;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const suite of report.testResults ?? []) {
    const where = relative(process.cwd(), suite.name);
    const tests = (suite.assertionResults ?? []).filter((t) => t.status === 'failed');
    if (tests.length === 0 && suite.status === 'failed') {
      failed++;
      console.log(`== ${label} FAILED ${where} (the file itself)\n${indent(suite.message)}`);
    }
    for (const t of tests) {
      failed++;
      console.log(`== ${label} FAILED ${where} > ${t.fullName}\n${indent((t.failureMessages ?? []).join('\n'))}`);
    }
  }
}
console.log(failed === 0 ? '== no failed tests in either run' : `== ${failed} failed (listed above)`);

function indent(text) {
  return String(text ?? '')
    .split('\n')
    .filter((l) => !/node_modules|node:internal|<anonymous>/.test(l))
    .slice(0, LINES)
    .map((l) => `   ${l}`)
    .join('\n');
}
