// The engine as a single executable (npm run package) against the bundle run by node, in the same run: cold start
// plus the first config.get, idle RSS, and the executables' sizes (raw and gzip). Also the executable without the
// code cache, to show what useCodeCache buys. Then Import-Module plus the first Get-WoosooConfig in a fresh pwsh: the
// module installed from its package (Install-PSResource of dist/release/linux-x64, the executable) against the source
// tree (node + the bundle).
//
//   node bench/executable.mjs [--runs 10]
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createGzip } from 'node:zlib';
import { dirname, join } from 'node:path';
import { engineNodeOptions, firstConfigGet, median, root } from './lib/engine.mjs';
import { packageTarget } from '../scripts/package.mjs';
import { isolatedPwshEnv, releasePlatform } from '../scripts/release.mjs';

const demo = join(root, 'examples', 'demo');
const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const runs = Number(arg('--runs')) || 10;
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;

const log = (m) => console.error(m);
const variants = [
  { label: 'bundle (node + bin/woosoo-engine.cjs)', cfg: {} },
  // What the executable can take from NODE_OPTIONS: is the rest of the difference the options or the executable?
  { label: 'bundle, the heap size only', cfg: { nodeOptions: engineNodeOptions.filter((o) => o.startsWith('--max-')) } },
  { label: 'executable (code cache)', cfg: { executable: packageTarget('linux-x64', log) } },
  { label: 'executable (no code cache)', cfg: { executable: packageTarget('linux-x64', log, { codeCache: false }) } },
];

async function coldStart(cfg) {
  const { ms: t, engine } = await firstConfigGet(cfg, demo);
  await sleep(2000); // idle: the start-up garbage collected, nothing running
  const rss = rssMb(engine.child.pid);
  await engine.close();
  return { t, rss };
}

const results = variants.map(() => ({ t: [], rss: [] }));
for (let i = 0; i < runs; i++) {
  for (const [k, v] of variants.entries()) {
    const { t, rss } = await coldStart(v.cfg);
    results[k].t.push(t);
    results[k].rss.push(rss);
  }
}
const base = { t: median(results[0].t), rss: median(results[0].rss) };
console.log(`cold start + first config.get, and idle RSS (medians of ${runs}, interleaved):`);
for (const [k, v] of variants.entries()) {
  const t = median(results[k].t);
  const rss = median(results[k].rss);
  console.log(`  ${v.label}: ${t.toFixed(0)} ms (${(t / base.t).toFixed(2)}x), idle RSS ${rss.toFixed(1)} MB (${(rss / base.rss).toFixed(2)}x)`);
}

const gzipSize = (file) => new Promise((res, rej) => {
  let n = 0;
  createReadStream(file).pipe(createGzip({ level: 9 })).on('data', (d) => { n += d.length; }).on('end', () => res(n)).on('error', rej);
});
console.log('sizes (raw, gzip -9):');
for (const f of ['dist/linux-x64/woosoo-engine', 'dist/win-x64/woosoo-engine.exe']) {
  const file = join(root, f);
  if (!existsSync(file)) console.log(`  ${f}: not built (npm run package)`);
  else console.log(`  ${f}: ${mb(statSync(file).size)}, ${mb(await gzipSize(file))}`);
}

// Import-Module + the first cmdlet: the installed package against the source tree, fresh pwsh processes, interleaved.
const pwsh = join(root, '.tools', 'pwsh', 'pwsh');
if (!existsSync(pwsh)) {
  console.log('installed package: not measured (no .tools/pwsh; run scripts/setup.sh)');
} else {
  const { nupkg } = releasePlatform('linux-x64', { log });
  const home = mkdtempSync(join(tmpdir(), 'woosoo-bench-install-'));
  const env = isolatedPwshEnv(home);
  const ps = (script) => {
    const t0 = performance.now();
    const r = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', `$ErrorActionPreference = 'Stop'; ${script}`], { cwd: home, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pwsh failed: ${r.stderr}`);
    return performance.now() - t0;
  };
  try {
    ps(`Register-PSResourceRepository -Name Bench -Uri '${dirname(nupkg)}' -Trusted; Install-PSResource Woosoo -Repository Bench`);
    const first = (module) => `Import-Module ${module}; $null = Get-WoosooConfig -Path '${demo}'; exit`;
    const faces = [['source tree (node + bundle)', first(`'${join(root, 'Woosoo.psd1')}'`)], ['installed package (executable)', first('Woosoo')]];
    faces.forEach(([, script]) => ps(script)); // warm-up: pwsh's start-up cache in the new HOME, the execute bit
    const t = faces.map(() => []);
    for (let i = 0; i < runs; i++) faces.forEach(([, script], k) => t[k].push(ps(script)));
    const bare = median(Array.from({ length: runs }, () => ps('exit')));
    console.log(`Import-Module + first Get-WoosooConfig in a fresh pwsh (medians of ${runs}, interleaved; bare pwsh ${bare.toFixed(0)} ms):`);
    for (const [k, [label]] of faces.entries()) {
      const m = median(t[k]);
      console.log(`  ${label}: ${m.toFixed(0)} ms, ${(m - bare).toFixed(0)} ms over bare pwsh (${((m - bare) / (median(t[0]) - bare)).toFixed(2)}x)`);
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
