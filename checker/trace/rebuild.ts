// Counterexamples are rebuilt from parent links by re-executing the spec: the visited set keeps only
// fingerprints, so each step is found again as the successor whose fingerprint matches.
import { BitWriter } from '../core/bits.ts';
import { codecFor } from '../core/codegen.ts';
import { fingerprint } from '../core/fingerprint.ts';
import { SpecError } from '../core/errors.ts';
import type { Label, Model } from '../core/spec.ts';
import { NO_PARENT, type FingerprintSet } from '../explore/fp-set.ts';
import { expandAll } from '../explore/search.ts';
import { guarded } from '../explore/guard.ts';
import type { StateCanonicalizer } from '../explore/canonical.ts';

export interface PathStep {
  /** null for the initial state. */
  readonly label: Label | null;
  readonly state: unknown;
}

const writer = new BitWriter(1024);
const fp = { hi: 0, lo: 0 };

/** Encodes a state canonically; returns its fingerprint lanes and its canonical (decoded) form. */
export function canonical(model: Model, s: unknown): { hi: number; lo: number; state: unknown } {
  const codec = codecFor(model.type);
  const len = codec.encode(s, writer);
  fingerprint(writer.buf, len, fp);
  const { hi, lo } = fp;
  return { hi, lo, state: codec.decode(writer.buf, 0, len) };
}

/** The fingerprint lanes of the representative of `s`'s orbit (symmetry reduction), and `s` itself
 *  in canonical form: the state stays concrete. */
export function canonicalUnder(model: Model, s: unknown, symmetry: StateCanonicalizer | undefined): { hi: number; lo: number; state: unknown } {
  if (!symmetry) return canonical(model, s);
  const len = symmetry.encode(s, writer);
  fingerprint(writer.buf, len, fp);
  return { hi: fp.hi, lo: fp.lo, state: symmetry.normalize(s) };
}

/** The path from an initial state to the state with ordinal `ord`. With symmetry the store holds
 *  representatives: the path is rebuilt concretely from the initial state, each step the successor
 *  whose representative is the next one stored, so it replays as it is. */
export function rebuildPath(model: Model, store: FingerprintSet, ord: number, symmetry?: StateCanonicalizer): PathStep[] {
  return guarded(() => rebuild(model, store, ord, symmetry));
}

function rebuild(model: Model, store: FingerprintSet, ord: number, symmetry: StateCanonicalizer | undefined): PathStep[] {
  const ords: number[] = [];
  for (let o = ord; o !== NO_PARENT; o = store.parentOf(o)) ords.push(o);
  ords.reverse();
  const steps: PathStep[] = [];
  const first = ords[0];
  const init = model.init.map((s) => canonicalUnder(model, s, symmetry)).find((c) => c.hi === store.hiOf(first) && c.lo === store.loOf(first));
  if (!init) throw new Error('internal: the initial state of a trace is not among the initial states');
  steps.push({ label: null, state: init.state });
  let cur = init.state;
  for (let k = 1; k < ords.length; k++) {
    const hi = store.hiOf(ords[k]);
    const lo = store.loOf(ords[k]);
    let found: PathStep | undefined;
    expandAll(model, model.actions, cur, (label, next) => {
      if (found) return;
      const c = canonicalUnder(model, next, symmetry);
      if (c.hi === hi && c.lo === lo) found = { label, state: c.state };
    });
    if (!found) {
      throw new SpecError('nondeterministic', `step ${k} of a counterexample could not be found again when re-executing the spec: some action gives different successors for the same state`, {
        state: model.type.show(cur),
        hint: 'run with --check-spec to find the action',
      });
    }
    steps.push(found);
    cur = found.state;
  }
  return steps;
}
