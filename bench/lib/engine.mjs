// Shared by the benchmarks: a minimal JSON-RPC client for the real engine (bin/woosoo-engine.cjs) and statistics.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const engineJs = join(root, 'bin', 'woosoo-engine.cjs');
/** The node options the module starts the engine with (bin/engine-launch.json, read by private/Engine.ps1 too). */
export const engineNodeOptions = JSON.parse(readFileSync(join(root, 'bin', 'engine-launch.json'), 'utf8')).nodeArguments;

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Starts the engine as the module does; call(method, params) resolves with the whole reply ({result} or {error}).
 * `engine` and `nodeOptions` let a benchmark compare another build or other options in the same run; `executable`
 * starts a single executable (npm run package) instead, its heap sizes in NODE_OPTIONS, as private/Engine.ps1 does.
 */
export function startEngine({ engine = engineJs, nodeOptions = engineNodeOptions, executable, env = process.env } = {}) {
  const [file, args, more] = executable
    ? [executable, [], { NODE_OPTIONS: nodeOptions.filter((o) => /^--max-(semi|old)-space-size=/.test(o)).join(' ') }]
    : [process.execPath, [...nodeOptions, engine], {}];
  const child = spawn(file, args, { env: { ...env, ...more }, stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map();
  createInterface({ input: child.stdout }).on('line', (l) => {
    const m = JSON.parse(l);
    if (waiting.has(m.id)) {
      waiting.get(m.id)(m);
      waiting.delete(m.id);
    }
  });
  let id = 0;
  const call = (method, params = {}) => new Promise((res) => {
    const n = ++id;
    waiting.set(n, res);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: n, method, params })}\n`);
  });
  const close = () => new Promise((res) => {
    child.once('exit', res);
    child.stdin.end();
  });
  return { child, call, close };
}

/** Starts an engine (startEngine's options) and times initialize + the first config.get of `path`; leaves it running. */
export async function firstConfigGet(cfg, path) {
  const t0 = performance.now();
  const engine = startEngine(cfg);
  await engine.call('initialize', { protocolVersion: '1.0' });
  const r = await engine.call('config.get', { path });
  const ms = performance.now() - t0;
  if (!r.result) throw new Error(JSON.stringify(r.error));
  return { ms, engine };
}
