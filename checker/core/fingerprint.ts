// 64-bit fingerprints of encoded states, as two 32-bit lanes computed with Math.imul.

export interface Fingerprint {
  hi: number;
  lo: number;
}

/** Fingerprints bytes [0, len) of `buf` into `out.hi` / `out.lo` (an object the caller reuses). */
export function fingerprint(buf: Uint8Array, len: number, out: Fingerprint): void {
  let h1 = 0x9e3779b9 ^ len;
  let h2 = 0x85ebca6b ^ Math.imul(len, 0xc2b2ae35);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const k = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
    h1 = Math.imul(h1 ^ k, 0x2c1b3c6d);
    h1 = (h1 << 13) | (h1 >>> 19);
    h2 = Math.imul(h2 ^ k, 0x297a2d39);
    h2 = (h2 << 17) | (h2 >>> 15);
    h2 = (h2 + h1) | 0;
  }
  let k = 0;
  for (let s = 0; i < len; i++, s += 8) k |= buf[i] << s;
  h1 = Math.imul(h1 ^ k, 0x2c1b3c6d);
  h2 = Math.imul(h2 ^ k ^ h1, 0x297a2d39);
  // final avalanche of each lane, mixing in the other
  h1 ^= h2 >>> 15;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 ^= h1 >>> 11;
  h2 = Math.imul(h2, 0xcc9e2d51);
  h2 ^= h2 >>> 15;
  h2 = Math.imul(h2, 0x1b873593);
  h2 ^= h2 >>> 16;
  out.hi = h1 >>> 0;
  out.lo = h2 >>> 0;
}

/** Fingerprint as 16 hex digits. */
export function fingerprintHex(buf: Uint8Array, len = buf.length): string {
  const fp = { hi: 0, lo: 0 };
  fingerprint(buf, len, fp);
  return fp.hi.toString(16).padStart(8, '0') + fp.lo.toString(16).padStart(8, '0');
}
