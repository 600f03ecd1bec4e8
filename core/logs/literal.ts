/**
 * -Pattern prepared for block scans, and grep's trick for plain literals: find the places where the literal's rarest
 * byte occurs (memchr, via Buffer.indexOf) and compare only there, so a block without the literal is skipped without
 * being decoded or searched by the regex. Case-insensitive literals are handled for ASCII text (JavaScript's
 * non-unicode case folding never maps a non-ASCII character to an ASCII one, so the prefilter is exact).
 */

export interface Scanner {
  /** The pattern with flags g and m, for running over a whole block. */
  scan: RegExp;
  /** The literal the pattern is (lower-cased when case-insensitive), or null when it is more than a literal. */
  literal: Buffer | null;
  foldCase: boolean;
  /** Index in `literal` of its byte that is rarest in the file (measured on the first block; -1 = not yet). */
  rare: number;
}

export function makeScanner(pattern: RegExp): Scanner {
  const flags = new Set([...pattern.flags, 'g', 'm']);
  const scan = new RegExp(pattern.source, [...flags].join(''));
  const unescaped = pattern.source.replace(/\\([^A-Za-z0-9])/g, '$1');
  const plain = !/[.^$*+?()[\]{}|\\]/.test(pattern.source.replace(/\\[^A-Za-z0-9]/g, ''));
  const usable = plain && unescaped.length > 0 && (!pattern.ignoreCase || /^[\x20-\x7e]*$/.test(unescaped));
  const literal = usable ? Buffer.from(pattern.ignoreCase ? unescaped.toLowerCase() : unescaped, 'utf8') : null;
  return { scan, literal, foldCase: pattern.ignoreCase, rare: -1 };
}

const lower = (b: number) => (b >= 65 && b <= 90 ? b | 0x20 : b);

function pickRare(sc: Scanner, literal: Buffer, sample: Buffer): number {
  const freq = new Uint32Array(256);
  for (let i = 0; i < sample.length; i++) freq[sc.foldCase ? lower(sample[i]) : sample[i]]++;
  let best = 0;
  for (let i = 1; i < literal.length; i++) if (freq[literal[i]] < freq[literal[best]]) best = i;
  return best;
}

function matchesAt(block: Buffer, start: number, lit: Buffer, foldCase: boolean): boolean {
  if (start < 0 || start + lit.length > block.length) return false;
  if (!foldCase) return block.compare(lit, 0, lit.length, start, start + lit.length) === 0;
  for (let j = 0; j < lit.length; j++) if (lower(block[start + j]) !== lit[j]) return false;
  return true;
}

/** Whether the block contains the scanner's literal. */
export function hasLiteral(block: Buffer, sc: Scanner, lit: Buffer): boolean {
  if (sc.rare === -1) sc.rare = pickRare(sc, lit, block.subarray(0, 64 * 1024));
  const k = sc.rare;
  const b = lit[k];
  const variants = sc.foldCase && b >= 97 && b <= 122 ? [b, b - 32] : [b];
  for (const v of variants) {
    for (let i = block.indexOf(v, k); i !== -1; i = block.indexOf(v, i + 1)) if (matchesAt(block, i - k, lit, sc.foldCase)) return true;
  }
  return false;
}
