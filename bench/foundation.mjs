// Foundation benchmark: engine start, per-call cost and idle memory. Ratios are against baselines measured in
// the same run. The PowerShell side of the same calls is measured by bench/face.mjs.
//
//   node bench/foundation.mjs [--calls 1000] [--compare OLD.cjs]
//
// --compare measures another build of the engine too, in the same run and interleaved with this one, started
// bare (`node OLD.cjs`, as the module started it before bin/engine-launch.json): the before/after of a change.
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { engineJs, engineNodeOptions, firstConfigGet, median, root, startEngine } from './lib/engine.mjs';

const demo = join(root, 'examples', 'demo');
const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const calls = Number(arg('--calls')) || 1000;
const ms = (x) => `${x.toFixed(2)} ms`;
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const engines = [{ label: 'engine', engine: engineJs, nodeOptions: engineNodeOptions }];
if (arg('--compare')) engines.push({ label: `before (${arg('--compare')}, bare node)`, engine: arg('--compare'), nodeOptions: [] });
const show = (label) => (engines.length > 1 ? `[${label}] ` : '');

async function coldStart(cfg) {
  const { ms, engine } = await firstConfigGet(cfg, demo);
  engine.child.stdin.end();
  return ms;
}

function nodeBaseline() {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}

// (1) cold: engine start + initialize + first config.get, against `node -e 0`
const base = [];
const cold = engines.map(() => []);
for (let i = 0; i < 7; i++) {
  base.push(nodeBaseline());
  for (const [n, cfg] of engines.entries()) cold[n].push(await coldStart(cfg));
}
for (const [n, cfg] of engines.entries()) {
  const c = median(cold[n]), b = median(base);
  console.log(`(1) ${show(cfg.label)}cold engine start + initialize + first config.get: ${ms(c)}; node -e 0: ${ms(b)}; adds ${ms(c - b)} (ratio ${(c / b).toFixed(2)}x)`);
}

for (const cfg of engines) {
  // (2) warm calls: config.get against engine.ping (the wire's floor) from a client that waits for each reply
  const e = startEngine(cfg);
  await e.call('initialize', { protocolVersion: '1.0' });
  await sleep(1500);
  const rssInit = rssMb(e.child.pid);
  const time = async (method, params) => {
    const xs = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await e.call(method, params);
      xs.push(performance.now() - t0);
    }
    return median(xs);
  };
  await time('config.get', { path: demo }); // warm-up
  const ping = await time('engine.ping', {});
  const get = await time('config.get', { path: demo });
  console.log(`(2) ${show(cfg.label)}${calls} warm calls, median: config.get ${ms(get)}, engine.ping ${ms(ping)}; config.get adds ${ms(get - ping)} over the wire's floor (ratio ${(get / ping).toFixed(2)}x)`);

  // (3) idle RSS: right after initialize, and after use
  await sleep(2500); // the engine collects garbage after 1 s idle
  const rss = rssMb(e.child.pid);
  console.log(`(3) ${show(cfg.label)}engine idle RSS after initialize: ${rssInit.toFixed(1)} MB; after ${3 * calls + 1} calls: ${rss.toFixed(1)} MB (target <= 60 MB)`);
  e.child.stdin.end();
}

// The PowerShell side (Import-Module, the first and warm cmdlets from pwsh) is bench/face.mjs.
