// The unified diff, checked against the real GNU tools: `patch` must turn the old file into the new one with it,
// and it must be as short as `diff --minimal`'s.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../core/sync/diff';
import { hasTool, missingTools, skipUnless } from '../harness/tools';

const dir = mkdtempSync(join(tmpdir(), 'woosoo-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic pseudo-random line lists (LCG), so a failure is reproducible. */
function lists(seed: number, count: number): [string[], string[]][] {
  let s = seed;
  const rnd = (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const make = () => Array.from({ length: rnd(25) }, () => 'abcdef'[rnd(6)]);
  return Array.from({ length: count }, () => [make(), make()]);
}

const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

describe('unifiedDiff', () => {
  it('is empty for equal inputs and shows a created file against /dev/null', () => {
    expect(unifiedDiff(['a'], ['a'], { fromFile: 'a/x', toFile: 'b/x' }).text).toBe('');
    expect(unifiedDiff([], ['one', 'two'], { fromFile: '/dev/null', toFile: 'b/x' }).text).toBe('--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+one\n+two\n');
  });

  it('masks every line it shows', () => {
    const d = unifiedDiff(['PASSWORD=old'], ['PASSWORD=new'], { fromFile: 'a', toFile: 'b', mask: (l) => l.replace(/=.*/, '=********') });
    expect(d.text).not.toMatch(/old|new/);
    expect(d.text).toContain('-PASSWORD=********');
    expect(d.added).toBe(1);
    expect(d.removed).toBe(1);
  });

  it('groups distant changes into separate hunks with three lines of context', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const b = [...a];
    b[2] = 'changed 2';
    b[17] = 'changed 17';
    const d = unifiedDiff(a, b, { fromFile: 'a/f', toFile: 'b/f' });
    expect(d.text.match(/^@@/gm)).toHaveLength(2);
    expect(d.text).toContain('@@ -1,6 +1,6 @@');
    expect(d.text).toContain('@@ -15,6 +15,6 @@');
  });

  it.skipIf(skipUnless(hasTool('patch', 'diff'), missingTools('patch', 'diff') ?? ''))('GNU patch applies every diff, and it is as short as diff --minimal', () => {
    const from = join(dir, 'from');
    const to = join(dir, 'to');
    const out = join(dir, 'out');
    const patchFile = join(dir, 'p.diff');
    for (const [a, b] of lists(42, 100)) {
      writeFileSync(from, text(a));
      writeFileSync(to, text(b));
      const d = unifiedDiff(a, b, { fromFile: 'a/f', toFile: 'b/f' });
      const gnu = spawnSync('diff', ['--minimal', '-u', from, to], { encoding: 'utf8' });
      const gnuChanged = gnu.stdout.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l)).length;
      expect(d.added + d.removed, `${JSON.stringify(a)} -> ${JSON.stringify(b)}`).toBe(gnuChanged);
      if (d.text === '') {
        expect(text(a)).toBe(text(b));
        continue;
      }
      writeFileSync(patchFile, d.text);
      execFileSync('patch', ['-s', '-o', out, from, patchFile]);
      expect(readFileSync(out, 'utf8'), d.text).toBe(text(b));
    }
  });
});
