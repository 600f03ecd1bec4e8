/**
 * Counting newlines (for Line numbers) of any buffer at memory speed: pieces are copied into a shared WebAssembly
 * kernel (core/logs/kernel.ts) and counted 64 bytes per step with SIMD; a Buffer.indexOf loop where WebAssembly SIMD
 * is missing, and for short ranges. Blocks read straight into a kernel's memory are counted there, without the copy.
 */
import { acquireKernel, kernelEnabled, type Kernel } from './kernel';

const PIECE = 256 * 1024;

let shared: Kernel | null | undefined;

function countSlow(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(10, from); i !== -1 && i < to; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** Newlines in buf[from, to). */
export function countNewlines(buf: Uint8Array, from: number, to: number): number {
  if (to - from < 4096 || !kernelEnabled()) return countSlow(buf, from, to);
  if (shared === undefined) shared = acquireKernel(PIECE);
  if (shared === null) return countSlow(buf, from, to);
  let n = 0;
  for (let p = from; p < to; p += PIECE) {
    const len = Math.min(PIECE, to - p);
    shared.data.set(buf.subarray(p, p + len));
    n += shared.count(0, len);
  }
  return n;
}
