// The parent link of every visited state, by ordinal, in well under a byte per state for a
// breadth-first search, where a state's parent is never smaller than the previous state's (states
// are numbered in the order they are found, and BFS expands them in that order).
//
// Such a non-decreasing sequence is kept as a bit string: for each state, as many 0 bits as its
// parent is above the previous state's parent, then a 1 (about two bits a state); every 64th state
// records its parent and where its bits start, so a look-up reads at most 64 ones and the zeros in
// between. The first parent that goes down (a depth-first search) turns the whole set into plain
// 32-bit parents, so any order is kept exactly, only larger.
import { NO_PARENT } from './fp-set.ts';

const WORD_BITS = 32;
const CHUNK_WORDS = 1 << 12;
const CHUNK_BITS = CHUNK_WORDS * WORD_BITS;
const PLAIN_BITS = 16;
const PLAIN = 1 << PLAIN_BITS;
const PLAIN_MASK = PLAIN - 1;
const BLOCK = 64;

export class ParentLinks {
  /** States so far. */
  size = 0;
  /** Plain parents (after a parent went down), in chunks of PLAIN. */
  private plain: Uint32Array[] | undefined;
  // The compact form: `roots` leading states without a parent, then the bit string.
  private roots = 0;
  private linked = 0;
  private last = 0;
  private bits: Uint32Array[] = [];
  private nbits = 0;
  private blockParent = new Uint32Array(64);
  private blockStart = new Float64Array(64);

  /** Appends the parent of the next state (NO_PARENT for an initial state). */
  push(parent: number): void {
    if (this.plain === undefined) {
      if (parent === NO_PARENT ? this.linked === 0 : parent >= this.last) {
        if (parent === NO_PARENT) this.roots++;
        else this.pushCompact(parent);
        this.size++;
        return;
      }
      this.toPlain();
    }
    const ord = this.size++;
    const c = ord >>> PLAIN_BITS;
    if (c === this.plain!.length) this.plain!.push(new Uint32Array(PLAIN));
    this.plain![c][ord & PLAIN_MASK] = parent;
  }

  get(ord: number): number {
    if (this.plain !== undefined) return this.plain[ord >>> PLAIN_BITS][ord & PLAIN_MASK];
    if (ord < this.roots) return NO_PARENT;
    const k = ord - this.roots;
    const b = Math.floor(k / BLOCK);
    let parent = this.blockParent[b];
    let bit = this.blockStart[b];
    let ones = k - b * BLOCK;
    for (;;) {
      const word = this.bits[Math.floor(bit / CHUNK_BITS)][Math.floor(bit / WORD_BITS) % CHUNK_WORDS];
      if (bit % WORD_BITS === 0 && word === 0) {
        parent += WORD_BITS;
        bit += WORD_BITS;
        continue;
      }
      if ((word >>> (bit % WORD_BITS)) & 1) {
        if (ones === 0) return parent;
        ones--;
      } else parent++;
      bit++;
    }
  }

  bytes(): number {
    if (this.plain !== undefined) return this.plain.length * PLAIN * 4;
    return this.bits.length * CHUNK_WORDS * 4 + this.blockParent.byteLength + this.blockStart.byteLength;
  }

  private pushCompact(parent: number): void {
    const k = this.linked++;
    if (k % BLOCK === 0) {
      const b = k / BLOCK;
      if (b === this.blockParent.length) {
        const p = new Uint32Array(2 * b);
        p.set(this.blockParent);
        this.blockParent = p;
        const s = new Float64Array(2 * b);
        s.set(this.blockStart);
        this.blockStart = s;
      }
      this.blockParent[b] = this.last;
      this.blockStart[b] = this.nbits;
    }
    // The zeros are already there: new chunks are zero-filled.
    const at = this.nbits + (parent - this.last);
    while (at >= this.bits.length * CHUNK_BITS) this.bits.push(new Uint32Array(CHUNK_WORDS));
    this.bits[Math.floor(at / CHUNK_BITS)][Math.floor(at / WORD_BITS) % CHUNK_WORDS] |= 1 << (at % WORD_BITS);
    this.nbits = at + 1;
    this.last = parent;
  }

  /** Turns the compact form into plain parents (a parent went down). */
  private toPlain(): void {
    const n = this.size;
    const plain: Uint32Array[] = [];
    for (let c = 0; c * PLAIN < n; c++) plain.push(new Uint32Array(PLAIN));
    let ord = 0;
    for (; ord < this.roots; ord++) plain[ord >>> PLAIN_BITS][ord & PLAIN_MASK] = NO_PARENT;
    let parent = this.linked > 0 ? this.blockParent[0] : 0;
    for (let bit = 0; ord < n; bit++) {
      const word = this.bits[Math.floor(bit / CHUNK_BITS)][Math.floor(bit / WORD_BITS) % CHUNK_WORDS];
      if ((word >>> (bit % WORD_BITS)) & 1) {
        plain[ord >>> PLAIN_BITS][ord & PLAIN_MASK] = parent;
        ord++;
      } else parent++;
    }
    this.plain = plain;
    this.bits = [];
    this.blockParent = new Uint32Array(0);
    this.blockStart = new Float64Array(0);
  }
}
