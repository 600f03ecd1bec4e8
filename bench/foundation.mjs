// Foundation benchmark: engine start, per-call cost and idle memory. Ratios are against baselines measured in
// the same run. The PowerShell parts need a real pwsh; without one they print why and are not estimated.
//
//   node bench/foundation.mjs [--calls 1000]
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { median, root, startEngine } from './lib/engine.mjs';

const demo = join(root, 'examples', 'demo');
const calls = Number(process.argv[process.argv.indexOf('--calls') + 1]) || 1000;
const ms = (x) => `${x.toFixed(2)} ms`;

async function coldStart() {
  const t0 = performance.now();
  const e = startEngine();
  await e.call('initialize', { protocolVersion: '1.0' });
  const r = await e.call('config.get', { path: demo });
  const t = performance.now() - t0;
  if (!r.result) throw new Error(JSON.stringify(r.error));
  e.child.stdin.end();
  return t;
}

function nodeBaseline() {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}

const results = {};
// (1) cold: engine start + initialize + first config.get, against `node -e 0`
const cold = [];
const base = [];
for (let i = 0; i < 7; i++) {
  base.push(nodeBaseline());
  cold.push(await coldStart());
}
results.cold = { engine: median(cold), node: median(base) };
console.log(`(1) cold engine start + initialize + first config.get: ${ms(results.cold.engine)}; node -e 0: ${ms(results.cold.node)}; adds ${ms(results.cold.engine - results.cold.node)} (ratio ${(results.cold.engine / results.cold.node).toFixed(2)}x)`);

// (2) warm calls: config.get against engine.ping (the wire's floor) from a client that waits for each reply
const e = startEngine();
await e.call('initialize', { protocolVersion: '1.0' });
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
console.log(`(2) ${calls} warm calls, median: config.get ${ms(get)}, engine.ping ${ms(ping)}; config.get adds ${ms(get - ping)} over the wire's floor (ratio ${(get / ping).toFixed(2)}x)`);

// (3) idle RSS after use
await new Promise((r) => setTimeout(r, 2500)); // the engine collects garbage after 1 s idle
const status = readFileSync(`/proc/${e.child.pid}/status`, 'utf8');
const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
console.log(`(3) engine idle RSS after ${2 * calls + 1} calls: ${(rssKb / 1024).toFixed(1)} MB (target <= 60 MB)`);
e.child.stdin.end();

// PowerShell: fresh pwsh + Import-Module + first Get-WoosooConfig vs pwsh + Import-Module; 1000 warm calls vs a no-op function
const statusFile = join(root, '.cache', 'pwsh-status');
const pwsh = existsSync(statusFile) ? readFileSync(statusFile, 'utf8').trim() : 'unavailable: run scripts/setup.sh';
if (pwsh.startsWith('unavailable')) {
  console.log(`(1)/(2) in PowerShell: not measured — PowerShell 7 is ${pwsh}`);
} else {
  const run = (script) => {
    const t0 = performance.now();
    const r = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return { t: performance.now() - t0, out: r.stdout };
  };
  const imp = `Import-Module '${join(root, 'Woosoo.psd1')}'`;
  const a = [], b = [];
  for (let i = 0; i < 5; i++) {
    a.push(run(`${imp}; $null = Get-WoosooConfig -Path '${demo}'`).t);
    b.push(run(imp).t);
  }
  console.log(`(1) pwsh: Import-Module + first Get-WoosooConfig ${ms(median(a))} vs Import-Module alone ${ms(median(b))}: adds ${ms(median(a) - median(b))} (target <= 250 ms)`);
  const loop = run(`${imp}; function noop { [CmdletBinding()] param($Path) }; $null = Get-WoosooConfig -Path '${demo}'
    $w = foreach ($i in 1..${calls}) { $s = [Diagnostics.Stopwatch]::StartNew(); $null = Get-WoosooConfig -Path '${demo}'; $s.Elapsed.TotalMilliseconds }
    $n = foreach ($i in 1..${calls}) { $s = [Diagnostics.Stopwatch]::StartNew(); $null = noop -Path '${demo}'; $s.Elapsed.TotalMilliseconds }
    "$(($w | Sort-Object)[${Math.floor(calls / 2)}]) $(($n | Sort-Object)[${Math.floor(calls / 2)}])"`).out.trim().split(' ').map(Number);
  console.log(`(2) pwsh: ${calls} warm Get-WoosooConfig median ${ms(loop[0])} vs no-op function ${ms(loop[1])}: adds ${ms(loop[0] - loop[1])} (target <= 2 ms)`);
}
