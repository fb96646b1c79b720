// Frontiers that keep at most a budget of bytes in memory and write whole chunks of entries to files
// beyond it, reading them back in order: a queue for BFS (the middle of the queue goes to disk, its
// ends stay in memory) and a stack for DFS (the bottom goes to disk). Entries and their order are
// the same as in the in-memory ChunkedQueue and ChunkedStack, so the search sees the same states in
// the same order.
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { copyIn, HEADER, readEntry, readU32, writeU32, type Frontier, type FrontierEntry } from './frontier.ts';


/** A chunk of entries: in memory (`mem`), or written to `file` (then `mem` is undefined). */
interface Chunk {
  mem: Uint8Array | undefined;
  used: number;
  file: string | undefined;
}

export interface DiskFrontierOptions {
  /** Folder for the chunk files (it must exist; the caller removes it). */
  readonly dir: string;
  /** Bytes of chunks kept in memory at most (at least two chunks are always kept). */
  readonly budget: number;
  /** Size of a chunk (default 1 MiB); an entry longer than this gets a chunk of its own. */
  readonly chunkBytes?: number;
}

let files = 0;

abstract class DiskChunks {
  protected chunks: Chunk[] = [];
  protected inMemory = 0;
  protected readonly dir: string;
  protected readonly chunkBytes: number;
  protected readonly maxInMemory: number;
  /** Chunks written to disk so far, and bytes (for reports and tests). */
  spilledChunks = 0;
  size = 0;

  constructor(o: DiskFrontierOptions) {
    this.dir = o.dir;
    this.chunkBytes = o.chunkBytes ?? 1 << 20;
    this.maxInMemory = Math.max(2, Math.floor(o.budget / this.chunkBytes));
  }

  protected newChunk(need: number): Chunk {
    this.inMemory++;
    return { mem: new Uint8Array(Math.max(this.chunkBytes, need)), used: 0, file: undefined };
  }

  protected spill(c: Chunk): void {
    const file = join(this.dir, `frontier-${process.pid}-${++files}.bin`);
    const fd = openSync(file, 'w');
    try {
      let off = 0;
      while (off < c.used) off += writeSync(fd, c.mem!, off, c.used - off);
    } finally {
      closeSync(fd);
    }
    c.file = file;
    c.mem = undefined;
    this.inMemory--;
    this.spilledChunks++;
  }

  protected load(c: Chunk): void {
    const mem = new Uint8Array(Math.max(this.chunkBytes, c.used));
    const fd = openSync(c.file!, 'r');
    try {
      let off = 0;
      while (off < c.used) {
        const n = readSync(fd, mem, off, c.used - off, off);
        if (n === 0) throw new Error(`frontier file ${c.file} is shorter than written`);
        off += n;
      }
    } finally {
      closeSync(fd);
    }
    unlinkSync(c.file!);
    c.file = undefined;
    c.mem = mem;
    this.inMemory++;
  }

  /** Deletes the files of chunks still on disk. */
  dispose(): void {
    for (const c of this.chunks) if (c.file) unlinkSync(c.file);
    this.chunks = [];
    this.size = 0;
  }

  bytes(): number {
    let n = 0;
    for (const c of this.chunks) if (c.mem) n += c.mem.length;
    return n;
  }
}

/** FIFO, entries as in ChunkedQueue: [ord, depth, len, bytes...]. The first chunk (being read) and
 *  the last (being written) stay in memory; chunks in between go to disk beyond the budget. */
export class DiskQueue extends DiskChunks implements Frontier {
  private readPos = 0;

  push(ord: number, depth: number, bytes: Uint8Array, len: number): void {
    const need = HEADER + len;
    let last = this.chunks[this.chunks.length - 1];
    if (last === undefined || last.used + need > last.mem!.length) {
      // The previous last chunk is full: it goes to disk if memory is over budget (not the first one).
      if (last !== undefined && this.chunks.length > 1 && this.inMemory >= this.maxInMemory) this.spill(last);
      last = this.newChunk(need);
      this.chunks.push(last);
    }
    const c = last.mem!;
    const at = last.used;
    writeU32(c, at, ord);
    writeU32(c, at + 4, depth);
    writeU32(c, at + 8, len);
    copyIn(c, at + HEADER, bytes, len);
    last.used = at + need;
    this.size++;
  }

  pop(out: FrontierEntry): boolean {
    if (this.size === 0) return false;
    let first = this.chunks[0];
    while (this.readPos >= first.used) {
      this.chunks.shift();
      this.inMemory--;
      this.readPos = 0;
      first = this.chunks[0];
      if (first.mem === undefined) this.load(first);
    }
    this.readPos = readEntry(first.mem!, this.readPos, out);
    this.size--;
    return true;
  }

  forEach(visit: (ord: number, depth: number, buf: Uint8Array, start: number, end: number) => void): void {
    this.chunks.forEach((ch, k) => {
      const c = ch.mem ?? readChunk(ch);
      for (let at = k === 0 ? this.readPos : 0; at < ch.used; ) {
        const len = readU32(c, at + 8);
        visit(readU32(c, at), readU32(c, at + 4), c, at + HEADER, at + HEADER + len);
        at += HEADER + len;
      }
    });
  }
}

/** LIFO, entries as in ChunkedStack: [bytes..., ord, depth, len]. The top chunks stay in memory; the
 *  lowest chunk in memory goes to disk when a new one would pass the budget. */
export class DiskStack extends DiskChunks implements Frontier {
  push(ord: number, depth: number, bytes: Uint8Array, len: number): void {
    const need = HEADER + len;
    let top = this.chunks[this.chunks.length - 1];
    if (top === undefined || top.used + need > top.mem!.length) {
      if (this.inMemory >= this.maxInMemory) {
        const lowest = this.chunks.find((c) => c.mem !== undefined);
        if (lowest) this.spill(lowest);
      }
      top = this.newChunk(need);
      this.chunks.push(top);
    }
    const c = top.mem!;
    const at = top.used;
    copyIn(c, at, bytes, len);
    writeU32(c, at + len, ord);
    writeU32(c, at + len + 4, depth);
    writeU32(c, at + len + 8, len);
    top.used = at + need;
    this.size++;
  }

  pop(out: FrontierEntry): boolean {
    if (this.size === 0) return false;
    let top = this.chunks[this.chunks.length - 1];
    while (top.used === 0) {
      this.chunks.pop();
      this.inMemory--;
      top = this.chunks[this.chunks.length - 1];
      if (top.mem === undefined) this.load(top);
    }
    const c = top.mem!;
    const end = top.used;
    const len = readU32(c, end - 4);
    out.depth = readU32(c, end - 8);
    out.ord = readU32(c, end - 12);
    out.buf = c;
    out.start = end - HEADER - len;
    out.end = end - HEADER;
    top.used = out.start;
    this.size--;
    return true;
  }

  forEach(visit: (ord: number, depth: number, buf: Uint8Array, start: number, end: number) => void): void {
    for (const ch of this.chunks) stackChunkForEach(ch.mem ?? readChunk(ch), ch.used, visit);
  }
}

/** The entries of one stack chunk, bottom first (they can only be found from the top down). */
export function stackChunkForEach(c: Uint8Array, used: number, visit: (ord: number, depth: number, buf: Uint8Array, start: number, end: number) => void): void {
  const tops: number[] = [];
  for (let top = used; top > 0; top -= HEADER + readU32(c, top - 4)) tops.push(top);
  for (let k = tops.length - 1; k >= 0; k--) {
    const top = tops[k];
    const len = readU32(c, top - 4);
    visit(readU32(c, top - 12), readU32(c, top - 8), c, top - HEADER - len, top - HEADER);
  }
}

function readChunk(ch: Chunk): Uint8Array {
  const mem = new Uint8Array(ch.used);
  const fd = openSync(ch.file!, 'r');
  try {
    let off = 0;
    while (off < ch.used) off += readSync(fd, mem, off, ch.used - off, off);
  } finally {
    closeSync(fd);
  }
  return mem;
}
