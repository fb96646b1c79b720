// The default visited set: at most 16 bytes per state, parent links included, for a breadth-first
// search (about 19 for a depth-first one).
//
// Open addressing with linear probing over a table of ordinals (0 = empty, else ordinal + 1, with 6
// bits of the fingerprint above it while ordinals fit in 26 bits), filled
// to at most 80% and grown by 40% (so 5 to 7 bytes of table per state); fingerprints by ordinal in
// dense chunked arrays (8 bytes); parents in ParentLinks (well under a byte for BFS).
import type { FingerprintSet } from './fp-set.ts';
import { ParentLinks } from './parent-links.ts';

const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const MAX_LOAD = 0.8;
const GROWTH = 1.4;
const TWO_32 = 2 ** 32;
/** Up to 2^26 - 1 states, a table entry keeps 6 bits of the fingerprint's `hi` above the ordinal,
 *  so a probe rarely reads the fingerprint of another state; beyond, the whole entry is the ordinal. */
const ORD_BITS = 26;

export class CompactFpSet implements FingerprintSet {
  private table: Uint32Array;
  private cap: number;
  /** cap / 2^32: a fingerprint's `lo` times this is its home slot. */
  private scale: number;
  private limit: number;
  private tagMask: number;
  private ordMask: number;
  /** Fingerprints by ordinal, lo and hi side by side (one cache line for both). */
  private fps: Uint32Array[] = [];
  private readonly parents = new ParentLinks();
  size = 0;

  /** `ordBits` (tests only): the ordinal bits of a table entry while the rest holds a tag. */
  constructor(initialCapacity = 1 << 12, ordBits = ORD_BITS) {
    this.ordMask = 2 ** ordBits - 1;
    this.tagMask = ~this.ordMask;
    this.cap = initialCapacity;
    this.scale = this.cap / TWO_32;
    this.table = new Uint32Array(this.cap);
    this.limit = Math.floor(this.cap * MAX_LOAD);
  }

  find(hi: number, lo: number): number {
    const table = this.table;
    const fps = this.fps;
    const cap = this.cap;
    const tagMask = this.tagMask;
    const tag = hi & tagMask;
    let i = (lo * this.scale) >>> 0;
    for (;;) {
      const e = table[i];
      if (e === 0) return -1;
      if ((e & tagMask) === tag) {
        const o = ((e & this.ordMask) >>> 0) - 1;
        const c = fps[o >>> CHUNK_BITS];
        const at = (o & MASK) << 1;
        if (c[at] === lo && c[at + 1] === hi) return o;
      }
      if (++i === cap) i = 0;
    }
  }

  insert(hi: number, lo: number, parent: number): number {
    const table = this.table;
    const fps = this.fps;
    const cap = this.cap;
    const tagMask = this.tagMask;
    const tag = hi & tagMask;
    let i = (lo * this.scale) >>> 0;
    for (;;) {
      const e = table[i];
      if (e === 0) break;
      if ((e & tagMask) === tag) {
        const o = ((e & this.ordMask) >>> 0) - 1;
        const c = fps[o >>> CHUNK_BITS];
        const at = (o & MASK) << 1;
        if (c[at] === lo && c[at + 1] === hi) return -1;
      }
      if (++i === cap) i = 0;
    }
    if (this.size + 1 >= this.ordMask && this.tagMask !== 0) {
      // The next ordinal + 1 needs more than 26 bits: entries become plain ordinals.
      this.tagMask = 0;
      this.ordMask = 0xffffffff;
      this.rehash();
      return this.insert(hi, lo, parent);
    }
    const ord = this.size++;
    const c = ord >>> CHUNK_BITS;
    if (c === fps.length) fps.push(new Uint32Array(2 * CHUNK));
    const at = (ord & MASK) << 1;
    fps[c][at] = lo;
    fps[c][at + 1] = hi;
    this.parents.push(parent);
    table[i] = (tag | (ord + 1)) >>> 0;
    if (this.size > this.limit) this.grow();
    return ord;
  }

  private grow(): void {
    this.cap = Math.floor(this.cap * GROWTH);
    this.scale = this.cap / TWO_32;
    this.limit = Math.floor(this.cap * MAX_LOAD);
    this.rehash();
  }

  /** Rebuilds the table (after a change of capacity or of entry layout), by ordinal: the
   *  fingerprints are read in order. */
  private rehash(): void {
    const table = (this.table = new Uint32Array(this.cap));
    const cap = this.cap;
    const tagMask = this.tagMask;
    for (let o = 0; o < this.size; o++) {
      let i = (this.loOf(o) * this.scale) >>> 0;
      while (table[i] !== 0) if (++i === cap) i = 0;
      table[i] = ((this.hiOf(o) & tagMask) | (o + 1)) >>> 0;
    }
  }

  parentOf(ord: number): number {
    return this.parents.get(ord);
  }
  hiOf(ord: number): number {
    return this.fps[ord >>> CHUNK_BITS][((ord & MASK) << 1) + 1];
  }
  loOf(ord: number): number {
    return this.fps[ord >>> CHUNK_BITS][(ord & MASK) << 1];
  }
  bytes(): number {
    return this.table.byteLength + this.fps.length * CHUNK * 8 + this.parents.bytes();
  }
}
