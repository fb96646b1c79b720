// A lasso found on the state graph becomes a path of labels and states by re-executing the spec:
// each step is the successor whose fingerprint is the recorded state's and whose action instance is
// the recorded edge's (two actions may lead to the same state, and fairness depends on which).
import { SpecError } from '../core/errors.ts';
import type { Model } from '../core/spec.ts';
import type { FairnessIndex } from '../explore/fairness.ts';
import type { FingerprintSet } from '../explore/fp-set.ts';
import { expandAll } from '../explore/search.ts';
import { canonical, type PathStep } from './rebuild.ts';

export function rebuildLasso(model: Model, store: FingerprintSet, fairness: FairnessIndex, ords: readonly number[], insts: readonly number[]): PathStep[] {
  const first = ords[0];
  const init = model.init.map((s) => canonical(model, s)).find((c) => c.hi === store.hiOf(first) && c.lo === store.loOf(first));
  if (!init) throw new Error('internal: the first state of a lasso is not an initial state');
  const steps: PathStep[] = [{ label: null, state: init.state }];
  let cur = init.state;
  for (let k = 1; k < ords.length; k++) {
    const hi = store.hiOf(ords[k]);
    const lo = store.loOf(ords[k]);
    const key = fairness.instKeys[insts[k - 1]];
    let found: PathStep | undefined;
    expandAll(model, model.actions, cur, (label, next) => {
      if (found) return;
      const c = canonical(model, next);
      if (c.hi === hi && c.lo === lo && fairness.keyOf(label) === key) found = { label, state: c.state };
    });
    if (!found) {
      throw new SpecError('nondeterministic', `step ${k} of a lasso (${key}) could not be found again when re-executing the spec: some action gives different successors for the same state`, {
        state: model.type.show(cur),
        hint: 'run with --check-spec to find the action',
      });
    }
    steps.push(found);
    cur = found.state;
  }
  return steps;
}
