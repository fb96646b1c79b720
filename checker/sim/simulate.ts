// Random simulation: seeded random walks from the initial states through the model's actions,
// checking every invariant and step property and detecting deadlocks. It consumes the `Model` as
// the search does; a verdict from it is never "holds", only "violated" or "unknown".
import { BitWriter } from '../core/bits.ts';
import { codecFor } from '../core/codegen.ts';
import { SpecError } from '../core/errors.ts';
import { fingerprint } from '../core/fingerprint.ts';
import { OUT_OF_TYPE } from '../core/types.ts';
import type { CompiledAction, Invariant, Label, Model, StepProperty } from '../core/spec.ts';
import { OpenAddressingFpSet } from '../explore/fp-set.ts';
import { clock, guarded, resetGuards, unguarded } from '../explore/guard.ts';
import { withTimeout } from '../explore/timeout.ts';
import { expandAll, holdsInvariant, holdsStep, isTerminal, type ViolationKind } from '../explore/search.ts';
import type { PathStep } from '../trace/rebuild.ts';
import { Prng } from './prng.ts';

export interface SimOptions {
  readonly seed: number;
  /** How many random walks (default 1,000). */
  readonly runs: number;
  /** Steps per walk at most (default 100). */
  readonly depth: number;
  /** Stop after this many seconds even if not all runs are done. */
  readonly seconds?: number;
  readonly deadlock: boolean;
  readonly invariants?: readonly string[];
  readonly steps?: readonly string[];
  readonly stopAtFirst?: boolean;
  /** Stop counting distinct states above this many fingerprints (memory bound; default 20 million). */
  readonly maxDistinct?: number;
  /** Weight of each action (model.actions order) when a step is drawn (swarm shards); default uniform. */
  readonly weights?: readonly number[];
  /** Called about once a second while it runs. */
  readonly onProgress?: (p: { runs: number; steps: number; seconds: number }) => void;
}

export interface SimViolation {
  readonly kind: ViolationKind;
  readonly property: string;
  /** The shortest walk met up to the violating state (or step), from its initial state. */
  readonly path: PathStep[];
  /** Which run (from 1) found that walk. */
  readonly run: number;
}

export interface SimResult {
  readonly seed: number;
  readonly runs: number;
  readonly steps: number;
  readonly seconds: number;
  /** Distinct states met (by fingerprint), over all runs; `distinctCapped` when the bound was hit. */
  readonly distinct: number;
  readonly distinctCapped: boolean;
  /** The longest walk, in steps. */
  readonly depth: number;
  /** Runs that ended because no step was possible (terminal states or deadlocks). */
  readonly stuckRuns: number;
  /** Actions (by name) that were never taken in any run. */
  readonly neverTaken: readonly string[];
  readonly violations: readonly SimViolation[];
  readonly invariantsChecked: readonly string[];
  readonly stepsChecked: readonly string[];
  /** Why it stopped: all runs done, the time limit, or a violation with stopAtFirst. */
  readonly stoppedBy: 'runs' | 'time' | 'first' | 'interrupted';
  readonly specError?: { readonly error: SpecError; readonly path: PathStep[] };
}

function select<P extends { name: string }>(all: readonly P[], names: readonly string[] | undefined): P[] {
  if (names === undefined) return [...all];
  return names.map((n) => {
    const p = all.find((x) => x.name === n);
    if (!p) throw new Error(`no property ${n}`);
    return p;
  });
}

/** Random walks; the spec runs with clock and randomness calls forbidden, as in the search. */
export function simulate(model: Model, options: SimOptions): SimResult {
  const walk = startWalk(model, options);
  return guarded(() => walk.resume(Infinity))!;
}

/** The simulation in slices of about `sliceMs`, giving the event loop a turn in between (so Ctrl-C
 *  can end it with what it found); a slice that runs longer than the step timeout (an action or
 *  property in an infinite loop) ends it with a spec error naming the action. */
export async function simulateInterruptible(model: Model, options: SimOptions, stop: () => boolean, stepTimeoutMs?: number, sliceMs = 100): Promise<SimResult> {
  const walk = startWalk(model, options);
  for (;;) {
    const slice = () => guarded(() => walk.resume(sliceMs));
    let r: SimResult | undefined;
    if (stepTimeoutMs === undefined) r = slice();
    else {
      const out = withTimeout(slice, stepTimeoutMs + sliceMs);
      r = out.timedOut ? walk.timedOut(stepTimeoutMs) : out.value;
    }
    if (r) return r;
    await new Promise<void>((done) => setImmediate(done));
    if (stop()) walk.interrupt();
  }
}

interface Walk {
  resume(ms: number): SimResult | undefined;
  interrupt(): void;
  timedOut(ms: number): SimResult;
}

function startWalk(model: Model, options: SimOptions): Walk {
  const started = clock.now();
  const rng = new Prng(options.seed);
  const codec = codecFor(model.type);
  const writer = new BitWriter(1024);
  const fp = { hi: 0, lo: 0 };
  const seen = new OpenAddressingFpSet();
  const maxDistinct = options.maxDistinct ?? 20_000_000;
  const actions: readonly CompiledAction<unknown>[] = model.actions;
  const taken = new Uint8Array(actions.length);
  const invariants: Invariant<unknown>[] = select(model.invariants, options.invariants);
  const steps: StepProperty<unknown>[] = select(model.steps, options.steps);
  const invariantsChecked = invariants.map((p) => p.name);
  const stepsChecked = steps.map((p) => p.name);
  const violations: SimViolation[] = [];
  const deadline = options.seconds !== undefined ? started + options.seconds * 1000 : Infinity;
  const deadlockActive = options.deadlock;
  const weights = options.weights;
  let stoppedBy: SimResult['stoppedBy'] = 'runs';
  let totalSteps = 0;
  let nextProgress = started + 1000;
  let deepest = 0;
  let stuckRuns = 0;
  let distinctCapped = false;
  let run = 0;

  // Successors of the current state, in reusable arrays (no allocation per step beyond the spec's).
  const succLabel: Label[] = [];
  const succState: unknown[] = [];
  const succAction: number[] = [];
  let n = 0;
  let actionIndex = 0;
  const emit = (label: Label, next: unknown): void => {
    succLabel[n] = label;
    succState[n] = next;
    succAction[n] = actionIndex;
    n++;
  };
  // The current walk.
  const pathLabels: (Label | null)[] = [];
  const pathStates: unknown[] = [];
  const pathOf = (): PathStep[] => pathStates.map((state, i) => ({ label: pathLabels[i], state }));

  /** Encodes, counts and returns the canonical form of a state. */
  const canonical = (s: unknown, label: Label | null): unknown => {
    let len: number;
    try {
      len = codec.encode(s, writer);
    } catch (e) {
      if (e !== OUT_OF_TYPE) throw e;
      const what = label ? `action ${model.showLabel(label)} gives a successor` : 'an initial state is';
      throw new SpecError('type', `${what} outside the declared state type: ${model.type.explain(s, 'state') ?? 'the state does not fit its declared type'}`, {
        action: label ? model.showLabel(label) : 'init',
        hint: 'fix the action, or change the declared type of that field (or declare the field)',
      });
    }
    fingerprint(writer.buf, len, fp);
    if (!distinctCapped) {
      seen.insert(fp.hi, fp.lo, 0);
      if (seen.size >= maxDistinct) distinctCapped = true;
    }
    return codec.decode(writer.buf, 0, len);
  };

  /** Keeps, per property, the shortest violating walk met so far (shorter ones shrink better). */
  const record = (kind: ViolationKind, property: string): void => {
    const i = violations.findIndex((v) => v.kind === kind && v.property === property);
    if (i >= 0 && violations[i].path.length <= pathStates.length) return;
    const v = { kind, property, path: pathOf(), run };
    if (i >= 0) violations[i] = v;
    else violations.push(v);
  };

  const checkInvariants = (s: unknown): void => {
    for (let i = 0; i < invariants.length; i++) {
      if (!holdsInvariant(model, invariants[i], s)) record('invariant', invariants[i].name);
    }
  };

  const expand = (s: unknown): void => {
    n = 0;
    try {
      for (actionIndex = 0; actionIndex < actions.length; actionIndex++) actions[actionIndex].expand(s, emit);
    } catch (e) {
      // Run the actions again through expandAll, which names the action and its parameters.
      n = 0;
      expandAll(model, actions, s, () => {});
      throw e;
    }
  };


  // The walk in progress, kept between slices: its state and how many steps it has taken.
  let inRun = false;
  let s: unknown;
  let d = 0;
  let interrupted = false;
  let checkMask = 4095;
  let lastCheck = started;
  const firstFound = () => violations.length > 0 && options.stopAtFirst === true;

  /** Walks on for about `ms` milliseconds: the result when done, else undefined. */
  const resume = (ms: number): SimResult | undefined => {
    const sliceEnd = ms === Infinity ? Infinity : clock.now() + ms;
    try {
      for (;;) {
        if (!inRun) {
          if (firstFound() || interrupted || run >= options.runs) break;
          if (clock.now() >= deadline) {
            stoppedBy = 'time';
            break;
          }
          run++;
          pathLabels.length = 0;
          pathStates.length = 0;
          s = canonical(model.init[rng.below(model.init.length)], null);
          pathLabels.push(null);
          pathStates.push(s);
          checkInvariants(s);
          inRun = true;
          d = 0;
        }
        if (d >= options.depth || firstFound()) {
          inRun = false;
          continue;
        }
        expand(s);
        if (n === 0) {
          stuckRuns++;
          if (deadlockActive && !isTerminal(model, s)) record('deadlock', 'deadlock');
          inRun = false;
          continue;
        }
        const k = weights === undefined ? rng.below(n) : weightedPick(rng, weights, succAction, n);
        const label = succLabel[k];
        taken[succAction[k]] = 1;
        const next = canonical(succState[k], label);
        pathLabels.push(label);
        pathStates.push(next);
        totalSteps++;
        d++;
        if (d > deepest) deepest = d;
        for (let i = 0; i < steps.length; i++) {
          const p = steps[i];
          if (!holdsStep(p, s, next, label)) record('step', p.name);
        }
        checkInvariants(next);
        s = next;
        if ((totalSteps & checkMask) === 0) {
          const now = clock.now();
          if (now >= deadline) {
            stoppedBy = 'time';
            break;
          }
          if (options.onProgress && now >= nextProgress) {
            nextProgress = now + 1000;
            const p = { runs: run, steps: totalSteps, seconds: (now - started) / 1000 };
            unguarded(() => options.onProgress!(p));
          }
          // Slow steps: look at the clock after each one, so a slice ends on time.
          if (now - lastCheck > 100) checkMask = 0;
          lastCheck = now;
          if (now >= sliceEnd) return undefined;
        }
      }
      if (firstFound()) stoppedBy = 'first';
      else if (interrupted) stoppedBy = 'interrupted';
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      return finish({ error: e, path: pathOf() });
    }
    return finish();
  };

  return {
    resume,
    interrupt: () => {
      interrupted = true;
    },
    timedOut: (ms) => {
      resetGuards();
      const action = actionIndex < actions.length ? actions[actionIndex] : undefined;
      const current = action?.current;
      const what = action ? `action ${current ? model.showLabel(current) : action.name}` : 'checking the properties of a state';
      const error = new SpecError('timeout', `${what} ran for more than ${ms / 1000} s: an infinite loop?`, {
        action: action ? what.slice('action '.length) : undefined,
        state: s === undefined ? undefined : model.type.show(s),
        hint: 'an action or property must return quickly; raise --step-timeout (search.stepTimeout) if it is only slow',
      });
      return finish({ error, path: pathOf() });
    },
  };

  function finish(specError?: SimResult['specError']): SimResult {
    return {
      seed: options.seed,
      runs: run,
      steps: totalSteps,
      seconds: (clock.now() - started) / 1000,
      distinct: seen.size,
      distinctCapped,
      depth: deepest,
      stuckRuns,
      neverTaken: actions.filter((_, i) => taken[i] === 0).map((a) => a.name),
      violations,
      invariantsChecked,
      stepsChecked,
      stoppedBy,
      specError,
    };
  }
}

/** One of the first `n` successors, drawn with the weight of its action (every weight is positive). */
function weightedPick(rng: Prng, weights: readonly number[], succAction: readonly number[], n: number): number {
  let total = 0;
  for (let k = 0; k < n; k++) total += weights[succAction[k]];
  let x = (rng.next() / 0x100000000) * total;
  for (let k = 0; k < n; k++) {
    x -= weights[succAction[k]];
    if (x < 0) return k;
  }
  return n - 1;
}
