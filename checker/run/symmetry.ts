// The symmetry reduction a run asks for (`search.symmetry`), or a coded error saying why it cannot
// be used: a state type whose values cannot be permuted (MC142), temporal properties (MC141).
import { ConfigError } from '../core/errors.ts';
import type { Invariant, Model, StepProperty } from '../core/spec.ts';
import { SymmetryTypeError } from '../core/symmetry.ts';
import type { TemporalProperty } from '../core/temporal.ts';
import { displayPath } from '../config/load.ts';
import type { ModelConfig } from '../config/model.ts';
import { symmetryFor, type StateCanonicalizer } from '../explore/symmetry.ts';

export interface SymmetryRequest {
  readonly config: ModelConfig;
  readonly model: Model;
  readonly properties: readonly TemporalProperty<unknown>[];
  readonly invariants: readonly Invariant<unknown>[];
  readonly steps: readonly StepProperty<unknown>[];
  readonly constraints: readonly Invariant<unknown>[];
}

/** The canonicalizer for the run, undefined without `search.symmetry` (or with an empty list). */
export function symmetryOf(r: SymmetryRequest): StateCanonicalizer | undefined {
  const names = r.config.search.symmetry;
  if (!names || names.length === 0) return undefined;
  const at = { file: displayPath(r.config.file), ...r.config.locate(['search', 'symmetry'], 'key') };
  if (r.properties.length) {
    // A liveness verdict on the quotient graph needs the properties and every fairness condition to
    // be symmetric, and lassos to be rebuilt through permutations: not done, so refused rather than
    // risk a wrong verdict (TLC only warns here).
    throw new ConfigError('MC141', `search.symmetry cannot be used with temporal properties (${r.properties.map((p) => p.name).join(', ')}): their verdicts could be wrong on the reduced state graph`, at,
      'check the temporal properties in a run without search.symmetry (or select none with check.properties: [])');
  }
  if (r.config.faults?.partition && r.config.faults.partition.max > 0) {
    throw new ConfigError('MC142', 'search.symmetry cannot be used with partition faults: a cut is recorded as the side of the first process, which a permutation does not keep', at,
      'remove faults.partition or search.symmetry');
  }
  try {
    return symmetryFor(r.model, names, { invariants: r.invariants, steps: r.steps, constraints: r.constraints });
  } catch (e) {
    if (!(e instanceof SymmetryTypeError)) throw e;
    throw new ConfigError('MC142', `search.symmetry: ${e.message}`, at, 'symmetric values must only be held in types that hold all of them (an enum of all of them, a map keyed by them, sets of them)');
  }
}
