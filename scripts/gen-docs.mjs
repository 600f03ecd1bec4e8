// Writes the generated docs (docs/configuration.md, the method table of docs/protocol.md) from core/.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = await build({
  stdin: {
    contents: "export * from './core/docs'; export { allMethods } from './core/methods';",
    resolveDir: root, loader: 'ts',
  },
  bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'error',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
mkdirSync(join(root, '.cache'), { recursive: true });
const bundle = join(root, '.cache', 'gen-docs.bundle.mjs');
writeFileSync(bundle, out.outputFiles[0].text);
const mod = await import(pathToFileURL(bundle).href);
writeFileSync(join(root, 'docs/configuration.md'), mod.renderConfigDoc());
const protocol = join(root, 'docs/protocol.md');
process.env.WOOSOO_ENGINE_TEST_METHODS = '';
writeFileSync(protocol, mod.withMethodTable(readFileSync(protocol, 'utf8'), await mod.allMethods()));
process.stderr.write('wrote docs/configuration.md and the method table of docs/protocol.md\n');
