/**
 * Unified diffs (the format of `diff -u` and git) for -WhatIf, without a dependency: Myers' O(ND) shortest edit
 * script over lines, grouped into hunks with three lines of context. Lines are passed through `mask` first, so a
 * secret never reaches the diff text.
 */

type Op = { kind: ' ' | '-' | '+'; text: string; a: number; b: number };

/**
 * Myers' greedy algorithm, then a backtrack to the edit script (equal, delete, insert lines). Round d only reads
 * diagonals -d-1..d+1, so the trace keeps just that window of each round: memory O(D²), not O((N+M)·D).
 */
function editScript(a: string[], b: string[]): Op[] {
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
  /** v[k] as it was at the start of round d. */
  const at = (d: number, k: number) => trace[d][k + d + 1];

  const ops: Op[] = [];
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
      ops.push({ kind: ' ', text: a[x], a: x, b: y });
    }
    if (d === 0) break;
    if (down) {
      y--;
      ops.push({ kind: '+', text: b[y], a: x, b: y });
    } else {
      x--;
      ops.push({ kind: '-', text: a[x], a: x, b: y });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    ops.push({ kind: ' ', text: a[x], a: x, b: y });
  }
  return ops.reverse();
}

export interface DiffOptions {
  fromFile: string;
  toFile: string;
  context?: number;
  /** Applied to every line shown (secrets → ********). */
  mask?: (line: string) => string;
}

export interface DiffResult {
  text: string;
  added: number;
  removed: number;
}

/** `start,count` of a hunk header (1-based; an empty range names the line before it). */
function range(start: number, count: number): string {
  if (count === 1) return `${start}`;
  return `${count === 0 ? start - 1 : start},${count}`;
}

export function unifiedDiff(oldLines: string[], newLines: string[], opts: DiffOptions): DiffResult {
  const ops = editScript(oldLines, newLines);
  const ctx = opts.context ?? 3;
  const mask = opts.mask ?? ((l: string) => l);
  const changes = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  const added = ops.filter((o) => o.kind === '+').length;
  const removed = ops.filter((o) => o.kind === '-').length;
  if (changes.length === 0) return { text: '', added, removed };

  const out = [`--- ${opts.fromFile}`, `+++ ${opts.toFile}`];
  let i = 0;
  while (i < changes.length) {
    const first = Math.max(0, changes[i] - ctx);
    let last = Math.min(ops.length - 1, changes[i] + ctx);
    while (i + 1 < changes.length && changes[i + 1] - ctx <= last + 1) {
      i++;
      last = Math.min(ops.length - 1, changes[i] + ctx);
    }
    i++;
    const hunk = ops.slice(first, last + 1);
    const aStart = hunk[0].a;
    const bStart = hunk[0].b;
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(aStart + 1, aCount)} +${range(bStart + 1, bCount)} @@`);
    for (const o of hunk) out.push(`${o.kind}${mask(o.text)}`);
  }
  return { text: `${out.join('\n')}\n`, added, removed };
}
