/**
 * Unified diffs (the format of `diff -u` and git) for -WhatIf. The shortest edit script over lines comes from
 * jsdiff (`diff` on npm, Myers' O(ND) algorithm): a maintained, widely used library instead of a hand-written one
 * (issue 13). jsdiff's own patch writer is not used: it reads strings, not line arrays, and always writes a hunk's
 * line count; the hunks here are grouped with three lines of context and headed as GNU `diff -u` does. Lines are
 * passed through `mask` first, so a secret never reaches the diff text.
 */
import { diffArrays } from 'diff';

type Op = { kind: ' ' | '-' | '+'; text: string; a: number; b: number };

/** jsdiff's runs of equal, removed and added lines, as one op per line with its 0-based index in each file. */
function editScript(a: string[], b: string[]): Op[] {
  const ops: Op[] = [];
  let x = 0;
  let y = 0;
  for (const run of diffArrays(a, b)) {
    const kind = run.added ? '+' : run.removed ? '-' : ' ';
    for (const text of run.value) {
      ops.push({ kind, text, a: x, b: y });
      if (kind !== '+') x++;
      if (kind !== '-') y++;
    }
  }
  return ops;
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
