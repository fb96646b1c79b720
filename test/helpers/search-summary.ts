// What a search found, in a form to compare two runs of the same model with toEqual: the counts,
// and each violation with its counterexample as the labels of its steps.
import type { Model } from '../../checker/core/spec.ts';
import type { SearchResult } from '../../checker/explore/search.ts';
import { rebuildPath } from '../../checker/trace/rebuild.ts';

export function searchSummary(model: Model, r: SearchResult) {
  return {
    status: r.status,
    distinct: r.distinct,
    generated: r.generated,
    depth: r.depth,
    actionSteps: r.actionSteps,
    violations: r.violations.map((v) => ({
      kind: v.kind,
      property: v.property,
      depth: v.depth,
      ordinal: v.ordinal,
      faults: v.faults,
      path: [...rebuildPath(model, r.store, v.ordinal).map((s) => (s.label ? model.showLabel(s.label) : 'init')), ...(v.step ? [model.showLabel(v.step.label)] : [])],
    })),
  };
}
