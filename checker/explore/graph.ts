// The explored state graph, kept for liveness: for each expanded state the range of its edges, and
// for each edge the successor's ordinal and the action instance that took it, in chunked typed
// arrays (no object per edge). Self-loops are not kept: a step that leaves the state as it is is a
// stuttering step, which every state may take anyway and which fairness ignores.

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

/** A growable array of 32-bit unsigned integers in chunks of 64 Ki entries. */
export class ChunkedU32 {
  chunks: Uint32Array[] = [];
  length = 0;
  push(v: number): void {
    const c = this.length >>> CHUNK_BITS;
    if (c === this.chunks.length) this.chunks.push(new Uint32Array(CHUNK));
    this.chunks[c][this.length & MASK] = v;
    this.length++;
  }
  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS][i & MASK];
  }
  set(i: number, v: number): void {
    while (i >>> CHUNK_BITS >= this.chunks.length) this.chunks.push(new Uint32Array(CHUNK));
    this.chunks[i >>> CHUNK_BITS][i & MASK] = v;
    if (i >= this.length) this.length = i + 1;
  }
  bytes(): number {
    return this.chunks.length * CHUNK * 4;
  }
}

/** Marks "not expanded" in the row table. */
const UNEXPANDED = 0xffffffff;

export class StateGraph {
  /** Per state: index of its first edge (UNEXPANDED when it was never expanded) and the edge count. */
  private readonly rowStart = new ChunkedU32();
  private readonly rowCount = new ChunkedU32();
  private readonly targets = new ChunkedU32();
  private readonly insts = new ChunkedU32();
  private cur = -1;
  /** Number of states known (the largest ordinal seen, plus one). */
  states = 0;

  /** Starts the edges of state `ord` (each state is expanded once). */
  begin(ord: number): void {
    this.cur = ord;
    this.grow(ord + 1);
    this.rowStart.set(ord, this.targets.length);
    this.rowCount.set(ord, 0);
  }

  /** An edge from the state being expanded. */
  add(to: number, inst: number): void {
    const from = this.cur;
    if (to === from) return;
    this.grow(to + 1);
    this.targets.push(to);
    this.insts.push(inst);
    this.rowCount.set(from, this.rowCount.get(from) + 1);
  }

  private grow(n: number): void {
    while (this.states < n) {
      this.rowStart.set(this.states, UNEXPANDED);
      this.rowCount.set(this.states, 0);
      this.states++;
    }
  }

  expanded(v: number): boolean {
    return v < this.states && this.rowStart.get(v) !== UNEXPANDED;
  }
  /** First edge index of v (only for expanded states). */
  start(v: number): number {
    return this.rowStart.get(v);
  }
  end(v: number): number {
    return this.rowStart.get(v) + this.rowCount.get(v);
  }
  target(e: number): number {
    return this.targets.get(e);
  }
  inst(e: number): number {
    return this.insts.get(e);
  }
  get edges(): number {
    return this.targets.length;
  }
  bytes(): number {
    return this.rowStart.bytes() + this.rowCount.bytes() + this.targets.bytes() + this.insts.bytes();
  }
}

/** The graph in flat arrays (compressed sparse rows), for the analysis once the search is over:
 *  the edges of state v are off[v] .. off[v+1]-1. */
export class FlatGraph {
  constructor(
    readonly n: number,
    readonly off: Uint32Array,
    readonly tgt: Uint32Array,
    readonly ins: Uint32Array,
    readonly inits: readonly number[],
  ) {}
  start(v: number): number {
    return this.off[v];
  }
  end(v: number): number {
    return this.off[v + 1];
  }
  target(e: number): number {
    return this.tgt[e];
  }
  inst(e: number): number {
    return this.ins[e];
  }
}

/** Flattens the first `n` states of a state graph (unexpanded states get no edges), releasing the
 *  graph's chunks as they are copied so that memory stays near one copy. */
export function flatten(g: StateGraph, n: number, inits: readonly number[]): FlatGraph {
  const off = new Uint32Array(n + 1);
  let e = 0;
  for (let v = 0; v < n; v++) {
    off[v] = e;
    if (g.expanded(v)) e += g.end(v) - g.start(v);
  }
  off[n] = e;
  const tgt = new Uint32Array(e);
  const ins = new Uint32Array(e);
  let k = 0;
  for (let v = 0; v < n; v++) {
    if (!g.expanded(v)) continue;
    for (let x = g.start(v); x < g.end(v); x++) {
      tgt[k] = g.target(x);
      ins[k] = g.inst(x);
      k++;
    }
  }
  return new FlatGraph(n, off, tgt, ins, inits);
}

/** One bit per state per predicate, chunked. */
export class PredicateBits {
  private readonly words: ChunkedU32;
  private readonly perState: number;
  constructor(readonly count: number) {
    this.perState = Math.max(1, Math.ceil(count / 32));
    this.words = new ChunkedU32();
  }
  set(ord: number, k: number): void {
    const i = ord * this.perState + (k >>> 5);
    this.words.set(i, (i < this.words.length ? this.words.get(i) : 0) | (1 << (k & 31)));
  }
  /** Marks ord as evaluated (so its words exist) without setting any bit. */
  touch(ord: number): void {
    const last = (ord + 1) * this.perState - 1;
    if (last >= this.words.length) this.words.set(last, 0);
  }
  get(ord: number, k: number): boolean {
    const i = ord * this.perState + (k >>> 5);
    return i < this.words.length && (this.words.get(i) & (1 << (k & 31))) !== 0;
  }
  bytes(): number {
    return this.words.bytes();
  }
}
