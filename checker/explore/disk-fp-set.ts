// A visited set that outgrows memory (after TLC's DiskFPSet): the fingerprints found since the last
// flush live in an in-memory hash table; when it is full they are sorted and merged into one sorted
// file of (fingerprint, ordinal) records, with a small in-memory index (the first fingerprint of
// each page) so a lookup reads one page. The per-ordinal data (fingerprint and parent, what traces
// are rebuilt from) is appended to a second file in whole chunks once more than a budget of them
// are in memory. Same answers as OpenAddressingFpSet: ordinals count from 0 in insertion order.
import { closeSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FingerprintSet } from './fp-set.ts';

export interface DiskFpSetOptions {
  /** Folder for the files (it must exist; the caller removes it). */
  readonly dir: string;
  /** Bytes of memory for the set: the hash table gets 40% (it grows up to that), the per-ordinal chunks
   *  30%, and merging the table into the file needs up to 30% more while it runs. */
  readonly budget: number;
  /** States per per-ordinal chunk (a power of two; default 65536). */
  readonly chunkStates?: number;
}

/** Records per page of the sorted file (12 bytes each: lo, hi, ordinal). */
const PAGE = 256;
const REC = 3;
const MAX_LOAD = 0.75;
const BLOCK = 1 << 14;

export class DiskFpSet implements FingerprintSet {
  size = 0;
  /** Times the table was merged into the sorted file (for reports and tests). */
  flushes = 0;
  private readonly dir: string;
  // The in-memory table: open addressing over [lo, hi, ord + 1] triples (ord + 1 = 0: empty).
  private cap: number;
  private limit: number;
  private readonly maxCap: number;
  private table: Uint32Array;
  private count = 0;
  // The sorted file and its index.
  private sortedFile: string;
  private sortedCount = 0;
  private indexHi = new Uint32Array(0);
  private indexLo = new Uint32Array(0);
  private readonly page = new Uint32Array(PAGE * REC);
  private readonly pageBytes = new Uint8Array(this.page.buffer);
  private fd = -1;
  // Per-ordinal [lo, hi, parent] in chunks; chunks [0, firstInMemory) are in the ordinal file.
  private readonly chunkBits: number;
  private readonly chunkMask: number;
  private readonly maxChunks: number;
  private chunks: (Uint32Array | undefined)[] = [];
  private firstInMemory = 0;
  private readonly ordFile: string;
  private ordFd = -1;
  private cached: Uint32Array;
  private cachedChunk = -1;

  constructor(o: DiskFpSetOptions) {
    this.dir = o.dir;
    const chunkStates = o.chunkStates ?? 1 << 16;
    if (chunkStates & (chunkStates - 1)) throw new Error('chunkStates must be a power of two');
    this.chunkBits = Math.log2(chunkStates);
    this.chunkMask = chunkStates - 1;
    this.maxCap = Math.max(64, Math.floor((o.budget * 0.4) / 12));
    this.cap = Math.min(this.maxCap, 256);
    this.limit = Math.floor(this.cap * MAX_LOAD);
    this.table = new Uint32Array(this.cap * REC);
    this.maxChunks = Math.max(2, Math.floor((o.budget * 0.3) / (chunkStates * 12)));
    this.cached = new Uint32Array(chunkStates * REC);
    this.sortedFile = join(o.dir, `fps-${process.pid}.bin`);
    this.ordFile = join(o.dir, `ords-${process.pid}.bin`);
  }

  private slotOf(h: number): number {
    const cap = this.cap;
    return Math.floor(((h >>> 16) * cap + Math.floor(((h & 0xffff) * cap) / 65536)) / 65536);
  }

  find(hi: number, lo: number): number {
    const t = this.table;
    let i = this.slotOf(lo);
    for (;;) {
      const at = i * REC;
      const e = t[at + 2];
      if (e === 0) break;
      if (t[at] === lo && t[at + 1] === hi) return e - 1;
      if (++i === this.cap) i = 0;
    }
    return this.sortedCount === 0 ? -1 : this.findOnDisk(hi, lo);
  }

  insert(hi: number, lo: number, parent: number): number {
    const t = this.table;
    let i = this.slotOf(lo);
    for (;;) {
      const at = i * REC;
      const e = t[at + 2];
      if (e === 0) break;
      if (t[at] === lo && t[at + 1] === hi) return -1;
      if (++i === this.cap) i = 0;
    }
    if (this.sortedCount !== 0 && this.findOnDisk(hi, lo) >= 0) return -1;
    const ord = this.size++;
    const at = i * REC;
    t[at] = lo;
    t[at + 1] = hi;
    t[at + 2] = ord + 1;
    this.addOrdinal(ord, hi, lo, parent);
    if (++this.count > this.limit) {
      if (this.cap < this.maxCap) this.grow();
      else this.flush();
    }
    return ord;
  }

  /** A table twice as large (up to the budget's), with the entries placed again. */
  private grow(): void {
    const old = this.table;
    const oldCap = this.cap;
    this.cap = Math.min(this.maxCap, oldCap * 2);
    this.limit = Math.floor(this.cap * MAX_LOAD);
    const t = (this.table = new Uint32Array(this.cap * REC));
    for (let k = 0; k < oldCap; k++) {
      const from = k * REC;
      if (old[from + 2] === 0) continue;
      let i = this.slotOf(old[from]);
      while (t[i * REC + 2] !== 0) if (++i === this.cap) i = 0;
      t[i * REC] = old[from];
      t[i * REC + 1] = old[from + 1];
      t[i * REC + 2] = old[from + 2];
    }
  }

  parentOf(ord: number): number {
    return this.ordinalData(ord)[((ord & this.chunkMask) * REC) + 2];
  }
  hiOf(ord: number): number {
    return this.ordinalData(ord)[((ord & this.chunkMask) * REC) + 1];
  }
  loOf(ord: number): number {
    return this.ordinalData(ord)[(ord & this.chunkMask) * REC];
  }

  bytes(): number {
    let n = this.table.byteLength + this.cached.byteLength + this.indexHi.byteLength * 2;
    for (const c of this.chunks) if (c) n += c.byteLength;
    return n;
  }

  /** Bytes in the files. */
  diskBytes(): number {
    return this.sortedCount * REC * 4 + this.firstInMemory * (this.chunkMask + 1) * REC * 4;
  }

  /** Closes and deletes the files. */
  dispose(): void {
    for (const [fd, file] of [[this.fd, this.sortedFile], [this.ordFd, this.ordFile]] as const) {
      if (fd < 0) continue;
      closeSync(fd);
      unlinkSync(file);
    }
    this.fd = this.ordFd = -1;
  }

  // --- per-ordinal data --------------------------------------------------------------------------

  private addOrdinal(ord: number, hi: number, lo: number, parent: number): void {
    const k = ord >>> this.chunkBits;
    if (k === this.chunks.length) {
      if (this.chunks.length - this.firstInMemory >= this.maxChunks) this.spillChunk();
      this.chunks.push(new Uint32Array((this.chunkMask + 1) * REC));
    }
    const c = this.chunks[k]!;
    const at = (ord & this.chunkMask) * REC;
    c[at] = lo;
    c[at + 1] = hi;
    c[at + 2] = parent;
  }

  private spillChunk(): void {
    const k = this.firstInMemory++;
    const c = this.chunks[k]!;
    if (this.ordFd < 0) this.ordFd = openSync(this.ordFile, 'w+');
    writeAll(this.ordFd, new Uint8Array(c.buffer, c.byteOffset, c.byteLength), k * c.byteLength);
    this.chunks[k] = undefined;
  }

  private ordinalData(ord: number): Uint32Array {
    const k = ord >>> this.chunkBits;
    const c = this.chunks[k];
    if (c) return c;
    if (this.cachedChunk !== k) {
      const bytes = new Uint8Array(this.cached.buffer);
      readAll(this.ordFd, bytes, k * bytes.byteLength);
      this.cachedChunk = k;
    }
    return this.cached;
  }

  // --- the sorted file ---------------------------------------------------------------------------

  private findOnDisk(hi: number, lo: number): number {
    // The last page whose first fingerprint is <= (hi, lo).
    const ih = this.indexHi;
    const il = this.indexLo;
    let a = 0;
    let b = ih.length - 1;
    if (hi < ih[0] || (hi === ih[0] && lo < il[0])) return -1;
    while (a < b) {
      const m = (a + b + 1) >>> 1;
      if (ih[m] < hi || (ih[m] === hi && il[m] <= lo)) a = m;
      else b = m - 1;
    }
    const first = a * PAGE;
    const n = Math.min(PAGE, this.sortedCount - first);
    readAll(this.fd, this.pageBytes.subarray(0, n * REC * 4), first * REC * 4);
    const p = this.page;
    let x = 0;
    let y = n - 1;
    while (x <= y) {
      const m = (x + y) >>> 1;
      const mh = p[m * REC + 1];
      const ml = p[m * REC];
      if (mh === hi && ml === lo) return p[m * REC + 2];
      if (mh < hi || (mh === hi && ml < lo)) x = m + 1;
      else y = m - 1;
    }
    return -1;
  }

  /** Sorts the table's fingerprints and merges them with the sorted file into a new one. */
  private flush(): void {
    const n = this.count;
    const t = this.table;
    // 64-bit keys hi:lo sort natively as a BigUint64Array over little-endian [lo, hi] pairs.
    const words = new Uint32Array(n * 2);
    const ords = new Uint32Array(n);
    let k = 0;
    for (let i = 0; i < this.cap; i++) {
      const at = i * REC;
      if (t[at + 2] === 0) continue;
      words[2 * k] = t[at];
      words[2 * k + 1] = t[at + 1];
      k++;
    }
    const keys = new BigUint64Array(words.buffer);
    keys.sort();
    for (let j = 0; j < n; j++) ords[j] = this.tableFind(words[2 * j + 1], words[2 * j]);
    const out = join(this.dir, `fps-${process.pid}.next.bin`);
    const fdOut = openSync(out, 'w');
    const total = this.sortedCount + n;
    const indexHi = new Uint32Array(Math.ceil(total / PAGE));
    const indexLo = new Uint32Array(indexHi.length);
    const outBuf = new Uint32Array(BLOCK * REC);
    const inBuf = new Uint32Array(BLOCK * REC);
    let outN = 0;
    let written = 0;
    let inN = 0;
    let inAt = 0;
    let readFrom = 0;
    const emit = (lo: number, hi: number, ord: number): void => {
      const r = written + outN;
      if (r % PAGE === 0) {
        indexHi[r / PAGE] = hi;
        indexLo[r / PAGE] = lo;
      }
      outBuf[outN * REC] = lo;
      outBuf[outN * REC + 1] = hi;
      outBuf[outN * REC + 2] = ord;
      if (++outN === BLOCK) {
        writeAll(fdOut, new Uint8Array(outBuf.buffer), written * REC * 4);
        written += outN;
        outN = 0;
      }
    };
    const refill = (): boolean => {
      if (inAt < inN) return true;
      if (readFrom >= this.sortedCount) return false;
      inN = Math.min(BLOCK, this.sortedCount - readFrom);
      readAll(this.fd, new Uint8Array(inBuf.buffer, 0, inN * REC * 4), readFrom * REC * 4);
      readFrom += inN;
      inAt = 0;
      return true;
    };
    let j = 0;
    while (j < n) {
      const hi = words[2 * j + 1];
      const lo = words[2 * j];
      if (refill()) {
        const oh = inBuf[inAt * REC + 1];
        const ol = inBuf[inAt * REC];
        if (oh < hi || (oh === hi && ol < lo)) {
          emit(ol, oh, inBuf[inAt * REC + 2]);
          inAt++;
          continue;
        }
      }
      emit(lo, hi, ords[j]);
      j++;
    }
    while (refill()) {
      emit(inBuf[inAt * REC], inBuf[inAt * REC + 1], inBuf[inAt * REC + 2]);
      inAt++;
    }
    if (outN) writeAll(fdOut, new Uint8Array(outBuf.buffer, 0, outN * REC * 4), written * REC * 4);
    closeSync(fdOut);
    if (this.fd >= 0) closeSync(this.fd);
    renameSync(out, this.sortedFile);
    this.fd = openSync(this.sortedFile, 'r');
    this.sortedCount = total;
    this.indexHi = indexHi;
    this.indexLo = indexLo;
    t.fill(0);
    this.count = 0;
    this.flushes++;
  }

  private tableFind(hi: number, lo: number): number {
    const t = this.table;
    let i = this.slotOf(lo);
    for (let probes = 0; probes < this.cap; probes++) {
      const at = i * REC;
      if (t[at] === lo && t[at + 1] === hi && t[at + 2] !== 0) return t[at + 2] - 1;
      if (++i === this.cap) i = 0;
    }
    throw new Error('internal: a fingerprint of the visited set\'s table is missing from it');
  }
}

function writeAll(fd: number, b: Uint8Array, position: number): void {
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, b.length - off, position + off);
}

function readAll(fd: number, b: Uint8Array, position: number): void {
  let off = 0;
  while (off < b.length) {
    const n = readSync(fd, b, off, b.length - off, position + off);
    if (n === 0) throw new Error('visited-set file is shorter than written');
    off += n;
  }
}
