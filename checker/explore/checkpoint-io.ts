// The visited set and the frontier of a search, written to files and read back into fresh ones
// (for checkpoints). Through the FingerprintSet and Frontier interfaces only, so a checkpoint
// taken in memory can be resumed with a disk-backed set and the other way round.
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import type { FingerprintSet } from './fp-set.ts';
import type { Frontier } from './frontier.ts';

class Out {
  private readonly fd: number;
  private readonly buf = new Uint8Array(1 << 20);
  private used = 0;
  bytes = 0;
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  u32(v: number): void {
    if (this.used + 4 > this.buf.length) this.drain();
    const b = this.buf;
    const at = this.used;
    b[at] = v & 255;
    b[at + 1] = (v >>> 8) & 255;
    b[at + 2] = (v >>> 16) & 255;
    b[at + 3] = v >>> 24;
    this.used = at + 4;
  }
  raw(src: Uint8Array, start: number, end: number): void {
    if (this.used + (end - start) > this.buf.length) this.drain();
    if (end - start > this.buf.length) {
      this.write(src.subarray(start, end));
      return;
    }
    this.buf.set(src.subarray(start, end), this.used);
    this.used += end - start;
  }
  private write(b: Uint8Array): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
    this.bytes += b.length;
  }
  private drain(): void {
    this.write(this.buf.subarray(0, this.used));
    this.used = 0;
  }
  /** Flushes, syncs to disk and closes. */
  close(): void {
    this.drain();
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

class In {
  private readonly fd: number;
  private buf = new Uint8Array(1 << 20);
  private at = 0;
  private end = 0;
  constructor(private readonly file: string) {
    this.fd = openSync(file, 'r');
  }
  /** Makes `n` bytes available at `this.pos()`; false at the end of the file. */
  private need(n: number): boolean {
    if (this.end - this.at >= n) return true;
    if (n > this.buf.length) {
      const bigger = new Uint8Array(n);
      bigger.set(this.buf.subarray(this.at, this.end));
      this.buf = bigger;
    } else this.buf.copyWithin(0, this.at, this.end);
    this.end -= this.at;
    this.at = 0;
    while (this.end < n) {
      const got = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
      if (got === 0) {
        if (this.end === 0) return false;
        throw new Error(`${this.file} ends in the middle of a record`);
      }
      this.end += got;
    }
    return true;
  }
  atEnd(): boolean {
    return !this.need(1);
  }
  u32(): number {
    if (!this.need(4)) throw new Error(`${this.file} ends early`);
    const b = this.buf;
    const at = this.at;
    this.at += 4;
    return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
  }
  /** `n` bytes: the buffer and where they start (valid until the next read). */
  raw(n: number): number {
    if (!this.need(n)) throw new Error(`${this.file} ends early`);
    const start = this.at;
    this.at += n;
    return start;
  }
  get bytes(): Uint8Array {
    return this.buf;
  }
  close(): void {
    closeSync(this.fd);
  }
}

/** Writes [lo, hi, parent] per state, in ordinal order; returns the bytes written. */
export function writeStore(file: string, store: FingerprintSet): number {
  const out = new Out(file);
  try {
    for (let o = 0; o < store.size; o++) {
      out.u32(store.loOf(o));
      out.u32(store.hiOf(o));
      out.u32(store.parentOf(o));
    }
  } finally {
    out.close();
  }
  return out.bytes;
}

/** Inserts the `count` saved states into an empty set, which gives them the same ordinals. */
export function readStore(file: string, store: FingerprintSet, count: number): void {
  if (store.size !== 0) throw new Error('readStore needs an empty set');
  const input = new In(file);
  try {
    for (let o = 0; o < count; o++) {
      const lo = input.u32();
      const hi = input.u32();
      const parent = input.u32();
      if (store.insert(hi, lo, parent) !== o) throw new Error(`${file}: state ${o} is a repeat`);
    }
    if (store.size !== count) throw new Error(`${file} holds ${store.size} states, not ${count}`);
  } finally {
    input.close();
  }
}

/** Writes the frontier's entries in push order as [ord, depth, len, bytes]; returns how many. */
export function writeFrontier(file: string, frontier: Frontier): number {
  if (!frontier.forEach) throw new Error('this frontier cannot be saved');
  const out = new Out(file);
  let n = 0;
  try {
    frontier.forEach((ord, depth, buf, start, end) => {
      out.u32(ord);
      out.u32(depth);
      out.u32(end - start);
      out.raw(buf, start, end);
      n++;
    });
  } finally {
    out.close();
  }
  return n;
}

/** Pushes the saved entries onto an empty frontier, in their order. */
export function readFrontier(file: string, frontier: Frontier, count: number): void {
  if (frontier.size !== 0) throw new Error('readFrontier needs an empty frontier');
  const input = new In(file);
  try {
    for (let k = 0; k < count; k++) {
      const ord = input.u32();
      const depth = input.u32();
      const len = input.u32();
      const start = input.raw(len);
      frontier.push(ord, depth, start === 0 ? input.bytes : input.bytes.subarray(start), len);
    }
    if (!input.atEnd()) throw new Error(`${file} holds more than ${count} entries`);
  } finally {
    input.close();
  }
}
