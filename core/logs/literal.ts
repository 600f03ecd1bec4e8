/**
 * -Pattern prepared for block scans, and grep's trick: the characters every match must contain (the whole pattern
 * when it is a plain literal) are looked for first, at the places where their rarest byte occurs with their second
 * rarest byte at its distance — found by the WebAssembly kernel's pass (kernel.ts: `needleOf`, then `literalAt`
 * compares there), or by Buffer.indexOf (memchr) jumps without it (`findLiteral`) — so a block without them is
 * skipped without being decoded, and only the lines that hold them are tested by the regex. Case-insensitive
 * literals are handled for ASCII text (JavaScript's non-unicode case folding never maps a non-ASCII character to
 * an ASCII one, so the prefilter is exact).
 */

import { MAX_DELTA, type Needle } from './kernel';

export interface Scanner {
  /** The pattern with flags g and m, for running over a whole block. */
  scan: RegExp;
  /** Characters every match contains (lower-cased when case-insensitive); null when none could be found. */
  literal: Buffer | null;
  foldCase: boolean;
  /** Index in `literal` of its byte that is rarest in the file (measured on the first block; -1 = not yet). */
  rare: number;
  /** Index of the next rarest byte: checked inline before a full comparison. */
  rare2: number;
  /** The rarest byte is still common (more than one in PAIR_BELOW bytes of the sample): test both in the hot loop. */
  common: boolean;
  /** The kernel's needle, once the rare bytes are known. */
  needle?: Needle;
  /**
   * For a pattern with a top-level | and no literal of its own: one scanner (literal) per alternative, when each
   * has one (every match holds one of them). null otherwise.
   */
  alternatives: Scanner[] | null;
}

/** More alternatives than this cost more passes than one regex run over the block. */
const MAX_ALTERNATIVES = 4;

const PAIR_BELOW = 320;

export function makeScanner(pattern: RegExp): Scanner {
  const flags = new Set([...pattern.flags, 'g', 'm']);
  const scan = new RegExp(pattern.source, [...flags].join(''));
  const fold = pattern.ignoreCase;
  const make = (literal: Buffer | null, alternatives: Scanner[] | null = null): Scanner => ({ scan, literal, foldCase: fold, rare: -1, rare2: 0, common: false, alternatives });
  const literal = literalOf(pattern.source, fold);
  const alts = literal === null ? splitAlternatives(pattern.source) : null;
  const subs = alts !== null && alts.length <= MAX_ALTERNATIVES ? alts.map((a) => literalOf(a, fold)) : [];
  return make(literal, subs.length > 0 && subs.every((b) => b !== null) ? subs.map((b) => make(b)) : null);
}

/** The characters every match of `source` holds, as bytes (lower-cased ASCII when ignoring case), or null. */
function literalOf(source: string, ignoreCase: boolean): Buffer | null {
  let required = requiredLiteral(source);
  // ignoring case, only ASCII is folded here: keep the longest ASCII part (every match holds it too, in either case)
  if (required !== null && ignoreCase) required = longestAscii(required);
  // U+FFFD: the decoder also makes it of invalid bytes, which do not contain its UTF-8 bytes
  if (required === null || required.includes('\uFFFD')) return null;
  return Buffer.from(ignoreCase ? required.toLowerCase() : required, 'utf8');
}

/** The alternatives of a top-level | ("a|b(c|d)" → "a", "b(c|d)"), or null when there is none. */
export function splitAlternatives(source: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  return parts.length === 0 ? null : [...parts, source.slice(start)];
}

/** The longest run of printable ASCII in a string, when it has at least 3 characters. */
function longestAscii(s: string): string | null {
  const best = (s.match(/[\x20-\x7e]+/g) ?? []).reduce((a, b) => (b.length > a.length ? b : a), '');
  return best.length >= 3 ? best : null;
}

const QUANTIFIER = /^\{\d+(?:,\d*)?\}/;
/** The next thing makes the character before it optional (?, *, {0…}). */
const optionalNext = (s: string, j: number) => s[j] === '?' || s[j] === '*' || /^\{0[,}]/.test(s.slice(j, j + 3));

/**
 * The longest run of plain characters every match of the regex contains (at least 3), or null: outside groups and
 * classes, no top-level alternation, a character made optional by ?, * or {0,…} left out. Conservative: when in
 * doubt it returns a shorter run or null, never a string some match lacks.
 */
export function requiredLiteral(source: string): string | null {
  let best = '';
  let run = '';
  let depth = 0;
  let inClass = false;
  const flush = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (inClass) {
      if (c === '\\') i++;
      else if (c === ']') inClass = false;
      continue;
    }
    if (c === '\\') {
      const n = source[++i];
      if (depth === 0 && n !== undefined && /[^A-Za-z0-9]/.test(n) && !optionalNext(source, i + 1)) run += n;
      else flush();
      if (source[i + 1] === '+' || source[i + 1] === '{') flush();
      continue;
    }
    if (c === '[') inClass = true;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === '|' && depth === 0) return null;
    if (c === '{' && QUANTIFIER.test(source.slice(i))) i = source.indexOf('}', i);
    if ('[]()|{}.^$*+?'.includes(c) || depth > 0) {
      flush();
      continue;
    }
    if (optionalNext(source, i + 1)) {
      flush();
      continue;
    }
    run += c;
    if (source[i + 1] === '+' || source[i + 1] === '{') flush();
  }
  flush();
  return best.length >= 3 ? best : null;
}

const lower = (b: number) => (b >= 65 && b <= 90 ? b | 0x20 : b);

/** The indexes of the literal's two bytes that occur least in a sample of the file. */
function pickRare(sc: Scanner, literal: Buffer, sample: Buffer): void {
  const freq = new Uint32Array(256);
  for (let i = 0; i < sample.length; i++) freq[sc.foldCase ? lower(sample[i]) : sample[i]]++;
  const order = [...literal.keys()].sort((a, b) => freq[literal[a]] - freq[literal[b]] || a - b);
  sc.rare = order[0];
  sc.common = freq[literal[order[0]]] * PAIR_BELOW > sample.length;
  // the second byte is loaded relative to the first: keep it near (a literal of 16 KiB would need a wider margin)
  sc.rare2 = order.find((i) => literal[i] !== literal[order[0]] && Math.abs(i - order[0]) <= MAX_DELTA) ?? order[0];
}

function matchesAt(block: Buffer, start: number, lit: Buffer, foldCase: boolean): boolean {
  if (start < 0 || start + lit.length > block.length) return false;
  if (!foldCase) return block.compare(lit, 0, lit.length, start, start + lit.length) === 0;
  for (let j = 0; j < lit.length; j++) if (lower(block[start + j]) !== lit[j]) return false;
  return true;
}

/** Measures which of the literal's bytes are rarest on the file's first block (once per scanner). */
function prepared(sc: Scanner, lit: Buffer, block: Buffer): Scanner {
  if (sc.rare === -1) pickRare(sc, lit, block.subarray(0, 64 * 1024));
  return sc;
}

/** What the WebAssembly scan looks for: the rarest byte, and the second rarest at its distance. */
export function needleOf(sc: Scanner, lit: Buffer, block: Buffer): Needle {
  const { rare, rare2, foldCase, common } = prepared(sc, lit, block);
  const or = (b: number) => (foldCase && b >= 97 && b <= 122 ? 0x20 : 0);
  sc.needle = { b1: lit[rare], or1: or(lit[rare]), b2: lit[rare2], or2: or(lit[rare2]), delta: rare2 - rare, fold: foldCase, pair: common };
  return sc.needle;
}

/** Where the literal starts in the block, given the kernel's candidates (positions of its rarest byte). */
export function literalAt(block: Buffer, sc: Scanner, lit: Buffer, candidates: Int32Array): number[] {
  const out: number[] = [];
  for (const c of candidates) if (matchesAt(block, c - sc.rare, lit, sc.foldCase)) out.push(c - sc.rare);
  return out;
}

/** Where the literal starts in the block (ascending, at most `limit`), by Buffer.indexOf jumps between its rarest bytes. */
export function findLiteral(block: Buffer, sc: Scanner, lit: Buffer, limit = Infinity): number[] {
  const { rare: k, rare2: k2 } = prepared(sc, lit, block);
  const b = lit[k];
  const variants = sc.foldCase && b >= 97 && b <= 122 ? [b, b - 32] : [b];
  const out: number[] = [];
  for (const v of variants) {
    for (let i = block.indexOf(v, k); i !== -1 && out.length < limit; i = block.indexOf(v, i + 1)) {
      const second = block[i - k + k2];
      if ((sc.foldCase ? lower(second) : second) === lit[k2] && matchesAt(block, i - k, lit, sc.foldCase)) out.push(i - k);
    }
  }
  return variants.length > 1 ? out.sort((x, y) => x - y) : out;
}

/** Whether the block contains the scanner's literal. */
export function hasLiteral(block: Buffer, sc: Scanner, lit: Buffer): boolean {
  return findLiteral(block, sc, lit, 1).length > 0;
}
