// Records what liveness needs while the one search loop runs (as its observer): the state graph,
// the action instance of every edge, and the value of each property's state predicates per state.
import { SpecError } from '../core/errors.ts';
import type { Label, Model } from '../core/spec.ts';
import type { FairnessDecl, TemporalProperty } from '../core/temporal.ts';
import { FairnessIndex } from './fairness.ts';
import { PredicateBits, StateGraph } from './graph.ts';
import { describeThrown } from './purity.ts';
import type { SearchObserver } from './search.ts';

export interface PredicateRef {
  readonly property: string;
  readonly side: 'p' | 'q';
  readonly fn: (s: unknown) => boolean;
}

export class LivenessRecorder implements SearchObserver {
  readonly graph = new StateGraph();
  readonly fairness: FairnessIndex;
  readonly preds: PredicateRef[] = [];
  /** Per property: the index of its p (and q) predicate. */
  readonly slots: { readonly p: number; readonly q?: number }[];
  readonly bits: PredicateBits;
  /** Per predicate: the first ordinal where it held (-1: none yet). */
  readonly firstTrue: number[];

  constructor(
    readonly model: Model,
    readonly properties: readonly TemporalProperty[],
    readonly decls: readonly FairnessDecl[],
  ) {
    this.fairness = new FairnessIndex(model, decls);
    this.slots = properties.map((prop) => {
      const p = this.preds.push({ property: prop.name, side: 'p', fn: prop.p }) - 1;
      const q = prop.q ? this.preds.push({ property: prop.name, side: 'q', fn: prop.q }) - 1 : undefined;
      return { p, q };
    });
    this.bits = new PredicateBits(this.preds.length);
    this.firstTrue = this.preds.map(() => -1);
  }

  expand(ord: number, state: unknown): void {
    this.graph.begin(ord);
    this.bits.touch(ord);
    for (let k = 0; k < this.preds.length; k++) {
      const pr = this.preds[k];
      let v: boolean;
      try {
        v = pr.fn(state);
      } catch (e) {
        throw new SpecError('throw', `property ${pr.property} threw ${describeThrown(e)}`, { action: `property ${pr.property}`, cause: e });
      }
      if (v) {
        this.bits.set(ord, k);
        if (this.firstTrue[k] < 0) this.firstTrue[k] = ord;
      }
    }
  }

  edge(to: number, label: Label): void {
    this.graph.add(to, this.fairness.intern(label));
  }
}
