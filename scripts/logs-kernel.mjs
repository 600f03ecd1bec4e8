// Assembles the WebAssembly SIMD kernel of Get-WoosooLog (core/logs/kernel.ts embeds its bytes as base64).
// No toolchain needed: this file is the source, a tiny assembler with the few opcodes the kernel uses.
//
//   node scripts/logs-kernel.mjs          prints the base64 to paste into core/logs/kernel.ts
//   (tests/logs/kernel.test.ts checks that the embedded bytes are what this script assembles)
//
// Exports: memory; count(p, n) → newlines in [p, p+n); scan(p, n, out, cap, b1, or1, b2, or2, delta) and
// scanFold, scanPair, scanPairFold(…) → newlines in [p, p+n), and at out+4… the addresses q in [p, p+n) where
//   (mem[q] | or1) == b1  and  (mem[q + delta] | or2) == b2
// (the rarest byte of -Pattern's required literal, and its second rarest byte `delta` further), at most `cap` of
// them, their number at out. `scan` ignores or1/or2 (exact bytes); the *Fold ones apply them (or = 0x20 folds ASCII
// letters); the *Pair ones test both bytes in the hot loop (for a rarest byte that is still common), the others
// only b1 there. Memory at [p + delta, p + n + delta + 16) must exist (the caller keeps a margin on both sides).
import { fileURLToPath } from 'node:url';

const uleb = (v) => {
  const out = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
};
const sleb = (v) => {
  const out = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const vec = (items) => [...uleb(items.length), ...items.flat()];
const str = (s) => vec([...Buffer.from(s)]);

const I32 = 0x7f;
const V128 = 0x7b;
const VOID = 0x40;
// core instructions
const block = [0x02, VOID];
const loop = [0x03, VOID];
const if_ = [0x04, VOID];
const end = [0x0b];
const br = (d) => [0x0c, ...uleb(d)];
const br_if = (d) => [0x0d, ...uleb(d)];
const call = (f) => [0x10, ...uleb(f)];
const select = [0x1b];
const get = (l) => [0x20, ...uleb(l)];
const set = (l) => [0x21, ...uleb(l)];
const tee = (l) => [0x22, ...uleb(l)];
const load8_u = [0x2d, 0, 0];
const store = (offset) => [0x36, 2, ...uleb(offset)];
const i32 = (v) => [0x41, ...sleb(v)];
const eqz = [0x45];
const eq = [0x46];
const lt_u = [0x49];
const gt_u = [0x4b];
const le_u = [0x4d];
const ge_u = [0x4f];
const ctz = [0x68];
const add = [0x6a];
const sub = [0x6b];
const and = [0x71];
const or = [0x72];
const shl = [0x74];
// SIMD (0xfd prefix)
const simd = (op) => [0xfd, ...uleb(op)];
const vload = (offset) => [...simd(0x00), 0, ...uleb(offset)];
const vzero = [...simd(0x0c), ...new Array(16).fill(0)];
const splat8 = simd(0x0f);
const extract32 = (lane) => [...simd(0x1b), lane];
const eq8 = simd(0x23);
const vand = simd(0x4e);
const vor = simd(0x50);
const anyTrue = simd(0x53);
const bitmask8 = simd(0x64);
const add8 = simd(0x6e);
const sub8 = simd(0x71);
const pairs8 = simd(0x7d); // i16x8.extadd_pairwise_i8x16_u
const pairs16 = simd(0x7f); // i32x4.extadd_pairwise_i16x8_u

/** Vectors (16 bytes) per step, and the bytes of a step. */
const VECS = 8;
const STEP = 16 * VECS;
/** The lane counters (bytes) count at most STEPS steps of VECS vectors before they are added up: 248 < 256. */
const STEPS = Math.floor(255 / VECS);
const lanes = [...new Array(VECS).keys()];
/** Combines the values of `codes` pairwise with `op`, as a tree (short dependency chains). */
const tree = (codes, op) => (codes.length === 1 ? codes[0] : [...tree(codes.slice(0, codes.length >> 1), op), ...tree(codes.slice(codes.length >> 1), op), ...op]);

// ---- sum(acc: v128) → i32: the sum of its 16 unsigned bytes --------------------------------------------------
const sum = [
  ...get(0), ...pairs8, ...pairs16, ...set(0),
  ...get(0), ...extract32(0), ...get(0), ...extract32(1), ...add, ...get(0), ...extract32(2), ...add, ...get(0), ...extract32(3), ...add,
];

/**
 * The shared frame: p, end and stop; loops over STEP-byte steps (`step` = the body of one step, which must leave `p`
 * alone), adding the newline lane counters up every STEPS steps, then the bytes after the last whole step (`tail`).
 */
function frame({ p, n, end: e, stop, lines, acc, nl }, step, tail) {
  return [
    ...get(p), ...get(n), ...add, ...set(e),
    ...i32(10), ...splat8, ...set(nl),
    ...block, ...loop,
    ...get(p), ...i32(STEP), ...add, ...get(e), ...gt_u, ...br_if(1),
    // stop = min(end - STEP, p + STEP * (STEPS - 1)): the last p a step may start at
    ...get(e), ...i32(STEP), ...sub, ...set(stop),
    ...get(p), ...i32(STEP * (STEPS - 1)), ...add, ...get(stop), ...get(p), ...i32(STEP * (STEPS - 1)), ...add, ...get(stop), ...lt_u, ...select, ...set(stop),
    ...vzero, ...set(acc),
    ...loop,
    ...step,
    ...get(p), ...i32(STEP), ...add, ...tee(p), ...get(stop), ...le_u, ...br_if(0),
    ...end,
    ...get(lines), ...get(acc), ...call(0), ...add, ...set(lines),
    ...br(0),
    ...end, ...end,
    // the last < STEP bytes, one by one
    ...block, ...loop,
    ...get(p), ...get(e), ...ge_u, ...br_if(1),
    ...get(lines), ...get(p), ...load8_u, ...i32(10), ...eq, ...add, ...set(lines),
    ...tail,
    ...get(p), ...i32(1), ...add, ...set(p),
    ...br(0),
    ...end, ...end,
  ];
}

/** acc -= the newlines of the STEP bytes at p, summed as a tree; the vectors stay in locals v[0…VECS-1]. */
const countStep = (L) => {
  const isNl = (k) => [...get(L.p), ...vload(16 * k), ...tee(L.v[k]), ...get(L.nl), ...eq8];
  return [...get(L.acc), ...tree(lanes.map(isNl), add8), ...sub8, ...set(L.acc)];
};

// ---- count(p, n) → newlines in [p, p + n) ----------------------------------------------------------------------
function countFunc() {
  const L = { p: 0, n: 1, end: 2, stop: 3, lines: 4, acc: 5, nl: 6, v: lanes.map((k) => 7 + k) };
  const body = [...frame(L, countStep(L), []), ...get(L.lines)];
  return { locals: [[3, I32], [2 + VECS, V128]], body };
}

// ---- scan(p, n, out, cap, b1, or1, b2, or2, delta) → newlines; candidates at out ------------------------------
/**
 * fold: apply or1/or2. pair: test both bytes in every step (for a "rarest" byte that is still common: the slow
 * path would run for almost every step); else only b1, and both where a step has one.
 */
function scanFunc(fold, pair) {
  const L = {
    p: 0, n: 1, out: 2, cap: 3, b1: 4, or1: 5, b2: 6, or2: 7, delta: 8,
    end: 9, stop: 10, lines: 11, cnt: 12, q: 13, m: 14, qend: 15,
    acc: 16, nl: 17, B1: 18, O1: 19, B2: 20, O2: 21, v: lanes.map((k) => 22 + k),
  };
  const folded = (vecOnStack, O) => (fold ? [...vecOnStack, ...get(O), ...vor] : vecOnStack);
  /** Records address `addrCode` as a candidate (when there is room) and counts it. */
  const record = (addrCode) => [
    ...get(L.cnt), ...get(L.cap), ...lt_u, ...if_,
    ...get(L.out), ...get(L.cnt), ...i32(2), ...shl, ...add, ...addrCode, ...store(4),
    ...end,
    ...get(L.cnt), ...i32(1), ...add, ...set(L.cnt),
  ];
  const second = (k) => [...folded([...get(L.p), ...get(L.delta), ...add, ...vload(16 * k)], L.O2), ...get(L.B2), ...eq8];
  const isRare = (k) => [...folded(get(L.v[k]), L.O1), ...get(L.B1), ...eq8, ...(pair ? [...second(k), ...vand] : [])];
  const step = [
    ...countStep(L),
    ...tree(lanes.map(isRare), vor),
    // a rare byte somewhere in these STEP bytes: where is the second byte at its place too?
    ...anyTrue, ...if_,
    ...get(L.p), ...set(L.q), ...get(L.p), ...i32(STEP), ...add, ...set(L.qend),
    ...loop,
    ...folded([...get(L.q), ...vload(0)], L.O1), ...get(L.B1), ...eq8,
    ...folded([...get(L.q), ...get(L.delta), ...add, ...vload(0)], L.O2), ...get(L.B2), ...eq8,
    ...vand, ...bitmask8, ...set(L.m),
    ...block, ...loop,
    ...get(L.m), ...eqz, ...br_if(1),
    ...record([...get(L.q), ...get(L.m), ...ctz, ...add]),
    ...get(L.m), ...get(L.m), ...i32(1), ...sub, ...and, ...set(L.m),
    ...br(0),
    ...end, ...end,
    ...get(L.q), ...i32(16), ...add, ...tee(L.q), ...get(L.qend), ...lt_u, ...br_if(0),
    ...end,
    ...end,
  ];
  const byte = (addr, O, B) => [...addr, ...load8_u, ...(fold ? [...get(O), ...or] : []), ...get(B), ...eq];
  const tail = [
    ...byte(get(L.p), L.or1, L.b1), ...byte([...get(L.p), ...get(L.delta), ...add], L.or2, L.b2), ...and, ...if_,
    ...record(get(L.p)),
    ...end,
  ];
  const setup = [
    ...get(L.b1), ...splat8, ...set(L.B1), ...get(L.or1), ...splat8, ...set(L.O1),
    ...get(L.b2), ...splat8, ...set(L.B2), ...get(L.or2), ...splat8, ...set(L.O2),
  ];
  const body = [
    ...setup,
    ...frame(L, step, tail),
    ...get(L.out), ...get(L.cnt), ...store(0),
    ...get(L.lines),
  ];
  return { locals: [[7, I32], [6 + VECS, V128]], body };
}

export function assemble() {
  const types = [
    [0x60, ...vec([V128]), ...vec([I32])], // sum
    [0x60, ...vec([I32, I32]), ...vec([I32])], // count
    [0x60, ...vec(new Array(9).fill(I32)), ...vec([I32])], // scan, scanFold
  ];
  const funcs = [
    { type: 0, ...{ locals: [], body: sum } },
    { type: 1, ...countFunc() },
    { type: 2, ...scanFunc(false, false) },
    { type: 2, ...scanFunc(true, false) },
    { type: 2, ...scanFunc(false, true) },
    { type: 2, ...scanFunc(true, true) },
  ];
  const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
  const code = funcs.map((f) => {
    const body = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, ...end];
    return [...uleb(body.length), ...body];
  });
  const exports = [
    [...str('memory'), 0x02, 0],
    [...str('count'), 0x00, 1],
    [...str('scan'), 0x00, 2],
    [...str('scanFold'), 0x00, 3],
    [...str('scanPair'), 0x00, 4],
    [...str('scanPairFold'), 0x00, 5],
  ];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(3, vec(funcs.map((f) => uleb(f.type)))),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec(exports)),
    ...section(10, vec(code)),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = assemble();
  process.stdout.write(`${Buffer.from(bytes).toString('base64')}\n`);
  process.stderr.write(`${bytes.length} bytes\n`);
}
