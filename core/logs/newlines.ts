/**
 * Counting newlines (for Line numbers) at memory speed: a 198-byte WebAssembly module compares 64 bytes per step
 * with SIMD (i8x16.eq + bitmask + popcnt), 2–4× faster than a Buffer.indexOf loop on this machine. Falls back to
 * that loop where WebAssembly SIMD is missing. The module's source (wat2wasm from Debian's wabt):
 *
 *   (func (export "count") (param $p i32) (param $n i32) (result i32)
 *     ;; while p + 64 <= p0 + n: c += popcnt(bitmask(i8x16.eq(v128.load p+k, splat 10))) for k = 0, 16, 32, 48
 *     ;; then byte by byte: c += (load8_u p == 10)
 *   )  + (memory (export "memory") 1)
 */
const WASM = 'AGFzbQEAAAABBwFgAn9/AX8DAgEABQMBAAEHEgIGbWVtb3J5AgAFY291bnQAAAqVAQGSAQIDfwF7IAAgAWohAiACQT9rIQNBCv0PIQUCQANAIAAgA04NASAEIAD9AAQAIAX9I/1kaSAA/QAEECAF/SP9ZGlqIAD9AAQgIAX9I/1kaSAA/QAEMCAF/SP9ZGlqamohBCAAQcAAaiEADAALCwJAA0AgACACTw0BIAQgAC0AAEEKRmohBCAAQQFqIQAMAAsLIAQL';
const PIECE = 256 * 1024;

/** The part of the WebAssembly global used here (the project's TypeScript lib has no DOM/WebAssembly types). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
};
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface Counter {
  view: Uint8Array;
  count: (p: number, n: number) => number;
}

let counter: Counter | null | undefined;

function load(): Counter | null {
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(WASM, 'base64')));
    const memory = instance.exports.memory as WasmMemory;
    memory.grow(Math.ceil(PIECE / 65536)); // room for one piece; never grown again, so the view stays valid
    return { view: new Uint8Array(memory.buffer), count: instance.exports.count as Counter['count'] };
  } catch {
    return null;
  }
}

function countSlow(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(10, from); i !== -1 && i < to; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** Newlines in buf[from, to). */
export function countNewlines(buf: Uint8Array, from: number, to: number): number {
  if (to - from < 4096) return countSlow(buf, from, to);
  if (counter === undefined) counter = load();
  if (counter === null) return countSlow(buf, from, to);
  let n = 0;
  for (let p = from; p < to; p += PIECE) {
    const len = Math.min(PIECE, to - p);
    counter.view.set(buf.subarray(p, p + len));
    n += counter.count(0, len);
  }
  return n;
}
