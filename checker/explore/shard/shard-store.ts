// The visited set and frontier of one exhaustive shard, plugged into the one search loop
// (search.ts's `store` and `frontier` options). The store keeps the states this shard owns; a
// successor owned by another shard is handed to the frontier as FOREIGN, and the frontier puts it in
// that shard's outbox instead of queueing it. The frontier is level-synchronous: it gives out the
// states of the current level only, so the loop ends at each level's end and the shard driver
// exchanges states with the other shards before the next level starts.
import { CompactFpSet } from '../compact-fp-set.ts';
import { NO_PARENT, type FingerprintSet } from '../fp-set.ts';
import { ChunkedQueue, type Frontier, type FrontierEntry } from '../frontier.ts';
import { Outbox } from './exchange.ts';

const SENT_BITS = 18;
const SENT_SLOTS = 1 << SENT_BITS;

/** The ordinal the store gives a successor that another shard owns. */
export const FOREIGN = 0x7ffffffe;

/** Which shard (0-based) owns a fingerprint: a mix of its high lane (the table probes by the low one). */
export function ownerOf(hi: number, count: number): number {
  let h = Math.imul(hi ^ (hi >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return ((h ^ (h >>> 16)) >>> 0) % count;
}

export class ShardStore implements FingerprintSet {
  private readonly inner = new CompactFpSet();
  /** The parent's shard (0-based) of each owned state, by ordinal, in chunks. */
  private readonly parentShards: Uint16Array[] = [];
  /** Initial states owned by other shards, met here too (each shard computes every initial state). */
  foreignInits = 0;
  /** The last foreign successor: its owner, fingerprint and parent (read by the frontier's push). */
  readonly foreign = { owner: 0, hi: 0, lo: 0, parent: 0 };
  /** Ordinals whose parent records have been written to the exchange. */
  recorded = 0;
  /** Foreign successors sent lately, in a direct-mapped cache (a newer one overwrites an older in
   *  its slot): a state met again is not sent again. Sending one twice is harmless (its owner keeps
   *  it once), so a lossy cache of bounded size does, without a set that grows with the level. */
  private readonly sentHi = new Uint32Array(SENT_SLOTS);
  private readonly sentLo = new Uint32Array(SENT_SLOTS);

  constructor(
    readonly me: number,
    readonly count: number,
  ) {}

  get size(): number {
    return this.inner.size;
  }

  insert(hi: number, lo: number, parent: number): number {
    const owner = ownerOf(hi, this.count);
    if (owner !== this.me) {
      if (parent === NO_PARENT) {
        this.foreignInits++;
        return -1;
      }
      const slot = (Math.imul(lo ^ hi, 0x9e3779b1) >>> 0) >>> (32 - SENT_BITS);
      if (this.sentLo[slot] === lo && this.sentHi[slot] === hi && (lo | hi) !== 0) return -1;
      this.sentLo[slot] = lo;
      this.sentHi[slot] = hi;
      const f = this.foreign;
      f.owner = owner;
      f.hi = hi;
      f.lo = lo;
      f.parent = parent;
      return FOREIGN;
    }
    return this.insertFrom(hi, lo, this.me, parent);
  }

  /** Adds an owned state whose parent is ordinal `parent` of shard `shard` (0-based). */
  insertFrom(hi: number, lo: number, shard: number, parent: number): number {
    const ord = this.inner.insert(hi, lo, parent);
    if (ord < 0) return ord;
    const c = ord >>> 16;
    if (c === this.parentShards.length) this.parentShards.push(new Uint16Array(1 << 16));
    this.parentShards[c][ord & 0xffff] = shard;
    return ord;
  }

  find(hi: number, lo: number): number {
    return this.inner.find(hi, lo);
  }
  parentOf(ord: number): number {
    return this.inner.parentOf(ord);
  }
  parentShardOf(ord: number): number {
    return this.parentShards[ord >>> 16][ord & 0xffff];
  }
  hiOf(ord: number): number {
    return this.inner.hiOf(ord);
  }
  loOf(ord: number): number {
    return this.inner.loOf(ord);
  }
  bytes(): number {
    return this.inner.bytes() + 8 * SENT_SLOTS + this.parentShards.length * (1 << 17);
  }

  /** The parent records (16 bytes each) of the states added since the last call. */
  takeRecords(): Uint8Array {
    const from = this.recorded;
    const to = this.inner.size;
    const b = Buffer.allocUnsafe((to - from) * 16);
    for (let o = from, at = 0; o < to; o++, at += 16) {
      b.writeUInt32LE(this.inner.loOf(o) >>> 0, at);
      b.writeUInt32LE(this.inner.hiOf(o) >>> 0, at + 4);
      b.writeUInt32LE(this.parentShardOf(o), at + 8);
      b.writeUInt32LE(this.inner.parentOf(o) >>> 0, at + 12);
    }
    this.recorded = to;
    return b;
  }
}

/** The current level's states, the next level's, and the outboxes of the other shards. */
export class ShardFrontier implements Frontier {
  private current = new ChunkedQueue();
  private next = new ChunkedQueue();
  readonly outboxes: Outbox[];
  /** The depth of the states being expanded. */
  level = 0;

  constructor(private readonly store: ShardStore) {
    this.outboxes = Array.from({ length: store.count }, () => new Outbox());
  }

  push(ord: number, depth: number, bytes: Uint8Array, len: number): void {
    if (ord === FOREIGN) {
      const f = this.store.foreign;
      this.outboxes[f.owner].add(f.hi, f.lo, f.parent, bytes, len);
      return;
    }
    (depth === this.level ? this.current : this.next).push(ord, depth, bytes, len);
  }

  pop(out: FrontierEntry): boolean {
    return this.current.pop(out);
  }

  /** States kept for the next level so far. */
  get kept(): number {
    return this.next.size;
  }

  /** Queues a state received from another shard for the next level. */
  receive(ord: number, bytes: Uint8Array, len: number): void {
    this.next.push(ord, this.level + 1, bytes, len);
  }

  /** Moves on to the next level. */
  advance(): void {
    const empty = this.current;
    this.current = this.next;
    this.next = empty;
    this.level++;
  }

  get size(): number {
    return this.current.size + this.next.size;
  }
  bytes(): number {
    return this.current.bytes() + this.next.bytes();
  }
}
