// Runs every benchmark in bench/ one after another (each prints its own figures and ratios).
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
for (const f of readdirSync(here).filter((n) => n.endsWith('.mjs') && n !== 'run.mjs').sort()) {
  if (only.length && !only.some((o) => f.startsWith(o))) continue;
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, [join(here, f)], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`${f} exited ${r.status}`);
}
