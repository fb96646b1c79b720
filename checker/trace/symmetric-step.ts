// The last step of a counterexample for a step property (or an invariant broken by a successor
// outside the state constraints) under symmetry reduction: the search found it from a stored
// representative, and the rebuilt path ends in a concrete state of the same orbit, so the step is
// found again there: a successor in the same orbit as the recorded one that violates the property.
import { SpecError } from '../core/errors.ts';
import type { Model } from '../core/spec.ts';
import type { StateCanonicalizer } from '../explore/canonical.ts';
import { guarded } from '../explore/guard.ts';
import { expandAll, holdsInvariant, holdsStep, type Violation } from '../explore/search.ts';
import { canonicalUnder, type PathStep } from './rebuild.ts';

export function concreteLastStep(model: Model, symmetry: StateCanonicalizer, from: unknown, v: Violation): PathStep {
  return guarded(() => {
    const want = canonicalUnder(model, v.step!.next, symmetry);
    const step = model.steps.find((p) => p.name === v.property);
    const inv = model.invariants.find((p) => p.name === v.property);
    let found: PathStep | undefined;
    expandAll(model, model.actions, from, (label, next) => {
      if (found) return;
      const c = canonicalUnder(model, next, symmetry);
      if (c.hi !== want.hi || c.lo !== want.lo) return;
      const violates = v.kind === 'step' ? step !== undefined && !holdsStep(step, from, c.state, label) : inv !== undefined && !holdsInvariant(model, inv, c.state);
      if (violates) found = { label, state: c.state };
    });
    if (!found) {
      throw new SpecError('asymmetric', `the last step of the counterexample for ${v.property} could not be found again from a permuted state: the model does not respect the declared symmetry`, {
        state: model.type.show(from),
        hint: 'run with --check-spec to check the symmetry on every state, or remove search.symmetry',
      });
    }
    return found;
  });
}
