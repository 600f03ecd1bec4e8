// The engine as a single executable (npm run package) against the bundle run by node, in the same run: cold start
// plus the first config.get, idle RSS, and the executables' sizes (raw and gzip). Also the executable without the
// code cache, to show what useCodeCache buys.
//
//   node bench/executable.mjs [--runs 10]
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createGzip } from 'node:zlib';
import { join } from 'node:path';
import { engineNodeOptions, firstConfigGet, median, root } from './lib/engine.mjs';
import { packageTarget } from '../scripts/package.mjs';

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
