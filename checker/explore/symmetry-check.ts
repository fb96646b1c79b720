// Trust in a declared symmetry: a model respects it when permuting a state permutes its successors
// (as multisets of states), and every property the run checks gives the same verdict on a state and
// on its permutation. A symmetry the spec does not respect (a ballot derived from a proposer's
// index, a process that breaks ties by its name) would make the reduced search wrong, so this is
// checked on the first states of every run (all of them with --check-spec), for generators of the
// group (a swap and a rotation per domain): commuting with the generators is commuting with all.
import { BitWriter } from '../core/bits.ts';
import { codecFor } from '../core/codegen.ts';
import { SpecError } from '../core/errors.ts';
import { fingerprint } from '../core/fingerprint.ts';
import type { Invariant, Label, Model, StepProperty } from '../core/spec.ts';
import { identityPerm, type Perm, type Permuter, type Tables } from '../core/symmetry.ts';
import { OUT_OF_TYPE } from '../core/types.ts';
import { expandAll, holdsInvariant, holdsStep, isTerminal } from './search.ts';

export interface Checked {
  readonly invariants: readonly Invariant<unknown>[];
  readonly steps: readonly StepProperty<unknown>[];
  readonly constraints: readonly Invariant<unknown>[];
}

interface Generator {
  readonly perm: Perm;
  readonly tables: Tables;
  /** In words: `swapping r1 and r2`. */
  readonly says: string;
}

/** The verifier for a model and a permuter: throws SpecError('asymmetric') at a state that breaks it. */
export function symmetryVerifier(model: Model, permuter: Permuter, checked: Checked): (s: unknown) => void {
  const gens: Generator[] = [];
  const base = identityPerm(permuter.domains);
  permuter.domains.forEach((d, di) => {
    const n = d.values.length;
    if (n < 2) return;
    const swap = base[di].slice();
    [swap[0], swap[1]] = [1, 0];
    const moves: [number[], string][] = [[swap, `swapping ${d.values[0]} and ${d.values[1]}`]];
    if (n > 2) moves.push([base[di].map((i) => (i + 1) % n), `renaming ${d.values.map((v, i) => `${v} to ${d.values[(i + 1) % n]}`).join(', ')}`]);
    for (const [p, says] of moves) {
      const perm = base.map((q, k) => (k === di ? p : q));
      gens.push({ perm, tables: permuter.tables(perm), says });
    }
  });
  const codec = codecFor(model.type);
  const w = new BitWriter(1024);
  const fp = { hi: 0, lo: 0 };
  const key = (s: unknown): string => {
    const len = codec.encode(s, w);
    fingerprint(w.buf, len, fp);
    return `${fp.hi}:${fp.lo}`;
  };
  const show = (s: unknown) => model.type.show(s);
  const normalize = (s: unknown): unknown => {
    const len = codec.encode(s, w);
    return codec.decode(w.buf, 0, len);
  };

  return (s) => {
    for (const g of gens) {
      // In canonical form, as the search expands states (a bag's equal messages side by side).
      const ps = normalize(permuter.apply(s, g.tables));
      const broken = (what: string, action?: string): SpecError =>
        new SpecError('asymmetric', `the declared symmetry does not hold: ${what} (${g.says})`, {
          action,
          state: show(s),
          hint: 'the symmetric values must be interchangeable everywhere: no order between them, no index derived from them, properties that treat them alike; remove them from search.symmetry',
        });
      for (const [what, list] of [['invariant', checked.invariants], ['constraint', checked.constraints]] as const) {
        for (const p of list) {
          if (holdsInvariant(model, p, s, what) !== holdsInvariant(model, p, ps, what)) throw broken(`${what} ${p.name} gives a different verdict on the permuted state`);
        }
      }
      if (isTerminal(model, s) !== isTerminal(model, ps)) throw broken('terminal gives a different verdict on the permuted state');
      // Successors of the permuted state, and the permuted successors of the state.
      const mine = new Map<string, { label: Label; n: number }>();
      const count = (k: string, label: Label, by: number) => {
        const e = mine.get(k);
        if (e) e.n += by;
        else mine.set(k, { label, n: by });
      };
      const outside = (label: Label): never => {
        throw broken(`action ${model.showLabel(label)} gives a successor outside the declared type after permuting`, model.showLabel(label));
      };
      const guard = (label: Label, f: () => string): string => {
        try {
          return f();
        } catch (e) {
          if (e === OUT_OF_TYPE) outside(label);
          throw e;
        }
      };
      const stepsOfS: { label: Label; next: unknown }[] = [];
      expandAll(model, model.actions, s, (label, next) => {
        count(guard(label, () => key(permuter.apply(next, g.tables))), label, 1);
        if (checked.steps.length) stepsOfS.push({ label, next });
      });
      try {
        expandAll(model, model.actions, ps, (label, next) => count(guard(label, () => key(next)), label, -1));
      } catch (e) {
        // The permuted state may be unreachable: an error there says the symmetry is broken.
        if (!(e instanceof SpecError) || e.code === 'asymmetric') throw e;
        throw broken(`on the permuted state, ${e.message}`, e.detail.action);
      }
      for (const e of mine.values()) {
        if (e.n !== 0) {
          const name = model.showLabel(e.label);
          throw broken(
            e.n > 0
              ? `the permuted state lacks a successor that step ${name} of this state gives, permuted`
              : `step ${name} of the permuted state gives a successor that is no permuted successor of this state`,
            name,
          );
        }
      }
      for (const { label, next } of stepsOfS) {
        const plabel = permuter.renameDeep(label, g.perm) as Label;
        const pnext = normalize(permuter.apply(next, g.tables));
        for (const p of checked.steps) {
          if (holdsStep(p, s, next, label) !== holdsStep(p, ps, pnext, plabel)) {
            throw broken(`step property ${p.name} gives a different verdict on step ${model.showLabel(label)} permuted`, model.showLabel(label));
          }
        }
      }
    }
  };
}
