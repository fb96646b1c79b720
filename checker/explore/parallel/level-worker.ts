// One worker of the parallel search: takes blocks of a BFS level's states, checks them and expands
// them, stores their successors in the shared table, and keeps the ones it stored as candidates
// until the level ends. Runs in a worker thread (worker.ts) or, for small levels, in the main thread.
import { BitWriter } from '../../core/bits.ts';
import { codecFor, type Codec } from '../../core/codegen.ts';
import { SpecError } from '../../core/errors.ts';
import { fingerprint } from '../../core/fingerprint.ts';
import { OUT_OF_TYPE } from '../../core/types.ts';
import type { CompiledAction, Invariant, Label, Model, StepProperty } from '../../core/spec.ts';
import { ChunkedQueue, type FrontierEntry } from '../frontier.ts';
import { guarded, resetGuards, clock } from '../guard.ts';
import { withTimeout } from '../timeout.ts';
import { checkActions, CheckRun, expandAll, holdsInvariant, holdsStep, isTerminal, outsideType, stepTimeoutError, unencodable, withinConstraints } from '../search.ts';
import { PRESENT, SharedDense, SharedTable } from './shared-table.ts';
import { BLOCK_WORDS, CTL, DEADLOCK_SUB, NOT_SETTLED, type Command, type ExpandCommand, type FoundViolation, type Reply, type SerializedSpecError, type WorkerSettings } from './protocol.ts';

/** Most states in one block of the next level. */
export const BLOCK_STATES = 256;
const SLICE_MS = 100;
/** A worker adds its stored count to the shared one at least every this many states. */
export const FLUSH_EVERY = 64;

interface Best {
  faults: number;
  ord: number;
  sub: number;
  firstOrd: number;
  firstSub: number;
}

function before(o1: number, s1: number, o2: number, s2: number): boolean {
  return o1 < o2 || (o1 === o2 && s1 < s2);
}

export class LevelWorker {
  private readonly codec: Codec<unknown>;
  private readonly writer = new BitWriter(1024);
  private readonly fp = { hi: 0, lo: 0 };
  private readonly control: Int32Array;
  private readonly actions: readonly CompiledAction<unknown>[];
  private readonly invariants: Invariant<unknown>[];
  private readonly steps: StepProperty<unknown>[];
  private readonly constraints: Invariant<unknown>[];
  private readonly nProps: number;
  private readonly dense = new SharedDense();
  private table!: SharedTable;
  private growAt = 0;
  private level!: ExpandCommand;
  private blocks!: Int32Array;
  private segments: Uint8Array[] = [];
  private active: boolean[] = [];
  private readonly tally = { action: -1 };

  // The level's results so far.
  private best = new Map<number, Best>();
  private generated = 0;
  private genFlushed = 0;
  private actionSteps: number[];
  private depthBounded = false;
  private constrained = false;
  private error: SerializedSpecError | undefined;

  // Candidates: the successors this worker stored (or relinked), in the order it found them.
  private cand = new ChunkedQueue();
  private candHi: number[] = [];
  private candLo: number[] = [];
  private candParent: number[] = [];
  private candBlock: number[] = [];
  private candLen: number[] = [];
  private wonBytes = 0;
  private won: Uint8Array = new Uint8Array(0);
  private blocksDone: number[] = [];

  // Where the expansion stands (it pauses for the table to grow, and resumes).
  private block = -1;
  private pos = 0;
  private k = 0;
  private inserts = 0;
  // Run again in order (settings.limitNew, settings.stopAtFirst): where it stops.
  private storedNew = 0;
  private cut: 'state-limit' | 'stopped' | undefined;
  private stopNow = false;
  private limitHit = false;
  private expandedHere = 0;
  private unexpanded = 0;
  private maxSuccessors = 0;

  // The state being expanded.
  private cur: unknown;
  private curOrd = -1;
  private emitted = 0;
  /** The bytes of the state being expanded, while its actions run (for codec.encodeDelta). */
  private baseBytes: Uint8Array | undefined;
  private baseStart = 0;
  private baseEnd = 0;
  private successors = 0;
  private readonly checkRun: { run?: CheckRun } = {};

  constructor(private readonly model: Model, private readonly settings: WorkerSettings, control: SharedArrayBuffer) {
    this.codec = codecFor(model.type);
    this.control = new Int32Array(control);
    this.actions = model.actions;
    this.invariants = settings.invariants.map((i) => model.invariants[i]);
    this.steps = settings.steps.map((i) => model.steps[i]);
    this.constraints = settings.constraints.map((i) => (model.constraints ?? [])[i]);
    this.nProps = this.invariants.length + this.steps.length + 1;
    this.actionSteps = new Array<number>(this.actions.length).fill(0);
  }

  /** Runs one command; the reply (undefined for close and for commands that answer nothing). */
  handle(cmd: Command): Reply | undefined {
    switch (cmd.type) {
      case 'expand':
        this.startLevel(cmd);
        return this.expand();
      case 'resume':
        this.begin(cmd);
        return this.expand();
      case 'count':
        return this.count();
      case 'finalize':
        return this.finalize(cmd.bases, cmd.dense);
      case 'close':
        return undefined;
    }
  }

  private startLevel(cmd: ExpandCommand): void {
    this.level = cmd;
    this.table = new SharedTable(cmd.table);
    this.growAt = cmd.growAt;
    this.blocks = new Int32Array(cmd.blocks);
    this.segments = cmd.segments.map((b) => new Uint8Array(b));
    this.active = [...cmd.active];
    this.best.clear();
    this.generated = 0;
    this.genFlushed = 0;
    this.actionSteps.fill(0);
    this.depthBounded = false;
    this.constrained = false;
    this.error = undefined;
    this.blocksDone = [];
    this.block = -1;
    this.inserts = 0;
    this.storedNew = 0;
    this.cut = undefined;
    this.stopNow = false;
    this.limitHit = false;
    this.expandedHere = 0;
    this.unexpanded = 0;
    this.maxSuccessors = 0;
    this.cand = new ChunkedQueue();
    this.candHi = [];
    this.candLo = [];
    this.candParent = [];
    this.candBlock = [];
    this.candLen = [];
  }

  /** Takes blocks until none is left, the search stops, or the table must grow. */
  private expand(): Reply {
    for (;;) {
      const r = this.slice();
      if (r) return r;
    }
  }

  /** Starts an expand or resume command without running it (the main thread runs it in slices). */
  begin(cmd: Command & { type: 'expand' | 'resume' }): void {
    if (cmd.type === 'expand') this.startLevel(cmd);
    else {
      this.table = new SharedTable(cmd.table);
      this.growAt = cmd.growAt;
    }
  }

  /** Runs the expansion for about a tenth of a second: the reply when it is over, else undefined. */
  slice(): Reply | undefined {
    const timeout = this.settings.stepTimeoutMs;
    let state: 'more' | 'done' | 'paused';
    try {
      const slice = (): 'more' | 'done' | 'paused' => guarded(() => this.run(clock.now() + SLICE_MS));
      if (timeout === undefined) state = slice();
      else {
        const out = withTimeout(slice, timeout + SLICE_MS);
        if (out.timedOut) {
          resetGuards();
          const action = this.tally.action >= 0 ? this.actions[this.tally.action] : undefined;
          throw stepTimeoutError(this.model, action, this.curOrd >= 0, this.cur, timeout);
        }
        state = out.value!;
      }
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      this.error = { code: e.code, message: e.message, detail: { action: e.detail.action, state: e.detail.state, hint: e.detail.hint }, ord: this.curOrd };
      for (let seen = Atomics.load(this.control, CTL.errorBlock); this.block < seen; ) {
        const was = Atomics.compareExchange(this.control, CTL.errorBlock, seen, this.block);
        if (was === seen) break;
        seen = was;
      }
      state = 'done';
    }
    if (state === 'more') return undefined;
    this.flushInserts();
    if (state === 'paused') return { type: 'expanded', paused: true, violations: [] };
    const violations: FoundViolation[] = [];
    for (const [property, b] of this.best) violations.push({ property, ...b });
    return {
      type: 'expanded',
      paused: false,
      stats: { ...(this.cut ? { cut: this.cut } : {}), generated: this.generated, actionSteps: [...this.actionSteps], depthBounded: this.depthBounded, constrained: this.constrained, unexpanded: this.unexpanded, maxSuccessors: this.maxSuccessors },
      violations,
      error: this.error,
    };
  }

  private flushInserts(): void {
    if (this.inserts !== 0) Atomics.add(this.control, CTL.inserts, this.inserts);
    if (this.generated !== this.genFlushed) Atomics.add(this.control, CTL.generated, this.generated - this.genFlushed);
    this.inserts = 0;
    this.genFlushed = this.generated;
  }

  private run(deadline: number): 'more' | 'done' | 'paused' {
    const ctl = this.control;
    for (let n = 0; ; n++) {
      if (this.block < 0 || this.k === this.blocks[this.block * BLOCK_WORDS + 3]) {
        if (Atomics.load(ctl, CTL.stop) !== 0 || this.error) return 'done';
        const taken = Atomics.add(ctl, CTL.next, 1);
        const nBlocks = this.level.nBlocks;
        if (taken >= nBlocks) return 'done';
        const b = this.settings.reverseBlocks ? nBlocks - 1 - taken : taken;
        if (b > Atomics.load(ctl, CTL.errorBlock)) return 'done';
        this.block = b;
        this.blocksDone.push(b);
        this.pos = this.blocks[b * BLOCK_WORDS + 1];
        this.k = 0;
      }
      if ((n & (FLUSH_EVERY - 1)) === 0) {
        this.flushInserts();
        if (Atomics.load(ctl, CTL.stop) !== 0) return 'done';
        if (clock.now() >= deadline) return 'more';
      }
      if (Atomics.load(ctl, CTL.grow) !== 0) return 'paused';
      if (Atomics.load(ctl, CTL.inserts) + this.inserts > this.growAt) {
        Atomics.store(ctl, CTL.grow, 1);
        return 'paused';
      }
      const d = this.block * BLOCK_WORDS;
      const seg = this.segments[this.blocks[d]];
      const p = this.pos;
      const len = seg[p] | (seg[p + 1] << 8) | (seg[p + 2] << 16) | (seg[p + 3] << 24);
      const ord = this.blocks[d + 2] + this.k;
      this.pos = p + 4 + len;
      this.k++;
      this.expandOne(ord, seg, p + 4, p + 4 + len);
      this.curOrd = -1;
      if (this.cut) return 'done';
    }
  }

  /** True while property `i` must still be checked at state `ord` (not settled by a state before it). */
  private live(i: number, ord: number): boolean {
    return this.active[i] && Atomics.load(this.control, CTL.settled + i) >= ord;
  }

  /** Records a violation of property `i` at (ord, sub) with `faults` faults. */
  private record(i: number, ord: number, sub: number, faults: number): void {
    const b = this.best.get(i);
    if (faults === 0 && this.settings.stopAtFirst) this.stopNow = true;
    if (faults === 0) {
      // Settled: no state after this one needs to check the property (an atomic minimum).
      const at = CTL.settled + i;
      for (let seen = Atomics.load(this.control, at); ord < seen; ) {
        const was = Atomics.compareExchange(this.control, at, seen, ord);
        if (was === seen) break;
        seen = was;
      }
    }
    if (!b) {
      this.best.set(i, { faults, ord, sub, firstOrd: faults ? ord : NOT_SETTLED, firstSub: faults ? sub : 0 });
      return;
    }
    if (faults !== 0 && before(ord, sub, b.firstOrd, b.firstSub)) {
      b.firstOrd = ord;
      b.firstSub = sub;
    }
    if (faults < b.faults || (faults === b.faults && before(ord, sub, b.ord, b.sub))) {
      b.faults = faults;
      b.ord = ord;
      b.sub = sub;
    }
  }

  private faultsOf(s: unknown): number {
    return this.settings.faults ? (this.model.faultsUsed?.(s) ?? 0) : 0;
  }

  private expandOne(ord: number, buf: Uint8Array, start: number, end: number): void {
    const model = this.model;
    const depth = this.level.depth;
    const s = this.codec.decode(buf, start, end);
    this.cur = s;
    this.curOrd = ord;
    const invariants = this.invariants;
    for (let i = 0; i < invariants.length; i++) {
      if (this.live(i, ord) && !holdsInvariant(model, invariants[i], s)) this.record(i, ord, -1, this.faultsOf(s));
    }
    // --stop-at-first: the one-thread search stops before expanding the violating state.
    if (this.stopNow) {
      this.cut = 'stopped';
      return;
    }
    if (depth >= this.settings.maxDepth) {
      this.depthBounded = true;
      return;
    }
    if (depth === 0 && this.constraints.length !== 0 && !withinConstraints(model, this.constraints, s)) {
      this.constrained = true;
      this.unexpanded++;
      return;
    }
    if (depth === 0 ? this.expandedHere < this.settings.checkFirst : ord < this.level.checkBelow) {
      checkActions(model, buf.slice(start, end), (run) => (this.checkRun.run = run), this.checkEmit, this.tally);
    }
    this.successors = 0;
    this.emitted = 0;
    this.expandedHere++;
    if (this.codec.encodeDelta !== undefined) {
      this.baseBytes = buf;
      this.baseStart = start;
      this.baseEnd = end;
    }
    try {
      expandAll(model, this.actions, s, this.emit, this.tally);
    } finally {
      this.baseBytes = undefined;
    }
    this.tally.action = -1;
    if (this.emitted > this.maxSuccessors) this.maxSuccessors = this.emitted;
    const dl = this.nProps - 1;
    if (this.successors === 0 && this.settings.deadlock && this.live(dl, ord) && !isTerminal(model, s)) this.record(dl, ord, DEADLOCK_SUB, this.faultsOf(s));
    if (this.stopNow) this.cut = 'stopped';
    else if (this.limitHit) this.cut = 'state-limit';
  }

  private encode(s: unknown, label: Label): number {
    try {
      // Successors that share fields with the state being expanded (spreads) copy those fields'
      // bits from its bytes (the same bytes as a whole encoding).
      if (this.baseBytes !== undefined) return this.codec.encodeDelta!(s, this.cur, this.baseBytes, this.baseStart, this.writer);
      return this.codec.encode(s, this.writer);
    } catch (e) {
      if (e !== OUT_OF_TYPE) throw unencodable(this.model, label, s, e);
      throw outsideType(this.model, label, this.model.type.explain(s, 'state') ?? 'the state does not fit its declared type', s);
    }
  }

  private readonly checkEmit = (label: Label, next: unknown): void => {
    let why: string | undefined;
    try {
      why = this.model.type.explain(next, 'state');
    } catch (e) {
      throw unencodable(this.model, label, next, e);
    }
    if (why !== undefined) throw outsideType(this.model, label, why, next);
    const len = this.encode(next, label);
    fingerprint(this.writer.buf, len, this.fp);
    this.checkRun.run!.push(label, this.fp.hi, this.fp.lo);
  };

  private readonly emit = (label: Label, next: unknown): void => {
    const sub = this.emitted++;
    if (label.fault === undefined) this.successors++;
    this.actionSteps[this.tally.action]++;
    this.generated++;
    const writer = this.writer;
    const len = this.encode(next, label);
    let after: unknown;
    if (this.constraints.length !== 0) {
      after = this.codec.decode(writer.buf, 0, len);
      if (!withinConstraints(this.model, this.constraints, after)) {
        this.constrained = true;
        const inv = this.invariants;
        for (let i = 0; i < inv.length; i++) {
          if (this.live(i, this.curOrd) && !holdsInvariant(this.model, inv[i], after)) this.record(i, this.curOrd, sub, this.faultsOf(after));
        }
        this.checkSteps(label, after, sub);
        return;
      }
    }
    if (this.baseBytes !== undefined && len === this.baseEnd - this.baseStart && sameBytes(writer.buf, this.baseBytes, this.baseStart, len)) {
      // A step back to the state being expanded (a self-loop), stored already: no lookup.
      if (this.steps.length !== 0) this.checkSteps(label, after ?? this.codec.decode(writer.buf, 0, len), sub);
      return;
    }
    const fp = this.fp;
    fingerprint(writer.buf, len, fp);
    const limit = this.settings.limitNew;
    if (limit !== undefined && this.storedNew >= limit && this.table.parentOf(fp.hi, fp.lo) < 0) {
      // A new state beyond the limit: not stored, and the level stops after this expansion.
      this.limitHit = true;
      return;
    }
    if (this.table.insert(fp.hi, fp.lo, this.curOrd) !== PRESENT) {
      this.storedNew++;
      this.inserts++;
      this.cand.push(this.curOrd, 0, writer.buf, len);
      this.candHi.push(fp.hi);
      this.candLo.push(fp.lo);
      this.candParent.push(this.curOrd);
      this.candBlock.push(this.block);
      this.candLen.push(len);
    }
    if (this.steps.length === 0) return;
    this.checkSteps(label, after ?? this.codec.decode(writer.buf, 0, len), sub);
  };

  private checkSteps(label: Label, after: unknown, sub: number): void {
    const steps = this.steps;
    const base = this.invariants.length;
    for (let i = 0; i < steps.length; i++) {
      if (this.live(base + i, this.curOrd) && !holdsStep(steps[i], this.cur, after, label)) this.record(base + i, this.curOrd, sub, this.faultsOf(after));
    }
  }

  /** Which candidates won (their stored parent is the one this worker expanded), per block. */
  private count(): Reply {
    const n = this.candHi.length;
    const won = (this.won = new Uint8Array(n));
    const blocks: number[] = [];
    const counts: number[] = [];
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      if (this.table.parentOf(this.candHi[i], this.candLo[i]) !== this.candParent[i]) continue;
      won[i] = 1;
      const b = this.candBlock[i];
      if (blocks.length === 0 || blocks[blocks.length - 1] !== b) {
        blocks.push(b);
        counts.push(0);
      }
      counts[counts.length - 1]++;
      bytes += 4 + this.candLen[i];
    }
    this.wonBytes = bytes;
    return { type: 'counted', blocks, won: counts, bytes };
  }

  /** Gives the winners their ordinals (`bases`: the first ordinal of each block of count's answer),
   *  records them in the dense chunks, and writes them as the next level's states. */
  private finalize(bases: readonly number[], dense: readonly SharedArrayBuffer[]): Reply {
    this.dense.adopt(dense);
    const n = this.candHi.length;
    const segment = new SharedArrayBuffer(Math.max(8, this.wonBytes));
    const out = new Uint8Array(segment);
    const pieces: number[] = [];
    const entry: FrontierEntry = { ord: 0, depth: 0, buf: new Uint8Array(0), start: 0, end: 0 };
    let at = 0;
    let bi = -1;
    let lastBlock = -1;
    let ord = 0;
    const max = this.settings.blockStates;
    let inPiece = max;
    for (let i = 0; i < n; i++) {
      this.cand.pop(entry);
      if (!this.won[i]) continue;
      const b = this.candBlock[i];
      if (b !== lastBlock) {
        lastBlock = b;
        ord = bases[++bi];
        inPiece = max;
      }
      if (inPiece === max) {
        pieces.push(b, at, ord, 0);
        inPiece = 0;
      }
      this.dense.set(ord, this.candHi[i], this.candLo[i], this.candParent[i]);
      const len = entry.end - entry.start;
      out[at] = len & 255;
      out[at + 1] = (len >>> 8) & 255;
      out[at + 2] = (len >>> 16) & 255;
      out[at + 3] = len >>> 24;
      out.set(entry.buf.subarray(entry.start, entry.end), at + 4);
      at += 4 + len;
      pieces[pieces.length - 1]++;
      inPiece++;
      ord++;
    }
    this.cand = new ChunkedQueue();
    this.candHi = [];
    this.candLo = [];
    this.candParent = [];
    this.candBlock = [];
    this.candLen = [];
    this.won = new Uint8Array(0);
    return { type: 'finalized', segment, pieces };
  }
}

/** Whether bytes [0, len) of `a` equal bytes [at, at + len) of `b`. */
function sameBytes(a: Uint8Array, b: Uint8Array, at: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[i] !== b[at + i]) return false;
  return true;
}
