/** The generated docs must match the code they are generated from (run `npm run docs` after changing keys or methods). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigDoc, withMethodTable } from '../core/docs';
import { allMethods } from '../core/methods';
import { KEYS } from '../core/config/keys';

const ROOT = join(__dirname, '..');
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

describe('generated documentation', () => {
  it('docs/configuration.md describes every key as declared in core/config/keys', () => {
    expect(read('docs/configuration.md')).toBe(renderConfigDoc());
  });
  it('docs/protocol.md lists every method with its params', async () => {
    const doc = read('docs/protocol.md');
    expect(doc).toBe(withMethodTable(doc, await allMethods()));
  });
  it('every key is documented with its type and help text', () => {
    const doc = read('docs/configuration.md');
    for (const k of KEYS.values()) {
      expect(doc).toContain(`| \`${k.name}\` |`);
      expect(k.help.length).toBeGreaterThan(10);
    }
  });
});
