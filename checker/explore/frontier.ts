// The frontier: encoded states waiting to be expanded, in chunked ArrayBuffers (never objects).
// BFS uses a queue, DFS a stack; the search loop is the same for both.

export interface FrontierEntry {
  ord: number;
  depth: number;
  buf: Uint8Array;
  start: number;
  end: number;
}

export interface Frontier {
  push(ord: number, depth: number, bytes: Uint8Array, len: number): void;
  /** Fills `out` with the next entry; false when empty. The bytes stay valid until the next push. */
  pop(out: FrontierEntry): boolean;
  readonly size: number;
  bytes(): number;
  /** Visits the entries in push order without removing them (for checkpoints). */
  forEach?(visit: (ord: number, depth: number, buf: Uint8Array, start: number, end: number) => void): void;
}

const CHUNK_BYTES = 1 << 20;
/** Bytes before an entry's encoded state: its ordinal, depth and length (three little-endian words). */
export const HEADER = 12;

export function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 255;
  b[at + 1] = (v >>> 8) & 255;
  b[at + 2] = (v >>> 16) & 255;
  b[at + 3] = v >>> 24;
}

export function readU32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** Copies bytes [0, len) of `src` to `dst` at `at`: a loop for the usual few bytes (no subarray
 *  view to allocate per state), `set` for long encodings. */
export function copyIn(dst: Uint8Array, at: number, src: Uint8Array, len: number): void {
  if (len > 32) dst.set(src.subarray(0, len), at);
  else for (let i = 0; i < len; i++) dst[at + i] = src[i];
}

function newChunk(need: number): Uint8Array {
  return new Uint8Array(Math.max(CHUNK_BYTES, need));
}

/** Entries in a list of chunks, appended at the end of the last one. */
abstract class Chunks {
  protected chunks: Uint8Array[] = [];
  protected used: number[] = [];
  /** The last chunk emptied, kept so that a frontier going back and forth over a chunk boundary
   *  does not allocate a chunk each time. */
  protected spare: Uint8Array | undefined;
  size = 0;

  /** Room for `need` bytes at the end: the index of the chunk that has it (its `used` is the offset). */
  protected reserve(need: number): number {
    const last = this.chunks.length - 1;
    if (last >= 0 && this.used[last] + need <= this.chunks[last].length) return last;
    const reuse = this.spare && this.spare.length >= need ? this.spare : undefined;
    this.spare = undefined;
    this.chunks.push(reuse ?? newChunk(need));
    this.used.push(0);
    return last + 1;
  }

  /** Drops an emptied chunk, keeping it as the spare. */
  protected release(chunk: Uint8Array): void {
    this.spare = chunk;
  }

  bytes(): number {
    let n = 0;
    for (const c of this.chunks) n += c.length;
    return n;
  }
}

/** FIFO: entries are [ord, depth, len, bytes...]; a chunk is dropped once read. */
export class ChunkedQueue extends Chunks implements Frontier {
  private readPos = 0;

  push(ord: number, depth: number, bytes: Uint8Array, len: number): void {
    const need = HEADER + len;
    const last = this.reserve(need);
    const c = this.chunks[last];
    const at = this.used[last];
    writeU32(c, at, ord);
    writeU32(c, at + 4, depth);
    writeU32(c, at + 8, len);
    copyIn(c, at + HEADER, bytes, len);
    this.used[last] = at + need;
    this.size++;
  }

  pop(out: FrontierEntry): boolean {
    if (this.size === 0) return false;
    while (this.readPos >= this.used[0]) {
      this.release(this.chunks.shift()!);
      this.used.shift();
      this.readPos = 0;
    }
    this.readPos = readEntry(this.chunks[0], this.readPos, out);
    this.size--;
    return true;
  }

  forEach(visit: (ord: number, depth: number, buf: Uint8Array, start: number, end: number) => void): void {
    this.chunks.forEach((c, k) => {
      for (let at = k === 0 ? this.readPos : 0; at < this.used[k]; ) {
        const len = readU32(c, at + 8);
        visit(readU32(c, at), readU32(c, at + 4), c, at + HEADER, at + HEADER + len);
        at += HEADER + len;
      }
    });
  }
}

/** LIFO: entries are [bytes..., ord, depth, len] so the top can be read backwards. */
export class ChunkedStack extends Chunks implements Frontier {
  push(ord: number, depth: number, bytes: Uint8Array, len: number): void {
    const need = HEADER + len;
    const last = this.reserve(need);
    const c = this.chunks[last];
    const at = this.used[last];
    copyIn(c, at, bytes, len);
    writeU32(c, at + len, ord);
    writeU32(c, at + len + 4, depth);
    writeU32(c, at + len + 8, len);
    this.used[last] = at + need;
    this.size++;
  }

  pop(out: FrontierEntry): boolean {
    if (this.size === 0) return false;
    let last = this.chunks.length - 1;
    while (this.used[last] === 0) {
      this.release(this.chunks.pop()!);
      this.used.pop();
      last--;
    }
    const c = this.chunks[last];
    const top = this.used[last];
    const len = readU32(c, top - 4);
    out.depth = readU32(c, top - 8);
    out.ord = readU32(c, top - 12);
    out.buf = c;
    out.start = top - HEADER - len;
    out.end = top - HEADER;
    this.used[last] = out.start;
    this.size--;
    return true;
  }

  forEach(visit: (ord: number, depth: number, buf: Uint8Array, start: number, end: number) => void): void {
    this.chunks.forEach((c, k) => {
      const tops: number[] = [];
      for (let top = this.used[k]; top > 0; top -= HEADER + readU32(c, top - 4)) tops.push(top);
      for (let i = tops.length - 1; i >= 0; i--) {
        const len = readU32(c, tops[i] - 4);
        visit(readU32(c, tops[i] - 12), readU32(c, tops[i] - 8), c, tops[i] - HEADER - len, tops[i] - HEADER);
      }
    });
  }
}

/** Reads the queue entry at `at` of chunk `c` into `out`; returns where the next entry starts. */
export function readEntry(c: Uint8Array, at: number, out: FrontierEntry): number {
  out.ord = readU32(c, at);
  out.depth = readU32(c, at + 4);
  const len = readU32(c, at + 8);
  out.buf = c;
  out.start = at + HEADER;
  out.end = at + HEADER + len;
  return out.end;
}
