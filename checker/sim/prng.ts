// A small seeded pseudo-random generator for simulation: xoshiro128** (Blackman and Vigna), its
// 128-bit state filled from a 32-bit seed by splitmix32. Same seed, same sequence, on every platform.

/** One splitmix32 output from `x`, used to spread a 32-bit seed over xoshiro's state. */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    this.a = splitmix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.b = splitmix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.c = splitmix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.d = splitmix32(x);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  next(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r >>> 0;
  }

  /** A uniform integer in [0, n), n >= 1 (rejection sampling: no modulo bias). */
  below(n: number): number {
    if (n <= 1) return 0;
    const limit = 0x100000000 - (0x100000000 % n);
    let x = this.next();
    while (x >= limit) x = this.next();
    return x % n;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A fresh seed when the user gave none (printed, so the run can be repeated). */
export function randomSeed(): number {
  return (Math.random() * 0x100000000) >>> 0;
}
