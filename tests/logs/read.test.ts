/** Reading real files on disk: families and rotation order, chunked forward reads, -Tail from the end, -Pattern's fast path. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBackward } from '../../core/logs/backward';
import type { EntryFilter, LogEntry } from '../../core/logs/entry';
import { CHUNK_BYTES, readForward } from '../../core/logs/forward';
import { mergeByTime } from '../../core/logs/merge';
import { buildFilter } from '../../core/logs/query';
import { countNewlines } from '../../core/logs/newlines';
import { makeScanner, parseBlock, type Origin } from '../../core/logs/region';
import { discoverSources, familyFiles, livePath, selectSources } from '../../core/logs/sources';
import { LARAVEL_LOG, local, makeProject, NGINX_ACCESS, NGINX_ERROR, type Project } from './fixtures';

const all: EntryFilter = { minLevel: 0, pattern: null, since: null, until: null };

async function collect(gen: AsyncIterable<LogEntry[]>): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const b of gen) out.push(...b);
  return out;
}

const origin = (path: string, kind: Origin['kind'] = 'laravel'): Origin => ({ service: 's', kind, path, fallbackTs: 0 });

/** A Laravel log bigger than two read chunks: every 7th entry carries a multi-line stack trace. */
function bigLaravel(count: number): { text: string; errors: number } {
  const parts: string[] = [];
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const s = String(i % 60).padStart(2, '0');
    if (i % 7 === 0) {
      errors++;
      parts.push(`[2026-02-15 14:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${s}] production.ERROR: Job ${i} failed: deadlock found {"exception":"[object] (PDOException(code: 40001))\n[stacktrace]\n#0 /srv/app/Job.php(${i}): run()\n#1 {main}\n"}\n`);
    } else {
      parts.push(`[2026-02-15 14:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${s}] production.INFO: Order ${i} placed by table ${i % 40} ${'x'.repeat(i % 90)}\n`);
    }
  }
  return { text: parts.join(''), errors };
}

describe('log sources', () => {
  let p: Project;
  beforeAll(() => {
    p = makeProject();
    p.write('logs/backend/output.log', 'live\n', 3_000_000);
    p.write('logs/backend/output-20260215T143000.000.log', 'older\n', 2_000_000);
    p.write('logs/backend/output.log.1', 'oldest\n', 1_000_000);
    p.write('logs/backend/output.log.2.gz', 'zipped');
    p.write('logs/backend/error.log', '');
    p.write('logs/nginx/access.log', NGINX_ACCESS);
    p.write('logs/nginx/error.log', NGINX_ERROR);
    p.write('logs/deployment/deploy-1.log', 'a\n', 1_000_000);
    p.write('logs/deployment/20260215-1430/backend.log', 'composer install\n', 2_000_000);
    p.write('logs/deployment/20260215-1430/pwa.log', 'npm run build\n', 2_500_000);
    p.write('logs/deployment/20260215-1430.json', '{}', 2_600_000);
    p.write('apps/backend/storage/logs/laravel-2026-02-14.log', 'x\n', 1_000_000);
    p.write('apps/backend/storage/logs/laravel-2026-02-15.log', 'y\n', 2_000_000);
  });
  afterAll(() => p.cleanup());

  it('finds every service folder, nginx, deployments and Laravel, each with its parser', () => {
    const srcs = discoverSources(p.dir, p.backend);
    expect(srcs.map((s) => `${s.service}:${s.kind}:${s.base}`)).toEqual([
      'backend:plain:output.log', 'backend:plain:error.log',
      'nginx:nginx-access:access.log', 'nginx:nginx-error:error.log', 'deployment:plain:null', 'laravel:laravel:laravel.log',
    ]);
  });

  it('orders a family oldest first with the live file last, and leaves compressed files out', () => {
    const out = discoverSources(p.dir, p.backend)[0];
    expect(familyFiles(out).map((f) => f.path.split('/').pop())).toEqual(['output.log.1', 'output-20260215T143000.000.log', 'output.log']);
    expect(livePath(out)).toBe(join(p.dir, 'logs/backend/output.log'));
  });

  it('takes the newest file as live when there is no base file (Laravel daily, deployments)', () => {
    const srcs = discoverSources(p.dir, p.backend);
    expect(livePath(srcs[5])).toBe(join(p.backend, 'storage/logs/laravel-2026-02-15.log'));
    expect(livePath(srcs[4])).toBe(join(p.dir, 'logs/deployment/20260215-1430/pwa.log'));
  });

  it('reads a deployment\'s build logs one folder down (DEPLOY_REPORT_PATH/<id>/<app>.log), also from a configured folder', () => {
    const dep = discoverSources(p.dir, p.backend).find((s) => s.service === 'deployment')!;
    expect(familyFiles(dep).map((f) => f.path.slice(p.dir.length + 1))).toEqual([
      'logs/deployment/deploy-1.log', 'logs/deployment/20260215-1430/backend.log', 'logs/deployment/20260215-1430/pwa.log',
    ]);
    p.write('reports/7/api.log', 'x\n');
    const moved = discoverSources(p.dir, p.backend, join(p.dir, 'reports'));
    // the service name stays "deployment"; logs/deployment is not read as a service folder of its own
    expect(moved.filter((s) => s.service === 'deployment').map((s) => s.dir)).toEqual([join(p.dir, 'reports')]);
  });

  it('finds nginx\'s logs also as logs/nginx-access.log and logs/nginx-error.log (the nginx.conf template\'s names)', () => {
    const q = makeProject();
    try {
      q.write('logs/nginx-access.log', NGINX_ACCESS);
      q.write('logs/nginx-access.log.1', NGINX_ACCESS);
      q.write('logs/nginx-error.log', NGINX_ERROR);
      const srcs = discoverSources(q.dir, q.backend);
      expect(srcs.map((s) => `${s.service}:${s.kind}`)).toEqual(['nginx:nginx-access', 'nginx:nginx-error', 'laravel:laravel']);
      expect(familyFiles(srcs[0]).map((f) => f.path.split('/').pop()).sort()).toEqual(['nginx-access.log', 'nginx-access.log.1']);
      expect(familyFiles(srcs[1]).map((f) => f.path.split('/').pop())).toEqual(['nginx-error.log']);
    } finally {
      q.cleanup();
    }
  });

  it('selects services by name and wildcard, and reports names that match nothing', () => {
    const srcs = discoverSources(p.dir, p.backend);
    expect(selectSources(srcs, ['ngi*']).sources.map((s) => s.kind)).toEqual(['nginx-access', 'nginx-error']);
    expect(selectSources(srcs, ['all']).sources).toHaveLength(6);
    expect(selectSources(srcs, ['LARAVEL', 'nope']).unmatched).toEqual(['nope']);
  });
});

describe('reading files', () => {
  let p: Project;
  let big: string;
  let bigErrors: number;
  beforeAll(() => {
    p = makeProject();
    const b = bigLaravel(110_000);
    expect(b.text.length).toBeGreaterThan(2 * CHUNK_BYTES);
    big = p.write('big.log', b.text);
    bigErrors = b.errors;
  });
  afterAll(() => p.cleanup());

  it('reads a file larger than two chunks with every stack trace whole and correct line numbers', async () => {
    const entries = await collect(readForward(origin(big), all, { end: Infinity }));
    expect(entries).toHaveLength(110_000);
    const errs = entries.filter((e) => e.level === 'Error');
    expect(errs).toHaveLength(bigErrors);
    expect(errs.every((e) => e.message.endsWith('#1 {main}\n"}'))).toBe(true);
    // Entry i starts after i ordinary lines plus 4 extra lines per earlier error entry.
    const i = 7 * 5000;
    expect(entries[i].line).toBe(i + 4 * Math.ceil(i / 7) + 1);
    expect(entries[i].message).toMatch(new RegExp(`^Job ${i} failed`));
  });

  it('keeps an entry longer than several read chunks whole', async () => {
    const frames = Array.from({ length: 12_000 }, (_, i) => `#${i} /srv/app/vendor/some/deep/library/File${i}.php(${i}): handle()`).join('\n');
    const f = p.write('huge-entry.log', `[2026-02-15 14:30:00] production.INFO: before\n[2026-02-15 14:30:01] production.ERROR: boom\n${frames}\n[2026-02-15 14:30:02] production.INFO: after\n`);
    expect(frames.length).toBeGreaterThan(3 * CHUNK_BYTES);
    const entries = await collect(readForward(origin(f), all, { end: Infinity }));
    expect(entries.map((e) => [e.level, e.line])).toEqual([['Info', 1], ['Error', 2], ['Info', 12_003]]);
    expect(entries[1].message.split('\n')).toHaveLength(12_001);
    const hit = await collect(readForward(origin(f), buildFilter({ pattern: 'File11999\\.php' }), { end: Infinity }));
    expect(hit.map((e) => e.line)).toEqual([2]);
  });

  it('-Pattern fast path returns exactly what parsing every entry and testing its lines returns', async () => {
    const text = readFileSync(big, 'utf8');
    for (const pattern of ['deadlock', 'Job 7\\d+ failed', 'dead(lock)? found', 'table 3[0-9] x', 'x?deadlock|placed by t', 'run\\(\\)$', 'table 3[0-9] x{80}', 'ORDER 99', '^\\[2026-02-15 14:0[0-4]:1', 'production\\.error']) {
      const f = buildFilter({ pattern });
      const fast = await collect(readForward(origin(big), f, { end: Infinity }));
      expect(fast.length, pattern).toBeGreaterThan(0);
      expect(fast, pattern).toEqual(parseBlock(origin(big), text, 1, f));
    }
  });

  it('finds the characters every match must contain (ASCII when ignoring case), to skip blocks without them', () => {
    const lit = (pattern: string, caseSensitive = true) => makeScanner(buildFilter({ pattern, caseSensitive }).pattern!).literal?.toString();
    expect(lit('deadlock found')).toBe('deadlock found');
    expect(lit('SQLSTATE\\[HY000\\]')).toBe('SQLSTATE[HY000]');
    expect(lit('Café')).toBe('Café');
    expect(lit('DeadLock', false)).toBe('deadlock');
    // ignoring case, the longest ASCII part of the run (non-ASCII letters are not folded by the prefilter)
    expect(lit('Café', false)).toBe('caf');
    expect(lit('über Straße', false)).toBe('ber stra');
    expect(lit('日本語', false)).toBeUndefined();
    expect(lit('日本語 ok', false)).toBe(' ok');
    for (const p of ['deadlock|timeout', 'a|b', '^x', 'x$', 'a+', '\\d', '(xyz)', '[abc]', 'a{2}', 'abc?', '(a|b)', '[^xyz]+']) expect(lit(p), p).toBeUndefined();
    // the longest run every match must contain, for regexes that are more than a literal
    expect(lit('dead.ock')).toBe('dead');
    expect(lit('failure: [0-9]+ dead(lock|end)')).toBe('failure: ');
    expect(lit('Order \\d+ failed')).toBe(' failed');
    expect(lit('(deadlock|timeout) found')).toBe(' found');
    expect(lit('colou?r scheme')).toBe('r scheme');
    expect(lit('ab{2,3}cdef')).toBe('cdef');
    expect(lit('x{0,2}yzw')).toBe('yzw');
    expect(lit('abcd*efgh')).toBe('efgh');
    expect(lit('\\[ERROR\\]')).toBe('[ERROR]');
    expect(lit('[a-z]+ \\(x\\)?y')).toBe(' (x');
  });

  it('-Pattern is case-insensitive unless asked, and a match in a stack frame selects the whole entry', async () => {
    const insensitive = await collect(readForward(origin(big), buildFilter({ pattern: 'JOB\\.PHP\\(140\\)' }), { end: Infinity }));
    expect(insensitive).toHaveLength(1);
    expect(insensitive[0].message).toMatch(/^Job 140 failed/);
    const sensitive = await collect(readForward(origin(big), buildFilter({ pattern: 'JOB\\.PHP', caseSensitive: true }), { end: Infinity }));
    expect(sensitive).toHaveLength(0);
  });

  it('-Tail reads from the end: the same entries as the end of a full read, with line numbers', async () => {
    const full = await collect(readForward(origin(big), all, { end: Infinity }));
    const size = Buffer.byteLength(readFileSync(big, 'utf8'));
    const tail = await readBackward(origin(big), all, 25, size);
    expect(tail.reverse()).toEqual(full.slice(-25));
    const errTail = await readBackward(origin(big), buildFilter({ level: 'Error' }), 3, size);
    expect(errTail.reverse()).toEqual(full.filter((e) => e.level === 'Error').slice(-3));
  });

  it('-Tail with -Pattern skips chunks without the needed characters and still returns exactly the last matches', async () => {
    const size = Buffer.byteLength(readFileSync(big, 'utf8'));
    const full = await collect(readForward(origin(big), all, { end: Infinity }));
    for (const [pattern, want] of [['run\\(\\)$', 60], ['JOB\\.PHP\\(1\\d+\\)', 7], ['deadlock', 400], ['Order 10999 ', 1], ['zebra', 5]] as const) {
      const f = buildFilter({ pattern });
      const expected = full.filter((e) => e.message.split('\n').some((l) => f.pattern!.test(l))).slice(-want);
      const tail = (await readBackward(origin(big), f, want, size)).reverse();
      expect(tail.map((e) => e.line), pattern).toEqual(expected.map((e) => e.line));
    }
  });

  it('-Tail larger than the file returns every entry, also for a file without a final newline', async () => {
    const f = p.write('small.log', LARAVEL_LOG.trimEnd());
    const entries = await readBackward(origin(f), all, 100, Buffer.byteLength(LARAVEL_LOG.trimEnd()));
    expect(entries.map((e) => [e.level, e.line])).toEqual([['Debug', 9], ['Warning', 8], ['Error', 2], ['Info', 1]]);
  });

  it('filters by -Since/-Until and -Level', async () => {
    const f = p.write('window.log', LARAVEL_LOG);
    const win = buildFilter({ since: new Date(local(2026, 2, 15, 14, 30, 5)).toISOString(), until: new Date(local(2026, 2, 15, 14, 30, 9)).toISOString() });
    expect((await collect(readForward(origin(f), win, { end: Infinity }))).map((e) => e.level)).toEqual(['Error', 'Warning']);
    expect((await readBackward(origin(f), win, 10, 10_000)).map((e) => e.level)).toEqual(['Warning', 'Error']);
    expect((await collect(readForward(origin(f), buildFilter({ level: 'Warning' }), { end: Infinity }))).map((e) => e.level)).toEqual(['Error', 'Warning']);
  });

  it('gives entries without their own time the file\'s modification time', async () => {
    const f = p.write('plain.log', 'starting\n  detail\nready\n', local(2026, 2, 15, 15, 0, 0));
    const entries = await collect(readForward({ ...origin(f, 'plain'), fallbackTs: local(2026, 2, 15, 15, 0, 0) }, all, { end: Infinity }));
    expect(entries.map((e) => [e.message, e.ts, e.ownTime])).toEqual([
      ['starting\n  detail', local(2026, 2, 15, 15, 0, 0), false], ['ready', local(2026, 2, 15, 15, 0, 0), false],
    ]);
  });

  it('merges several time-ordered streams into one, stable on ties', async () => {
    const a = p.write('a.log', NGINX_ACCESS);
    const e = p.write('e.log', NGINX_ERROR);
    const merged = await collect(mergeByTime([
      readForward(origin(a, 'nginx-access'), all, { end: Infinity }),
      readForward(origin(e, 'nginx-error'), all, { end: Infinity }),
    ], 2));
    expect(merged.map((x) => new Date(x.ts).getSeconds())).toEqual([1, 6, 6, 7, 8, 11]);
    expect(merged[1].source).toBe(a);
  });

  it('throws a clear error for a bad -Pattern and an empty time window', () => {
    expect(() => buildFilter({ pattern: '(unclosed' })).toThrow(/not a valid regular expression/);
    expect(() => buildFilter({ since: '2026-02-16T00:00:00Z', until: '2026-02-15T00:00:00Z' })).toThrow(/after -Until/);
  });
});

describe('newline counting', () => {
  it('counts the same with WebAssembly SIMD as a byte loop, at every length and alignment', () => {
    const text = Buffer.from(Array.from({ length: 5000 }, (_, i) => `${'x'.repeat(i % 131)}\n${i % 3 === 0 ? '\n' : ''}`).join(''));
    const slow = (b: Buffer, a: number, z: number) => b.subarray(a, z).reduce((n, x) => n + (x === 10 ? 1 : 0), 0);
    for (const [a, z] of [[0, text.length], [1, text.length - 1], [3, 4099], [17, 300_000], [0, 64], [5, 4101 + 64 * 7 + 3]]) {
      expect(countNewlines(text, a, Math.min(z, text.length))).toBe(slow(text, a, Math.min(z, text.length)));
    }
    expect(text.length).toBeGreaterThan(256 * 1024);
  });
});
