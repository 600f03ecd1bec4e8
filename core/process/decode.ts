/**
 * Decodes a tool's output bytes: UTF-8 (with or without BOM), or UTF-16LE — with a BOM, or without one, which
 * NSSM 2.23 writes (the tell: a NUL in byte 1). Line endings are normalised: NSSM ends messages in CR CR LF.
 */
export function decodeOutput(bytes: Buffer): string {
  if (bytes.length === 0) return '';
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = bytes.subarray(2).toString('utf16le');
  else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) text = bytes.subarray(3).toString('utf8');
  else if (looksUtf16le(bytes)) text = bytes.toString('utf16le');
  else text = bytes.toString('utf8');
  return text.replace(/\r+\n/g, '\n').replace(/\r$/g, '');
}

function looksUtf16le(bytes: Buffer): boolean {
  if (bytes.length < 2 || bytes[1] !== 0) return false;
  // Most odd bytes NUL and even bytes not: ASCII text in UTF-16LE.
  let nulOdd = 0;
  const pairs = Math.min(64, Math.floor(bytes.length / 2));
  for (let i = 0; i < pairs; i++) if (bytes[2 * i + 1] === 0) nulOdd++;
  return nulOdd >= pairs * 0.75;
}
