// Preflight benchmark: the whole preflight.run (what Test-WoosooPreflight waits for) with every real tool present,
// against baselines from the same run: its slowest single probe, and the sum of all probes run one after another.
// Real components: php, composer, node, mariadb client + a real MariaDB server (tests/harness/mariadb.ts), nginx,
// mkcert, git, PM2. Wall time is measured over the wire with the real engine (bin/woosoo-engine.cjs); the per-probe
// baseline runs the same check list in-process with concurrency 1 (core bundled here with esbuild).
// Targets (issue #3): wall ≤ 1.0 s and ≤ 1.2 × the slowest probe.
//
//   npm run build && node bench/preflight.mjs [--rounds 7]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x)} ms`;

// core/preflight + core/config + the MariaDB harness, bundled for this process.
const work = mkdtempSync(join(tmpdir(), 'wsbench-pf-'));
const bundle = join(work, 'preflight-bench.mjs');
await build({
  stdin: {
    contents: [
      "export { runPreflight } from './core/preflight';",
      "export { projectWithDatabase } from './tests/preflight/project';",
      "export { EngineClient } from './tests/support/engine';",
    ].join('\n'),
    resolveDir: root, loader: 'ts', sourcefile: 'bench-entry.ts',
  },
  bundle: true, platform: 'node', format: 'esm', target: 'node18', outfile: bundle, logLevel: 'error',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url); const __dirname = " + JSON.stringify(join(root, 'tests', 'preflight')) + ';' },
});
const { runPreflight, projectWithDatabase, EngineClient } = await import(pathToFileURL(bundle).href);

const { project, stop } = await projectWithDatabase('pfbench', 'Bench-preflight#1');

try {
  // (1) wall time over the wire: the first call of a fresh engine (cold) and warm calls (median).
  const engine = await EngineClient.start({ testMethods: false });
  const timed = async () => {
    const t0 = performance.now();
    const r = await engine.call('preflight.run', { path: project.dir });
    return { t: performance.now() - t0, items: r.items };
  };
  const cold = await timed();
  const warm = [];
  for (let i = 0; i < rounds; i++) warm.push((await timed()).t);
  await engine.close();
  const failed = cold.items.filter((c) => c.Status === 'Fail').map((c) => `${c.Category}/${c.Name}: ${c.Message}`);
  if (failed.length) console.log(`note: ${failed.length} check(s) failed on this machine:\n  ${failed.join('\n  ')}`);

  // (2) baselines, same run: each probe alone, one after another (in-process, concurrency 1), median per check.
  const ctx = { env: { ...process.env }, signal: new AbortController().signal };
  const perCheck = new Map();
  const sums = [];
  for (let i = 0; i < Math.max(3, Math.ceil(rounds / 2)); i++) {
    const checks = await runPreflight(project.load(), ctx, { concurrency: 1 });
    sums.push(checks.reduce((s, c) => s + c.DurationMs, 0));
    for (const c of checks) perCheck.set(`${c.Category}/${c.Name}`, [...(perCheck.get(`${c.Category}/${c.Name}`) ?? []), c.DurationMs]);
  }
  const probeMedians = [...perCheck].map(([k, v]) => [k, median(v)]).sort((a, b) => b[1] - a[1]);
  const [slowestName, slowest] = probeMedians[0];
  const sum = median(sums);
  const wall = median(warm);

  console.log(`checks: ${cold.items.length} results from ${perCheck.size} check definitions; warm rounds: ${rounds}`);
  console.log(`(1) preflight.run over the wire: cold (first call of a fresh engine) ${ms(cold.t)}; warm median ${ms(wall)} (min ${ms(Math.min(...warm))}, max ${ms(Math.max(...warm))})`);
  console.log(`(2) slowest single probe alone: ${slowestName} ${ms(slowest)} → wall / slowest = ${(wall / slowest).toFixed(2)}× (target ≤ 1.2×); cold / slowest = ${(cold.t / slowest).toFixed(2)}×`);
  console.log(`(3) sum of all probes one after another: ${ms(sum)} → wall / sum = ${(wall / sum).toFixed(2)}× (parallel speed-up ${(sum / wall).toFixed(1)}×)`);
  console.log(`    slowest probes: ${probeMedians.slice(0, 6).map(([k, v]) => `${k} ${ms(v)}`).join(', ')}`);
  console.log(`(4) target wall ≤ 1000 ms: warm ${wall <= 1000 ? 'met' : 'MISSED'}, cold ${cold.t <= 1000 ? 'met' : 'MISSED'}`);
} finally {
  await stop();
  rmSync(work, { recursive: true, force: true });
}
