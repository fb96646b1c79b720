import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EXACT_BYTES, fingerprint } from '../../checker/core/fingerprint.ts';

function collisions(inputs: Iterable<Uint8Array>): number {
  const fp = { hi: 0, lo: 0 };
  const seen = new Set<string>();
  let n = 0;
  let dup = 0;
  for (const b of inputs) {
    fingerprint(b, b.length, fp);
    const k = `${fp.hi}:${fp.lo}`;
    if (seen.has(k)) dup++;
    seen.add(k);
    n++;
  }
  expect(n).toBeGreaterThan(0);
  return dup;
}

function* counters(bytes: number, count: number, stride = 1): Generator<Uint8Array> {
  for (let i = 0; i < count; i++) {
    const b = new Uint8Array(bytes);
    let x = i * stride;
    for (let k = 0; k < bytes; k++) {
      b[k] = x % 256;
      x = Math.floor(x / 256);
    }
    yield b;
  }
}

describe('64-bit fingerprints', () => {
  it('separate every 3-byte input and a million 5-byte inputs that differ in few bits', () => {
    expect(collisions(counters(3, 1 << 20))).toBe(0);
    expect(collisions(counters(5, 1 << 20, 4099))).toBe(0);
  }, 60_000);

  it('separate the TwoPhase-9 states that an earlier, weaker hash merged', () => {
    const pairs = [['bf200bdf7f', '8bc12bdf7f'], ['bba00bdf7f', '8f412bdf7f'], ['afa00bdf7f', '9b412bdf7f'], ['9fa00bdf7f', 'ab412bdf7f']];
    // The hex numbers are the 5-byte encodings read as little-endian integers.
    const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.padStart(10, '0'), 'hex').reverse());
    for (const [a, b] of pairs) expect(collisions([bytes(a), bytes(b)])).toBe(0);
  });

  it('depend on the length: a zero byte more is another state', () => {
    expect(collisions([new Uint8Array(0), new Uint8Array(1), new Uint8Array(2), new Uint8Array(16), new Uint8Array(17)])).toBe(0);
  });

  it('use every byte of inputs longer than one 16-byte block', () => {
    const inputs = Array.from({ length: 40 }, (_, i) => {
      const b = new Uint8Array(37);
      b[i % 37] = 1 + Math.floor(i / 37);
      return b;
    });
    expect(collisions(inputs)).toBe(0);
  });

  it('are exact up to 7 bytes: any two distinct short encodings differ, equal ones agree', () => {
    expect(EXACT_BYTES).toBe(7);
    const fp = (b: Uint8Array) => {
      const o = { hi: 0, lo: 0 };
      fingerprint(b, b.length, o);
      return o;
    };
    // Every 2-byte input and every length up to 7 of a few patterns: no two share a fingerprint.
    expect(collisions(counters(2, 1 << 16))).toBe(0);
    const short = fc.uint8Array({ minLength: 0, maxLength: EXACT_BYTES });
    fc.assert(
      fc.property(short, short, (a, b) => {
        const same = a.length === b.length && a.every((x, i) => x === b[i]);
        const fa = fp(a);
        const fb = fp(b);
        expect(fa.hi === fb.hi && fa.lo === fb.lo).toBe(same);
        // The same bytes in another buffer (a copy): the same fingerprint.
        const c = fp(Uint8Array.from(a));
        expect([c.hi, c.lo]).toEqual([fa.hi, fa.lo]);
      }),
      { numRuns: 2000 },
    );
    // Near neighbours (one bit apart) among 5- and 7-byte inputs.
    const near: Uint8Array[] = [];
    for (const len of [5, 7]) {
      for (let bit = 0; bit < len * 8; bit++) {
        const b = new Uint8Array(len);
        b[bit >> 3] = 1 << (bit & 7);
        near.push(b);
      }
      near.push(new Uint8Array(len));
    }
    expect(collisions(near)).toBe(0);
  });

  it('spread short encodings over the whole range (the hash table takes its slot from lo)', () => {
    const buckets = new Array<number>(16).fill(0);
    const o = { hi: 0, lo: 0 };
    for (const b of counters(3, 1 << 14)) {
      fingerprint(b, b.length, o);
      buckets[o.lo >>> 28]++;
    }
    for (const n of buckets) expect(n).toBeGreaterThan((1 << 14) / 16 / 2);
  });
});
