// Builds the dashboard's browser client (core/dashboard/ui: Preact + htm, plain CSS) into bin/dashboard/:
// exactly index.html, app.js and app.css, minified, with nothing inline (the server's CSP forbids inline script and
// style). core/dashboard/static.ts serves these three files from memory; scripts/release.mjs ships the folder.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The files bin/dashboard holds, by name. */
export const DASHBOARD_FILES = ['index.html', 'app.js', 'app.css'];

/** Builds into out (default bin/dashboard); returns out. */
export async function buildDashboardUi(root, out = join(root, 'bin/dashboard')) {
  const ui = join(root, 'core/dashboard/ui');
  mkdirSync(out, { recursive: true });
  const result = await build({
    entryPoints: { app: join(ui, 'main.ts') },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
    outdir: out,
    loader: { '.css': 'css' },
  });
  const files = { 'index.html': '' };
  for (const f of result.outputFiles) files[f.path.slice(out.length + 1)] = f.contents;
  // The CSS is one plain file, not imported from the script: no style is ever injected from JS.
  files['app.css'] = (await build({ entryPoints: [join(ui, 'app.css')], bundle: true, minify: true, write: false, logLevel: 'warning', outfile: join(out, 'app.css') })).outputFiles[0].contents;
  // A content hash in the URLs, so a browser never mixes an old script with a new page.
  const hash = (name) => createHash('sha256').update(files[name]).digest('hex').slice(0, 12);
  files['index.html'] = readFileSync(join(ui, 'index.html'), 'utf8')
    .replace('app.css', `app.css?v=${hash('app.css')}`)
    .replace('app.js', `app.js?v=${hash('app.js')}`);
  for (const name of DASHBOARD_FILES) {
    if (!(name in files)) throw new Error(`dashboard build: no ${name}`);
    const tmp = join(out, `${name}.${process.pid}.tmp`);
    writeFileSync(tmp, files[name]);
    renameSync(tmp, join(out, name));
  }
  return out;
}
