import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../checker/core/fingerprint.ts';

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
});
