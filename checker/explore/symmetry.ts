// Symmetry reduction for one run: the domains the model file selects (`search.symmetry`), the
// canonicalizer the search calls before fingerprinting, and the check that the model respects them.
import { BitWriter } from '../core/bits.ts';
import type { Model } from '../core/spec.ts';
import { SymmetryTypeError, type SymmetryDomain } from '../core/symmetry.ts';
import { Canonicalizer, type StateCanonicalizer } from './canonical.ts';
import { symmetryVerifier, type Checked } from './symmetry-check.ts';

export type { StateCanonicalizer } from './canonical.ts';

/** What a model offers to declare symmetric: a spec's `symmetry: { RM }`, a protocol's roles. */
export function symmetricDomains(model: Model): readonly SymmetryDomain[] {
  return model.symmetry ?? [];
}

/** The canonicalizer for the selected domains (names), with its verifier. Throws SymmetryTypeError
 *  when the state type cannot be permuted (see core/symmetry.ts). */
export function symmetryFor(model: Model, names: readonly string[], checked: Checked): StateCanonicalizer & { readonly canonicalizer: Canonicalizer } {
  const all = symmetricDomains(model);
  const domains = names.map((n) => {
    const d = all.find((x) => x.name === n);
    if (!d) throw new SymmetryTypeError(`no symmetric domain named ${n}`, 'search.symmetry');
    return d;
  });
  const c = new Canonicalizer(model, domains);
  const verify = symmetryVerifier(model, c.permuter, checked);
  return {
    canonicalizer: c,
    names,
    encode: (s: unknown, w: BitWriter) => c.encode(s, w),
    normalize: (s: unknown) => c.normalize(s),
    verify,
    stats: () => c.stats(),
  };
}
