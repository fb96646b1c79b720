// The interactive explorer's model side: a path from an initial state, the steps enabled at its
// end (local actions, deliveries, fault steps), and moves: take a step, go back, run ahead at random.
import type { Label, Model } from '../core/spec.ts';
import { expandAll } from '../explore/search.ts';
import { canonical, type PathStep } from '../trace/rebuild.ts';
import { Prng } from './prng.ts';

export interface EnabledStep {
  readonly index: number;
  readonly label: string;
  readonly fault?: string;
  readonly process?: string;
}

export class ExplorerSession {
  readonly path: PathStep[];
  private enabledCache: { label: Label; state: unknown }[] | undefined;
  private readonly rng: Prng;

  constructor(readonly model: Model, seed: number, initial = 0) {
    this.rng = new Prng(seed);
    this.path = [{ label: null, state: canonical(model, model.init[initial]).state }];
  }

  private successors(): { label: Label; state: unknown }[] {
    if (!this.enabledCache) {
      const out: { label: Label; state: unknown }[] = [];
      expandAll(this.model, this.model.actions, this.path[this.path.length - 1].state, (label, next) => out.push({ label, state: canonical(this.model, next).state }));
      this.enabledCache = out;
    }
    return this.enabledCache;
  }

  enabled(): EnabledStep[] {
    return this.successors().map((s, index) => ({
      index,
      label: this.model.showLabel(s.label),
      ...(s.label.fault ? { fault: s.label.fault } : {}),
      ...(s.label.process ? { process: s.label.process } : {}),
    }));
  }

  /** Takes the enabled step `index`; false when there is no such step. */
  step(index: number): boolean {
    const s = this.successors()[index];
    if (!s) return false;
    this.path.push({ label: s.label, state: s.state });
    this.enabledCache = undefined;
    return true;
  }

  back(): boolean {
    if (this.path.length <= 1) return false;
    this.path.pop();
    this.enabledCache = undefined;
    return true;
  }

  /** Up to `steps` random steps; stops early where nothing is enabled. Returns how many were taken. */
  random(steps: number): number {
    let k = 0;
    for (; k < steps; k++) {
      const n = this.successors().length;
      if (n === 0) break;
      this.step(this.rng.below(n));
    }
    return k;
  }

  /** Back to an initial state (the first, or the `initial`-th when the model has several). */
  reset(initial?: number): void {
    this.path.splice(1);
    if (initial !== undefined && initial >= 0 && initial < this.model.init.length) this.path[0] = { label: null, state: canonical(this.model, this.model.init[initial]).state };
    this.enabledCache = undefined;
  }

  /** The first invariant violated at the end of the path, if any. */
  violated(): string | undefined {
    const s = this.path[this.path.length - 1].state;
    return this.model.invariants.find((p) => {
      try {
        return !p.holds(s);
      } catch {
        return false;
      }
    })?.name;
  }
}
