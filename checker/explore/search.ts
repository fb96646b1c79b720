// The one search loop. BFS and DFS differ only in the frontier they use.
import { totalmem } from 'node:os';
import { BitReader, BitWriter } from '../core/bits.ts';
import { type Codec, codecFor } from '../core/codegen.ts';
import { diff, showChanges } from '../core/diff.ts';
import { EngineLimit, SpecError } from '../core/errors.ts';
import { EXACT_BYTES, fingerprint } from '../core/fingerprint.ts';
import { OUT_OF_TYPE } from '../core/types.ts';
import type { CompiledAction, Invariant, Label, Model, StepProperty } from '../core/spec.ts';
import { ChunkedQueue, ChunkedStack, type Frontier, type FrontierEntry } from './frontier.ts';
import { CompactFpSet } from './compact-fp-set.ts';
import { NO_PARENT, type FingerprintSet } from './fp-set.ts';
import { deepFreeze, describeThrown } from './purity.ts';
import { clock, forbiddenCallError, guarded, resetGuards, unguarded } from './guard.ts';
import { withTimeout } from './timeout.ts';
import type { Reducer } from './por.ts';
import type { StateCanonicalizer } from './canonical.ts';

export type Strategy = 'bfs' | 'dfs';

export interface SearchOptions {
  readonly strategy: Strategy;
  /** Stop (status 'state-limit') with exactly this many distinct states, when another one is found. */
  readonly maxStates?: number;
  /** States at this depth are not expanded. */
  readonly maxDepth?: number;
  /** State constraints: a state outside any of them is counted and checked against the invariants,
   *  but not expanded (TLC's CONSTRAINT). */
  readonly constraints?: readonly Invariant<unknown>[];
  /** Stop (status 'memory-limit') when the process's resident memory passes this many bytes
   *  (default: 80% of the machine's memory), rather than be killed by the system. */
  readonly maxMemory?: number;
  readonly deadlock: boolean;
  /** Names of the invariants and step properties to check (default: all the model has). */
  readonly invariants?: readonly string[];
  readonly steps?: readonly string[];
  /** Stop at the first violation instead of going on to give every property a verdict. */
  readonly stopAtFirst?: boolean;
  /** Re-execute actions for every state, checking they leave their input unchanged and give the same
   *  successors twice (always done for the first `checkFirst`). */
  readonly checkSpec?: boolean;
  readonly checkFirst?: number;
  /** The visited set and the frontier to use (defaults: in-memory open addressing, CompactFpSet; a chunked
   *  queue for BFS, a chunked stack for DFS). Other implementations (shared memory for workers,
   *  a disk-backed frontier) plug in here without changes to the search. */
  readonly store?: FingerprintSet;
  readonly frontier?: Frontier;
  /** searchInterruptible only: a state whose expansion (actions, invariants) runs longer than this
   *  is stopped and reported as a spec error naming the action and the state. */
  readonly stepTimeoutMs?: number;
  /** Called about every `progressMs` milliseconds while the search runs. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressMs?: number;
  /** Sees every expanded state and then each of its edges (for liveness: the state graph). */
  readonly observer?: SearchObserver;
  /** Continue a saved search (checkpoint.ts): `store` and `frontier` hold what was saved. */
  readonly resume?: SearchCounters;
  /** Called when the search stops for memory, while its state can still be saved (`run.save()`). */
  readonly onMemoryLimit?: () => void;
  /** Partial-order reduction (por.ts): expands a state into the successors to follow. */
  readonly reducer?: Reducer;
  /** Symmetry reduction: states are stored and expanded as the canonical representatives of their
   *  orbits (explore/symmetry.ts); its `verify` runs on the states checked like `checkFirst`. */
  readonly symmetry?: StateCanonicalizer;
}

/** What a search has done so far, besides its visited set and frontier: enough to continue it. */
export interface SearchCounters {
  readonly generated: number;
  readonly deepest: number;
  readonly depthBounded: boolean;
  readonly constrained: boolean;
  readonly expanded: number;
  readonly frontierPeak: number;
  readonly initLimited: boolean;
  readonly deadlockActive: boolean;
  readonly seconds: number;
  readonly actionSteps: readonly number[];
  readonly violations: readonly Violation[];
  /** Violations with faults waiting for the end of their BFS level (see `record`). */
  readonly pending: readonly Violation[];
  readonly pendingDepth: number;
  /** Invariants and step properties still being checked. */
  readonly invariants: readonly string[];
  readonly steps: readonly string[];
}

/** Called with each state as it is expanded, then with each edge out of it (successor ordinal, label). */
export interface SearchObserver {
  expand(ord: number, state: unknown): void;
  edge(to: number, label: Label): void;
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
  /** How many fault steps the counterexample takes (protocols with faults). */
  readonly faults?: number;
}

export interface SearchResult {
  readonly status: 'complete' | 'state-limit' | 'memory-limit' | 'stopped' | 'spec-error' | 'interrupted';
  readonly distinct: number;
  readonly generated: number;
  /** Deepest depth reached (the initial states are at depth 0). */
  readonly depth: number;
  /** True when maxDepth kept some states from being expanded. */
  readonly depthBounded: boolean;
  /** True when a state constraint kept some states from being expanded: the verdicts hold only
   *  for the states within the constraints, and liveness cannot be decided. */
  readonly constrained: boolean;
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
  /** Successors generated by each of the model's actions (same order as `model.actions`): coverage. */
  readonly actionSteps: readonly number[];
  /** The symmetry reduction the search ran with: the store holds representatives (see rebuildPath). */
  readonly symmetry?: StateCanonicalizer;
}

/** Whether the first `len` bytes of `a` and `b` are equal. */
function sameBytes(a: Uint8Array, b: Uint8Array, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return false;
  return true;
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
export async function searchInterruptible(model: Model, options: SearchOptions, stop: () => boolean, sliceMs = 100, hooks?: SliceHooks): Promise<SearchResult> {
  const run = startSearch(model, options);
  hooks?.started?.(run);
  const timeout = options.stepTimeoutMs;
  for (;;) {
    const slice = () => guarded(() => run.resume(sliceMs));
    let r: SearchResult | undefined;
    if (timeout === undefined) r = slice();
    else {
      const out = withTimeout(slice, timeout + sliceMs);
      r = out.timedOut ? run.timedOut(timeout) : out.value;
    }
    if (r) return r;
    hooks?.between?.(run);
    await new Promise<void>((done) => setImmediate(done));
    if (stop()) {
      hooks?.stopping?.(run);
      run.interrupt();
    }
  }
}

/** Called between slices of an interruptible search, when its state can be saved (checkpoints). */
export interface SliceHooks {
  started?(run: SearchRun): void;
  between?(run: SearchRun): void;
  /** A stop was asked for: the last moment to save the state. */
  stopping?(run: SearchRun): void;
}

export interface SearchRun {
  /** Searches on for about `ms` milliseconds: the result when done, else undefined. */
  resume(ms: number): SearchResult | undefined;
  interrupt(): void;
  /** After a slice was stopped for running longer than the step timeout: the spec error. */
  timedOut(ms: number): SearchResult;
  /** The search's state between two expansions (not after it finished: pending violations are settled then). */
  save(): { readonly counters: SearchCounters; readonly store: FingerprintSet; readonly frontier: Frontier };
}

export function startSearch(model: Model, options: SearchOptions): SearchRun {
  const resumed = options.resume;
  const started = clock.now() - (resumed?.seconds ?? 0) * 1000;
  const type = model.type;
  const codec = codecFor(type);
  const fp = { hi: 0, lo: 0 };
  const store: FingerprintSet = options.store ?? new CompactFpSet();
  const frontier: Frontier = options.frontier ?? (options.strategy === 'dfs' ? new ChunkedStack() : new ChunkedQueue());
  const writer = new BitWriter(1024);
  const entry: FrontierEntry = { ord: 0, depth: 0, buf: new Uint8Array(0), start: 0, end: 0 };
  const actions: readonly CompiledAction<unknown>[] = model.actions;
  const invariants: Invariant<unknown>[] = select(model.invariants, resumed?.invariants ?? options.invariants);
  const steps: StepProperty<unknown>[] = select(model.steps, resumed?.steps ?? options.steps);
  const invariantsChecked = select(model.invariants, options.invariants).map((p) => p.name);
  const stepsChecked = select(model.steps, options.steps).map((p) => p.name);
  const violations: Violation[] = [...(resumed?.violations ?? [])];
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const maxMemory = options.maxMemory ?? 0.8 * totalmem();
  const checkFirst = options.checkSpec ? Infinity : (options.checkFirst ?? 2000);
  const observer = options.observer;
  const symmetry = options.symmetry;
  const encodeState: (s: unknown, w: BitWriter) => number = symmetry ? (s, w) => symmetry.encode(s, w) : codec.encode;
  let deadlockActive = resumed?.deadlockActive ?? options.deadlock;
  let generated = resumed?.generated ?? 0;
  let deepest = resumed?.deepest ?? 0;
  let depthBounded = resumed?.depthBounded ?? false;
  let constrained = resumed?.constrained ?? false;
  const constraints = options.constraints ?? [];
  let expanded = resumed?.expanded ?? 0;
  let frontierPeak = resumed?.frontierPeak ?? 0;
  let status: SearchResult['status'] = 'complete';

  // The state being expanded, for the emit callback.
  let cur: unknown;
  /** -1 while the initial states are being encoded: there is no path to show yet. */
  let curOrd = -1;
  let curDepth = 0;
  let successors = 0;

  const actionSteps = resumed ? [...resumed.actionSteps] : new Array<number>(actions.length).fill(0);
  const tally = { action: 0 };

  // With faults, two counterexamples of the same length may differ in how many faults they take; a
  // BFS level is finished before one with faults is kept, so the one with the fewest is shown.
  const faultsOf = options.strategy === 'bfs' ? model.faultsUsed : undefined;
  const pending = new Map<string, Violation>((resumed?.pending ?? []).map((v) => [`${v.kind}:${v.property}`, v]));
  let pendingDepth = resumed?.pendingDepth ?? -1;
  const settle = (v: Violation): void => {
    violations.push(v);
    if (options.stopAtFirst) status = 'stopped';
  };
  /** Records a violation; true when it is final (the property need not be checked any more). */
  const record = (v: Violation, state: unknown): boolean => {
    const faults = faultsOf?.(state) ?? 0;
    if (faults === 0) {
      pending.delete(`${v.kind}:${v.property}`);
      settle(faultsOf ? { ...v, faults } : v);
      return true;
    }
    const key = `${v.kind}:${v.property}`;
    const before = pending.get(key);
    if (!before || before.faults! > faults) pending.set(key, { ...v, faults });
    pendingDepth = curDepth;
    return false;
  };
  const flush = (): void => {
    for (const v of pending.values()) {
      settle(v);
      if (v.kind === 'invariant') invariants.splice(invariants.findIndex((p) => p.name === v.property), 1);
      else if (v.kind === 'step') steps.splice(steps.findIndex((p) => p.name === v.property), 1);
      else deadlockActive = false;
    }
    pending.clear();
  };

  // The state being expanded and a copy of its bytes: successors that share fields with it (spreads)
  // are encoded by copying those fields' bits (codec.encodeDelta), with the same bytes as encode.
  // (Not with symmetry: a successor is stored as its orbit's representative, encoded whole.)
  const encodeDelta = symmetry ? undefined : codec.encodeDelta;
  let base: unknown;
  let baseBytes = new Uint8Array(64);
  let baseValid = false;
  let baseLen = 0;
  const encode = (s: unknown, label: Label | undefined): number => {
    try {
      return baseValid ? encodeDelta!(s, base, baseBytes, 0, writer) : encodeState(s, writer);
    } catch (e) {
      if (e !== OUT_OF_TYPE) throw unencodable(model, label, s, e);
      throw outsideType(model, label, type.explain(s, 'state') ?? 'the state does not fit its declared type', s);
    }
  };

  const emit = (label: Label, next: unknown): void => {
    // A state whose only steps are faults is stuck as far as the algorithm goes: still a deadlock.
    if (label.fault === undefined) successors++;
    actionSteps[tally.action]++;
    generated++;
    const len = encode(next, label);
    let after: unknown;
    if (constraints.length !== 0) {
      // TLC's CONSTRAINT: a successor outside is checked against the invariants here, and is
      // neither stored nor expanded.
      after = codec.decode(writer.buf, 0, len);
      if (!withinConstraints(model, constraints, after)) {
        constrained = true;
        checkOutside(label, after);
        checkSteps(label, symmetry ? symmetry.normalize(next) : after);
        return;
      }
    }
    if (baseValid && len === baseLen && sameBytes(writer.buf, baseBytes, len)) {
      // A step back to the state being expanded (a self-loop: often a third of all steps), which is
      // stored already: its bytes are the base's, so no fingerprint and no lookup.
      if (observer !== undefined) observer.edge(curOrd, label);
    } else {
      fingerprint(writer.buf, len, fp);
      if (store.size >= maxStates && store.find(fp.hi, fp.lo) < 0) {
        // A new state beyond the limit: not stored, and the search stops after this expansion.
        if (status === 'complete') status = 'state-limit';
        return;
      }
      const ord = store.insert(fp.hi, fp.lo, curOrd);
      if (ord >= 0) frontier.push(ord, curDepth + 1, writer.buf, len);
      if (observer !== undefined) observer.edge(ord >= 0 ? ord : store.find(fp.hi, fp.lo), label);
    }
    if (steps.length === 0) return;
    // Step properties see the successor in its canonical form, as invariants do (sets without
    // repeats, in domain order).
    // (With symmetry, the successor itself: the stored representative is no successor of `cur`.)
    checkSteps(label, symmetry ? symmetry.normalize(next) : (after ?? codec.decode(writer.buf, 0, len)));
  };

  const checkSteps = (label: Label, after: unknown): void => {
    for (let i = 0; i < steps.length; i++) {
      const p = steps[i];
      if (!holdsStep(p, cur, after, label) && record({ kind: 'step', property: p.name, ordinal: curOrd, depth: curDepth, step: { label, next: after } }, after)) {
        steps.splice(i--, 1);
      }
    }
  };

  /** The invariants on a successor outside the constraints (the step into it is the trace's last). */
  const checkOutside = (label: Label, after: unknown): void => {
    for (let i = 0; i < invariants.length; i++) {
      const inv = invariants[i];
      if (!holdsInvariant(model, inv, after) && record({ kind: 'invariant', property: inv.name, ordinal: curOrd, depth: curDepth, step: { label, next: after } }, after)) {
        invariants.splice(i--, 1);
      }
    }
  };

  const reducer = options.reducer;
  /** The ordinal of a successor already stored, -1 for a new one, -2 for one that does not encode
   *  (for the reducer's cycle proviso; emitting it reports the error with its step). */
  const seen = (next: unknown): number => {
    let len: number;
    try {
      len = codec.encode(next, writer);
    } catch {
      return -2;
    }
    fingerprint(writer.buf, len, fp);
    return store.find(fp.hi, fp.lo);
  };

  let checking: CheckRun | undefined;
  const checkEmit = (label: Label, next: unknown): void => {
    // explain() also catches what encoding ignores, such as an undeclared field.
    let why: string | undefined;
    try {
      why = type.explain(next, 'state');
    } catch (e) {
      throw unencodable(model, label, next, e);
    }
    if (why !== undefined) throw outsideType(model, label, why, next);
    const len = encode(next, label);
    fingerprint(writer.buf, len, fp);
    checking!.push(label, fp.hi, fp.lo);
  };

  let initLimited = resumed?.initLimited ?? false;
  let initDone = false;
  let nextProgress = 0;
  let nextMemoryCheck = 0;
  let deadline = Infinity;
  let checkMask = 63;
  let lastCheck = started;
  const resume = (ms: number): SearchResult | undefined => {
    deadline = ms === Infinity ? Infinity : clock.now() + ms;
    try {
      if (!initDone && resumed) {
        initDone = true;
        nextProgress = started + (options.progressMs ?? 1000);
        nextMemoryCheck = clock.now();
      }
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
        if (pending.size && entry.depth > pendingDepth) {
          flush();
          if (status !== 'complete') break;
        }
        curOrd = entry.ord;
        curDepth = entry.depth;
        if (curDepth > deepest) deepest = curDepth;
        const checkNow = expanded < checkFirst;
        const bytes = checkNow ? entry.buf.slice(entry.start, entry.end) : undefined;
        const s = codec.decode(entry.buf, entry.start, entry.end);
        cur = s;
        if (encodeDelta !== undefined) {
          // A copy: the frontier may reuse the entry's bytes (a stack does) while successors are pushed.
          const n = entry.end - entry.start;
          if (baseBytes.length < n) baseBytes = new Uint8Array(2 * n);
          const src = entry.buf;
          for (let i = 0, j = entry.start; i < n; i++, j++) baseBytes[i] = src[j];
          base = s;
          baseLen = n;
        }

        for (let i = 0; i < invariants.length; i++) {
          const inv = invariants[i];
          if (!holdsInvariant(model, inv, s) && record({ kind: 'invariant', property: inv.name, ordinal: curOrd, depth: curDepth }, s)) invariants.splice(i--, 1);
        }
        if (status !== 'complete') break;
        if (curDepth >= maxDepth) {
          depthBounded = true;
          continue;
        }
        // An initial state outside the constraints is kept and checked, but not expanded.
        if (curDepth === 0 && constraints.length !== 0 && !withinConstraints(model, constraints, s)) {
          constrained = true;
          continue;
        }

        if (checkNow) {
          checkActions(model, bytes!, (run) => (checking = run), checkEmit, tally);
          symmetry?.verify?.(s);
        }
        successors = 0;
        expanded++;
        if (observer !== undefined) observer.expand(curOrd, s);
        baseValid = encodeDelta !== undefined;
        try {
          if (reducer === undefined) expandAll(model, actions, s, emit, tally);
          else reducer.expand(s, curOrd, emit, tally, seen);
        } finally {
          baseValid = false;
        }
        tally.action = -1;
        if (successors === 0 && deadlockActive && !isTerminal(model, s) && record({ kind: 'deadlock', property: 'deadlock', ordinal: curOrd, depth: curDepth }, s)) {
          deadlockActive = false;
        }
        if ((expanded & checkMask) === 0) {
          const now = clock.now();
          if (now >= nextMemoryCheck) {
            nextMemoryCheck = now + 1000;
            if (process.memoryUsage.rss() > maxMemory) {
              status = 'memory-limit';
              if (options.onMemoryLimit) unguarded(options.onMemoryLimit);
            }
          }
          if (options.onProgress && now >= nextProgress) {
            nextProgress = now + (options.progressMs ?? 1000);
            const p = { distinct: store.size, generated, frontier: frontier.size, depth: deepest, seconds: (now - started) / 1000 };
            unguarded(() => options.onProgress!(p));
          }
          // Slow expansions: look at the clock after each one, so a slice ends on time.
          if (now - lastCheck > 100) checkMask = 0;
          lastCheck = now;
          if (now >= deadline) return undefined;
        }
      }
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      flush();
      return finish('spec-error', { error: e, ordinal: curOrd });
    }
    flush();
    if (initLimited && status === 'complete') status = 'state-limit';
    return finish(status);
  };
  return {
    resume,
    save: () => ({
      counters: {
        generated, deepest, depthBounded, constrained, expanded, frontierPeak, initLimited, deadlockActive,
        seconds: (clock.now() - started) / 1000,
        actionSteps: [...actionSteps],
        violations: [...violations],
        pending: [...pending.values()],
        pendingDepth,
        invariants: invariants.map((p) => p.name),
        steps: steps.map((p) => p.name),
      },
      store,
      frontier,
    }),
    interrupt: () => {
      if (status === 'complete') status = 'interrupted';
    },
    timedOut: (ms) => {
      resetGuards();
      const error = stepTimeoutError(model, tally.action >= 0 ? actions[tally.action] : undefined, curOrd >= 0, cur, ms);
      pending.clear();
      return finish('spec-error', { error, ordinal: curOrd });
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
      constrained,
      seconds: (clock.now() - started) / 1000,
      violations,
      specError,
      store,
      storeBytes: store.bytes(),
      frontierPeak,
      // Encodings of at most EXACT_BYTES bytes are their own fingerprints: no collision possible.
      collisionProbability: (codec.maxBytes ?? Infinity) <= EXACT_BYTES ? 0 : Math.min(1, (n * Math.max(generated - n, n / 2)) / 2 ** 64),
      invariantsChecked,
      stepsChecked,
      actionSteps,
      ...(symmetry ? { symmetry } : {}),
    };
  }
}

/** The spec error for a state's expansion stopped after `ms` milliseconds, naming the action that ran. */
export function stepTimeoutError(model: Model, action: CompiledAction<unknown> | undefined, hasState: boolean, state: unknown, ms: number): SpecError {
  const label = action?.current;
  const what = action ? `action ${label ? model.showLabel(label) : action.name}` : 'checking the invariants (or terminal) of a state';
  return new SpecError('timeout', `${what} ran for more than ${ms / 1000} s: an infinite loop?`, {
    action: action ? what.slice('action '.length) : undefined,
    state: hasState ? model.type.show(state) : undefined,
    hint: 'an action or property must return quickly; raise --step-timeout (search.stepTimeout) if it is only slow',
  });
}

/** A successor that cannot be encoded at all: a Promise (an async action), or a value that contains
 *  itself (the generic encoder recurses for ever). Anything else is a bug of the checker: rethrown. */
export function unencodable(model: Model, label: Label | undefined, s: unknown, e: unknown): unknown {
  if (isThenable(s)) return outsideType(model, label, '', s);
  if (!(e instanceof RangeError) || !/call stack/i.test(e.message)) return e;
  const what = label ? `action ${model.showLabel(label)} gives a successor` : 'an initial state is';
  return new SpecError('type', `${what} that contains itself (a cycle of objects), which a state cannot`, {
    action: label ? model.showLabel(label) : 'init',
    hint: 'a state is a tree of plain values: build new objects instead of linking one back to another',
  });
}

function isThenable(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** A successor (or, without a label, an initial state) outside the declared state type. */
export function outsideType(model: Model, label: Label | undefined, why: string, s?: unknown): SpecError {
  if (isThenable(s)) {
    const name = label ? model.showLabel(label) : 'init';
    return new SpecError('async', `${label ? `action ${name}` : 'an initial state'} gives a Promise, not a state: is the action async?`, {
      action: name,
      hint: 'actions run synchronously: remove async/await and return the next state (or null when disabled)',
    });
  }
  const what = label ? `action ${model.showLabel(label)} gives a successor` : 'an initial state is';
  return new SpecError('type', `${what} outside the declared state type: ${why}`, {
    action: label ? model.showLabel(label) : 'init',
    hint: 'fix the action, or change the declared type of that field (or declare the field)',
  });
}

/** A step property's verdict; an exception in it is a spec error naming it. */
export function holdsStep(p: StepProperty<unknown>, before: unknown, after: unknown, label: Label): boolean {
  try {
    return p.holds(before, after, label);
  } catch (e) {
    throw forbiddenCallError(e, `step property ${p.name}`) ?? new SpecError('throw', `step property ${p.name} threw ${describeThrown(e)}`, { action: `step property ${p.name}`, cause: e });
  }
}

/** An invariant's (or a constraint's) verdict; an exception (or a clock or random call) in it is a
 *  spec error naming it. */
export function holdsInvariant(model: Model, inv: Invariant<unknown>, s: unknown, kind: 'invariant' | 'constraint' = 'invariant'): boolean {
  try {
    return inv.holds(s);
  } catch (e) {
    const what = `${kind} ${inv.name}`;
    throw forbiddenCallError(e, what, model.type.show(s)) ?? new SpecError('throw', `${what} threw ${describeThrown(e)}`, { action: what, state: model.type.show(s), cause: e });
  }
}

export function withinConstraints(model: Model, constraints: readonly Invariant<unknown>[], s: unknown): boolean {
  for (let i = 0; i < constraints.length; i++) if (!holdsInvariant(model, constraints[i], s, 'constraint')) return false;
  return true;
}

/** Whether `s` is a declared terminal state; an exception in `terminal` is a spec error. */
export function isTerminal(model: Model, s: unknown): boolean {
  if (!model.terminal) return false;
  try {
    return model.terminal(s);
  } catch (e) {
    throw forbiddenCallError(e, 'terminal', model.type.show(s)) ?? new SpecError('throw', `terminal threw ${describeThrown(e)}`, { action: 'terminal', state: model.type.show(s), cause: e });
  }
}

/** Runs every action on `s`, turning an exception into a SpecError that names the action and its parameters. */
/** Runs every action on `s` (only action number `only`, when given). */
export function expandAll(model: Model, actions: readonly CompiledAction<unknown>[], s: unknown, emit: (label: Label, next: unknown) => void, tally?: { action: number }, only = -1): void {
  let current: CompiledAction<unknown> | undefined;
  try {
    for (let a = only < 0 ? 0 : only, end = only < 0 ? actions.length : only + 1; a < end; a++) {
      current = actions[a];
      if (tally) tally.action = a;
      current.expand(s, emit);
    }
  } catch (e) {
    if (e instanceof SpecError || e instanceof EngineLimit || current === undefined) throw e;
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

/** The action (with its parameters) that mutates its input, found by running the actions once
 *  more on a deep-frozen copy of the state: the first write to it throws. Only run once a mutation
 *  was seen (frozen objects would slow every later state down). */
function mutator(model: Model, state: unknown): string | undefined {
  try {
    expandAll(model, model.actions, deepFreeze(state), () => {});
  } catch (e) {
    const cause = e instanceof SpecError ? e.detail.cause : undefined;
    if (cause instanceof TypeError && /read.only|frozen|not extensible|Cannot (assign|add|delete|define)/i.test(cause.message)) return e instanceof SpecError ? e.detail.action : undefined;
  }
  return undefined;
}

/** How the input state `s` of a checked expansion differs from `bytes`, the state it was decoded
 *  from (undefined when it does not): a change to a field, an undeclared field, a value that no
 *  longer encodes. */
function inputChange(model: Model, codec: Codec<unknown>, writer: BitWriter, bytes: Uint8Array, s: unknown): string | undefined {
  let why: string | undefined;
  try {
    why = model.type.explain(s, 'state');
    if (why === undefined) {
      const len = codec.encode(s, writer);
      if (len === bytes.length && sameBytes(writer.buf, bytes, len)) return undefined;
    }
  } catch (e) {
    why = `it no longer encodes: ${describeThrown(e)}`;
  }
  try {
    const changes = showChanges(diff(model.type, codec.decode(bytes, 0, bytes.length), s));
    if (changes.length) return changes.slice(0, 3).join('; ') + (changes.length > 3 ? `; and ${changes.length - 3} more` : '');
  } catch {
    // The diff could not render the changed state: the reason alone says it.
  }
  return why ?? 'it no longer encodes to the same bytes';
}

/** Successor fingerprints of one run of all actions, for comparing two runs. */
export class CheckRun {
  /** The labels as given (shown only when two runs are compared and differ in identity). */
  readonly labels: Label[] = [];
  readonly his: number[] = [];
  readonly los: number[] = [];
  push(label: Label, hi: number, lo: number): void {
    this.labels.push(label);
    this.his.push(hi);
    this.los.push(lo);
  }
}

/** Runs the actions twice on fresh copies of the state: a mutation of the input throws, and two runs
 *  that give different successors reveal a nondeterministic action. */
export function checkActions(model: Model, bytes: Uint8Array, setRun: (r: CheckRun) => void, emit: (label: Label, next: unknown) => void, tally?: { action: number }): void {
  // The input is a fresh copy, not a frozen one: frozen objects have hidden classes of their own,
  // and once the spec's functions and the encoder had seen them, every later state ran through
  // slower polymorphic code (TwoPhase-8 took 40% longer). A mutation is caught instead by checking,
  // after each successor and after each action, that the input still is the state of `bytes`.
  const codec = codecFor(model.type);
  const writer = new BitWriter();
  const runs: CheckRun[] = [];
  for (let k = 0; k < 2; k++) {
    const s = codec.decode(bytes, 0, bytes.length);
    const run = new CheckRun();
    setRun(run);
    const actions = model.actions;
    let a = 0;
    const intact = (): void => {
      const changed = inputChange(model, codec, writer, bytes, s);
      if (changed === undefined) return;
      const action = mutator(model, codec.decode(bytes, 0, bytes.length)) ?? actions[a].name;
      throw new SpecError('impure', `action ${action} mutates its input state (${changed})`, {
        action,
        state: model.type.show(codec.decode(bytes, 0, bytes.length)),
        hint: 'build a new state with spreads ({ ...s, x: 1 }, [...xs, y]) instead of assigning to the old one',
      });
    };
    const checked = (label: Label, next: unknown): void => {
      intact();
      emit(label, next);
    };
    for (; a < actions.length; a++) {
      expandAll(model, actions, s, checked, tally, a);
      intact();
    }
    runs.push(run);
  }
  const [a, b] = runs;
  const n = Math.max(a.labels.length, b.labels.length);
  const shown = (l: Label | undefined) => (l === undefined ? undefined : model.showLabel(l));
  for (let i = 0; i < n; i++) {
    const la = a.labels[i];
    const lb = b.labels[i];
    if ((la !== lb && shown(la) !== shown(lb)) || a.his[i] !== b.his[i] || a.los[i] !== b.los[i]) {
      const action = shown(la ?? lb)!;
      throw new SpecError('nondeterministic', `action ${action} gives different successors when run twice on the same state`, {
        action,
        state: model.type.show(model.type.decode(new BitReader().reset(bytes))),
        hint: 'actions must be pure functions of the state and their parameters: no Math.random, Date.now or outside variables',
      });
    }
  }
}

