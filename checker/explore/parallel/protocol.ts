// The messages between the parallel search's coordinator and its level workers, and the layout of
// the shared control words. A BFS level runs in three phases: expand (every worker takes blocks of
// the level's states and stores their successors as candidates), count (each worker sees which of
// its candidates won: the smallest parent), finalize (winners get their ordinals and are written as
// the next level's states).
import type { ModelSource } from './model-source.ts';

/** Shared control words (an Int32Array over a SharedArrayBuffer). */
export const CTL = {
  /** Next block to take (Atomics.add). */
  next: 0,
  /** Set to stop taking blocks: an interruption or a spec error. */
  stop: 1,
  /** Set when the table must grow: every worker pauses at the next state. */
  grow: 2,
  /** Successors stored in the table during this level (flushed now and then by each worker). */
  inserts: 3,
  /** Generated successors so far (for progress lines). */
  generated: 4,
  /** The smallest block where a spec error stopped a worker: no later block is taken. */
  errorBlock: 5,
  /** First of the per-property words: the smallest ordinal with a fault-free violation this level. */
  settled: 8,
} as const;

export const NOT_SETTLED = 0x7fffffff;

/** Words per block descriptor: segment, byte offset, first ordinal, count. */
export const BLOCK_WORDS = 4;

/** What a worker checks, fixed for the whole search. */
export interface WorkerSettings {
  /** Indices into model.invariants / model.steps / model.constraints, in the order they are checked. */
  readonly invariants: readonly number[];
  readonly steps: readonly number[];
  readonly constraints: readonly number[];
  readonly deadlock: boolean;
  readonly maxDepth: number;
  /** The first this many states expanded also run their actions twice on fresh copies (--check-spec: all). */
  readonly checkFirst: number;
  readonly stepTimeoutMs?: number;
  /** Use the fewest-faults tie-break (protocols with faults). */
  readonly faults: boolean;
  /** Most states in a block (the unit workers take). */
  readonly blockStates: number;
  /** Tests: take a level's blocks last first, so that later parents store successors before earlier
   *  ones (the result must not change). */
  readonly reverseBlocks?: boolean;
  /** Set when a level is run again in the main thread alone, in order, to stop where the one-thread
   *  search stops: after storing this many new states (a state limit)... */
  readonly limitNew?: number;
  /** ...or at the first violation without faults (--stop-at-first). */
  readonly stopAtFirst?: boolean;
}

export interface WorkerInit {
  readonly source: ModelSource;
  readonly settings: WorkerSettings;
  readonly control: SharedArrayBuffer;
}

export interface ExpandCommand {
  readonly type: 'expand';
  readonly depth: number;
  readonly table: SharedArrayBuffer;
  /** Pause (for the table to grow) once this many successors were stored in the level. */
  readonly growAt: number;
  readonly blocks: SharedArrayBuffer;
  readonly nBlocks: number;
  readonly segments: readonly SharedArrayBuffer[];
  /** Which properties are still checked: invariants, then steps, then deadlock. */
  readonly active: readonly boolean[];
  /** From depth 1: states with an ordinal below this have their actions run twice on fresh copies
   *  (at depth 0, run in order, the first settings.checkFirst states expanded). */
  readonly checkBelow: number;
}

export type Command =
  | ExpandCommand
  | { readonly type: 'resume'; readonly table: SharedArrayBuffer; readonly growAt: number }
  | { readonly type: 'count' }
  | { readonly type: 'finalize'; readonly bases: readonly number[]; readonly dense: readonly SharedArrayBuffer[] }
  | { readonly type: 'close' };

/** The best violation of one property a worker found in a level: (faults, ord, sub) smallest, and
 *  the first one with faults (which fixes the order pending violations are reported in). */
export interface FoundViolation {
  /** Index among the checked properties: invariants, then steps, then deadlock. */
  readonly property: number;
  readonly faults: number;
  readonly ord: number;
  /** -1: the state itself; n >= 0: its n-th successor; DEADLOCK_SUB: after its expansion. */
  readonly sub: number;
  readonly firstOrd: number;
  readonly firstSub: number;
}

export const DEADLOCK_SUB = 0x7ffffffe;

export interface SerializedSpecError {
  readonly code: string;
  readonly message: string;
  readonly detail: { readonly action?: string; readonly state?: string; readonly hint?: string };
  /** The state being expanded (-1: none). */
  readonly ord: number;
}

export interface LevelStats {
  /** The level was cut short: a state limit or --stop-at-first (runs again in order only). */
  readonly cut?: 'state-limit' | 'stopped';
  readonly generated: number;
  readonly actionSteps: readonly number[];
  readonly depthBounded: boolean;
  readonly constrained: boolean;
  /** States of the level neither expanded nor bounded by depth (initial states outside the constraints). */
  readonly unexpanded: number;
  /** Most successors of one state (the table keeps room for a state's successors per worker). */
  readonly maxSuccessors: number;
}

export type Reply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'expanded'; readonly paused: boolean; readonly stats?: LevelStats; readonly violations: readonly FoundViolation[]; readonly error?: SerializedSpecError }
  | { readonly type: 'counted'; readonly blocks: readonly number[]; readonly won: readonly number[]; readonly bytes: number }
  | { readonly type: 'finalized'; readonly segment: SharedArrayBuffer; readonly pieces: readonly number[] };
