// Replay of temporal traces: a lasso must close (its last state is its loop-start state), its
// property must fail on it, and its loop must be fair under the fairness the run assumed. A
// `sometimes` witness must end in a state where the property holds.
import type { Label, Model } from '../core/spec.ts';
import { compileFairness, type TemporalProperty } from '../core/temporal.ts';
import { FairnessIndex, selectorProblem } from '../explore/fairness.ts';
import { loopUnfairTo } from '../explore/liveness.ts';
import { expandAll } from '../explore/search.ts';
import { canonical, type PathStep } from './rebuild.ts';
import type { TraceFile } from './format.ts';

export type Conclusion = { readonly ok: true; readonly summary: string } | { readonly ok: false; readonly problem: string };

const holds = (f: (s: unknown) => boolean, s: unknown): boolean => f(s) === true;

export function concludeTemporal(model: Model, trace: TraceFile, path: readonly PathStep[]): Conclusion {
  const { name } = trace.property;
  const prop: TemporalProperty | undefined = (model.properties ?? []).find((p) => p.name === name);
  if (!prop) return { ok: false, problem: `the spec no longer has a temporal property named ${name}` };
  const n = path.length - 1;
  const states = path.map((p) => p.state);
  if (prop.op === 'sometimes') {
    if (!holds(prop.p, states[n])) return { ok: false, problem: `the trace replays, but ${name} no longer holds at its last state (step ${n})` };
    return { ok: true, summary: `replayed ${n} step${n === 1 ? "" : "s"}: ${name} holds at step ${n}, the witness recorded` };
  }
  const k = trace.loopStart;
  if (k === undefined || !Number.isInteger(k) || k < 0 || k > n) return { ok: false, problem: `the trace of temporal property ${name} has no valid loopStart` };
  const a = canonical(model, states[n]);
  const b = canonical(model, states[k]);
  if (a.hi !== b.hi || a.lo !== b.lo) return { ok: false, problem: `the loop does not close: the last state (step ${n}) differs from the loop-start state (step ${k})` };

  const loop = states.slice(k, Math.max(k + 1, n));
  const p = (s: unknown) => holds(prop.p, s);
  const q = (s: unknown) => holds(prop.q ?? (() => false), s);
  let fails: boolean;
  switch (prop.op) {
    case 'eventually':
      fails = states.every((s) => !p(s));
      break;
    case 'infinitelyOften':
      fails = loop.every((s) => !p(s));
      break;
    case 'eventuallyAlways':
      fails = loop.some((s) => !p(s));
      break;
    case 'leadsTo':
      fails = states.some((s, i) => p(s) && states.slice(i).every((x) => !q(x)));
      break;
  }
  if (!fails) return { ok: false, problem: `the trace replays, but ${name} no longer fails on its lasso` };

  for (const d of trace.fairness ?? []) {
    const why = selectorProblem(model, d.selector);
    if (why) return { ok: false, problem: `the trace's fairness no longer fits the spec: ${why}` };
  }
  const index = new FairnessIndex(model, compileFairness(Object.fromEntries((trace.fairness ?? []).map((d) => [d.selector, { kind: d.kind, per: d.per }]))));
  const enabled = loop.map((s) => {
    const me = canonical(model, s);
    const en = new Set<number>();
    expandAll(model, model.actions, s, (label: Label, next) => {
      const c = canonical(model, next);
      if (c.hi === me.hi && c.lo === me.lo) return; // a stuttering step: fairness ignores it
      for (const x of index.instGroups[index.intern(label)]) en.add(x);
    });
    return en;
  });
  const taken = new Set<number>();
  for (let i = k + 1; i <= n; i++) {
    const c0 = canonical(model, states[i - 1]);
    const c1 = canonical(model, states[i]);
    if (c0.hi === c1.hi && c0.lo === c1.lo) continue;
    for (const x of index.instGroups[index.intern(path[i].label!)]) taken.add(x);
  }
  const fair = { groupCount: index.groups.length, groupsOf: (i: number) => index.instGroups[i], isStrong: (x: number) => index.groups[x].kind === 'strong' };
  const unfair = loopUnfairTo(fair, enabled, taken);
  if (unfair !== undefined) return { ok: false, problem: `the trace replays, but its loop is not fair: ${index.groups[unfair].name} is not met on it` };
  const how = k === n ? `stutters at step ${k} for ever` : `loops back from step ${n} to step ${k}`;
  return { ok: true, summary: `replayed ${n} steps: the behaviour ${how}, is fair, and violates ${name}, as recorded` };
}
