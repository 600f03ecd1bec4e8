// The PowerShell face, measured from where the admin sits: a fresh pwsh process, Import-Module, the first cmdlet,
// and warm cmdlets in one session. Every figure is a difference or a ratio against a baseline in the same run:
//   (1) Import-Module Woosoo              over a bare `pwsh -c exit`                           (target <= 150 ms)
//   (2) first Get-WoosooConfig            over Import-Module alone                              (target <= 250 ms)
//   (3) warm Get-WoosooConfig per call    over a no-op advanced function with the same -Path    (target <= 2 ms)
//   (4) warm Get-WoosooService per call   over the no-op, less the engine's own services.get    (target <= 3 ms)
// Fresh-process figures are medians of --runs (default 7) runs, interleaved so that load hits each alike.
//
//   node bench/face.mjs [--runs 7] [--calls 300] [--compare OLD_MODULE_FOLDER]
//
// --compare measures another copy of the module too (e.g. a `git worktree` of an older commit with its bin/ built),
// interleaved with this one: the before/after of a change.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, root, startEngine } from './lib/engine.mjs';

const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const runs = Number(arg('--runs')) || 7;
const calls = Number(arg('--calls')) || 300;
const demo = join(root, 'examples', 'demo');
const ms = (x) => `${x.toFixed(1)} ms`;

const statusFile = join(root, '.cache', 'pwsh-status');
const pwsh = existsSync(statusFile) ? readFileSync(statusFile, 'utf8').trim() : 'unavailable: run scripts/setup.sh';
if (pwsh.startsWith('unavailable')) {
  console.log(`not measured: PowerShell 7 is ${pwsh}`);
  process.exit(0);
}

const modules = [{ label: 'now', dir: root }];
if (arg('--compare')) modules.push({ label: 'before', dir: arg('--compare') });
const show = (m) => (modules.length > 1 ? `[${m.label}] ` : '');

function wall(script) {
  const t0 = performance.now();
  const r = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pwsh failed: ${r.stderr}`);
  return { t: performance.now() - t0, out: r.stdout };
}

// (1) and (2): fresh processes, interleaved.
const samples = new Map(modules.map((m) => [m, { bare: [], imp: [], first: [] }]));
for (let i = 0; i < runs; i++) {
  for (const m of modules) {
    const s = samples.get(m);
    const imp = `Import-Module '${join(m.dir, 'Woosoo.psd1')}'`;
    s.bare.push(wall('exit').t);
    s.imp.push(wall(`${imp}; exit`).t);
    s.first.push(wall(`${imp}; $null = Get-WoosooConfig -Path '${demo}'; exit`).t);
  }
}
for (const m of modules) {
  const s = samples.get(m);
  const [bare, imp, first] = [median(s.bare), median(s.imp), median(s.first)];
  console.log(`${show(m)}(1) Import-Module ${ms(imp)} vs bare pwsh ${ms(bare)}: adds ${ms(imp - bare)} (target <= 150 ms)`);
  console.log(`${show(m)}(2) Import-Module + first Get-WoosooConfig ${ms(first)}: adds ${ms(first - imp)} over the import (target <= 250 ms)`);
}

// The engine's own time for the two methods, over the wire, for (4).
const e = startEngine({});
await e.call('initialize', { protocolVersion: '1.0' });
const engineMs = {};
for (const method of ['config.get', 'services.get']) {
  for (let i = 0; i < 20; i++) await e.call(method, { path: demo });
  const t = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await e.call(method, { path: demo });
    t.push(performance.now() - t0);
  }
  engineMs[method] = median(t);
}
e.child.stdin.end();

// (3) and (4): warm calls in one session, medians of per-call times.
for (const m of modules) {
  const script = `Import-Module '${join(m.dir, 'Woosoo.psd1')}'
    function noop { [CmdletBinding()] param([string]$Path) }
    function M([scriptblock]$sb) { for ($i = 0; $i -lt 30; $i++) { $null = & $sb }
      $t = foreach ($i in 1..${calls}) { $s = [Diagnostics.Stopwatch]::StartNew(); $null = & $sb; $s.Elapsed.TotalMilliseconds }
      ($t | Sort-Object)[${Math.floor(calls / 2)}] }
    "$(M { noop -Path '${demo}' }) $(M { Get-WoosooConfig -Path '${demo}' }) $(M { Get-WoosooService -Path '${demo}' })"`;
  const [noop, cfg, svc] = wall(script).out.trim().split(/\s+/).map(Number);
  console.log(`${show(m)}(3) warm Get-WoosooConfig ${ms(cfg)} vs no-op ${ms(noop)}: adds ${ms(cfg - noop)} (engine config.get ${ms(engineMs['config.get'])}; target <= 2 ms)`);
  console.log(`${show(m)}(4) warm Get-WoosooService ${ms(svc)} vs no-op: adds ${ms(svc - noop)}, ${ms(svc - noop - engineMs['services.get'])} over the engine's services.get ${ms(engineMs['services.get'])} (target <= 3 ms)`);
}
