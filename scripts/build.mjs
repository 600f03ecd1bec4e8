// Bundles the engine into one CommonJS file that needs no node_modules at run time.
// Each domain's code sits in the same file behind a lazy init (core/methods.ts imports it dynamically), so it
// runs on the domain's first call. The output is pure ASCII: V8 keeps the whole source in memory for as long
// as the engine runs, and one non-ASCII character (esbuild leaves them in comments and regular expressions)
// makes it store all of it at two bytes per character (docs/performance.md, Foundation).
import { build } from 'esbuild';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { buildDashboardUi } from './build-dashboard.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outfile = join(root, 'bin/woosoo-engine.cjs');

const result = await build({
  entryPoints: [join(root, 'core/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: 'linked',
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
  define: { __WOOSOO_VERSION__: JSON.stringify(pkg.version) },
});

/**
 * Every non-ASCII UTF-16 unit as a \uXXXX escape: valid and equal in meaning in string, template and regular
 * expression literals (with or without the u flag) and in identifiers, and harmless in comments.
 */
function asciiOnly(js) {
  return js.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Written whole (temp file + rename): an engine started while a build runs (another test file, a session of the
// module) must never read half a bundle.
for (const file of result.outputFiles) {
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.path === outfile ? asciiOnly(file.text) : file.contents);
  renameSync(tmp, file.path);
}
process.stderr.write(`built bin/woosoo-engine.cjs (engine ${pkg.version})\n`);
await buildDashboardUi(root);
process.stderr.write('built bin/dashboard (the dashboard\'s browser client)\n');
