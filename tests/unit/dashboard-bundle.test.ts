/**
 * The dashboard's browser client as scripts/build.mjs builds it (built here into a temporary folder): JS and CSS
 * together at most 150 KB gzipped (issue 18), an index.html with nothing inline (the CSP allows no inline script or
 * style), and core/dashboard/static.ts serving exactly those three files with the security headers, or a 503 page
 * saying to build when the folder is missing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, SECURITY_HEADERS } from '../../core/dashboard/server';
import { usage } from '../../core/dashboard/ui/services-data';
import { duration, text } from '../../core/dashboard/ui/ui';

const ROOT = join(__dirname, '..', '..');
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'woosoo-ui-'));
  // @ts-expect-error: a plain .mjs build script without types
  const { buildDashboardUi } = (await import('../../scripts/build-dashboard.mjs')) as { buildDashboardUi: (root: string, out: string) => Promise<string> };
  await buildDashboardUi(ROOT, out);
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const file = (name: string) => readFileSync(join(out, name));

async function app(staticDir: string) {
  return buildDashboard({ projectDir: out, staticDir, resolve: async (name) => { throw new Error(`no method ${name} in this test`); } });
}

describe('the dashboard client bundle', () => {
  it('is at most 150 KB gzipped (JS and CSS together)', () => {
    const js = gzipSync(file('app.js')).length;
    const css = gzipSync(file('app.css')).length;
    expect(js).toBeGreaterThan(5_000); // Preact, htm and the pages are in it
    expect(js + css).toBeLessThanOrEqual(150 * 1024);
  });

  it('has an index.html with no inline script, style or event handler', () => {
    const html = file('index.html').toString('utf8');
    expect(html).toMatch(/<script defer src="app\.js\?v=[0-9a-f]{12}"><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet" href="app\.css\?v=[0-9a-f]{12}">/);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBe(1);
    for (const s of scripts) {
      expect(s[1]).toMatch(/\bsrc=/);
      expect(s[2].trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/https?:\/\//); // nothing fetched from outside
  });

  it('never renders server text as HTML', () => {
    const sources = ['ui.ts', 'main.ts', 'pages/logs.ts', 'pages/deploys.ts'].map((f) => readFileSync(join(ROOT, 'core/dashboard/ui', f), 'utf8')).join('\n');
    expect(sources).not.toMatch(/innerHTML|dangerouslySetInnerHTML|insertAdjacentHTML|document\.write/);
    expect(file('app.js').toString('utf8')).not.toMatch(/dangerouslySetInnerHTML\s*:/);
  });

  it('is served from memory at /, /app.js and /app.css with the security headers', async () => {
    const a = await app(out);
    try {
      for (const [url, name, type] of [['/', 'index.html', 'text/html'], ['/app.js?v=1', 'app.js', 'text/javascript'], ['/app.css', 'app.css', 'text/css']]) {
        const r = await a.inject({ method: 'GET', url, headers: { host: 'localhost:8080' } });
        expect(r.statusCode, url).toBe(200);
        expect(r.headers['content-type']).toContain(type);
        expect(r.rawPayload.equals(file(name))).toBe(true);
        for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(r.headers[k]).toBe(v);
      }
      for (const url of ['/index.html', '/../package.json', '/app.js/../../package.json', '/%2e%2e/package.json']) {
        expect((await a.inject({ method: 'GET', url, headers: { host: 'localhost' } })).statusCode, url).toBe(404);
      }
    } finally {
      await a.close();
    }
  });

  it('without a build answers 503 with a page saying to run it', async () => {
    const a = await app(join(out, 'missing'));
    try {
      const r = await a.inject({ method: 'GET', url: '/', headers: { host: 'localhost' } });
      expect(r.statusCode).toBe(503);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.body).toContain('node scripts/build.mjs');
      expect(r.headers['content-security-policy']).toBe(SECURITY_HEADERS['content-security-policy']);
      expect((await a.inject({ method: 'GET', url: '/app.js', headers: { host: 'localhost' } })).statusCode).toBe(503);
    } finally {
      await a.close();
    }
  });
});

describe('the client\'s formats', () => {
  it('shows the engine\'s durations short', () => {
    expect(['PT0.576S', 'PT12.3S', 'PT1M2.5S', 'PT3H4M', 'P1DT2H', '00:01:02.5000000', '1.02:03:04', 1500, 250, null].map(duration))
      .toEqual(['0.6s', '12s', '1m 2s', '3h 4m', '1d 2h', '1m 2s', '1d 2h', '1.5 s', '250 ms', '—']);
  });

  it('shows any value as text', () => {
    expect([null, '', 'a', 3, false, ['x', 'y'], { a: 1 }].map(text)).toEqual(['—', '—', 'a', '3', 'false', 'x, y', '{"a":1}']);
  });

  it('shows a service\'s CPU and memory from services.get\'s usage fields, a dash where they were not read', () => {
    expect(usage({ Name: 'api', CpuPercent: 3.5, MemoryBytes: 118 * 1048576 })).toEqual({ cpu: '3.5%', memory: '118 MB' });
    expect(usage({ Name: 'api', CpuPercent: 0, MemoryBytes: 0 })).toEqual({ cpu: '0%', memory: '0 MB' });
    expect(usage({ Name: 'worker', CpuPercent: null, MemoryBytes: null })).toEqual({ cpu: '—', memory: '—' });
    expect(usage({ Name: 'old' })).toEqual({ cpu: '—', memory: '—' });
  });
});
