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
  private his: Uint32Array[] = [];
  private los: Uint32Array[] = [];
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
      if (this.los[o >>> CHUNK_BITS][o & MASK] === lo && this.his[o >>> CHUNK_BITS][o & MASK] === hi) return o;
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
      if (this.los[o >>> CHUNK_BITS][o & MASK] === lo && this.his[o >>> CHUNK_BITS][o & MASK] === hi) return -1;
      if (++i === cap) i = 0;
    }
    const ord = this.size++;
    const c = ord >>> CHUNK_BITS;
    if (c === this.his.length) {
      this.his.push(new Uint32Array(CHUNK));
      this.los.push(new Uint32Array(CHUNK));
      this.parents.push(new Uint32Array(CHUNK));
    }
    this.his[c][ord & MASK] = hi;
    this.los[c][ord & MASK] = lo;
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
      let i = this.slotOf(this.los[o >>> CHUNK_BITS][o & MASK]);
      while (table[i] !== 0) if (++i === cap) i = 0;
      table[i] = e;
    }
  }

  parentOf(ord: number): number {
    return this.parents[ord >>> CHUNK_BITS][ord & MASK];
  }
  hiOf(ord: number): number {
    return this.his[ord >>> CHUNK_BITS][ord & MASK];
  }
  loOf(ord: number): number {
    return this.los[ord >>> CHUNK_BITS][ord & MASK];
  }
  bytes(): number {
    return this.table.byteLength + this.his.length * CHUNK * 12;
  }
}
