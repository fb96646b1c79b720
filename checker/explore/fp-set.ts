// The visited set: 64-bit fingerprints with a parent link per state, in typed arrays.
// A narrow interface (like TLC's FPSet) so a shared-memory or disk-backed set can replace it.

export const NO_PARENT = 0xffffffff;

export interface FingerprintSet {
  /** Adds the fingerprint (hi, lo) with its parent's ordinal. Returns the new state's ordinal,
   *  or -1 when the fingerprint is already present. Ordinals count from 0 in insertion order. */
  insert(hi: number, lo: number, parent: number): number;
  /** The ordinal of a fingerprint, or -1. */
  find(hi: number, lo: number): number;
  readonly size: number;
  parentOf(ord: number): number;
  hiOf(ord: number): number;
  loOf(ord: number): number;
  /** Bytes held by the set. */
  bytes(): number;
}

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const MAX_LOAD = 0.75;

/** Open addressing with linear probing over a table of ordinals (0 = empty, else ordinal + 1);
 *  fingerprints and parents live in dense chunked arrays indexed by ordinal. The table grows by
 *  half when 75% full, so it stays between 50% and 75% full: 12 bytes of dense data per state plus
 *  5.3 to 8 bytes of table. */
export class OpenAddressingFpSet implements FingerprintSet {
  private table: Uint32Array;
  private cap: number;
  private limit: number;
  /** Fingerprints by ordinal, lo and hi side by side (one cache line for both). */
  private fps: Uint32Array[] = [];
  private parents: Uint32Array[] = [];
  size = 0;

  constructor(initialCapacity = 1 << 12) {
    this.cap = initialCapacity;
    this.table = new Uint32Array(this.cap);
    this.limit = Math.floor(this.cap * MAX_LOAD);
  }

  /** floor(h * cap / 2^32), exactly, without 64-bit integers. */
  private slotOf(h: number): number {
    const cap = this.cap;
    return Math.floor(((h >>> 16) * cap + Math.floor(((h & 0xffff) * cap) / 65536)) / 65536);
  }

  find(hi: number, lo: number): number {
    const table = this.table;
    const cap = this.cap;
    let i = this.slotOf(lo);
    for (;;) {
      const e = table[i];
      if (e === 0) return -1;
      const o = e - 1;
      const c = this.fps[o >>> CHUNK_BITS];
      const at = (o & MASK) << 1;
      if (c[at] === lo && c[at + 1] === hi) return o;
      if (++i === cap) i = 0;
    }
  }

  insert(hi: number, lo: number, parent: number): number {
    const table = this.table;
    const cap = this.cap;
    let i = this.slotOf(lo);
    for (;;) {
      const e = table[i];
      if (e === 0) break;
      const o = e - 1;
      const c = this.fps[o >>> CHUNK_BITS];
      const at = (o & MASK) << 1;
      if (c[at] === lo && c[at + 1] === hi) return -1;
      if (++i === cap) i = 0;
    }
    const ord = this.size++;
    const c = ord >>> CHUNK_BITS;
    if (c === this.fps.length) {
      this.fps.push(new Uint32Array(2 * CHUNK));
      this.parents.push(new Uint32Array(CHUNK));
    }
    const at = (ord & MASK) << 1;
    this.fps[c][at] = lo;
    this.fps[c][at + 1] = hi;
    this.parents[c][ord & MASK] = parent;
    table[i] = ord + 1;
    if (this.size > this.limit) this.grow();
    return ord;
  }

  private grow(): void {
    const old = this.table;
    this.cap = Math.floor(this.cap * 1.5);
    this.limit = Math.floor(this.cap * MAX_LOAD);
    const table = (this.table = new Uint32Array(this.cap));
    const cap = this.cap;
    for (let k = 0; k < old.length; k++) {
      const e = old[k];
      if (e === 0) continue;
      const o = e - 1;
      let i = this.slotOf(this.loOf(o));
      while (table[i] !== 0) if (++i === cap) i = 0;
      table[i] = e;
    }
  }

  parentOf(ord: number): number {
    return this.parents[ord >>> CHUNK_BITS][ord & MASK];
  }
  hiOf(ord: number): number {
    return this.fps[ord >>> CHUNK_BITS][((ord & MASK) << 1) + 1];
  }
  loOf(ord: number): number {
    return this.fps[ord >>> CHUNK_BITS][(ord & MASK) << 1];
  }
  bytes(): number {
    return this.table.byteLength + this.fps.length * CHUNK * 12;
  }
}
