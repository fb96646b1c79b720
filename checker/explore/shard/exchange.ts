// The files through which exhaustive shards exchange states (`check --shard i/n --exchange DIR`),
// on a filesystem every shard can read and write. Nothing else is shared: no server, no socket.
//
//   DIR/shard-<i>.json            who shard i is (model hash, shard count), written at its start
//   DIR/parents-<i>.bin           shard i's visited states in ordinal order, 16 bytes each
//                                 (fingerprint lo, hi, parent's shard, parent's ordinal): appended
//                                 before each level's marker, read to rebuild counterexamples
//   DIR/level-<L>/<i>-<j>.bin     the successors of shard i's level-L states that shard j owns
//                                 (fingerprint, parent ordinal, encoded state); deleted by j once read
//   DIR/level-<L>/done-<i>.json   shard i's marker for level L: what it sent to whom, how many states
//                                 it keeps for level L+1, or that it stopped (and why)
//
// Every file is written under a temporary name and renamed, so a reader sees it whole or not at all;
// a marker is renamed into place only after the shard's outboxes and parent records are written.
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Marker {
  /** States sent to each shard (index 0 is shard 1). */
  readonly sent: readonly number[];
  /** States this shard keeps for the next level from its own successors. */
  readonly kept: number;
  /** 'continue', or 'stop' when the shard ended early (a violation with stopAtFirst, a spec error,
   *  a limit, an interruption): the others stop too. */
  readonly status: 'continue' | 'stop';
  readonly reason?: string;
}

export interface Identity {
  readonly index: number;
  readonly count: number;
  readonly modelHash: string;
}

/** Writes `data` to `file` atomically (a temporary name in the same folder, then a rename). */
function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** A growable byte buffer of records for one destination. */
export class Outbox {
  private buf = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  count = 0;

  add(hi: number, lo: number, parent: number, bytes: Uint8Array, len: number): void {
    const need = 16 + len;
    if (this.used + need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + need));
      this.buf.copy(next, 0, 0, this.used);
      this.buf = next;
    }
    const b = this.buf;
    b.writeUInt32LE(hi >>> 0, this.used);
    b.writeUInt32LE(lo >>> 0, this.used + 4);
    b.writeUInt32LE(parent >>> 0, this.used + 8);
    b.writeUInt32LE(len, this.used + 12);
    b.set(bytes.subarray(0, len), this.used + 16);
    this.used += need;
    this.count++;
  }

  take(): Buffer {
    const out = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(1 << 16);
    this.used = 0;
    this.count = 0;
    return out;
  }
}

/** Calls `f(hi, lo, parent, bytes, len)` for each record of an outbox file's contents. */
export function forEachRecord(data: Buffer, f: (hi: number, lo: number, parent: number, bytes: Uint8Array, len: number) => void): void {
  let at = 0;
  while (at < data.length) {
    const len = data.readUInt32LE(at + 12);
    f(data.readUInt32LE(at), data.readUInt32LE(at + 4), data.readUInt32LE(at + 8), data.subarray(at + 16, at + 16 + len), len);
    at += 16 + len;
  }
}

export class Exchange {
  private readonly fds = new Map<number, number>();
  /** The last level whose marker this shard wrote (-1: none yet). */
  lastLevel = -1;

  constructor(
    readonly dir: string,
    readonly me: Identity,
  ) {}

  private levelDir(level: number): string {
    return join(this.dir, `level-${level}`);
  }

  /** Announces this shard; false when the folder already holds this shard's files of an earlier run. */
  start(): boolean {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `shard-${this.me.index}.json`);
    if (existsSync(file) || existsSync(this.parentsFile(this.me.index))) return false;
    writeFileSync(this.parentsFile(this.me.index), new Uint8Array(0));
    writeAtomic(file, JSON.stringify(this.me));
    return true;
  }

  /** The identities of the shards that have started (by index). */
  identities(): Map<number, Identity> {
    const out = new Map<number, Identity>();
    for (let i = 1; i <= this.me.count; i++) {
      const file = join(this.dir, `shard-${i}.json`);
      if (!existsSync(file)) continue;
      try {
        out.set(i, JSON.parse(readFileSync(file, 'utf8')) as Identity);
      } catch {
        // Not readable yet: looked at again on the next poll.
      }
    }
    return out;
  }

  parentsFile(index: number): string {
    return join(this.dir, `parents-${index}.bin`);
  }

  /** Appends parent records (16 bytes each, see the file comment). */
  appendParents(records: Uint8Array): void {
    if (records.length) appendFileSync(this.parentsFile(this.me.index), records);
  }

  /** One 16-byte parent record of shard `index` (ordinal `ord`), or undefined past its end. */
  readParent(index: number, ord: number): { lo: number; hi: number; shard: number; parent: number } | undefined {
    let fd = this.fds.get(index);
    if (fd === undefined) {
      fd = openSync(this.parentsFile(index), 'r');
      this.fds.set(index, fd);
    }
    const b = Buffer.alloc(16);
    if (readSync(fd, b, 0, 16, ord * 16) !== 16) return undefined;
    return { lo: b.readUInt32LE(0), hi: b.readUInt32LE(4), shard: b.readUInt32LE(8), parent: b.readUInt32LE(12) };
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  /** Writes this shard's outboxes for `level` and then its marker. */
  finishLevel(level: number, outboxes: readonly Outbox[], kept: number, stop?: string): void {
    const dir = this.levelDir(level);
    mkdirSync(dir, { recursive: true });
    const sent = outboxes.map((o) => o.count);
    outboxes.forEach((o, j) => {
      if (o.count > 0) writeAtomic(join(dir, `${this.me.index}-${j + 1}.bin`), o.take());
    });
    const marker: Marker = { sent, kept, status: stop === undefined ? 'continue' : 'stop', ...(stop !== undefined ? { reason: stop } : {}) };
    writeAtomic(join(dir, `done-${this.me.index}.json`), JSON.stringify(marker));
    this.lastLevel = Math.max(this.lastLevel, level);
  }

  /** The markers of `level` present so far (by shard index). */
  markers(level: number): Map<number, Marker> {
    const out = new Map<number, Marker>();
    const dir = this.levelDir(level);
    for (let i = 1; i <= this.me.count; i++) {
      const file = join(dir, `done-${i}.json`);
      if (!existsSync(file)) continue;
      out.set(i, JSON.parse(readFileSync(file, 'utf8')) as Marker);
    }
    return out;
  }

  /** Reads (and then deletes) the states shard `from` sent this shard at `level`. */
  takeInbox(level: number, from: number): Buffer {
    const file = join(this.levelDir(level), `${from}-${this.me.index}.bin`);
    const data = readFileSync(file);
    rmSync(file, { force: true });
    return data;
  }
}
