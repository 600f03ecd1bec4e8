// Bundles the engine into one CommonJS file that needs no node_modules at run time.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

await build({
  entryPoints: [join(root, 'core/main.ts')],
  outfile: join(root, 'bin/woosoo-engine.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: 'linked',
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __WOOSOO_VERSION__: JSON.stringify(pkg.version) },
});
process.stderr.write(`built bin/woosoo-engine.cjs (engine ${pkg.version})\n`);
