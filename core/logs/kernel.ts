/**
 * The WebAssembly SIMD kernel of -Pattern and Line (2.9 KB, assembled by scripts/logs-kernel.mjs, which is its
 * source). A Kernel owns a WebAssembly memory that a log's blocks are read into directly (`data`, no copy); one
 * pass over a block then counts its newlines and, for -Pattern, finds where the required literal's rarest byte
 * occurs with its second rarest byte at its place (128 bytes per step: i8x16.eq, then bitmask + ctz only where
 * v128.any_true saw one) — a block without the literal costs one read and that pass, nothing in JavaScript.
 * Kernels are pooled; `null` where WebAssembly SIMD is missing (callers fall back to Buffer.indexOf loops).
 */
/** The module's bytes (base64): the output of scripts/logs-kernel.mjs. */
export const KERNEL_WASM = 'AGFzbQEAAAABGQNgAXsBf2ACf38Bf2AJf39/f39/f39/AX8DBwYAAQICAgIFAwEAAQc+BgZtZW1vcnkCAAVjb3VudAABBHNjYW4AAghzY2FuRm9sZAADCHNjYW5QYWlyAAQMc2NhblBhaXJGb2xkAAUK0RUGIQAgAP19/X8hACAA/RsAIAD9GwFqIAD9GwJqIAD9GwNqC4gCAgN/CnsgACABaiECQQr9DyEGAkADQCAAQYABaiACSw0BIAJBgAFrIQMgAEGAHmogAyAAQYAeaiADSRshA/0MAAAAAAAAAAAAAAAAAAAAACEFA0AgBSAA/QAAACIHIAb9IyAA/QAAECIIIAb9I/1uIAD9AAAgIgkgBv0jIAD9AAAwIgogBv0j/W79biAA/QAAQCILIAb9IyAA/QAAUCIMIAb9I/1uIAD9AABgIg0gBv0jIAD9AABwIg4gBv0j/W79bv1u/XEhBSAAQYABaiIAIANNDQALIAQgBRAAaiEEDAALCwJAA0AgACACTw0BIAQgAC0AAEEKRmohBCAAQQFqIQAMAAsLIAQLjAQCB38OeyAE/Q8hEiAF/Q8hEyAG/Q8hFCAH/Q8hFSAAIAFqIQlBCv0PIRECQANAIABBgAFqIAlLDQEgCUGAAWshCiAAQYAeaiAKIABBgB5qIApJGyEK/QwAAAAAAAAAAAAAAAAAAAAAIRADQCAQIAD9AAAAIhYgEf0jIAD9AAAQIhcgEf0j/W4gAP0AACAiGCAR/SMgAP0AADAiGSAR/SP9bv1uIAD9AABAIhogEf0jIAD9AABQIhsgEf0j/W4gAP0AAGAiHCAR/SMgAP0AAHAiHSAR/SP9bv1u/W79cSEQIBYgEv0jIBcgEv0j/VAgGCAS/SMgGSAS/SP9UP1QIBogEv0jIBsgEv0j/VAgHCAS/SMgHSAS/SP9UP1Q/VD9UwRAIAAhDSAAQYABaiEPA0AgDf0AAAAgEv0jIA0gCGr9AAAAIBT9I/1O/WQhDgJAA0AgDkUNASAMIANJBEAgAiAMQQJ0aiANIA5oajYCBAsgDEEBaiEMIA4gDkEBa3EhDgwACwsgDUEQaiINIA9JDQALCyAAQYABaiIAIApNDQALIAsgEBAAaiELDAALCwJAA0AgACAJTw0BIAsgAC0AAEEKRmohCyAALQAAIARGIAAgCGotAAAgBkZxBEAgDCADSQRAIAIgDEECdGogADYCBAsgDEEBaiEMCyAAQQFqIQAMAAsLIAIgDDYCACALC7oEAgd/DnsgBP0PIRIgBf0PIRMgBv0PIRQgB/0PIRUgACABaiEJQQr9DyERAkADQCAAQYABaiAJSw0BIAlBgAFrIQogAEGAHmogCiAAQYAeaiAKSRshCv0MAAAAAAAAAAAAAAAAAAAAACEQA0AgECAA/QAAACIWIBH9IyAA/QAAECIXIBH9I/1uIAD9AAAgIhggEf0jIAD9AAAwIhkgEf0j/W79biAA/QAAQCIaIBH9IyAA/QAAUCIbIBH9I/1uIAD9AABgIhwgEf0jIAD9AABwIh0gEf0j/W79bv1u/XEhECAWIBP9UCAS/SMgFyAT/VAgEv0j/VAgGCAT/VAgEv0jIBkgE/1QIBL9I/1Q/VAgGiAT/VAgEv0jIBsgE/1QIBL9I/1QIBwgE/1QIBL9IyAdIBP9UCAS/SP9UP1Q/VD9UwRAIAAhDSAAQYABaiEPA0AgDf0AAAAgE/1QIBL9IyANIAhq/QAAACAV/VAgFP0j/U79ZCEOAkADQCAORQ0BIAwgA0kEQCACIAxBAnRqIA0gDmhqNgIECyAMQQFqIQwgDiAOQQFrcSEODAALCyANQRBqIg0gD0kNAAsLIABBgAFqIgAgCk0NAAsgCyAQEABqIQsMAAsLAkADQCAAIAlPDQEgCyAALQAAQQpGaiELIAAtAAAgBXIgBEYgACAIai0AACAHciAGRnEEQCAMIANJBEAgAiAMQQJ0aiAANgIECyAMQQFqIQwLIABBAWohAAwACwsgAiAMNgIAIAsLhAUCB38OeyAE/Q8hEiAF/Q8hEyAG/Q8hFCAH/Q8hFSAAIAFqIQlBCv0PIRECQANAIABBgAFqIAlLDQEgCUGAAWshCiAAQYAeaiAKIABBgB5qIApJGyEK/QwAAAAAAAAAAAAAAAAAAAAAIRADQCAQIAD9AAAAIhYgEf0jIAD9AAAQIhcgEf0j/W4gAP0AACAiGCAR/SMgAP0AADAiGSAR/SP9bv1uIAD9AABAIhogEf0jIAD9AABQIhsgEf0j/W4gAP0AAGAiHCAR/SMgAP0AAHAiHSAR/SP9bv1u/W79cSEQIBYgEv0jIAAgCGr9AAAAIBT9I/1OIBcgEv0jIAAgCGr9AAAQIBT9I/1O/VAgGCAS/SMgACAIav0AACAgFP0j/U4gGSAS/SMgACAIav0AADAgFP0j/U79UP1QIBogEv0jIAAgCGr9AABAIBT9I/1OIBsgEv0jIAAgCGr9AABQIBT9I/1O/VAgHCAS/SMgACAIav0AAGAgFP0j/U4gHSAS/SMgACAIav0AAHAgFP0j/U79UP1Q/VD9UwRAIAAhDSAAQYABaiEPA0AgDf0AAAAgEv0jIA0gCGr9AAAAIBT9I/1O/WQhDgJAA0AgDkUNASAMIANJBEAgAiAMQQJ0aiANIA5oajYCBAsgDEEBaiEMIA4gDkEBa3EhDgwACwsgDUEQaiINIA9JDQALCyAAQYABaiIAIApNDQALIAsgEBAAaiELDAALCwJAA0AgACAJTw0BIAsgAC0AAEEKRmohCyAALQAAIARGIAAgCGotAAAgBkZxBEAgDCADSQRAIAIgDEECdGogADYCBAsgDEEBaiEMCyAAQQFqIQAMAAsLIAIgDDYCACALC9IFAgd/DnsgBP0PIRIgBf0PIRMgBv0PIRQgB/0PIRUgACABaiEJQQr9DyERAkADQCAAQYABaiAJSw0BIAlBgAFrIQogAEGAHmogCiAAQYAeaiAKSRshCv0MAAAAAAAAAAAAAAAAAAAAACEQA0AgECAA/QAAACIWIBH9IyAA/QAAECIXIBH9I/1uIAD9AAAgIhggEf0jIAD9AAAwIhkgEf0j/W79biAA/QAAQCIaIBH9IyAA/QAAUCIbIBH9I/1uIAD9AABgIhwgEf0jIAD9AABwIh0gEf0j/W79bv1u/XEhECAWIBP9UCAS/SMgACAIav0AAAAgFf1QIBT9I/1OIBcgE/1QIBL9IyAAIAhq/QAAECAV/VAgFP0j/U79UCAYIBP9UCAS/SMgACAIav0AACAgFf1QIBT9I/1OIBkgE/1QIBL9IyAAIAhq/QAAMCAV/VAgFP0j/U79UP1QIBogE/1QIBL9IyAAIAhq/QAAQCAV/VAgFP0j/U4gGyAT/VAgEv0jIAAgCGr9AABQIBX9UCAU/SP9Tv1QIBwgE/1QIBL9IyAAIAhq/QAAYCAV/VAgFP0j/U4gHSAT/VAgEv0jIAAgCGr9AABwIBX9UCAU/SP9Tv1Q/VD9UP1TBEAgACENIABBgAFqIQ8DQCAN/QAAACAT/VAgEv0jIA0gCGr9AAAAIBX9UCAU/SP9Tv1kIQ4CQANAIA5FDQEgDCADSQRAIAIgDEECdGogDSAOaGo2AgQLIAxBAWohDCAOIA5BAWtxIQ4MAAsLIA1BEGoiDSAPSQ0ACwsgAEGAAWoiACAKTQ0ACyALIBAQAGohCwwACwsCQANAIAAgCU8NASALIAAtAABBCkZqIQsgAC0AACAFciAERiAAIAhqLQAAIAdyIAZGcQRAIAwgA0kEQCACIAxBAnRqIAA2AgQLIAxBAWohDAsgAEEBaiEADAALCyACIAw2AgAgCws=';

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

/**
 * What the scan looks for: byte b1 at q and b2 at q + delta; or1/or2 = 0x20 to match either case of a letter
 * (fold); pair = test both bytes in the hot loop (b1 is common), else b2 only where b1 occurs.
 */
export interface Needle {
  b1: number;
  or1: number;
  b2: number;
  or2: number;
  delta: number;
  fold: boolean;
  pair: boolean;
}

export interface ScanResult {
  newlines: number;
  /** Offsets (in data) of the b1 bytes whose b2 matches too, ascending; null when there were more than CAP. */
  candidates: Int32Array | null;
}

const NONE = new Int32Array(0);

let compiled: object | null | undefined;

function module(): object | null {
  if (compiled === undefined) {
    try {
      // compiling validates the SIMD instructions (a runtime without them throws here); the first instance is run once
      compiled = new WebAssembly.Module(Buffer.from(KERNEL_WASM, 'base64'));
      const first = new Kernel(compiled, PAGE);
      first.count(0, PAGE);
      idle.push(first);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export class Kernel {
  private readonly memory: WasmMemory;
  private readonly countFn: (p: number, n: number) => number;
  /** scan, scanFold, scanPair, scanPairFold: index = fold + 2 · pair. */
  private readonly scans: ScanFn[];
  /** The data area: read blocks into it. Replaced (same content) when `ensure` grows the memory. */
  data!: Buffer;
  private out!: Int32Array;

  constructor(mod: object, capacity: number) {
    const { exports } = new WebAssembly.Instance(mod);
    this.memory = exports.memory as WasmMemory;
    this.countFn = exports.count as Kernel['countFn'];
    this.scans = ['scan', 'scanFold', 'scanPair', 'scanPairFold'].map((name) => exports[name] as ScanFn);
    this.ensure(capacity);
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
    if (to <= from) return { newlines: 0, candidates: NONE };
    const fn = this.scans[(nd.fold ? 1 : 0) + (nd.pair ? 2 : 0)];
    const newlines = fn(DATA + from, to - from, 0, CAP, nd.b1, nd.or1, nd.b2, nd.or2, nd.delta);
    const found = this.out[0];
    if (found === 0) return { newlines, candidates: NONE };
    if (found > CAP) return { newlines, candidates: null };
    const candidates = this.out.slice(1, 1 + found);
    for (let i = 0; i < found; i++) candidates[i] -= DATA;
    return { newlines, candidates };
  }
}

const idle: Kernel[] = [];
const POOL = 4;
const POOLED_MAX = 4 * 1024 * 1024;

let enabled = true;

/**
 * Turns the kernel off (false) or on again. Off, acquireKernel returns null and every reader takes its plain path
 * (Buffer.indexOf jumps and a byte count), as on a runtime without WebAssembly SIMD: the tests run the whole read
 * path both ways, and the kernel can go without touching a caller.
 */
export function setKernelEnabled(on: boolean): void {
  enabled = on;
}

export function kernelEnabled(): boolean {
  return enabled;
}

/**
 * The one way to the kernel: one whose data holds at least `capacity` bytes (content undefined), or null (the
 * plain path) without WebAssembly SIMD or when it is turned off.
 */
export function acquireKernel(capacity: number): Kernel | null {
  if (!enabled) return null;
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
