// core/sync/diff.ts gets its edit script from jsdiff since issue 13. The Myers implementation it replaced is kept
// here, and only here, to show that the edit scripts are the same on seeded random inputs: with a context larger
// than both files the diff is one hunk that lists every line with its op, i.e. the whole edit script, and the hunk
// grouping after it is unchanged code, so equal scripts mean equal diffs for every context.
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../core/sync/diff';

type Kind = ' ' | '-' | '+';

/** The replaced algorithm (core/sync/diff.ts before jsdiff): Myers' greedy forward pass, then a backtrack. */
function oldEditScript(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    let done = false;
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    if (done) break;
  }
  const at = (d: number, k: number) => trace[d][k + d + 1];
  const ops: string[] = [];
  const op = (kind: Kind, text: string) => ops.push(`${kind}${text}`);
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const k = x - y;
    const down = k === -d || (k !== d && at(d, k - 1) < at(d, k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(d, prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      op(' ', a[x]);
    }
    if (d === 0) break;
    if (down) op('+', b[--y]);
    else op('-', a[--x]);
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    op(' ', a[x]);
  }
  return ops.reverse();
}

/** Deterministic pseudo-random line lists (LCG), so a failure is reproducible. */
function cases(seed: number, count: number, alphabet: string, maxLines: number): [string[], string[]][] {
  let s = seed;
  const rnd = (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const make = () => Array.from({ length: rnd(maxLines) }, () => alphabet[rnd(alphabet.length)]);
  return Array.from({ length: count }, () => {
    const a = make();
    // One case in three is an edit of the first list (a few lines replaced), like a config file's update.
    return [a, rnd(3) === 0 ? a.map((l) => (rnd(8) === 0 ? 'z' : l)) : make()];
  });
}

describe('unifiedDiff on jsdiff', () => {
  it('gives the same edit script as the replaced Myers implementation on 600 random inputs', () => {
    const all = [...cases(1, 200, 'ab', 12), ...cases(2, 200, 'abcdef', 30), ...cases(3, 200, 'abcdefghijklmnop', 80)];
    for (const [a, b] of all) {
      const expected = oldEditScript(a, b);
      const d = unifiedDiff(a, b, { fromFile: 'a/f', toFile: 'b/f', context: a.length + b.length });
      const why = `${JSON.stringify(a)} -> ${JSON.stringify(b)}`;
      expect(d.added, why).toBe(expected.filter((o) => o[0] === '+').length);
      expect(d.removed, why).toBe(expected.filter((o) => o[0] === '-').length);
      if (d.added + d.removed === 0) {
        expect(d.text, why).toBe('');
        continue;
      }
      const lines = d.text.split('\n').slice(0, -1);
      expect(lines.slice(0, 2), why).toEqual(['--- a/f', '+++ b/f']);
      expect(lines[2], why).toMatch(/^@@ -\S+ \+\S+ @@$/);
      expect(lines.slice(3), why).toEqual(expected);
    }
  });

  it('masks every line shown, context lines included, in every hunk', () => {
    const a = Array.from({ length: 40 }, (_, i) => `KEY_${i}=secret-old-${i}`);
    const b = a.map((l, i) => (i % 9 === 4 ? l.replace('old', 'new') : l));
    const d = unifiedDiff(a, b, { fromFile: 'a/.env', toFile: 'b/.env', mask: (l) => l.replace(/=.*/, '=********') });
    expect(d.text.match(/^@@/gm)).toHaveLength(4);
    expect(d.text).not.toMatch(/secret/);
    expect(d.added).toBe(4);
    expect(d.removed).toBe(4);
  });
});
