// The Windows overhead of the face: Import-Module, the first Get-WoosooConfig (engine start included) and warm
// calls, in PowerShell for Windows under Wine (pwsh.exe + node.exe) against the Linux pwsh, in the same run and
// interleaved. Also the whole run of an empty script in each (process start to exit).
//
//   node bench/windows-tier.mjs [--runs 5] [--warm 20]
//
// It drives pwsh.exe through the tests' own runner (tests/support/winpwsh.ts, bundled here by esbuild), so the bench
// and the Windows-tier tests start PowerShell the same way. Without the tier or the Linux pwsh it prints why.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { median, root } from './lib/engine.mjs';

const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const runs = Number(arg('--runs')) || 5;
const warmCalls = Number(arg('--warm')) || 20;

// The TypeScript runner, bundled for plain node (its __dirname and import.meta.url point at the sources).
// Written under node_modules so that its `import 'vitest'` resolves.
const tmp = mkdtempSync(join(tmpdir(), 'woosoo-bench-wintier-'));
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const bundleDir = mkdtempSync(join(root, 'node_modules', '.cache', 'woosoo-bench-wintier-'));
const bundle = join(bundleDir, 'winpwsh.mjs');
buildSync({
  entryPoints: [join(root, 'tests', 'support', 'winpwsh.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle,
  external: ['vitest'], logLevel: 'error',
  define: {
    __dirname: JSON.stringify(join(root, 'tests', 'support')),
    'import.meta.url': JSON.stringify(pathToFileURL(join(root, 'tests', 'harness', 'tools.ts')).href),
  },
});
const { winPwsh, runWinPwsh, startWinTier, stopWinTier, winPath } = await import(pathToFileURL(bundle).href);

const linuxPwsh = (() => {
  const status = join(root, '.cache', 'pwsh-status');
  const p = existsSync(status) ? readFileSync(status, 'utf8').split('\n')[0].trim() : '';
  return p && !p.startsWith('unavailable') ? p : '';
})();
if (!winPwsh.available || !linuxPwsh) {
  console.log(`windows-tier: not measured: ${!winPwsh.available ? winPwsh.reason : 'no Linux pwsh (.cache/pwsh-status)'}`);
  for (const d of [tmp, bundleDir]) rmSync(d, { recursive: true, force: true });
  process.exit(0);
}

/** The measuring script: the same text in both tiers, only the paths differ. Prints one JSON line. */
const script = (modulePath, demo) => String.raw`
$t = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module '${modulePath}'
$import = $t.Elapsed.TotalMilliseconds; $t.Restart()
$null = Get-WoosooConfig -Path '${demo}'
$first = $t.Elapsed.TotalMilliseconds
$warm = foreach ($i in 1..${warmCalls}) { $t.Restart(); $null = Get-WoosooConfig -Path '${demo}'; $t.Elapsed.TotalMilliseconds }
$warm = @($warm | Sort-Object)[[int][Math]::Floor(${warmCalls} / 2)]
[pscustomobject]@{ import = $import; first = $first; warm = $warm } | ConvertTo-Json -Compress
`;

function linux() {
  const file = join(tmp, 'linux.ps1');
  writeFileSync(file, script(join(root, 'Woosoo.psd1'), join(root, 'examples', 'demo')));
  const t0 = performance.now();
  const r = spawnSync(linuxPwsh, ['-NoProfile', '-NonInteractive', '-File', file], { encoding: 'utf8', cwd: root });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`Linux pwsh exited ${r.status}: ${r.stderr}`);
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()), wall };
}
function windows() {
  const r = runWinPwsh(script(winPath(join(root, 'Woosoo.psd1')), winPath(join(root, 'examples', 'demo'))), { preamble: false });
  if (r.status !== 0) throw new Error(`pwsh.exe exited ${r.status}: ${r.stderr}\n${r.console}`);
  return { ...JSON.parse(r.console.trim().split('\n').pop()), wall: r.durationMs };
}
function emptyRun(which) {
  if (which === 'linux') {
    const t0 = performance.now();
    spawnSync(linuxPwsh, ['-NoProfile', '-NonInteractive', '-Command', 'exit 0']);
    return performance.now() - t0;
  }
  return runWinPwsh('exit 0', { preamble: false }).durationMs;
}

try {
  const warmUp = startWinTier();
  console.log(`windows-tier: Wine warm-up (wineserver, services, keeper) ${warmUp.toFixed(0)} ms; pwsh ${winPwsh.info.pwsh}, node ${winPwsh.info.node}, ${winPwsh.info.wine}`);
  windows(); // the first pwsh.exe after Wine's boot pays for loading the prefix: not counted
  const L = [], W = [], EL = [], EW = [];
  for (let i = 0; i < runs; i++) {
    L.push(linux());
    W.push(windows());
    EL.push(emptyRun('linux'));
    EW.push(emptyRun('windows'));
  }
  const row = (label, key) => {
    const l = median(L.map((x) => x[key])), w = median(W.map((x) => x[key]));
    console.log(`  ${label.padEnd(44)} Linux ${l.toFixed(1).padStart(8)} ms   Windows/Wine ${w.toFixed(1).padStart(8)} ms   ratio ${(w / l).toFixed(2)}x`);
  };
  console.log(`windows-tier: medians of ${runs} runs each, interleaved (warm = median of ${warmCalls} calls in one session)`);
  row('Import-Module', 'import');
  row('first Get-WoosooConfig (engine start incl.)', 'first');
  row('warm Get-WoosooConfig', 'warm');
  row('whole run of the script (process wall time)', 'wall');
  const el = median(EL), ew = median(EW);
  console.log(`  ${'empty script (pwsh start to exit)'.padEnd(44)} Linux ${el.toFixed(1).padStart(8)} ms   Windows/Wine ${ew.toFixed(1).padStart(8)} ms   ratio ${(ew / el).toFixed(2)}x`);
} finally {
  stopWinTier();
  for (const d of [tmp, bundleDir]) rmSync(d, { recursive: true, force: true });
}
