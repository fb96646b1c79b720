// Runs a model with and without partial-order reduction and gives both runs' verdicts and counts.
import type { Model } from '../../checker/core/spec.ts';
import { searchReduced, type ReductionInfo } from '../../checker/explore/por-search.ts';
import { search, type SearchOptions, type SearchResult } from '../../checker/explore/search.ts';
import type { ModelConfig } from '../../checker/config/model.ts';
import { activeConstraints } from '../../checker/run/check-model.ts';

export interface Run {
  readonly status: SearchResult['status'];
  /** Property name (and `deadlock`) -> violated or holds; the spec error's code when there was one. */
  readonly verdicts: Readonly<Record<string, 'holds' | 'violated'>>;
  readonly specError?: string;
  readonly message?: string;
  readonly distinct: number;
  readonly generated: number;
  readonly seconds: number;
}

function runOf(r: SearchResult, deadlock: boolean): Run {
  const verdicts: Record<string, 'holds' | 'violated'> = {};
  for (const name of r.invariantsChecked) verdicts[name] = r.violations.some((v) => v.kind === 'invariant' && v.property === name) ? 'violated' : 'holds';
  for (const name of r.stepsChecked) verdicts[name] = r.violations.some((v) => v.kind === 'step' && v.property === name) ? 'violated' : 'holds';
  if (deadlock) verdicts.deadlock = r.violations.some((v) => v.kind === 'deadlock') ? 'violated' : 'holds';
  return { status: r.status, verdicts, specError: r.specError?.error.code, message: r.specError?.error.message, distinct: r.distinct, generated: r.generated, seconds: r.seconds };
}

/** The search options a model file asks for (safety properties and deadlock only). */
export function safetyOptionsOf(config: ModelConfig, model: Model): SearchOptions {
  const s = config.search;
  return {
    strategy: s.strategy,
    maxStates: s.maxStates,
    maxDepth: s.maxDepth,
    deadlock: config.check.deadlock,
    invariants: config.check.invariants,
    steps: config.check.steps,
    constraints: activeConstraints(model, s.constraints),
  };
}

export async function fullAndReduced(model: Model, options: SearchOptions): Promise<{ full: Run; reduced: Run; reduction: ReductionInfo }> {
  const full = runOf(search(model, options), options.deadlock);
  const { result, reduction } = await searchReduced(model, options, (m, o) => search(m, o));
  return { full, reduced: runOf(result, options.deadlock), reduction };
}
