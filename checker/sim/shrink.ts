// Shrinking a counterexample by delta debugging: remove whole segments of steps, then single steps,
// weaken faults, and move steps so the story reads process by process, keeping a change only when
// the same property still fails. Candidates are re-executed by label: a step is kept when its label
// is still enabled in the new prefix, and dropped otherwise.
import { SpecError } from '../core/errors.ts';
import type { Label, Model } from '../core/spec.ts';
import { expandAll, type ViolationKind } from '../explore/search.ts';
import { canonical, type PathStep } from '../trace/rebuild.ts';

export interface ShrinkTarget {
  /** Kinds other than invariant, step and deadlock (a liveness lasso) are returned unchanged. */
  readonly kind: ViolationKind | string;
  readonly property: string;
}

export interface ShrinkOptions {
  /** Most candidate re-executions (default 20,000). */
  readonly maxTries?: number;
  /** Most seconds spent (default 10). */
  readonly seconds?: number;
}

export interface ShrinkResult {
  readonly path: PathStep[];
  /** Steps before and after. */
  readonly original: number;
  readonly shrunk: number;
  readonly tries: number;
  /** Faults and switches between processes, before and after. */
  readonly faults: readonly [number, number];
  readonly switches: readonly [number, number];
}

/** The process a step belongs to: its label's process, else its first parameter (`i=0`), else none. */
export function processOf(label: Label | null): string {
  if (!label) return '';
  if (label.process !== undefined) return label.process;
  const first = Object.entries(label.params)[0];
  return first ? `${first[0]}=${String(first[1])}` : '';
}

interface Cost {
  readonly length: number;
  readonly faults: number;
  readonly switches: number;
}

function costOf(path: readonly PathStep[]): Cost {
  let faults = 0;
  let switches = 0;
  for (let i = 1; i < path.length; i++) {
    if (path[i].label?.fault) faults++;
    if (i > 1 && processOf(path[i].label) !== processOf(path[i - 1].label)) switches++;
  }
  return { length: path.length - 1, faults, switches };
}

function better(a: Cost, b: Cost): boolean {
  if (a.length !== b.length) return a.length < b.length;
  if (a.faults !== b.faults) return a.faults < b.faults;
  return a.switches < b.switches;
}

/** Shrinks `path` (from an initial state to a violation of `target`). */
export function shrinkPath(model: Model, path: readonly PathStep[], target: ShrinkTarget, options: ShrinkOptions = {}): ShrinkResult {
  if (target.kind !== 'invariant' && target.kind !== 'step' && target.kind !== 'deadlock') {
    return { path: [...path], original: path.length - 1, shrunk: path.length - 1, tries: 0, faults: [0, 0], switches: [0, 0] };
  }
  const started = performance.now();
  const maxTries = options.maxTries ?? 20_000;
  const deadline = started + (options.seconds ?? 10) * 1000;
  const show = (l: Label): string => model.showLabel(l);
  const inv = target.kind === 'invariant' ? model.invariants.find((p) => p.name === target.property) : undefined;
  const stepProp = target.kind === 'step' ? model.steps.find((p) => p.name === target.property) : undefined;
  if ((target.kind === 'invariant' && !inv) || (target.kind === 'step' && !stepProp)) throw new Error(`internal: no property ${target.property} to shrink against`);
  let tries = 0;
  const budgetLeft = (): boolean => tries < maxTries && performance.now() < deadline;

  const isDeadlock = (s: unknown): boolean => {
    let any = false;
    expandAll(model, model.actions, s, () => (any = true));
    return !any && !model.terminal?.(s);
  };

  /** Re-executes the steps by label from `init`; the failing prefix, or null when it does not fail. */
  const attempt = (init: unknown, steps: readonly PathStep[]): PathStep[] | null => {
    tries++;
    const out: PathStep[] = [{ label: null, state: init }];
    if (inv && !inv.holds(init)) return out;
    let cur = init;
    for (const step of steps) {
      const want = show(step.label!);
      const hint = canonical(model, step.state);
      let chosen: PathStep | undefined;
      let exact = false;
      expandAll(model, model.actions, cur, (label, next) => {
        if (exact || show(label) !== want) return;
        const c = canonical(model, next);
        if (c.hi === hint.hi && c.lo === hint.lo) exact = true;
        if (exact || !chosen) chosen = { label, state: c.state };
      });
      if (!chosen) continue;
      out.push(chosen);
      if (stepProp && !stepProp.holds(cur, chosen.state, chosen.label!)) return out;
      if (inv && !inv.holds(chosen.state)) return out;
      cur = chosen.state;
      if (target.kind === 'deadlock' && isDeadlock(cur)) return out;
    }
    if (target.kind === 'deadlock' && isDeadlock(cur)) return out;
    return null;
  };

  const init = path[0].state;
  const first = attempt(init, path.slice(1));
  if (!first) throw new SpecError('nondeterministic', `the counterexample for ${target.property} does not fail again when re-executed: some action gives different successors for the same state`, { hint: 'run with --check-spec to find the action' });
  let best = first;
  let bestCost = costOf(best);
  const originalCost = costOf(path);
  const tryCandidate = (steps: readonly PathStep[]): boolean => {
    const r = attempt(init, steps);
    if (!r) return false;
    const c = costOf(r);
    if (!better(c, bestCost)) return false;
    best = r;
    bestCost = c;
    return true;
  };

  let progress = true;
  while (progress && budgetLeft()) {
    progress = false;
    // 1. Remove segments, halving their length (ddmin-style), then single steps.
    let chunk = Math.max(1, Math.floor((best.length - 1) / 2));
    while (chunk >= 1 && budgetLeft()) {
      let removed = false;
      for (let start = 1; start < best.length && budgetLeft(); ) {
        const steps = [...best.slice(1, start), ...best.slice(start + chunk)];
        if (tryCandidate(steps)) {
          removed = progress = true;
        } else start += chunk;
      }
      if (!removed) chunk = Math.floor(chunk / 2);
    }
    // 2. Weaken faults: replace a fault step by a step of the same process or message without fault.
    for (let i = 1; i < best.length && budgetLeft(); i++) {
      const step = best[i];
      if (!step.label?.fault) continue;
      const alternatives: PathStep[] = [];
      const msg = JSON.stringify(step.label.message ?? null);
      expandAll(model, model.actions, best[i - 1].state, (label, next) => {
        if (label.fault) return;
        const sameMessage = step.label!.message !== undefined && JSON.stringify(label.message ?? null) === msg;
        if (sameMessage || (label.process !== undefined && label.process === step.label!.process)) alternatives.push({ label, state: next });
      });
      for (const alt of alternatives) {
        if (tryCandidate([...best.slice(1, i), alt, ...best.slice(i + 1)])) {
          progress = true;
          break;
        }
      }
    }
    // 3. Fewer switches between processes: move a later step of the previous step's process forward.
    outer: for (let i = 2; i < best.length && budgetLeft(); i++) {
      const p = processOf(best[i - 1].label);
      if (processOf(best[i].label) === p) continue;
      for (let j = i + 1; j < best.length && budgetLeft(); j++) {
        if (processOf(best[j].label) !== p) continue;
        const steps = [...best.slice(1, i), best[j], ...best.slice(i, j), ...best.slice(j + 1)];
        if (tryCandidate(steps)) {
          progress = true;
          break outer;
        }
      }
    }
  }
  return {
    path: best,
    original: path.length - 1,
    shrunk: best.length - 1,
    tries,
    faults: [originalCost.faults, bestCost.faults],
    switches: [originalCost.switches, bestCost.switches],
  };
}
