// Runs the one-thread search and the parallel one on the same model and gives what must be equal.
import { expect } from 'vitest';
import type { Model } from '../../../checker/core/spec.ts';
import { search, type SearchOptions, type SearchResult } from '../../../checker/explore/search.ts';
import { searchParallel, type ParallelOptions } from '../../../checker/explore/parallel/engine.ts';
import type { ModelSource } from '../../../checker/explore/parallel/model-source.ts';
import { rebuildPath } from '../../../checker/trace/rebuild.ts';

/** Everything a report shows of a search, with the counterexamples as rebuilt paths. */
export function summary(model: Model, r: SearchResult) {
  return {
    status: r.status,
    distinct: r.distinct,
    generated: r.generated,
    depth: r.depth,
    depthBounded: r.depthBounded,
    constrained: r.constrained,
    actionSteps: r.actionSteps,
    invariantsChecked: r.invariantsChecked,
    stepsChecked: r.stepsChecked,
    error: r.specError && { message: r.specError.error.message, ordinal: r.specError.ordinal },
    violations: r.violations.map((v) => ({
      kind: v.kind,
      property: v.property,
      ordinal: v.ordinal,
      depth: v.depth,
      faults: v.faults,
      step: v.step && { label: model.showLabel(v.step.label), next: model.type.show(v.step.next) },
      path: rebuildPath(model, r.store, v.ordinal).map((s) => [s.label && model.showLabel(s.label), model.type.show(s.state)]),
    })),
  };
}

/** Checks that `workers` parallel runs give what the one-thread search gives; returns that. */
export async function expectSameAsOneThread(model: Model, source: ModelSource, options: SearchOptions, runs: readonly ParallelOptions[]) {
  const one = summary(model, search(model, options));
  for (const p of runs) {
    const out = await searchParallel(model, source, options, { waitForThreads: true, spawnAt: 0, ...p });
    expect(out.note).toBeUndefined();
    expect(out.threads).toBe(p.workers);
    expect({ workers: p.workers, ...summary(model, out.result!) }).toEqual({ workers: p.workers, ...one });
  }
  return one;
}
