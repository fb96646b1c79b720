// 64-bit fingerprints of encoded states: the first 64 bits of MurmurHash3's x86 128-bit variant
// (four 32-bit lanes mixed into each other), computed with Math.imul.
//
// A weaker two-lane hash was tried first and merged 32 of TwoPhase-9's 10,340,352 states (5-byte
// encodings): short inputs need lanes that are mixed into each other, not two near-copies.
//
// An encoding of at most EXACT_BYTES bytes is its own fingerprint: its bytes and its length fill 59
// of the 64 bits, which a bijection (three Feistel rounds) then scatters so that the fingerprint's
// bits look random to the hash table. Distinct short encodings thus always get distinct
// fingerprints: no collision is possible among them.

/** Encodings of at most this many bytes get exact (collision-free) fingerprints. */
export const EXACT_BYTES = 7;

export interface Fingerprint {
  hi: number;
  lo: number;
}

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function word(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

/** The last (len - at) < 4 bytes from `at` as a little-endian word. */
function partial(b: Uint8Array, at: number, end: number): number {
  let k = 0;
  for (let i = end - 1; i >= at; i--) k = (k << 8) | b[i];
  return k;
}

/** Fingerprints bytes [0, len) of `buf` into `out.hi` / `out.lo` (an object the caller reuses). */
export function fingerprint(buf: Uint8Array, len: number, out: Fingerprint): void {
  if (len <= EXACT_BYTES) {
    exact(buf, len, out);
    return;
  }
  let h1 = 0x2545f491;
  let h2 = 0x9e3779b9;
  let h3 = 0x85ebca6b;
  let h4 = 0xc2b2ae35;
  const blocks = len & ~15;
  let k1: number;
  let k2: number;
  let k3: number;
  let k4: number;
  for (let i = 0; i < blocks; i += 16) {
    k1 = word(buf, i);
    k2 = word(buf, i + 4);
    k3 = word(buf, i + 8);
    k4 = word(buf, i + 12);
    h1 ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 = Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b;
    h2 ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 = Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747;
    h3 ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 = Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35;
    h4 ^= Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 = Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17;
  }
  // The tail: up to 15 bytes, as four (partial) words.
  const rest = len - blocks;
  if (rest > 12) h4 ^= Math.imul(rotl(Math.imul(partial(buf, blocks + 12, len), C4), 18), C1);
  if (rest > 8) h3 ^= Math.imul(rotl(Math.imul(rest >= 12 ? word(buf, blocks + 8) : partial(buf, blocks + 8, len), C3), 17), C4);
  if (rest > 4) h2 ^= Math.imul(rotl(Math.imul(rest >= 8 ? word(buf, blocks + 4) : partial(buf, blocks + 4, len), C2), 16), C3);
  if (rest > 0) h1 ^= Math.imul(rotl(Math.imul(rest >= 4 ? word(buf, blocks) : partial(buf, blocks, len), C1), 15), C2);

  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  out.hi = h1 >>> 0;
  out.lo = h2 >>> 0;
}

/** The bytes and the length as 64 bits (one-to-one), through three Feistel rounds (one-to-one
 *  whatever the round function): an exact fingerprint with well-mixed bits. */
function exact(b: Uint8Array, len: number, out: Fingerprint): void {
  let lo = partial(b, 0, len < 4 ? len : 4);
  let hi = (len << 24) | (len > 4 ? partial(b, 4, len) : 0);
  lo ^= fmix(hi ^ 0x2545f491);
  hi ^= fmix(lo ^ 0x9e3779b9);
  lo ^= fmix(hi ^ 0x85ebca6b);
  out.hi = hi >>> 0;
  out.lo = lo >>> 0;
}
