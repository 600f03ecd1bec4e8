// Logs benchmark: logs.get -Pattern over a generated Laravel log (stack traces included) against grep on the same
// file, both from the page cache, medians of 3 in the same run (target ≤ 1.5×); -Tail 100 against `tail -n 100`;
// engine memory after the search; and follow lag (-Wait) from a write to the $/items notification, p50/p99
// (target p99 ≤ 50 ms), with a rename rotation in the middle.
//
//   npm run build && node bench/logs.mjs [--mib 256] [--pattern 'deadlock found'] [--samples 300] [--runs 3]
//     [--engine bin/woosoo-engine.cjs] [--before /tmp/engine-before.cjs]   (an older build, interleaved in the same run)
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const engineJs = join(root, 'bin', 'woosoo-engine.cjs');
const arg = (name, dflt) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : dflt);
const mib = Number(arg('--mib', '256'));
const pattern = arg('--pattern', 'deadlock found');
const samples = Number(arg('--samples', '300'));
const runs = Number(arg('--runs', '3'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const ms = (x) => `${x.toFixed(1)} ms`;

// ---- a project with a big Laravel log --------------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'wsbench-logs-'));
writeFileSync(join(dir, 'deployment.config.env'), 'ENVIRONMENT=production\nAPP_IP=127.0.0.1\nBACKEND_PATH=backend\n');
const logsDir = join(dir, 'backend', 'storage', 'logs');
mkdirSync(logsDir, { recursive: true });
const big = join(logsDir, 'laravel.log');
// --follow-only: just the follow lag (quick; with --before both engines follow the same file at once)
const followOnly = process.argv.includes('--follow-only');
if (!followOnly) {
  const t0 = performance.now();
  const fd = openSync(big, 'w');
  let written = 0;
  let i = 0;
  while (written < mib * 1024 * 1024) {
    const parts = [];
    for (let k = 0; k < 20_000; k++, i++) {
      const s = `[2026-02-15 ${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}]`;
      if (i % 20_000 === 7) {
        parts.push(`${s} production.ERROR: SQLSTATE[40001]: Serialization failure: 1213 deadlock found when trying to get lock {"exception":"[object] (PDOException(code: 40001))\n[stacktrace]\n#0 /srv/app/vendor/laravel/framework/src/Illuminate/Database/Connection.php(${i}): PDOStatement->execute()\n#1 {main}\n"}\n`);
      } else if (i % 50 === 3) {
        parts.push(`${s} production.WARNING: Slow request GET /api/orders/${i} took ${i % 3000} ms\n`);
      } else {
        parts.push(`${s} production.INFO: Order ${i} placed by table ${i % 40} for ${(i % 97) * 3} PHP {"items":${i % 9},"device":"tablet-${i % 25}"}\n`);
      }
    }
    written += writeSync(fd, parts.join(''));
  }
  closeSync(fd);
  console.log(`generated ${(statSync(big).size / 1048576).toFixed(0)} MiB Laravel log (${i} entries) in ${ms(performance.now() - t0)}`);
}

// ---- the engine over the wire ------------------------------------------------------------------------------------
/** One engine process: send/call over its stdin/stdout, $/items listeners, and its CPU time from /proc. */
function engine(js) {
  const child = spawn(process.execPath, [js], { stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map();
  const onItems = new Set();
  createInterface({ input: child.stdout }).on('line', (l) => {
    const m = JSON.parse(l);
    if (m.method === '$/items') for (const f of onItems) f(m);
    else if (waiting.has(m.id)) waiting.get(m.id)(m);
  });
  let nextId = 0;
  const send = (method, params = {}) => {
    const id = ++nextId;
    const reply = new Promise((res) => waiting.set(id, res));
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    return { id, reply };
  };
  const call = async (method, params) => {
    const r = await send(method, params).reply;
    if (r.error) throw new Error(`${method}: ${r.error.message}`);
    return r.result;
  };
  /** CPU time (user + sys, ms) the engine process has used so far (Linux /proc; NaN elsewhere). */
  const cpu = () => {
    try {
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks at USER_HZ = 100
    } catch {
      return NaN;
    }
  };
  return { child, send, call, onItems, cpu };
}

const eng = engine(arg('--engine', engineJs));
const { send, call, onItems } = eng;
await call('initialize', { protocolVersion: '1.0' });
// --before <engine.cjs>: an older build measured in the same run, interleaved, for a before/after ratio
const before = process.argv.includes('--before') ? engine(arg('--before')) : null;
if (before) await before.call('initialize', { protocolVersion: '1.0' });

/**
 * Runs a program, reading (and counting) its output as grep's users would (/dev/null would let grep stop early).
 * CPU time (user + sys) comes from /usr/bin/time: on a loaded 2-core machine wall time mostly measures the queue.
 */
const gnuTime = existsSync('/usr/bin/time');
function timed(file, args) {
  return new Promise((res) => {
    const t0 = performance.now();
    const p = gnuTime
      ? spawn('/usr/bin/time', ['-f', 'cpu %U %S', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(file, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let bytes = 0;
    let err = '';
    p.stdout.on('data', (d) => (bytes += d.length));
    p.stderr?.on('data', (d) => (err += d));
    p.on('close', () => {
      const m = /cpu ([\d.]+) ([\d.]+)/.exec(err);
      res({ ms: performance.now() - t0, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, bytes });
    });
  });
}

async function engineSearch(params, e = eng) {
  let streamed = 0;
  const c0 = e.cpu();
  const t0 = performance.now();
  const { id, reply } = e.send('logs.get', { path: dir, services: ['laravel'], ...params });
  const count = (m) => {
    if (m.params.requestId === id) streamed += m.params.items.length;
  };
  e.onItems.add(count);
  const r = await reply;
  e.onItems.delete(count);
  if (r.error) throw new Error(r.error.message);
  return { ms: performance.now() - t0, cpu: e.cpu() - c0, entries: streamed + (r.result.items?.length ?? 0) };
}

async function compare(label, grepArgs, params) {
  await timed('grep', [...grepArgs, big]); // warm the page cache
  const g = [];
  const e = [];
  const b = [];
  let entries = 0;
  let gBytes = 0;
  for (let r = 0; r < runs; r++) {
    const gr = await timed('grep', [...grepArgs, big]);
    g.push(gr);
    gBytes = gr.bytes;
    const er = await engineSearch(params);
    e.push(er);
    entries = er.entries;
    if (before) {
      const br = await engineSearch(params, before);
      if (br.entries !== er.entries) throw new Error(`${label}: the --before engine found ${br.entries} entries, this one ${er.entries}`);
      b.push(br);
    }
  }
  const [gw, ew, gc, ec] = [median(g.map((x) => x.ms)), median(e.map((x) => x.ms)), median(g.map((x) => x.cpu)), median(e.map((x) => x.cpu))];
  console.log(`${label}: grep ${grepArgs.join(' ')} wall ${ms(gw)} cpu ${ms(gc)} (${gBytes} bytes out) | logs.get wall ${ms(ew)} cpu ${ms(ec)} (${entries} entries) | ratio wall ${(ew / gw).toFixed(2)}× cpu ${(ec / gc).toFixed(2)}×`);
  if (before) {
    const [bw, bc] = [median(b.map((x) => x.ms)), median(b.map((x) => x.cpu))];
    console.log(`${' '.repeat(label.length)}  --before engine: wall ${ms(bw)} cpu ${ms(bc)} | ratio cpu ${(bc / gc).toFixed(2)}× | this run vs before: cpu ${(ec / bc).toFixed(2)}×`);
  }
}

if (!followOnly) {
  console.log(`\n-Pattern '${pattern}' over ${mib} MiB (medians of ${runs}; both read the file from the page cache; load average ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores)`);
  await compare('case-sensitive  ', ['-E', pattern], { pattern, caseSensitive: true });
  await compare('ignore case     ', ['-iE', pattern], { pattern });
  await compare('no match        ', ['-E', 'zebra-crossing'], { pattern: 'zebra-crossing', caseSensitive: true });
  {
    // the floor: a node process that only reads the file the way the engine does (256 KiB readSync), no search
    const readOnly = "const fs=require('fs'),fd=fs.openSync(process.argv[1],'r'),b=Buffer.allocUnsafe(262144);let p=0,n;while((n=fs.readSync(fd,b,0,b.length,p))>0)p+=n;";
    const start = [];
    const floor = [];
    for (let r = 0; r < runs; r++) {
      start.push((await timed(process.execPath, ['-e', '0'])).cpu);
      floor.push((await timed(process.execPath, ['-e', readOnly, big])).cpu);
    }
    console.log(`read floor      : node reading the file in 256 KiB readSync calls, nothing else: cpu ${ms(median(floor) - median(start))} (node's start-up, ${ms(median(start))}, taken off)`);
  }
  const regex = 'failure: [0-9]+ dead(lock|end)';
  await compare('regex           ', ['-E', regex], { pattern: regex, caseSensitive: true });
  await compare('alternation    ', ['-E', 'deadlock|timeout'], { pattern: 'deadlock|timeout', caseSensitive: true });
  await compare('-Tail 5, none  ', ['-E', 'zebra-crossing'], { pattern: 'zebra-crossing', caseSensitive: true, tail: 5 });
  const rss = (await call('engine.info', {})).value.rssBytes;
  console.log(`engine RSS after the searches: ${(rss / 1048576).toFixed(0)} MB (file: ${mib} MiB)`);

  const tl = [];
  const el = [];
  for (let r = 0; r < 5; r++) {
    tl.push((await timed('tail', ['-n', '100', big])).ms);
    el.push((await engineSearch({ tail: 100 })).ms);
  }
  console.log(`-Tail 100: tail -n 100 ${ms(median(tl))} | logs.get ${ms(median(el))} | ratio ${(median(el) / median(tl)).toFixed(2)}× (no full read: Line is null above 64 MiB)`);
}

// ---- follow lag --------------------------------------------------------------------------------------------------
{
  const svc = join(dir, 'logs', 'worker');
  mkdirSync(svc, { recursive: true });
  const live = join(svc, 'output.log');
  writeFileSync(live, 'start\n');
  const sentAt = new Map();
  const followers = [['', eng], ['--before engine ', before]].filter(([, e]) => e).map(([label, e]) => {
    const lags = [];
    const { id, reply } = e.send('logs.get', { path: dir, services: ['worker'], wait: true, tail: 1 });
    e.onItems.add((m) => {
      if (m.params.requestId !== id) return;
      const now = performance.now();
      for (const it of m.params.items) {
        const n = /^tick (\d+)$/.exec(it.Message)?.[1];
        if (n !== undefined && sentAt.has(+n)) lags.push(now - sentAt.get(+n));
      }
    });
    return { label, e, id, reply, lags };
  });
  await new Promise((r) => setTimeout(r, 500));
  for (let n = 0; n < samples; n++) {
    if (n === Math.floor(samples / 2)) renameSync(live, join(svc, 'output-20260215T143000.000.log'));
    sentAt.set(n, performance.now());
    appendFileSync(live, `tick ${n}\n`);
    await new Promise((r) => setTimeout(r, 10 + (n % 7)));
  }
  await new Promise((r) => setTimeout(r, 600));
  const load = (await import('node:os')).loadavg()[0].toFixed(1);
  for (const { label, e, id, reply, lags } of followers) {
    e.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: '$/cancel', params: { id } })}\n`);
    const end = await reply;
    console.log(`\n${label}follow: ${lags.length}/${samples} lines received (one rename rotation, load ${load}); lag p50 ${ms(pct(lags, 50))}, p99 ${ms(pct(lags, 99))}, max ${ms(Math.max(...lags))}; cancel → ${end.error?.data?.errorId}`);
  }
}

before?.child.stdin.end();
eng.child.stdin.end();
rmSync(dir, { recursive: true, force: true });
