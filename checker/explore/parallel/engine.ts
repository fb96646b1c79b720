// The parallel breadth-first search: level by level, the level's states are cut into blocks that the
// workers take in turn; successors go into one shared table (shared-table.ts). The result is the one
// the one-thread search gives, whatever the number of workers and their timing:
// - a successor found by several states keeps the parent that comes first in BFS order, and the new
//   states of a level are numbered in the order the one-thread search stores them (by parent, then by
//   the order of the parent's successors), so ordinals, parent links and counts are the same;
// - of a level's violations of a property, the one kept is the first in that order (with faults: the
//   fewest faults, then the first), so counterexamples are the same shortest ones.
import { availableParallelism, totalmem } from 'node:os';
import { BitWriter } from '../../core/bits.ts';
import { codecFor } from '../../core/codegen.ts';
import { SpecError } from '../../core/errors.ts';
import { fingerprint } from '../../core/fingerprint.ts';
import type { Label, Model } from '../../core/spec.ts';
import { NO_PARENT } from '../fp-set.ts';
import { clock, guarded } from '../guard.ts';
import { expandAll, type SearchOptions, type SearchResult, type Violation, type ViolationKind } from '../search.ts';
import { rebuildPath } from '../../trace/rebuild.ts';
import { HybridExecutor, LocalExecutor, ThreadPool, type Executor } from './executors.ts';
import type { ModelSource } from './model-source.ts';
import { ADDED, ParallelStore, SharedDense, SharedTable } from './shared-table.ts';
import { BLOCK_STATES, FLUSH_EVERY, LevelWorker } from './level-worker.ts';
import { BLOCK_WORDS, CTL, DEADLOCK_SUB, NOT_SETTLED, type FoundViolation, type LevelStats, type Reply, type SerializedSpecError, type WorkerInit, type WorkerSettings } from './protocol.ts';

/** Levels smaller than this run in the main thread; the first one this large starts the threads. */
export const SPAWN_AT = 20_000;
const MIN_SLOTS = 1 << 16;
/** The table grows (doubles) between levels above this load, and pauses the workers above GROW_AT. */
const BOUNDARY_LOAD = 0.5;
const GROW_AT = 0.7;

export interface ParallelOptions {
  readonly workers: number;
  /** Asked between levels and every tenth of a second: true ends the search as 'interrupted'. */
  readonly stop?: () => boolean;
  /** Start the threads at the first level of at least this many states (default SPAWN_AT). */
  readonly spawnAt?: number;
  /** Wait for the threads to start rather than go on in the main thread meanwhile (tests). */
  readonly waitForThreads?: boolean;
  /** Most states per block (default BLOCK_STATES; tests use tiny blocks so workers interleave). */
  readonly blockStates?: number;
  /** Tests: blocks taken last first (see WorkerSettings.reverseBlocks). */
  readonly reverseBlocks?: boolean;
}

/** Why `options` cannot run on several workers (they run on one, with this said), or undefined. */
export function parallelObstacle(options: SearchOptions): string | undefined {
  if (options.strategy !== 'bfs') return 'depth-first search runs on one worker';
  if (options.observer) return 'temporal properties (and --dot) record the state graph on one worker';
  if (options.symmetry) return 'symmetry reduction runs on one worker';
  if (options.reducer) return 'partial-order reduction runs on one worker';
  if (options.store || options.frontier) return 'a visited set or frontier of its own (search.memory, --checkpoint, --resume) runs on one worker';
  return undefined;
}

/** `auto` (every core) or a count. */
export function workerCount(w: number | 'auto'): number {
  return w === 'auto' ? availableParallelism() : w;
}

function indicesOf<P extends { name: string }>(all: readonly P[], names: readonly string[] | undefined): number[] {
  if (names === undefined) return all.map((_, i) => i);
  return names.map((n) => {
    const i = all.findIndex((p) => p.name === n);
    if (i < 0) throw new Error(`no property ${n}`);
    return i;
  });
}

interface Merged extends FoundViolation {}

/** Runs the BFS of `model` with up to `p.workers` workers (threads built from `source`). */
export interface ParallelOutcome {
  /** Undefined when the search must run on one worker instead (then `note` says why). */
  readonly result?: SearchResult;
  /** How many threads expanded states (1: the levels were all small, or the threads could not start). */
  readonly threads: number;
  readonly note?: string;
}

export async function searchParallel(model: Model, source: ModelSource, options: SearchOptions, p: ParallelOptions): Promise<ParallelOutcome> {
  const started = clock.now();
  const settings: WorkerSettings = {
    invariants: indicesOf(model.invariants, options.invariants),
    steps: indicesOf(model.steps, options.steps),
    constraints: (options.constraints ?? []).map((c) => {
      const i = (model.constraints ?? []).indexOf(c);
      if (i < 0) throw new Error(`internal: constraint ${c.name} is not the model's`);
      return i;
    }),
    deadlock: options.deadlock,
    maxDepth: options.maxDepth ?? Infinity,
    checkFirst: options.checkSpec ? Infinity : (options.checkFirst ?? 2000),
    stepTimeoutMs: options.stepTimeoutMs,
    faults: model.faultsUsed !== undefined,
    blockStates: p.blockStates ?? BLOCK_STATES,
    ...(p.reverseBlocks ? { reverseBlocks: true } : {}),
  };
  const invariantNames = settings.invariants.map((i) => model.invariants[i].name);
  const stepNames = settings.steps.map((i) => model.steps[i].name);
  const nProps = invariantNames.length + stepNames.length + 1;
  const control = new SharedArrayBuffer((CTL.settled + nProps) * 4);
  const ctl = new Int32Array(control);
  const init: WorkerInit = { source, settings, control };
  const maxMemory = options.maxMemory ?? 0.8 * totalmem();

  let table = SharedTable.create(MIN_SLOTS);
  const dense = new SharedDense();
  let size = 0;
  /** The first ordinal of the level being expanded. */
  let levelStart = 0;
  /** Initial states not expanded (outside the constraints): the one-thread search re-runs the
   *  actions of the first `checkFirst` states it expands, and from depth 1 on, the state with
   *  ordinal o is the (o - skippedInit)-th it expands. */
  let skippedInit = 0;
  let maxSuccessors = 0;
  let generated = 0;
  let deepest = 0;
  let depthBounded = false;
  let constrained = false;
  let frontierPeak = 0;
  let status: SearchResult['status'] = 'complete';
  const actionSteps = new Array<number>(model.actions.length).fill(0);
  const violations: Violation[] = [];
  const active = new Array<boolean>(nProps).fill(true);
  active[nProps - 1] = options.deadlock;
  let specError: SearchResult['specError'];

  // Level 0: the initial states, stored and written by the main thread.
  const codec = codecFor(model.type);
  const writer = new BitWriter(1024);
  const fp = { hi: 0, lo: 0 };
  const initBytes: Uint8Array[] = [];
  let initLimited = false;
  for (const s0 of model.init) {
    let len: number;
    try {
      len = codec.encode(s0, writer);
    } catch {
      // The one-thread search reports an initial state it cannot store.
      return { threads: 1, note: 'an initial state does not fit the state type' };
    }
    fingerprint(writer.buf, len, fp);
    generated++;
    if (options.maxStates !== undefined && size >= options.maxStates && table.parentOf(fp.hi, fp.lo) < 0) {
      // Initial states beyond the limit leave the search incomplete; those kept are explored.
      initLimited = true;
      continue;
    }
    if (table.insert(fp.hi, fp.lo, NO_PARENT) !== ADDED) continue;
    dense.ensure(size + 1);
    dense.set(size++, fp.hi, fp.lo, NO_PARENT);
    initBytes.push(writer.buf.slice(0, len));
  }
  let segments = [writeSegment(initBytes)];
  const initPieces: number[][] = [];
  for (let k = 0, at = 0; k < initBytes.length; k++) {
    if (k % settings.blockStates === 0) initPieces.push([0, at, k, 0]);
    initPieces[initPieces.length - 1][3]++;
    at += 4 + initBytes[k].length;
  }
  let blocks = piecesToBlocks(initPieces, settings.blockStates);
  let threads = 1;

  const mainWorker = new LevelWorker(model, settings, control);
  const local: Executor = new LocalExecutor(mainWorker);
  let exec: Executor = local;
  let pool: ThreadPool | undefined;
  let poolReady = false;
  let poolError: string | undefined;
  const spawnAt = p.spawnAt ?? SPAWN_AT;

  let stopRequested = false;
  const poll = (): void => {
    if (!stopRequested && p.stop?.()) {
      stopRequested = true;
      Atomics.store(ctl, CTL.stop, 1);
    }
    if (status === 'complete' && process.memoryUsage.rss() > maxMemory) {
      status = 'memory-limit';
      Atomics.store(ctl, CTL.stop, 1);
    }
  };
  let nextProgress = started + (options.progressMs ?? 1000);
  let levelSize = 0;
  const timer = setInterval(() => {
    poll();
    const now = clock.now();
    if (options.onProgress && now >= nextProgress) {
      nextProgress = now + (options.progressMs ?? 1000);
      options.onProgress({ distinct: size + Atomics.load(ctl, CTL.inserts), generated: generated + Atomics.load(ctl, CTL.generated), frontier: levelSize, depth: deepest, seconds: (now - started) / 1000 });
    }
  }, 100);

  try {
    for (let depth = 0; blocks.n > 0; depth++) {
      levelSize = blocks.states;
      if (levelSize > frontierPeak) frontierPeak = levelSize;
      deepest = depth;
      if (p.workers > 1 && !pool && levelSize >= spawnAt) {
        const tp = (pool = ThreadPool.spawn(p.workers - 1, init));
        tp.ready.then(
          () => void (poolReady = true),
          (e: unknown) => void (poolError = e instanceof Error ? e.message : String(e)),
        );
        if (p.waitForThreads) await tp.ready.catch(() => undefined);
      }
      if (pool && poolReady && !poolError && exec === local) {
        exec = new HybridExecutor(mainWorker, pool);
        threads = exec.size;
      }
      // Room in the table for what the workers store between two looks at the shared count.
      const slack = (exec.size + 1) * (FLUSH_EVERY + 1) * maxSuccessors;
      let cap = table.capacity;
      while (cap * BOUNDARY_LOAD < size || cap * (1 - GROW_AT) < slack) cap *= 2;
      if (cap !== table.capacity) table = table.rehash(cap);

      // Expand, and count the winners: the new states, numbered below in BFS order.
      // The initial states always run on the main thread, in order (see skippedInit).
      let ran = await expandAndCount(depth === 0 ? local : exec, depth, false);
      // A state limit, --stop-at-first or a spec error cuts the level where the one-thread search
      // stops: the level runs again in the main thread alone, in order, stopping there. (Not a step
      // timeout: that would take as long again; its state is the first to time out, not
      // necessarily the first in order.)
      const over = options.maxStates !== undefined && size + ran.total > options.maxStates;
      const first = options.stopAtFirst && ran.found.some((f) => f.faults === 0);
      const failed = ran.error !== undefined && ran.error.code !== 'timeout';
      if (!stopRequested && status === 'complete' && (over || first || failed)) {
        table = table.rehash(table.capacity, (tag) => tag < levelStart + 3);
        const limitNew = options.maxStates === undefined ? undefined : Math.max(0, options.maxStates - size);
        const again = new LevelWorker(model, { ...settings, reverseBlocks: false, stopAtFirst: options.stopAtFirst, limitNew }, control);
        ran = await expandAndCount(new LocalExecutor(again), depth, true);
      }
      for (const st of ran.stats) mergeStats(st);
      const error = ran.error;
      // Violations found after a spec error are not reported (the one-thread search stops there).
      settle(error ? ran.found.filter((f) => f.ord <= error.ord) : ran.found, depth);
      if (depth === 0) skippedInit = ran.stats.reduce((n, st) => n + st.unexpanded, 0);
      if (error) {
        specError = { error: new SpecError(error.code, error.message, error.detail), ordinal: error.ord };
        status = 'spec-error';
      }
      poll();
      if (stopRequested && status === 'complete') status = 'interrupted';
      const now = status as SearchResult['status'];
      if (now === 'interrupted' || now === 'memory-limit' || ran.counted.length === 0) break;
      const cut = ran.stats.find((st) => st.cut)?.cut;
      // --stop-at-first with a violation with faults: it is reported once the level is over.
      if (status === 'complete') {
        if (cut) status = cut;
        else if (options.stopAtFirst && violations.length) status = 'stopped';
      }

      const { counted, ex } = ran;
      const wonBy = new Map<number, number>();
      for (const r of counted) {
        if (r.type !== 'counted') throw new Error(`internal: unexpected reply ${r.type}`);
        r.blocks.forEach((b, k) => wonBy.set(b, r.won[k]));
      }
      const base = new Map<number, number>();
      let next = size;
      for (const b of [...wonBy.keys()].sort((x, y) => x - y)) {
        base.set(b, next);
        next += wonBy.get(b)!;
      }
      dense.ensure(next);
      const finalized = await ex.all((i) => ({ type: 'finalize', bases: (counted[i] as Extract<Reply, { type: 'counted' }>).blocks.map((b) => base.get(b)!), dense: dense.chunks.map((c) => c.buffer as SharedArrayBuffer) }));
      levelStart = size;
      size = next;
      const pieces: number[][] = [];
      segments = [];
      finalized.forEach((r) => {
        if (r.type !== 'finalized') throw new Error(`internal: unexpected reply ${r.type}`);
        const seg = segments.length;
        segments.push(r.segment);
        for (let k = 0; k < r.pieces.length; k += 4) pieces.push([r.pieces[k], seg, r.pieces[k + 1], r.pieces[k + 2], r.pieces[k + 3]]);
      });
      pieces.sort((a, b) => a[0] - b[0] || a[3] - b[3]);
      blocks = piecesToBlocks(pieces.map((x) => [x[1], x[2], x[3], x[4]]), settings.blockStates);
      if (status !== 'complete') break;
    }
  } finally {
    clearInterval(timer);
    await pool?.close();
  }

  if (initLimited && status === 'complete') status = 'state-limit';
  const store = new ParallelStore(table, dense, size);
  const result: SearchResult = {
    status,
    distinct: size,
    generated,
    depth: deepest,
    depthBounded,
    constrained,
    seconds: (clock.now() - started) / 1000,
    violations: violations.map((v) => withStep(model, store, v)),
    specError,
    store,
    storeBytes: store.bytes(),
    frontierPeak,
    collisionProbability: Math.min(1, (size * Math.max(generated - size, size / 2)) / 2 ** 64),
    invariantsChecked: invariantNames,
    stepsChecked: stepNames,
    actionSteps,
  };
  const note = poolError ? `ran on one worker: ${poolError}` : undefined;
  return { result, threads, ...(note ? { note } : {}) };

  /** Runs a level's expand phase (growing the table when the workers ask) and, unless it was
   *  stopped, its count phase. */
  async function expandAndCount(ex: Executor, depth: number, countOnError: boolean) {
    Atomics.store(ctl, CTL.next, 0);
    Atomics.store(ctl, CTL.grow, 0);
    Atomics.store(ctl, CTL.inserts, 0);
    Atomics.store(ctl, CTL.generated, 0);
    Atomics.store(ctl, CTL.errorBlock, NOT_SETTLED);
    for (let i = 0; i < nProps; i++) Atomics.store(ctl, CTL.settled + i, NOT_SETTLED);
    const growAt = () => Math.floor(table.capacity * GROW_AT) - size;
    const segs = segments;
    const blk = blocks;
    const checkBelow = settings.checkFirst + skippedInit;
    let replies = await ex.all(() => ({ type: 'expand', depth, table: table.buffer, growAt: growAt(), blocks: blk.buffer, nBlocks: blk.n, segments: segs, active, checkBelow }));
    while (replies.some((r) => r.type === 'expanded' && r.paused)) {
      table = table.rehash(table.capacity * 2);
      Atomics.store(ctl, CTL.grow, 0);
      replies = await ex.all(() => ({ type: 'resume', table: table.buffer, growAt: growAt() }));
    }
    const found: FoundViolation[] = [];
    const stats: LevelStats[] = [];
    let error: SerializedSpecError | undefined;
    for (const r of replies) {
      if (r.type !== 'expanded') throw new Error(`internal: unexpected reply ${r.type}`);
      stats.push(r.stats!);
      found.push(...r.violations);
      if (r.error && (!error || r.error.ord < error.ord)) error = r.error;
    }
    poll();
    let counted: Reply[] = [];
    let total = 0;
    if ((!error || countOnError) && !stopRequested) {
      counted = await ex.all(() => ({ type: 'count' }));
      for (const r of counted) if (r.type === 'counted') total += r.won.reduce((a, b) => a + b, 0);
    }
    return { found, stats, error, counted, total, ex };
  }

  function mergeStats(s: LevelStats): void {
    if (s.maxSuccessors > maxSuccessors) maxSuccessors = s.maxSuccessors;
    generated += s.generated;
    s.actionSteps.forEach((n, i) => (actionSteps[i] += n));
    if (s.depthBounded) depthBounded = true;
    if (s.constrained) constrained = true;
  }

  /** The level's violations, in the order the one-thread search reports them: fault-free ones by
   *  where they were found, then (for properties without one) those with the fewest faults, in the
   *  order each property was first violated with faults. */
  function settle(found: readonly FoundViolation[], depth: number): void {
    const best = new Map<number, Merged>();
    for (const f of found) {
      const b = best.get(f.property);
      if (!b) {
        best.set(f.property, { ...f });
        continue;
      }
      const first = before(f.firstOrd, f.firstSub, b.firstOrd, b.firstSub) ? { firstOrd: f.firstOrd, firstSub: f.firstSub } : { firstOrd: b.firstOrd, firstSub: b.firstSub };
      const better = f.faults < b.faults || (f.faults === b.faults && before(f.ord, f.sub, b.ord, b.sub));
      best.set(f.property, { ...(better ? f : b), ...first });
    }
    const all = [...best.values()];
    const free = all.filter((v) => v.faults === 0).sort((a, b) => a.ord - b.ord || a.sub - b.sub || a.property - b.property);
    const faulty = all.filter((v) => v.faults !== 0).sort((a, b) => a.firstOrd - b.firstOrd || a.firstSub - b.firstSub || a.property - b.property);
    for (const v of [...free, ...faulty]) {
      active[v.property] = false;
      const { kind, property } = nameOf(v.property);
      const sub = v.sub === DEADLOCK_SUB ? -1 : v.sub;
      const out: PendingViolation = { kind, property, ordinal: v.ord, depth, sub, ...(model.faultsUsed ? { faults: v.faults } : {}) };
      violations.push(out as unknown as Violation);
    }
  }

  function nameOf(i: number): { kind: ViolationKind; property: string } {
    if (i < invariantNames.length) return { kind: 'invariant', property: invariantNames[i] };
    if (i < invariantNames.length + stepNames.length) return { kind: 'step', property: stepNames[i - invariantNames.length] };
    return { kind: 'deadlock', property: 'deadlock' };
  }
}

interface PendingViolation {
  readonly kind: ViolationKind;
  readonly property: string;
  readonly ordinal: number;
  readonly depth: number;
  /** -1: the state itself; else the index of the violating successor among the state's. */
  readonly sub: number;
  readonly faults?: number;
}

function before(o1: number, s1: number, o2: number, s2: number): boolean {
  return o1 < o2 || (o1 === o2 && s1 < s2);
}

/** A violation found on a successor names it by its index: the step is found again by re-running
 *  the actions on the state (as the one-thread search saw it, in canonical form). */
function withStep(model: Model, store: ParallelStore, v: Violation): Violation {
  const { sub, ...rest } = v as unknown as PendingViolation;
  if (sub < 0) return rest as Violation;
  const path = rebuildPath(model, store, v.ordinal);
  const s = path[path.length - 1].state;
  let k = 0;
  let step: { label: Label; next: unknown } | undefined;
  const codec = codecFor(model.type);
  const writer = new BitWriter(1024);
  guarded(() =>
    expandAll(model, model.actions, s, (label, next) => {
      if (k++ !== sub) return;
      const len = codec.encode(next, writer);
      step = { label, next: codec.decode(writer.buf, 0, len) };
    }),
  );
  if (!step) throw new Error('internal: the violating step could not be found again');
  return { ...(rest as Violation), step };
}

/** Entries [len u32][bytes] in one shared buffer. */
function writeSegment(states: readonly Uint8Array[]): SharedArrayBuffer {
  const total = states.reduce((n, b) => n + 4 + b.length, 0);
  const buf = new SharedArrayBuffer(Math.max(8, total));
  const out = new Uint8Array(buf);
  let at = 0;
  for (const b of states) {
    new DataView(buf).setUint32(at, b.length, true);
    out.set(b, at + 4);
    at += 4 + b.length;
  }
  return buf;
}

/** The level's block descriptors (segment, byte offset, first ordinal, count) in a shared buffer;
 *  pieces are already in ordinal order and at most `max` states each. */
function piecesToBlocks(pieces: readonly (readonly number[])[], max: number): { buffer: SharedArrayBuffer; n: number; states: number } {
  const out: number[] = [];
  let states = 0;
  for (const [seg, byte, ord, count] of pieces) {
    if (count > max) throw new Error('internal: a block is larger than the block size');
    out.push(seg, byte, ord, count);
    states += count;
  }
  const buffer = new SharedArrayBuffer(Math.max(4, out.length * 4));
  new Int32Array(buffer).set(out);
  return { buffer, n: out.length / BLOCK_WORDS, states };
}
