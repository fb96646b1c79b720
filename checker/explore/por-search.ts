// Runs the search with partial-order reduction (por.ts): says when it cannot apply, and restarts the
// search when it learns that a reduction it made rested on an incomplete relation.
import type { Model } from '../core/spec.ts';
import { AmpleReducer, MAX_PROCESSES, PorRestart, SendSet } from './por.ts';
import { ReadSet, recordingInvariants } from './por-reads.ts';
import type { SearchOptions, SearchResult } from './search.ts';

export type ReductionName = 'none' | 'por';

export interface ReductionInfo {
  readonly kind: 'por';
  /** False when the reduction could not apply: the search was the full one, for `reason`. */
  readonly active: boolean;
  readonly reason?: string;
  /** How many times the search started again after learning who sends to whom or what the invariants read. */
  readonly restarts: number;
  /** States expanded through an ample set smaller than all their steps. */
  readonly reducedStates: number;
}

/** Why POR cannot apply to this model and search, or undefined when it can. */
export function porOffReason(model: Model, options: SearchOptions): string | undefined {
  const structure = model.protocol;
  if (!structure) return 'the spec is not a protocol (partial-order reduction needs processes)';
  if (structure.processes.length > MAX_PROCESSES) return `more than ${MAX_PROCESSES} processes`;
  if (structure.faults) return 'the model declares faults, whose steps depend on every other step';
  const steps = options.steps ?? model.steps.map((p) => p.name);
  if (steps.length !== 0) return 'step properties read every step, so none is invisible';
  if (options.constraints?.length) return 'state constraints cut edges, so steps no longer commute';
  if (options.maxDepth !== undefined) return 'a depth bound: reduced paths may be longer than the shortest ones';
  if (options.observer) return 'the search records the state graph';
  if (options.symmetry) return 'symmetry reduction is on (the two reductions are not combined)';
  return undefined;
}

/** Searches with POR when it applies (else the plain search), restarting as often as needed. */
export async function searchReduced(
  model: Model,
  options: SearchOptions,
  run: (model: Model, options: SearchOptions) => SearchResult | Promise<SearchResult>,
): Promise<{ readonly result: SearchResult; readonly reduction: ReductionInfo }> {
  const reason = porOffReason(model, options);
  if (reason !== undefined) return { result: await run(model, options), reduction: { kind: 'por', active: false, reason, restarts: 0, reducedStates: 0 } };
  const structure = model.protocol!;
  const reads = new ReadSet();
  const sends = new SendSet(structure.processes);
  const ordinalOrder = options.strategy === 'bfs' && options.frontier === undefined;
  for (let restarts = 0; ; restarts++) {
    const reducer = new AmpleReducer(model, structure, reads, sends, ordinalOrder);
    const recording: Model = { ...model, invariants: recordingInvariants(model.invariants, structure, reads) };
    try {
      const result = await run(recording, { ...options, reducer });
      return { result, reduction: { kind: 'por', active: true, restarts, reducedStates: reducer.reduced } };
    } catch (e) {
      if (!(e instanceof PorRestart)) throw e;
    }
  }
}
