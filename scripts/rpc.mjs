#!/usr/bin/env node
// A minimal JSON-RPC client for the Woosoo engine, for hosts without PowerShell (the demo script on Linux, the
// benchmarks): the same engine and wire the module uses, without the PowerShell front end.
//
//   node scripts/rpc.mjs [--cwd DIR] [--json] METHOD [PARAMS_JSON] [METHOD [PARAMS_JSON]]...
//
// Each call's items are printed (one JSON object per line with --json, else a readable summary); $/log and
// $/progress go to stderr. Exits 1 on the first failed call, after printing its error and recommended action.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let cwd = process.cwd();
let asJson = false;
const calls = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--cwd') cwd = resolve(args[++i]);
  else if (args[i] === '--json') asJson = true;
  else {
    const method = args[i];
    let params = {};
    if (args[i + 1] !== undefined && args[i + 1].trim().startsWith('{')) params = JSON.parse(args[++i]);
    calls.push({ method, params });
  }
}
if (calls.length === 0) {
  process.stderr.write('usage: node scripts/rpc.mjs [--cwd DIR] [--json] METHOD [PARAMS_JSON] ...\n');
  process.exit(2);
}

const engine = spawn(process.execPath, [join(root, 'bin', 'woosoo-engine.cjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
const waiting = new Map();
createInterface({ input: engine.stdout }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.method === '$/log') process.stderr.write(`${m.params.level.toUpperCase()}: ${m.params.message}\n`);
  else if (m.method === '$/items') for (const item of m.params.items) print(item);
  else if (m.method === '$/progress' && !m.params.completed) process.stderr.write(`... ${m.params.activity} ${m.params.status ?? ''}\n`);
  else if (waiting.has(m.id)) waiting.get(m.id)(m);
});
let nextId = 0;
const request = (method, params) => new Promise((res) => {
  const id = ++nextId;
  waiting.set(id, res);
  engine.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
});

function print(item) {
  if (asJson) {
    process.stdout.write(`${JSON.stringify(item)}\n`);
    return;
  }
  const { $type, ...rest } = item;
  const fields = Object.entries(rest).map(([k, v]) => `  ${k.padEnd(20)} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  process.stdout.write(`[Woosoo.${$type}]\n${fields.join('\n')}\n`);
}

let code = 0;
const init = await request('initialize', { protocolVersion: '1.0', client: { name: 'rpc.mjs', version: '1' } });
if (init.error) {
  process.stderr.write(`initialize failed: ${init.error.message}\n`);
  code = 1;
} else {
  engine.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: '$/context', params: { cwd, env: process.env } })}\n`);
  for (const { method, params } of calls) {
    if (!asJson) process.stderr.write(`> ${method} ${JSON.stringify(params)}\n`);
    const r = await request(method, params);
    if (r.error) {
      const d = r.error.data ?? {};
      process.stderr.write(`ERROR Woosoo.${d.errorId ?? r.error.code} (${d.category ?? 'NotSpecified'}): ${r.error.message}\n`);
      if (d.recommendedAction) process.stderr.write(`  Fix: ${d.recommendedAction}\n`);
      code = 1;
      break;
    }
    for (const e of r.result.errors ?? []) process.stderr.write(`ERROR Woosoo.${e.data.errorId}: ${e.message}\n`);
    for (const item of r.result.items ?? []) print(item);
    if (r.result.value !== undefined) process.stdout.write(`${JSON.stringify(r.result.value)}\n`);
    if ((r.result.errors ?? []).length) code = 1;
  }
}
engine.stdin.end();
engine.on('exit', () => process.exit(code));
