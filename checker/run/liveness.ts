// Liveness for one run: which temporal properties and fairness conditions apply (the spec's, with
// the model file's additions and overrides), and, once the search is over, a verdict for each
// property: a lasso counterexample, a witness (`sometimes`), or `unknown` with the reason.
import type { Model } from '../core/spec.ts';
import type { FairnessDecl, FairnessValue, TemporalProperty } from '../core/temporal.ts';
import { LivenessRecorder } from '../explore/live-recorder.ts';
import { flatten } from '../explore/graph.ts';
import { findLasso, type Fairness, type LassoQuery, type LiveGraph } from '../explore/liveness.ts';
import { NO_PARENT } from '../explore/fp-set.ts';
import type { SearchResult } from '../explore/search.ts';
import { rebuildLasso } from '../trace/rebuild-lasso.ts';
import { rebuildPath, type PathStep } from '../trace/rebuild.ts';

export type LiveVerdictValue = 'holds' | 'violated' | 'unknown';

export interface LiveVerdict {
  readonly name: string;
  readonly family?: string;
  readonly op: TemporalProperty['op'];
  readonly says?: string;
  readonly verdict: LiveVerdictValue;
  /** Why unknown, or that it holds vacuously. */
  readonly note?: string;
  /** A lasso (violated) or a witness (`sometimes`). */
  readonly path?: PathStep[];
  /** Index of the state where the loop starts (lasso only); the last state equals it. */
  readonly loopStart?: number;
}

export interface LivenessOutcome {
  readonly verdicts: readonly LiveVerdict[];
  /** The fairness assumed: the spec's, with the model file's changes. */
  readonly fairness: readonly FairnessDecl[];
  /** Fairness conditions that are never enabled, in words. */
  readonly vacuousFairness: readonly string[];
  readonly edges: number;
  readonly graphBytes: number;
  readonly seconds: number;
}

/** The properties a run checks: the names given (a family name stands for all its members), or all. */
export function selectProperties(model: Model, names: readonly string[] | undefined): TemporalProperty[] {
  const all = model.properties ?? [];
  if (names === undefined) return [...all];
  return all.filter((p) => names.includes(p.name) || (p.family !== undefined && names.includes(p.family)));
}

/** The model file's fairness over the spec's: `none` drops the spec's; an entry replaces the spec's
 *  entry for the same selector, and `none` as its value removes it (`'*': none` removes them all). */
export function mergeFairness(spec: readonly FairnessDecl[], file: 'none' | Readonly<Record<string, FairnessValue | 'none'>> | undefined): FairnessDecl[] {
  if (file === undefined) return [...spec];
  if (file === 'none') return [];
  let out = file['*'] === 'none' ? [] : [...spec];
  for (const [selector, v] of Object.entries(file)) {
    out = out.filter((d) => d.selector !== selector);
    if (v === 'none') continue;
    out.push(typeof v === 'string' ? { selector, kind: v, per: 'instance' } : { selector, kind: v.kind, per: v.per ?? 'instance' });
  }
  return out;
}

/** Why no liveness verdict can be trusted for this run, or undefined when the search was complete. */
function incomplete(result: SearchResult, maxDepth: number | undefined): string | undefined {
  if (result.status === 'state-limit') return `the search stopped at the state limit (${result.distinct} states)`;
  if (result.status === 'memory-limit') return 'the search stopped when memory ran short';
  if (result.status === 'stopped') return 'the search stopped at the first violation (stopAtFirst)';
  if (result.status !== 'complete') return `the search did not finish (${result.status})`;
  if (result.depthBounded) return `the depth bound (maxDepth ${maxDepth ?? ''}) kept deeper states from being explored`.replace(' )', ')');
  return undefined;
}

export function livenessVerdicts(rec: LivenessRecorder, result: SearchResult, maxDepth?: number): LivenessOutcome {
  const started = performance.now();
  const { model, graph, fairness, bits } = rec;
  const store = result.store;
  const why = incomplete(result, maxDepth);
  const n = store.size;
  const inits: number[] = [];
  for (let o = 0; o < n && store.parentOf(o) === NO_PARENT; o++) inits.push(o);
  const graphBytes = graph.bytes();
  const edges = graph.edges;
  const g: LiveGraph = why ? flatten(graph, 0, []) : flatten(graph, n, inits);
  const fair: Fairness = {
    groupCount: fairness.groups.length,
    groupsOf: (i) => fairness.instGroups[i],
    isStrong: (x) => fairness.groups[x].kind === 'strong',
  };

  const verdicts = rec.properties.map((prop, i): LiveVerdict => {
    const base = { name: prop.name, family: prop.family, op: prop.op, says: prop.says };
    const slot = rec.slots[i];
    const p = (v: number) => bits.get(v, slot.p);
    if (prop.op === 'sometimes') {
      const w = rec.firstTrue[slot.p];
      if (w >= 0) return { ...base, verdict: 'holds', path: rebuildPath(model, store, w), note: 'witness' };
      return why ? { ...base, verdict: 'unknown', note: why } : { ...base, verdict: 'violated', note: 'no reachable state satisfies it' };
    }
    if (why) return { ...base, verdict: 'unknown', note: why };
    const q = slot.q === undefined ? undefined : (v: number) => bits.get(v, slot.q!);
    const query = queryOf(prop.op, p, q);
    const lasso = findLasso(g, fair, query);
    if (!lasso) {
      const vacuous = prop.op === 'leadsTo' && rec.firstTrue[slot.p] < 0;
      return { ...base, verdict: 'holds', ...(vacuous ? { note: 'vacuously: its left side never holds' } : {}) };
    }
    const insts = lasso.edges.map((e) => g.inst(e));
    return { ...base, verdict: 'violated', path: rebuildLasso(model, store, fairness, lasso.states, insts), loopStart: lasso.loopStart };
  });

  const vacuousFairness = why
    ? []
    : rec.decls
        .map((d, k) => ({ d, used: fairness.groups.some((x) => x.decl === k) }))
        .filter((x) => !x.used)
        .map(({ d }) => `${d.kind} fairness of ${d.selector} is vacuous: no step it covers is ever enabled`);
  return { verdicts, fairness: rec.decls, vacuousFairness, edges, graphBytes, seconds: (performance.now() - started) / 1000 };
}

export function queryOf(op: Exclude<TemporalProperty['op'], 'sometimes'>, p: (v: number) => boolean, q?: (v: number) => boolean): LassoQuery {
  switch (op) {
    case 'eventually':
      return { fromStart: true, allowed: (v) => !p(v), switchable: () => false };
    case 'infinitelyOften':
      return { fromStart: false, allowed: (v) => !p(v), switchable: () => true };
    case 'eventuallyAlways':
      return { fromStart: false, allowed: () => true, switchable: () => true, accepting: (v) => !p(v) };
    case 'leadsTo':
      return { fromStart: false, allowed: (v) => !q!(v), switchable: (v) => p(v) && !q!(v) };
  }
}

export { LivenessRecorder };
