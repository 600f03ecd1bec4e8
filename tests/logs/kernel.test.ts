/**
 * The WebAssembly SIMD kernel (core/logs/kernel.ts) against plain-JavaScript references on random inputs, at every
 * length and alignment around its 64-byte steps; and the -Pattern paths built on it (kernel, and the Buffer.indexOf
 * fallback used where WebAssembly SIMD is missing) against parsing every entry, on random logs with multi-line
 * entries, CRLF, UTF-8 and matches across read-block edges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EntryFilter, LogEntry } from '../../core/logs/entry';
import { CHUNK_BYTES, countFileLines, readForward } from '../../core/logs/forward';
import { acquireKernel, KERNEL_WASM, releaseKernel, setKernelEnabled, type Kernel, type Needle } from '../../core/logs/kernel';
import { findLiteral, makeScanner, splitAlternatives } from '../../core/logs/literal';
import { readBackward } from '../../core/logs/backward';
import { buildFilter } from '../../core/logs/query';
import { parseBlock, scanBlock, type Origin } from '../../core/logs/region';
import { makeProject, type Project } from './fixtures';

/** A small seeded generator: the same inputs on every run. */
function random(seed: number) {
  let s = seed;
  const next = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  return { int: next, pick: <T>(xs: readonly T[]): T => xs[next(xs.length)] };
}

/** What the kernel's scan is specified to do, byte by byte. */
function reference(mem: Uint8Array, from: number, to: number, nd: Needle): { newlines: number; candidates: number[] } {
  const or1 = nd.fold ? nd.or1 : 0;
  const or2 = nd.fold ? nd.or2 : 0;
  let newlines = 0;
  const candidates: number[] = [];
  for (let q = from; q < to; q++) {
    if (mem[q] === 10) newlines++;
    if ((mem[q] | or1) === nd.b1 && (mem[q + nd.delta] | or2) === nd.b2) candidates.push(q);
  }
  return { newlines, candidates };
}

const collect = async (gen: AsyncIterable<LogEntry[]>) => {
  const out: LogEntry[] = [];
  for await (const b of gen) out.push(...b);
  return out;
};

describe('WebAssembly kernel', () => {
  let k: Kernel;
  beforeAll(() => {
    k = acquireKernel(64 * 1024)!;
  });
  afterAll(() => releaseKernel(k));

  it('is what scripts/logs-kernel.mjs assembles (the script is its source)', async () => {
    const { assemble } = (await import(pathToFileURL(join(__dirname, '../../scripts/logs-kernel.mjs')).href)) as { assemble(): Uint8Array };
    expect(KERNEL_WASM).toBe(Buffer.from(assemble()).toString('base64'));
  });

  it('is available here (Node has WebAssembly SIMD), so the tests below run the kernel, not the fallback', () => {
    expect(k).not.toBeNull();
  });

  it('counts newlines and finds the same candidates as a byte loop, at every length, alignment and distance, in all four variants', () => {
    const r = random(7);
    const alphabet = [10, 13, 97, 65, 98, 66, 120, 0x5b, 0xc3, 0xa9, 32];
    let checked = 0;
    for (let t = 0; t < 4000; t++) {
      const n = t < 2000 ? r.int(300) : r.int(20_000);
      const from = 64 + r.int(80);
      const to = from + n;
      for (let i = 0; i < to + 128; i++) k.data[i] = r.pick(alphabet);
      const fold = r.int(2) === 1;
      const b1 = r.pick([97, 98, 10, 0x5b, 0xa9]);
      const b2 = r.pick([97, 98, 120, 32]);
      const nd: Needle = {
        b1, b2, fold, pair: r.int(2) === 1, or1: fold && b1 >= 97 && b1 <= 122 ? 32 : 0, or2: fold && b2 >= 97 && b2 <= 122 ? 32 : 0, delta: r.int(129) - 64,
      };
      const want = reference(k.data, from, to, nd);
      const got = k.scan(from, to, nd);
      expect(got.newlines, `scan newlines, case ${t}`).toBe(want.newlines);
      expect(k.count(from, to), `count, case ${t}`).toBe(want.newlines);
      if (want.candidates.length > 4096) {
        expect(got.candidates, `overflow, case ${t}`).toBeNull();
      } else {
        expect([...got.candidates!], `candidates, case ${t}`).toEqual(want.candidates);
        checked += want.candidates.length;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('reports more candidates than it can hold as unknown (null), never a partial list', () => {
    k.data.fill(97, 0, 20_000);
    const nd: Needle = { b1: 97, b2: 97, or1: 0, or2: 0, delta: 1, fold: false, pair: false };
    expect(k.scan(0, 8000, nd).candidates).toBeNull();
    expect(k.scan(0, 4000, nd).candidates).toHaveLength(4000);
  });

  it('grows for a long entry and keeps what it holds', () => {
    const k2 = acquireKernel(1024)!;
    try {
      k2.data.fill(10, 0, 1000);
      k2.ensure(3 * 1024 * 1024);
      expect(k2.capacity).toBeGreaterThanOrEqual(3 * 1024 * 1024);
      expect(k2.count(0, 1000)).toBe(1000);
      k2.data.fill(10, 0, 3 * 1024 * 1024);
      expect(k2.count(0, 3 * 1024 * 1024)).toBe(3 * 1024 * 1024);
    } finally {
      releaseKernel(k2);
    }
  });
});

const WORDS = ['deadlock', 'DeadLock', 'found', 'Order', 'table', 'café', '日本語', 'x', 'SQLSTATE[40001]', 'lock', 'dead', 'fou', 'nd'];
const origin = (path: string, kind: Origin['kind']): Origin => ({ service: 's', kind, path, fallbackTs: 0 });

/** A random log: Laravel headers, stack-trace lines, plain lines; LF or CRLF; words that make near-misses. */
function randomLog(seed: number, bytes: number, crlf: boolean): string {
  const r = random(seed);
  const eol = crlf ? '\r\n' : '\n';
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const words = Array.from({ length: 1 + r.int(12) }, () => r.pick(WORDS)).join(r.pick([' ', '', '-']));
    let line: string;
    switch (r.int(6)) {
      case 0:
        line = `#${r.int(20)} /srv/app/${words}.php(${i}): run()`;
        break;
      case 1:
        line = `[stacktrace]`;
        break;
      case 2:
        line = `  ${words}`;
        break;
      default:
        line = `[2026-02-15 14:${String(r.int(60)).padStart(2, '0')}:00] production.${r.pick(['ERROR', 'INFO', 'WARNING'])}: ${words}`;
    }
    parts.push(line + eol);
    size += line.length + eol.length;
  }
  return parts.join('');
}

describe('-Pattern over the kernel and over the fallback', () => {
  let p: Project;
  beforeAll(() => {
    p = makeProject();
  });
  afterAll(() => p.cleanup());

  const patterns: Array<[string, boolean]> = [
    ['deadlock found', true], ['deadlock found', false], ['deadlockfound', false], ['café', true], ['日本語-x', true], ['SQLSTATE\\[40001\\]', true],
    ['lock-dead', false], ['Order \\w+ table', false], ['fou(nd)? lock', true], ['x-x-x', true], ['d-nd', false],
    ['CAFÉ-x', false], ['x café', false], ['日本語', false],
    ['deadlock-found|café x', false], ['lock-dead|日本語-x', true], ['Order|table x', true], ['^\\[stack|fou-nd', true],
    ['SQLSTATE\\[40001\\]-x|日本語-café', true], ['Order-table|café-日本語|x-dead-x', true], ['found-Order|TABLE-X', false],
  ];

  it('returns what parsing every entry returns, with exact Line numbers, across read-block edges (LF and CRLF)', async () => {
    for (const [seed, crlf] of [[1, false], [2, true]] as const) {
      const text = randomLog(seed, 3 * CHUNK_BYTES + 12_345, crlf);
      for (const kind of ['laravel', 'plain'] as const) {
        const path = p.write(`r-${seed}.log`, text);
        for (const [pattern, caseSensitive] of patterns) {
          const f = buildFilter({ pattern, caseSensitive });
          const want = parseBlock(origin(path, kind), text, 1, f);
          const got = await collect(readForward(origin(path, kind), f, { end: Infinity }));
          expect(want.length, `${pattern} ${kind}`).toBeGreaterThan(0);
          expect(got, `${pattern} ${kind} crlf=${crlf}`).toEqual(want);
        }
      }
    }
  });

  it('finds the same blocks of entries with the Buffer.indexOf fallback as with the kernel', () => {
    const text = randomLog(3, 200_000, false);
    const block = Buffer.from(text);
    const k = acquireKernel(block.length)!;
    try {
      block.copy(k.data);
      const inKernel = k.data.subarray(0, block.length);
      for (const [pattern, caseSensitive] of patterns) {
        const f = buildFilter({ pattern, caseSensitive }) as EntryFilter & { pattern: RegExp };
        const o = origin('x.log', 'laravel');
        const fast = scanBlock(o, inKernel, 1, f, makeScanner(f.pattern), k);
        const fallback = scanBlock(o, block, 1, f, makeScanner(f.pattern), null);
        expect(fast, pattern).toEqual(fallback);
        expect(fast.entries, pattern).toEqual(parseBlock(o, text, 1, f));
      }
    } finally {
      releaseKernel(k);
    }
  });

  it('searches a block whose literal is on every line with one regex run, and finds the same entries', async () => {
    const lines = Array.from({ length: 12_000 }, (_, i) => `[2026-02-15 14:30:00] production.INFO: Order ${i} placed by table ${i % 40} for ${i % 997} PHP`);
    const text = `${lines.join('\n')}\n`;
    const path = p.write('dense.log', text);
    for (const pattern of ['placed by table \\d+ for 99[0-9] ', 'placed by table 3\\d for 12']) {
      const f = buildFilter({ pattern, caseSensitive: true });
      const sc = makeScanner(f.pattern!);
      expect(sc.literal?.toString()).toMatch(/^placed by table /);
      const want = parseBlock(origin(path, 'laravel'), text, 1, f);
      expect(want.length, pattern).toBeGreaterThan(0);
      expect(await collect(readForward(origin(path, 'laravel'), f, { end: Infinity })), pattern).toEqual(want);
      expect(scanBlock(origin(path, 'laravel'), Buffer.from(text), 1, f as EntryFilter & { pattern: RegExp }, sc, null).entries, pattern).toEqual(want);
    }
  });

  it('splits a top-level alternation and gives each alternative its literal (every match holds one of them)', () => {
    expect(splitAlternatives('deadlock|timeout')).toEqual(['deadlock', 'timeout']);
    expect(splitAlternatives('x|(y|z)w|[|]ab')).toEqual(['x', '(y|z)w', '[|]ab']);
    expect(splitAlternatives('a(b|c)d')).toBeNull();
    expect(splitAlternatives('a\\|b')).toBeNull();
    const alts = (pattern: string) => makeScanner(buildFilter({ pattern }).pattern!).alternatives?.map((a) => a.literal!.toString()) ?? null;
    expect(alts('DeadLock|TimeOut [0-9]+')).toEqual(['deadlock', 'timeout ']);
    expect(alts('deadlock|x')).toBeNull(); // "x" is too short to look for
    expect(alts('a|b|c|d|e')).toBeNull();
    expect(alts('deadlock found')).toBeNull(); // a literal of its own
  });

  it('-Tail with an alternation returns exactly the last matches of a full read', async () => {
    const text = randomLog(5, 2 * CHUNK_BYTES + 777, false);
    const path = p.write('alt-tail.log', text);
    for (const pattern of ['deadlock-found|café x', 'zzzz|lock-dead', 'DeadLock x|found-café']) {
      const f = buildFilter({ pattern });
      const want = parseBlock(origin(path, 'laravel'), text, 1, f).slice(-7);
      const got = (await readBackward(origin(path, 'laravel'), f, 7, Buffer.byteLength(text))).reverse();
      expect(got.length, pattern).toBeGreaterThan(0);
      expect(got, pattern).toEqual(want);
    }
  });

  it('finds every occurrence of the literal with Buffer.indexOf jumps, in order, ignoring ASCII case when asked', () => {
    const text = Buffer.from('DeadLock deadlock xdeadlockx DEADLOCK deadloc');
    const sc = makeScanner(/deadlock/i);
    expect(findLiteral(text, sc, sc.literal!)).toEqual([0, 9, 19, 29]);
    const exact = makeScanner(/deadlock/);
    expect(findLiteral(text, exact, exact.literal!)).toEqual([9, 19]);
  });

  it('counts a file\'s lines with the kernel (the Line of -Tail and -Wait\'s start)', async () => {
    const bytes = Buffer.from(randomLog(4, CHUNK_BYTES * 2 + 999, true));
    const path = p.write('count.log', bytes.toString());
    for (const end of [0, 1, 4095, CHUNK_BYTES, CHUNK_BYTES + 1, bytes.length]) {
      expect(await countFileLines(path, end), String(end)).toBe(bytes.subarray(0, end).filter((b) => b === 10).length);
    }
  });
});

describe('the plain path (the kernel turned off, as without WebAssembly SIMD)', () => {
  let p: Project;
  beforeAll(() => {
    p = makeProject();
  });
  afterAll(() => {
    setKernelEnabled(true);
    p.cleanup();
  });

  it('reads forward, -Tail and counts lines exactly as the kernel does, -Pattern or not', async () => {
    const text = randomLog(6, 2 * CHUNK_BYTES + 4321, true);
    const path = p.write('plain.log', text);
    const size = Buffer.byteLength(text);
    const read = async () => {
      const out: unknown[] = [await countFileLines(path, size)];
      for (const pattern of [undefined, 'deadlock found', 'lock-dead|日本語-x', 'Order \\w+ table']) {
        const f = buildFilter({ pattern });
        out.push(await collect(readForward(origin(path, 'laravel'), f, { end: Infinity })));
        out.push(await readBackward(origin(path, 'laravel'), f, 9, size));
      }
      return out;
    };
    expect(acquireKernel(1)).not.toBeNull();
    const withKernel = await read();
    setKernelEnabled(false);
    expect(acquireKernel(1)).toBeNull();
    const plain = await read();
    setKernelEnabled(true);
    expect(plain).toEqual(withKernel);
    expect((withKernel[1] as LogEntry[]).length).toBeGreaterThan(100);
  });
});

