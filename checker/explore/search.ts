// The one search loop. BFS and DFS differ only in the frontier they use.
import { totalmem } from 'node:os';
import { BitReader, BitWriter } from '../core/bits.ts';
import { codecFor } from '../core/codegen.ts';
import { SpecError } from '../core/errors.ts';
import { fingerprint } from '../core/fingerprint.ts';
import { OUT_OF_TYPE } from '../core/types.ts';
import type { CompiledAction, Invariant, Label, Model, StepProperty } from '../core/spec.ts';
import { ChunkedQueue, ChunkedStack, type Frontier, type FrontierEntry } from './frontier.ts';
import { NO_PARENT, OpenAddressingFpSet, type FingerprintSet } from './fp-set.ts';
import { deepFreeze, describeThrown } from './purity.ts';
import { clock, forbiddenCallError, guarded, unguarded } from './guard.ts';

export type Strategy = 'bfs' | 'dfs';

export interface SearchOptions {
  readonly strategy: Strategy;
  /** Stop (status 'state-limit') with exactly this many distinct states, when another one is found. */
  readonly maxStates?: number;
  /** States at this depth are not expanded. */
  readonly maxDepth?: number;
  /** Stop (status 'memory-limit') when the process's resident memory passes this many bytes
   *  (default: 80% of the machine's memory), rather than be killed by the system. */
  readonly maxMemory?: number;
  readonly deadlock: boolean;
  /** Names of the invariants and step properties to check (default: all the model has). */
  readonly invariants?: readonly string[];
  readonly steps?: readonly string[];
  /** Stop at the first violation instead of going on to give every property a verdict. */
  readonly stopAtFirst?: boolean;
  /** Re-execute actions on frozen inputs for every state (always done for the first `checkFirst`). */
  readonly checkSpec?: boolean;
  readonly checkFirst?: number;
  /** The visited set and the frontier to use (defaults: in-memory open addressing; a chunked
   *  queue for BFS, a chunked stack for DFS). Other implementations (shared memory for workers,
   *  a disk-backed frontier) plug in here without changes to the search. */
  readonly store?: FingerprintSet;
  readonly frontier?: Frontier;
  /** Called about every `progressMs` milliseconds while the search runs. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressMs?: number;
}

export interface Progress {
  readonly distinct: number;
  readonly generated: number;
  readonly frontier: number;
  readonly depth: number;
  readonly seconds: number;
}

export type ViolationKind = 'invariant' | 'step' | 'deadlock';

export interface Violation {
  readonly kind: ViolationKind;
  readonly property: string;
  /** The violating state (invariant, deadlock), or the state before the violating step. */
  readonly ordinal: number;
  readonly depth: number;
  /** For a step property: the violating step from `ordinal`. */
  readonly step?: { readonly label: Label; readonly next: unknown };
}

export interface SearchResult {
  readonly status: 'complete' | 'state-limit' | 'memory-limit' | 'stopped' | 'spec-error' | 'interrupted';
  readonly distinct: number;
  readonly generated: number;
  /** Deepest depth reached (the initial states are at depth 0). */
  readonly depth: number;
  /** True when maxDepth kept some states from being expanded. */
  readonly depthBounded: boolean;
  readonly seconds: number;
  readonly violations: readonly Violation[];
  /** `ordinal` is the state being expanded, or -1 when an initial state was at fault. */
  readonly specError?: { readonly error: SpecError; readonly ordinal: number };
  readonly store: FingerprintSet;
  readonly storeBytes: number;
  /** Most states waiting in the frontier at once. */
  readonly frontierPeak: number;
  /** Estimated probability that two distinct states shared a fingerprint (so one was missed). */
  readonly collisionProbability: number;
  readonly invariantsChecked: readonly string[];
  readonly stepsChecked: readonly string[];
}

function select<P extends { name: string }>(all: readonly P[], names: readonly string[] | undefined): P[] {
  if (names === undefined) return [...all];
  return names.map((n) => {
    const p = all.find((x) => x.name === n);
    if (!p) throw new Error(`no property ${n}`);
    return p;
  });
}

/** Runs the search with the clock and randomness guarded (see guard.ts). */
export function search(model: Model, options: SearchOptions): SearchResult {
  const run = startSearch(model, options);
  return guarded(() => run.resume(Infinity))!;
}

/** The search in slices of about `sliceMs`, giving the event loop a turn in between (so a signal
 *  handler can run); when `stop()` says so, it ends with status 'interrupted' and what it found. */
export async function searchInterruptible(model: Model, options: SearchOptions, stop: () => boolean, sliceMs = 100): Promise<SearchResult> {
  const run = startSearch(model, options);
  for (;;) {
    const r = guarded(() => run.resume(sliceMs));
    if (r) return r;
    await new Promise<void>((done) => setImmediate(done));
    if (stop()) run.interrupt();
  }
}

interface SearchRun {
  /** Searches on for about `ms` milliseconds: the result when done, else undefined. */
  resume(ms: number): SearchResult | undefined;
  interrupt(): void;
}

function startSearch(model: Model, options: SearchOptions): SearchRun {
  const started = clock.now();
  const type = model.type;
  const codec = codecFor(type);
  const fp = { hi: 0, lo: 0 };
  const store: FingerprintSet = options.store ?? new OpenAddressingFpSet();
  const frontier: Frontier = options.frontier ?? (options.strategy === 'dfs' ? new ChunkedStack() : new ChunkedQueue());
  const writer = new BitWriter(1024);
  const entry: FrontierEntry = { ord: 0, depth: 0, buf: new Uint8Array(0), start: 0, end: 0 };
  const actions: readonly CompiledAction<unknown>[] = model.actions;
  const invariants: Invariant<unknown>[] = select(model.invariants, options.invariants);
  const steps: StepProperty<unknown>[] = select(model.steps, options.steps);
  const invariantsChecked = invariants.map((p) => p.name);
  const stepsChecked = steps.map((p) => p.name);
  const violations: Violation[] = [];
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const maxMemory = options.maxMemory ?? 0.8 * totalmem();
  const checkFirst = options.checkSpec ? Infinity : (options.checkFirst ?? 2000);
  let deadlockActive = options.deadlock;
  let generated = 0;
  let deepest = 0;
  let depthBounded = false;
  let expanded = 0;
  let frontierPeak = 0;
  let status: SearchResult['status'] = 'complete';

  // The state being expanded, for the emit callback.
  let cur: unknown;
  /** -1 while the initial states are being encoded: there is no path to show yet. */
  let curOrd = -1;
  let curDepth = 0;
  let successors = 0;

  const record = (v: Violation): void => {
    violations.push(v);
    if (options.stopAtFirst) status = 'stopped';
  };

  const encode = (s: unknown, label: Label | undefined): number => {
    try {
      return codec.encode(s, writer);
    } catch (e) {
      if (e !== OUT_OF_TYPE) throw e;
      throw outsideType(model, label, type.explain(s, 'state') ?? 'the state does not fit its declared type');
    }
  };

  const emit = (label: Label, next: unknown): void => {
    successors++;
    generated++;
    const len = encode(next, label);
    fingerprint(writer.buf, len, fp);
    if (store.size >= maxStates && store.find(fp.hi, fp.lo) < 0) {
      // A new state beyond the limit: not stored, and the search stops after this expansion.
      if (status === 'complete') status = 'state-limit';
      return;
    }
    const ord = store.insert(fp.hi, fp.lo, curOrd);
    if (ord >= 0) frontier.push(ord, curDepth + 1, writer.buf, len);
    if (steps.length === 0) return;
    // Step properties see the successor in its canonical form, as invariants do (sets without
    // repeats, in domain order).
    const after = codec.decode(writer.buf, 0, len);
    for (let i = 0; i < steps.length; i++) {
      const p = steps[i];
      if (!holdsStep(p, cur, after, label)) {
        record({ kind: 'step', property: p.name, ordinal: curOrd, depth: curDepth, step: { label, next: after } });
        steps.splice(i--, 1);
      }
    }
  };

  let checking: CheckRun | undefined;
  const checkEmit = (label: Label, next: unknown): void => {
    // explain() also catches what encoding ignores, such as an undeclared field.
    const why = type.explain(next, 'state');
    if (why !== undefined) throw outsideType(model, label, why);
    const len = encode(next, label);
    fingerprint(writer.buf, len, fp);
    checking!.push(model.showLabel(label), fp.hi, fp.lo);
  };

  let initLimited = false;
  let initDone = false;
  let nextProgress = 0;
  let nextMemoryCheck = 0;
  let deadline = Infinity;
  const resume = (ms: number): SearchResult | undefined => {
    deadline = ms === Infinity ? Infinity : clock.now() + ms;
    try {
      if (!initDone) {
        initDone = true;
        for (const s0 of model.init) {
          const len = encode(s0, undefined);
          fingerprint(writer.buf, len, fp);
          generated++;
          if (store.size >= maxStates && store.find(fp.hi, fp.lo) < 0) {
            status = 'state-limit';
            continue;
          }
          const ord = store.insert(fp.hi, fp.lo, NO_PARENT);
          if (ord >= 0) frontier.push(ord, 0, writer.buf, len);
      }

      nextProgress = started + (options.progressMs ?? 1000);
      // Initial states beyond the limit leave the search incomplete, but those kept are still explored.
      initLimited = status === 'state-limit';
      if (initLimited) status = 'complete';
      nextMemoryCheck = started;
      }
      while (status === 'complete' && frontier.pop(entry)) {
        if (frontier.size > frontierPeak) frontierPeak = frontier.size;
        curOrd = entry.ord;
        curDepth = entry.depth;
        if (curDepth > deepest) deepest = curDepth;
        const checkNow = expanded < checkFirst;
        const bytes = checkNow ? entry.buf.slice(entry.start, entry.end) : undefined;
        const s = codec.decode(entry.buf, entry.start, entry.end);
        cur = s;

        for (let i = 0; i < invariants.length; i++) {
          const inv = invariants[i];
          let ok: boolean;
          try {
            ok = inv.holds(s);
          } catch (e) {
            throw forbiddenCallError(e, `invariant ${inv.name}`, model.type.show(s)) ?? new SpecError('throw', `invariant ${inv.name} threw ${describeThrown(e)}`, { action: `invariant ${inv.name}`, cause: e });
          }
          if (!ok) {
            record({ kind: 'invariant', property: inv.name, ordinal: curOrd, depth: curDepth });
            invariants.splice(i--, 1);
          }
        }
        if (status !== 'complete') break;
        if (curDepth >= maxDepth) {
          depthBounded = true;
          continue;
        }

        if (checkNow) checkActions(model, bytes!, (run) => (checking = run), checkEmit);
        successors = 0;
        expanded++;
        expandAll(model, actions, s, emit);
        if (successors === 0 && deadlockActive && !isTerminal(model, s)) {
          record({ kind: 'deadlock', property: 'deadlock', ordinal: curOrd, depth: curDepth });
          deadlockActive = false;
        }
        if ((expanded & 63) === 0) {
          const now = clock.now();
          if (now >= nextMemoryCheck) {
            nextMemoryCheck = now + 1000;
            if (process.memoryUsage.rss() > maxMemory) status = 'memory-limit';
          }
          if (options.onProgress && now >= nextProgress) {
            nextProgress = now + (options.progressMs ?? 1000);
            const p = { distinct: store.size, generated, frontier: frontier.size, depth: deepest, seconds: (now - started) / 1000 };
            unguarded(() => options.onProgress!(p));
          }
          if (now >= deadline) return undefined;
        }
      }
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      return finish('spec-error', { error: e, ordinal: curOrd });
    }
    if (initLimited && status === 'complete') status = 'state-limit';
    return finish(status);
  };
  return {
    resume,
    interrupt: () => {
      if (status === 'complete') status = 'interrupted';
    },
  };

  function finish(st: SearchResult['status'], specError?: SearchResult['specError']): SearchResult {
    const n = store.size;
    return {
      status: st,
      distinct: n,
      generated,
      depth: deepest,
      depthBounded,
      seconds: (clock.now() - started) / 1000,
      violations,
      specError,
      store,
      storeBytes: store.bytes(),
      frontierPeak,
      collisionProbability: Math.min(1, (n * Math.max(generated - n, n / 2)) / 2 ** 64),
      invariantsChecked,
      stepsChecked,
    };
  }
}

/** A successor (or, without a label, an initial state) outside the declared state type. */
function outsideType(model: Model, label: Label | undefined, why: string): SpecError {
  const what = label ? `action ${model.showLabel(label)} gives a successor` : 'an initial state is';
  return new SpecError('type', `${what} outside the declared state type: ${why}`, {
    action: label ? model.showLabel(label) : 'init',
    hint: 'fix the action, or change the declared type of that field (or declare the field)',
  });
}

function holdsStep(p: StepProperty<unknown>, before: unknown, after: unknown, label: Label): boolean {
  try {
    return p.holds(before, after, label);
  } catch (e) {
    throw forbiddenCallError(e, `step property ${p.name}`) ?? new SpecError('throw', `step property ${p.name} threw ${describeThrown(e)}`, { action: `step property ${p.name}`, cause: e });
  }
}

function isTerminal(model: Model, s: unknown): boolean {
  if (!model.terminal) return false;
  try {
    return model.terminal(s);
  } catch (e) {
    throw forbiddenCallError(e, 'terminal', model.type.show(s)) ?? new SpecError('throw', `terminal threw ${describeThrown(e)}`, { action: 'terminal', state: model.type.show(s), cause: e });
  }
}

/** Runs every action on `s`, turning an exception into a SpecError that names the action and its parameters. */
export function expandAll(model: Model, actions: readonly CompiledAction<unknown>[], s: unknown, emit: (label: Label, next: unknown) => void): void {
  let current: CompiledAction<unknown> | undefined;
  try {
    for (let a = 0; a < actions.length; a++) {
      current = actions[a];
      current.expand(s, emit);
    }
  } catch (e) {
    if (e instanceof SpecError || current === undefined) throw e;
    const label = current.current;
    const name = label ? model.showLabel(label) : current.name;
    throw forbiddenCallError(e, `action ${name}`, model.type.show(s)) ?? new SpecError('throw', `action ${name} threw ${describeThrown(e)}`, {
      action: name,
      state: model.type.show(s),
      hint: 'an action must return successors (or null when disabled) and never throw',
      cause: e,
    });
  }
}

/** Successor fingerprints of one run of all actions, for comparing two runs. */
class CheckRun {
  readonly labels: string[] = [];
  readonly his: number[] = [];
  readonly los: number[] = [];
  push(label: string, hi: number, lo: number): void {
    this.labels.push(label);
    this.his.push(hi);
    this.los.push(lo);
  }
}

/** Runs the actions twice on frozen copies of the state: a mutation of the input throws, and two runs
 *  that give different successors reveal a nondeterministic action. */
function checkActions(model: Model, bytes: Uint8Array, setRun: (r: CheckRun) => void, emit: (label: Label, next: unknown) => void): void {
  const runs: CheckRun[] = [];
  for (let k = 0; k < 2; k++) {
    const s = deepFreeze(codecFor(model.type).decode(bytes, 0, bytes.length));
    const run = new CheckRun();
    setRun(run);
    try {
      expandAll(model, model.actions, s, emit);
    } catch (e) {
      if (e instanceof SpecError && e.code === 'throw' && e.detail.cause instanceof TypeError && /read.only|frozen|not extensible|Cannot (assign|add|delete|define)/i.test(String((e.detail.cause as Error).message))) {
        throw new SpecError('impure', `action ${e.detail.action} mutates its input state (${(e.detail.cause as Error).message})`, {
          action: e.detail.action,
          state: e.detail.state,
          hint: 'build a new state with spreads ({ ...s, x: 1 }, [...xs, y]) instead of assigning to the old one',
        });
      }
      throw e;
    }
    runs.push(run);
  }
  const [a, b] = runs;
  const n = Math.max(a.labels.length, b.labels.length);
  for (let i = 0; i < n; i++) {
    if (a.labels[i] !== b.labels[i] || a.his[i] !== b.his[i] || a.los[i] !== b.los[i]) {
      const action = a.labels[i] ?? b.labels[i];
      throw new SpecError('nondeterministic', `action ${action} gives different successors when run twice on the same state`, {
        action,
        state: model.type.show(model.type.decode(new BitReader().reset(bytes))),
        hint: 'actions must be pure functions of the state and their parameters: no Math.random, Date.now or outside variables',
      });
    }
  }
}

