/**
 * The diagnostics bundle's pieces in-process: the forms a secret is masked in, the raw tail across rotated files, and
 * a part that hangs (an HTTP server that accepts and never answers, HEALTH_TIMEOUT_SECONDS far away) ending at the
 * part's deadline as an error entry while the export goes on.
 */
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDiagnostics } from '../../core/diagnostics/bundle';
import { BundleRedactor, secretForms } from '../../core/diagnostics/redact';
import { readTail } from '../../core/diagnostics/tail';
import { RequestContext } from '../../core/kernel/context';
import { makeDiagProject, readZip } from './fixture';

describe('secretForms and the bundle mask', () => {
  it('masks a secret as written, URL-encoded, JSON-escaped, the base64 of an APP_KEY and a webhook URL\'s tokens', () => {
    const r = new BundleRedactor();
    r.add(['p@ss"word/with#chars', 'base64:QUJDREVGR0hJSktMTU5PUA==', 'https://hooks.test/services/T1/Xy9Zk2Lm8Qw3Rt?token=tokValue123', 'short']);
    const text = [
      'raw p@ss"word/with#chars', `url ${encodeURIComponent('p@ss"word/with#chars')}`, `json ${JSON.stringify('p@ss"word/with#chars')}`,
      'key QUJDREVGR0hJSktMTU5PUA==', 'path Xy9Zk2Lm8Qw3Rt', 'query tokValue123', 'a short word stays',
    ].join('\n');
    const masked = r.text(text);
    expect(masked).not.toMatch(/p@ss|p%40ss|QUJDREVG|Xy9Zk2Lm8Qw3Rt|tokValue123/);
    expect(masked).toContain('a short word stays');
    expect(r.short).toBe(1);
    // Ordinary path segments of a URL are not tokens.
    expect(secretForms('https://hooks.test/services/T1/abc')).not.toContain('services');
  });
});

describe('readTail', () => {
  it('reads the last lines of the live file and, when it is short, of its rotated predecessor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsdiag-tail-'));
    writeFileSync(join(dir, 'output.log.1'), Array.from({ length: 100 }, (_, i) => `old ${i}`).join('\n') + '\n');
    writeFileSync(join(dir, 'output.log'), 'new 0\r\nnew 1\r\n');
    expect(await readTail([join(dir, 'output.log'), join(dir, 'output.log.1')], 4)).toBe('old 98\nold 99\nnew 0\nnew 1\n');
    expect(await readTail([join(dir, 'output.log')], 1)).toBe('new 1\n');
    // A long file read from its end in blocks: the first, cut line is never returned.
    writeFileSync(join(dir, 'big.log'), Array.from({ length: 50_000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n'));
    const tail = (await readTail([join(dir, 'big.log')], 3)).split('\n');
    expect(tail.slice(0, 3).map((l) => l.split(' ')[1])).toEqual(['49997', '49998', '49999']);
  });
});

describe('a part that hangs', () => {
  it('ends at its deadline as DiagnosticsPartTimedOut; the other parts and the zip are there', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => sockets.push(s)); // accepts, never answers
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    try {
      const dir = makeDiagProject([`HTTP_PORT=${port}`, 'HEALTH_TIMEOUT_SECONDS=300']);
      const notes: string[] = [];
      const ctx = new RequestContext(1, { env: process.env as Record<string, string>, cwd: dir }, new AbortController().signal, (m, p) => notes.push(`${m} ${String(p.message ?? '')}`));
      const t0 = Date.now();
      const r = await exportDiagnostics({ ref: dir, outFile: join(dir, 'hang.zip'), force: false, logLines: 5, client: {}, partTimeoutMs: 1500 }, ctx);
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(r.errors.find((e) => e.part === 'Health')).toMatchObject({ errorId: 'DiagnosticsPartTimedOut' });
      expect(r.parts.find((p) => p.name === 'Logs')?.ok).toBe(true);
      const files = readZip(join(dir, 'hang.zip'));
      expect(files.has('health.json')).toBe(false);
      expect(files.get('summary.txt')).toMatch(/Health +FAILED +DiagnosticsPartTimedOut/);
      expect(notes.some((n) => /\$\/log Diagnostics: Health was not collected/.test(n))).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  }, 30_000);
});
