/**
 * The WebAssembly SIMD kernel of -Pattern and Line (1.2 KB, assembled by scripts/logs-kernel.mjs, which is its
 * source). A Kernel owns a WebAssembly memory that a log's blocks are read into directly (`data`, no copy); one
 * pass over a block then counts its newlines and, for -Pattern, finds where the required literal's rarest byte
 * occurs with its second rarest byte at its place (64 bytes per step: i8x16.eq, then bitmask + ctz only where
 * v128.any_true saw one) — a block without the literal costs one read and that pass, nothing in JavaScript.
 * Kernels are pooled; `null` where WebAssembly SIMD is missing (callers fall back to Buffer.indexOf loops).
 */
/** The module's bytes (base64): the output of scripts/logs-kernel.mjs. */
export const KERNEL_WASM = 'AGFzbQEAAAABGQNgAXsBf2ACf38Bf2AJf39/f39/f39/AX8DBQQAAQICBQMBAAEHJAQGbWVtb3J5AgAFY291bnQAAQRzY2FuAAIIc2NhbkZvbGQAAwr/CAQhACAA/X39fyEAIAD9GwAgAP0bAWogAP0bAmogAP0bA2oL0AECA38GeyAAIAFqIQJBCv0PIQYCQANAIABBwABqIAJLDQEgAkHAAGshAyAAQYAfaiADIABBgB9qIANJGyED/QwAAAAAAAAAAAAAAAAAAAAAIQUDQCAFIAD9AAAAIgcgBv0jIAD9AAAQIgggBv0j/W4gAP0AACAiCSAG/SMgAP0AADAiCiAG/SP9bv1u/XEhBSAAQcAAaiIAIANNDQALIAQgBRAAaiEEDAALCwJAA0AgACACTw0BIAQgAC0AAEEKRmohBCAAQQFqIQAMAAsLIAQLtAMCB38KeyAE/Q8hFiAF/Q8hFyAG/Q8hGCAH/Q8hGSAAIAFqIQlBCv0PIRECQANAIABBwABqIAlLDQEgCUHAAGshCiAAQYAfaiAKIABBgB9qIApJGyEK/QwAAAAAAAAAAAAAAAAAAAAAIRADQCAQIAD9AAAAIhIgEf0jIAD9AAAQIhMgEf0j/W4gAP0AACAiFCAR/SMgAP0AADAiFSAR/SP9bv1u/XEhECASIBb9IyATIBb9I/1QIBQgFv0jIBUgFv0j/VD9UP1TBEAgACENIABBwABqIQ8DQCAN/QAAACAW/SMgDSAIav0AAAAgGP0j/U79ZCEOAkADQCAORQ0BIAwgA0kEQCACIAxBAnRqIA0gDmhqNgIECyAMQQFqIQwgDiAOQQFrcSEODAALCyANQRBqIg0gD0kNAAsLIABBwABqIgAgCk0NAAsgCyAQEABqIQsMAAsLAkADQCAAIAlPDQEgCyAALQAAQQpGaiELIAAtAAAgBEYgACAIai0AACAGRnEEQCAMIANJBEAgAiAMQQJ0aiAANgIECyAMQQFqIQwLIABBAWohAAwACwsgAiAMNgIAIAsL0gMCB38KeyAE/Q8hFiAF/Q8hFyAG/Q8hGCAH/Q8hGSAAIAFqIQlBCv0PIRECQANAIABBwABqIAlLDQEgCUHAAGshCiAAQYAfaiAKIABBgB9qIApJGyEK/QwAAAAAAAAAAAAAAAAAAAAAIRADQCAQIAD9AAAAIhIgEf0jIAD9AAAQIhMgEf0j/W4gAP0AACAiFCAR/SMgAP0AADAiFSAR/SP9bv1u/XEhECASIBf9UCAW/SMgEyAX/VAgFv0j/VAgFCAX/VAgFv0jIBUgF/1QIBb9I/1Q/VD9UwRAIAAhDSAAQcAAaiEPA0AgDf0AAAAgF/1QIBb9IyANIAhq/QAAACAZ/VAgGP0j/U79ZCEOAkADQCAORQ0BIAwgA0kEQCACIAxBAnRqIA0gDmhqNgIECyAMQQFqIQwgDiAOQQFrcSEODAALCyANQRBqIg0gD0kNAAsLIABBwABqIgAgCk0NAAsgCyAQEABqIQsMAAsLAkADQCAAIAlPDQEgCyAALQAAQQpGaiELIAAtAAAgBXIgBEYgACAIai0AACAHciAGRnEEQCAMIANJBEAgAiAMQQJ0aiAANgIECyAMQQFqIQwLIABBAWohAAwACwsgAiAMNgIAIAsL';

/** The part of the WebAssembly global used here (the project's TypeScript lib has no DOM/WebAssembly types). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
};
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
type ScanFn = (p: number, n: number, out: number, cap: number, b1: number, or1: number, b2: number, or2: number, delta: number) => number;

const PAGE = 65536;
/** Memory layout: [0, 4) the number of candidates, [4, 4 + 4·CAP) their addresses, then a margin, the data, a margin. */
const CAP = 4096;
const DATA = 64 * 1024;
/** Room after the data (and, with DATA - 4·CAP, before it) for the second byte's loads: |delta| + 16 at most. */
const MARGIN = 32 * 1024;
export const MAX_DELTA = 16 * 1024;

/** What the scan looks for: byte b1 at q and b2 at q + delta; or1/or2 = 0x20 to match either case of a letter. */
export interface Needle {
  b1: number;
  or1: number;
  b2: number;
  or2: number;
  delta: number;
  fold: boolean;
}

export interface ScanResult {
  newlines: number;
  /** Offsets (in data) of the b1 bytes whose b2 matches too, ascending; null when there were more than CAP. */
  candidates: Int32Array | null;
}

let compiled: object | null | undefined;

function module(): object | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(KERNEL_WASM, 'base64'));
      new Kernel(compiled, PAGE); // instantiates and runs once: a runtime without SIMD fails here
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export class Kernel {
  private readonly memory: WasmMemory;
  private readonly countFn: (p: number, n: number) => number;
  private readonly scanFn: ScanFn;
  private readonly scanFoldFn: ScanFn;
  /** The data area: read blocks into it. Replaced (same content) when `ensure` grows the memory. */
  data!: Buffer;
  private out!: Int32Array;

  constructor(mod: object, capacity: number) {
    const { exports } = new WebAssembly.Instance(mod);
    this.memory = exports.memory as WasmMemory;
    this.countFn = exports.count as Kernel['countFn'];
    this.scanFn = exports.scan as ScanFn;
    this.scanFoldFn = exports.scanFold as ScanFn;
    this.ensure(capacity);
    this.count(0, 0);
  }

  get capacity(): number {
    return this.data.length;
  }

  /** Makes `data` at least `capacity` bytes, keeping its content. */
  ensure(capacity: number): void {
    const need = DATA + capacity + MARGIN;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / PAGE));
    if (this.data === undefined || need > have) {
      const buffer = this.memory.buffer;
      this.data = Buffer.from(buffer, DATA, buffer.byteLength - DATA - MARGIN);
      this.out = new Int32Array(buffer, 0, 1 + CAP);
    }
  }

  /** Newlines in data[from, to). */
  count(from: number, to: number): number {
    return to > from ? this.countFn(DATA + from, to - from) : 0;
  }

  /** One pass over data[from, to): its newlines and the needle's candidates. */
  scan(from: number, to: number, nd: Needle): ScanResult {
    if (to <= from) return { newlines: 0, candidates: new Int32Array(0) };
    const fn = nd.fold ? this.scanFoldFn : this.scanFn;
    const newlines = fn(DATA + from, to - from, 0, CAP, nd.b1, nd.or1, nd.b2, nd.or2, nd.delta);
    const found = this.out[0];
    if (found > CAP) return { newlines, candidates: null };
    const candidates = this.out.slice(1, 1 + found);
    for (let i = 0; i < found; i++) candidates[i] -= DATA;
    return { newlines, candidates };
  }
}

const idle: Kernel[] = [];
const POOL = 4;
const POOLED_MAX = 4 * 1024 * 1024;

/** A kernel whose data holds at least `capacity` bytes (content undefined), or null without WebAssembly SIMD. */
export function acquireKernel(capacity: number): Kernel | null {
  const mod = module();
  if (mod === null) return null;
  const k = idle.pop() ?? new Kernel(mod, capacity);
  k.ensure(capacity);
  return k;
}

/** Gives a kernel back for reuse (one that grew for a huge entry is dropped). */
export function releaseKernel(k: Kernel | null): void {
  if (k !== null && k.capacity <= POOLED_MAX && idle.length < POOL) idle.push(k);
}
