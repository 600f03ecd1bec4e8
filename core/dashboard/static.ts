/**
 * The dashboard's browser client: the three files scripts/build.mjs writes into bin/dashboard (index.html, app.js,
 * app.css), read once when the app is built and served from memory by a fixed map of names, so no part of a URL ever
 * reaches the file system. The folder is found next to the running engine (bin/ of the module, or of the source tree
 * in the tests). Without it, GET / is a 503 page saying to run the build, not a crash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { moduleRoot } from '../process/locate';

const TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** URL path -> file name in bin/dashboard. */
const ROUTES: Readonly<Record<string, string>> = { '/': 'index.html', '/app.js': 'app.js', '/app.css': 'app.css' };

/** Where the built client is: bin/dashboard of Woosoo's own folder. */
export function dashboardDir(): string {
  return join(moduleRoot(), 'bin', 'dashboard');
}

/** The built files, or the reason they cannot be served. */
export function loadStatic(dir: string): { files: Map<string, Buffer> } | { missing: string } {
  const files = new Map<string, Buffer>();
  for (const name of Object.keys(TYPES)) {
    try {
      files.set(name, readFileSync(join(dir, name)));
    } catch {
      return { missing: join(dir, name) };
    }
  }
  return { files };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function registerStatic(app: FastifyInstance, dir: string = dashboardDir()): void {
  const loaded = loadStatic(dir);
  for (const [url, name] of Object.entries(ROUTES)) {
    app.get(url, async (_req, reply) => {
      if ('missing' in loaded) {
        const page = `<!doctype html><meta charset="utf-8"><title>Woosoo dashboard</title><h1>The dashboard's client is not built</h1>`
          + `<p>${escapeHtml(loaded.missing)} is missing. Run <code>node scripts/build.mjs</code> in the Woosoo folder, then start the dashboard again.</p>`;
        return reply.code(503).type('text/html; charset=utf-8').send(url === '/' ? page : '');
      }
      return reply.type(TYPES[name]).send(loaded.files.get(name));
    });
  }
}
