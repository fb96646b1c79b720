// The visited set shared by the search workers: open addressing over a SharedArrayBuffer, slots of
// three 32-bit words [lo, hi, tag], inserted with atomic compare-and-swap so every worker probes the
// same table without a lock.
//
// A slot's tag is 0 when empty, 1 while a worker writes its fingerprint, 2 for an initial state and
// parent + 3 otherwise. Within a BFS level, a successor found by several parents keeps the smallest
// parent (an atomic minimum on the tag): that is the parent the one-thread search would have linked it
// to, since it expands a level in ordinal order. Parents of a level have larger ordinals than every
// parent of an earlier level, so a state stored by an earlier level is never relinked.
//
// Ordinals (insertion order in the one-thread search) are given at the end of each level, and the
// ordinal-indexed fingerprints and parents live in dense chunks (`SharedDense`), as in OpenAddressingFpSet.
import { EngineLimit } from '../../core/errors.ts';
import { NO_PARENT, type FingerprintSet } from '../fp-set.ts';

/** Said when a level's new states overflow the table between two checks of its load (one state
 *  with tens of thousands of new successors while the table is still small): the parallel search
 *  gives up and the one-thread search runs instead (run.ts). */
export const TABLE_FULL = 'the shared fingerprint table is full';

export const EMPTY = 0;
const BUSY = 1;
const INIT = 2;
const WORDS = 3;

export type InsertOutcome = typeof PRESENT | typeof ADDED | typeof LOWERED;
/** Already there with a parent at least as small: not a candidate for this parent. */
export const PRESENT = 0;
/** Newly stored with this parent. */
export const ADDED = 1;
/** Already found in this level by a larger parent: relinked to this one. */
export const LOWERED = 2;

/** Slot index of a fingerprint in a table of `mask + 1` slots. */
function home(hi: number, mask: number): number {
  return (hi ^ (hi >>> 15)) & mask;
}

/** One thread's handle on the table (the buffer is shared, the handle is not). */
export class SharedTable {
  readonly words: Uint32Array;
  private readonly mask: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Uint32Array(buffer);
    this.mask = this.words.length / WORDS - 1;
  }

  /** A table of `slots` slots (a power of two). */
  static create(slots: number): SharedTable {
    if ((slots & (slots - 1)) !== 0) throw new Error('internal: table slots must be a power of two');
    return new SharedTable(new SharedArrayBuffer(slots * WORDS * 4));
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Inserts (hi, lo) with `parent` (NO_PARENT for an initial state), or lowers the parent of an
   *  entry with a larger one. Safe to call from several threads at once. */
  insert(hi: number, lo: number, parent: number): InsertOutcome {
    const w = this.words;
    const mask = this.mask;
    const tag = parent === NO_PARENT ? INIT : parent + 3;
    let i = home(hi, mask);
    for (let probes = 0; ; ) {
      const at = i * WORDS;
      let t = Atomics.load(w, at + 2);
      if (t === EMPTY) {
        if (Atomics.compareExchange(w, at + 2, EMPTY, BUSY) !== EMPTY) continue;
        w[at] = lo;
        w[at + 1] = hi;
        Atomics.store(w, at + 2, tag);
        return ADDED;
      }
      if (t === BUSY) continue;
      if (w[at] === lo >>> 0 && w[at + 1] === hi >>> 0) {
        for (;;) {
          if (tag >= t) return PRESENT;
          const seen = Atomics.compareExchange(w, at + 2, t, tag);
          if (seen === t) return LOWERED;
          t = seen;
        }
      }
      i = (i + 1) & mask;
      if (++probes > mask) throw new EngineLimit(TABLE_FULL);
    }
  }

  /** The parent a fingerprint is linked to (NO_PARENT for an initial state), or -1 when absent. */
  parentOf(hi: number, lo: number): number {
    const w = this.words;
    const mask = this.mask;
    let i = home(hi, mask);
    for (;;) {
      const at = i * WORDS;
      const t = Atomics.load(w, at + 2);
      if (t === EMPTY) return -1;
      if (t !== BUSY && w[at] === lo >>> 0 && w[at + 1] === hi >>> 0) return t === INIT ? NO_PARENT : t - 3;
      i = (i + 1) & mask;
    }
  }

  /** Copies every entry (with `keep`: those whose tag it keeps) into a table of `slots` slots (one
   *  thread, while the workers wait). */
  rehash(slots: number, keep?: (tag: number) => boolean): SharedTable {
    const next = SharedTable.create(slots);
    const w = this.words;
    const n = next.words;
    const mask = next.mask;
    for (let at = 0; at < w.length; at += WORDS) {
      const tag = w[at + 2];
      if (tag === EMPTY || (keep !== undefined && !keep(tag))) continue;
      const hi = w[at + 1];
      let i = home(hi, mask);
      while (n[i * WORDS + 2] !== EMPTY) i = (i + 1) & mask;
      // Three stores, not n.set(w.subarray(...)): no view object per entry.
      const to = i * WORDS;
      n[to] = w[at];
      n[to + 1] = hi;
      n[to + 2] = tag;
    }
    return next;
  }
}

export const DENSE_BITS = 16;
const DENSE = 1 << DENSE_BITS;
const DENSE_MASK = DENSE - 1;

/** Fingerprint and parent by ordinal, in shared chunks of 2^16 states (lo, hi, parent). */
export class SharedDense {
  readonly chunks: Uint32Array[] = [];

  constructor(buffers: readonly SharedArrayBuffer[] = []) {
    this.adopt(buffers);
  }

  adopt(buffers: readonly SharedArrayBuffer[]): void {
    for (let k = this.chunks.length; k < buffers.length; k++) this.chunks.push(new Uint32Array(buffers[k]));
  }

  /** Makes room for ordinals below `n`; returns the new chunks' buffers. */
  ensure(n: number): SharedArrayBuffer[] {
    const added: SharedArrayBuffer[] = [];
    while (this.chunks.length * DENSE < n) {
      const b = new SharedArrayBuffer(DENSE * WORDS * 4);
      added.push(b);
      this.chunks.push(new Uint32Array(b));
    }
    return added;
  }

  set(ord: number, hi: number, lo: number, parent: number): void {
    const c = this.chunks[ord >>> DENSE_BITS];
    const at = (ord & DENSE_MASK) * WORDS;
    c[at] = lo;
    c[at + 1] = hi;
    c[at + 2] = parent;
  }

  loOf(ord: number): number {
    return this.chunks[ord >>> DENSE_BITS][(ord & DENSE_MASK) * WORDS];
  }
  hiOf(ord: number): number {
    return this.chunks[ord >>> DENSE_BITS][(ord & DENSE_MASK) * WORDS + 1];
  }
  parentOf(ord: number): number {
    return this.chunks[ord >>> DENSE_BITS][(ord & DENSE_MASK) * WORDS + 2];
  }
  bytes(): number {
    return this.chunks.length * DENSE * WORDS * 4;
  }
}

/** The finished search's visited set as the rest of the checker reads it (trace rebuilding). */
export class ParallelStore implements FingerprintSet {
  constructor(private readonly table: SharedTable, private readonly dense: SharedDense, public size: number) {}

  insert(): number {
    throw new Error('internal: the parallel search store is read-only');
  }
  /** The ordinal of a fingerprint: found by walking its parent's children is not possible from the
   *  table alone, so this looks through the dense chunks (only used on small cases). */
  find(hi: number, lo: number): number {
    if (this.table.parentOf(hi, lo) < 0) return -1;
    for (let o = 0; o < this.size; o++) if (this.dense.hiOf(o) === hi >>> 0 && this.dense.loOf(o) === lo >>> 0) return o;
    return -1;
  }
  parentOf(ord: number): number {
    return this.dense.parentOf(ord);
  }
  hiOf(ord: number): number {
    return this.dense.hiOf(ord);
  }
  loOf(ord: number): number {
    return this.dense.loOf(ord);
  }
  bytes(): number {
    return this.table.buffer.byteLength + this.dense.bytes();
  }
}
