/**
 * The last N lines of a log, as written (Get-WoosooLog -Tail reads entries; a support bundle wants the raw lines),
 * read backwards in blocks so a large log costs only its end. The files are a family newest first: when the live
 * file holds fewer lines, its rotated predecessors give the rest.
 */
import { open } from 'node:fs/promises';

const BLOCK = 64 * 1024;
/** No more than this is read from one family, however long its lines. */
export const TAIL_BYTE_LIMIT = 8 * 1024 * 1024;

/** The last `want` lines of one file (without the final newline), reading at most `budget` bytes. */
async function tailOne(file: string, want: number, budget: number): Promise<{ lines: string[]; bytes: number }> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    let pos = size;
    let chunks: Buffer[] = [];
    let newlines = 0;
    while (pos > 0 && size - pos < budget && newlines <= want) {
      const len = Math.min(BLOCK, pos, budget - (size - pos));
      pos -= len;
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, pos);
      chunks = [buf, ...chunks];
      for (const b of buf) if (b === 10) newlines++;
    }
    let lines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    if (pos > 0) lines = lines.slice(1); // the first line read is cut
    return { lines: lines.slice(-want), bytes: size - pos };
  } finally {
    await fh.close();
  }
}

/** The last `want` lines of the family (newest file first), as text ending in a newline; '' when there are none. */
export async function readTail(newestFirst: readonly string[], want: number): Promise<string> {
  const lines: string[] = [];
  let budget = TAIL_BYTE_LIMIT;
  for (const file of newestFirst) {
    if (lines.length >= want || budget <= 0) break;
    const got = await tailOne(file, want - lines.length, budget);
    lines.unshift(...got.lines);
    budget -= got.bytes;
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
