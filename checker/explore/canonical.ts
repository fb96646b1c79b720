// The canonical representative of a state's orbit under a symmetry group, as an encoding. The
// search stores and expands representatives; traces are rebuilt concretely (trace/rebuild.ts).
//
// Exactly canonical: the representative is the least encoding (bytes, then length) among the
// images of the state under a set of group elements that is chosen without depending on how the
// state is named. That set: sort each domain's values by their signature (signature.ts, invariant
// under permutation), then try every order of values with equal signatures, except that values
// which can be swapped without changing the state ("twins") are taken in one order only (the
// images differ by an automorphism of the state, so they are equal). In the worst case (every value
// of a domain has the same signature and no two are twins) this tries n! orders.
import { BitWriter } from '../core/bits.ts';
import { codecFor, type Codec } from '../core/codegen.ts';
import { Permuter, type Perm, type SymmetryDomain, type Tables } from '../core/symmetry.ts';
import type { Model } from '../core/spec.ts';
import { Signer } from './signature.ts';

/** What the search asks of a symmetry reduction: the hook every search loop calls before it
 *  fingerprints a state. It keeps scratch buffers: each thread (worker) builds its own with
 *  explore/symmetry.ts's symmetryFor, from the same model and names, and gets the same encodings. */
export interface StateCanonicalizer {
  /** Writes the canonical encoding of `s` into `w` from position 0 and returns its length in bytes.
   *  Throws OUT_OF_TYPE for a value outside the state type, as a codec does. */
  encode(s: unknown, w: BitWriter): number;
  /** Checks that the model respects the symmetry at state `s` (its successors, invariants, ...);
   *  throws a SpecError naming the action and the state when it does not. Run on the first states. */
  verify?(s: unknown): void;
  /** The state itself in canonical value form (sets sorted, no repeats), not its representative:
   *  step properties see the real successor. */
  normalize(s: unknown): unknown;
  /** Names of the symmetric domains, for reports. */
  readonly names: readonly string[];
  /** States canonicalized so far, and images (permuted states) computed for them: the work done. */
  stats(): { readonly states: number; readonly images: number };
}

interface Block {
  /** Domain values (indices), sorted by signature then index. */
  readonly members: number[];
  /** For each member, the first member of its twin class (index into members). */
  readonly twinOf: number[];
}

export class Canonicalizer implements Omit<StateCanonicalizer, 'verify' | 'names' | 'normalize'> {
  readonly permuter: Permuter;
  private readonly signer: Signer;
  private readonly codec: Codec<unknown>;
  private readonly sig: Int32Array[];
  private readonly scratch = new BitWriter(1024);
  private readonly best = new BitWriter(1024);
  private readonly plain = new BitWriter(1024);
  private states = 0;
  private images = 0;
  private readonly tableCache = new Map<number | string, Tables>();
  private plainLen = 0;
  private readonly order: number[][];
  private readonly perm: number[][];

  constructor(readonly model: Model, readonly domains: readonly SymmetryDomain[]) {
    this.permuter = new Permuter(model.type, domains);
    this.signer = new Signer(this.permuter);
    this.codec = codecFor(model.type);
    this.sig = domains.map((d) => new Int32Array(d.values.length));
    this.order = domains.map((d) => d.values.map((_, i) => i));
    this.perm = domains.map((d) => d.values.map((_, i) => i));
  }

  stats(): { states: number; images: number } {
    return { states: this.states, images: this.images };
  }

  /** The state in canonical value form (decoded from its plain encoding: sets sorted, no repeats). */
  normalize(s: unknown): unknown {
    const len = this.codec.encode(s, this.plain);
    return this.codec.decode(this.plain.buf, 0, len);
  }

  encode(s: unknown, w: BitWriter): number {
    const value = this.representative(s);
    if (value === IDENTITY) {
      // The state is its own representative: its plain encoding is the canonical one.
      const len = this.plainLen;
      w.reset();
      w.ensure(len);
      w.buf.set(this.plain.buf.subarray(0, len));
      w.pos = len;
      return len;
    }
    return this.codec.encode(value, w);
  }

  /** The representative of the orbit of `s`, as a value. */
  representativeOf(s: unknown): unknown {
    const v = this.representative(s);
    return v === IDENTITY ? this.codec.decode(this.plain.buf, 0, this.plainLen) : v;
  }

  /** The representative, or IDENTITY when it is `s` itself (then its encoding is in `plain`). */
  private representative(s: unknown): unknown {
    const codec = this.codec;
    // Encoding first: a successor outside the type throws OUT_OF_TYPE here, as without symmetry.
    const plainLen = (this.plainLen = codec.encode(s, this.plain));
    const norm = codec.decode(this.plain.buf, 0, plainLen);
    this.states++;
    this.signer.sign(norm, this.sig);
    // Fast path: no two values of a domain share a signature, so one order only (by signature).
    let ties = false;
    let identity = true;
    for (let d = 0; d < this.domains.length; d++) {
      const sig = this.sig[d];
      const order = this.order[d];
      const n = order.length;
      for (let i = 0; i < n; i++) order[i] = i;
      // Insertion sort by signature, then index (n is small).
      for (let i = 1; i < n; i++) {
        const x = order[i];
        let j = i - 1;
        while (j >= 0 && (sig[order[j]] > sig[x] || (sig[order[j]] === sig[x] && order[j] > x))) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = x;
      }
      const perm = this.perm[d];
      for (let k = 0; k < n; k++) {
        if (k > 0 && sig[order[k]] === sig[order[k - 1]]) ties = true;
        perm[order[k]] = k;
        if (order[k] !== k) identity = false;
      }
    }
    if (!ties) {
      this.images++;
      if (identity) return IDENTITY;
      return this.permuter.apply(norm, this.tablesOf(this.perm));
    }
    const blocks: Block[][] = [];
    for (let d = 0; d < this.domains.length; d++) blocks.push(this.blocks(norm, d, plainLen));
    // Every combination of an arrangement per block; the images are compared by encoding.
    const perms = this.arrangements(blocks);
    if (perms.length === 1) {
      this.images++;
      if (isIdentity(perms[0])) return IDENTITY;
      return this.permuter.apply(norm, this.tablesOf(perms[0]));
    }
    let bestValue: unknown;
    let bestLen = -1;
    for (const perm of perms) {
      this.images++;
      const image = this.permuter.apply(norm, this.tablesOf(perm));
      const len = codec.encode(image, this.scratch);
      if (bestLen < 0 || less(this.scratch.buf, len, this.best.buf, bestLen)) {
        bestValue = image;
        bestLen = len;
        this.best.ensure(len);
        this.best.buf.set(this.scratch.buf.subarray(0, len));
      }
    }
    return bestValue;
  }

  /** The tables of a group element, cached (a run uses few of them again and again). */
  private tablesOf(perm: Perm): Tables {
    // A number when it fits (mixed radix), else a string.
    let key: number | string = 0;
    for (let d = 0; d < perm.length; d++) {
      const p = perm[d];
      for (let i = 0; i < p.length; i++) key = key * p.length + p[i];
    }
    if (key > Number.MAX_SAFE_INTEGER) key = perm.map((p) => p.join(',')).join(';');
    let t = this.tableCache.get(key);
    if (t === undefined) {
      t = this.permuter.tables(perm);
      if (this.tableCache.size >= 100_000) this.tableCache.clear();
      this.tableCache.set(key, t);
    }
    return t;
  }

  /** The blocks of equal signature of domain `d`, each with its twin classes. */
  private blocks(norm: unknown, d: number, plainLen: number): Block[] {
    const sig = this.sig[d];
    const n = sig.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => sig[a] - sig[b] || a - b);
    const out: Block[] = [];
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && sig[order[j]] === sig[order[i]]) j++;
      const members = order.slice(i, j);
      out.push({ members, twinOf: members.length > 1 ? this.twins(norm, d, members, plainLen) : [0] });
      i = j;
    }
    return out;
  }

  /** Twin classes: two values are twins when swapping them leaves the state unchanged (an equivalence). */
  private twins(norm: unknown, d: number, members: readonly number[], plainLen: number): number[] {
    const twinOf = new Array<number>(members.length);
    const heads: number[] = [];
    for (let k = 0; k < members.length; k++) {
      twinOf[k] = k;
      for (const h of heads) {
        if (this.swapFixes(norm, d, members[h], members[k], plainLen)) {
          twinOf[k] = h;
          break;
        }
      }
      if (twinOf[k] === k) heads.push(k);
    }
    return twinOf;
  }

  private swapFixes(norm: unknown, d: number, a: number, b: number, plainLen: number): boolean {
    const perm = this.domains.map((x, k) => {
      const p = x.values.map((_, i) => i);
      if (k === d) [p[a], p[b]] = [b, a];
      return p;
    });
    this.images++;
    const len = this.codec.encode(this.permuter.apply(norm, this.tablesOf(perm)), this.scratch);
    return len === plainLen && !less(this.scratch.buf, len, this.plain.buf, plainLen) && !less(this.plain.buf, plainLen, this.scratch.buf, len);
  }

  /** The group elements to try: per domain, value members[k] of a block starting at position p goes
   *  to a position in p..p+size-1; twins keep their relative order. */
  private arrangements(blocks: readonly Block[][]): Perm[] {
    let out: number[][][] = [[]];
    blocks.forEach((domainBlocks, d) => {
      const n = this.domains[d].values.length;
      let partial: number[][] = [new Array<number>(n).fill(-1)];
      let pos = 0;
      for (const b of domainBlocks) {
        const next: number[][] = [];
        for (const p of partial) {
          for (const seq of multisetOrders(b.twinOf)) {
            const q = p.slice();
            // seq[t] is the twin class (head index) placed at position pos+t; members of one class in order.
            const used = new Map<number, number>();
            for (let t = 0; t < seq.length; t++) {
              const head = seq[t];
              const nth = used.get(head) ?? 0;
              used.set(head, nth + 1);
              let seen = -1;
              let member = -1;
              for (let k = 0; k < b.twinOf.length; k++) {
                if (b.twinOf[k] === head && ++seen === nth) {
                  member = k;
                  break;
                }
              }
              q[b.members[member]] = pos + t;
            }
            next.push(q);
          }
        }
        partial = next;
        pos += b.members.length;
      }
      out = out.flatMap((prefix) => partial.map((p) => [...prefix, p]));
    });
    return out;
  }
}

const IDENTITY = Symbol('identity');

function isIdentity(perm: Perm): boolean {
  for (const p of perm) for (let i = 0; i < p.length; i++) if (p[i] !== i) return false;
  return true;
}

/** Every distinct order of a multiset of labels (the twin class of each member). */
function multisetOrders(labels: readonly number[]): number[][] {
  const sorted = [...labels].sort((a, b) => a - b);
  const out: number[][] = [];
  const cur: number[] = [];
  const used = new Array<boolean>(sorted.length).fill(false);
  const go = (): void => {
    if (cur.length === sorted.length) {
      out.push(cur.slice());
      return;
    }
    for (let i = 0; i < sorted.length; i++) {
      if (used[i] || (i > 0 && sorted[i] === sorted[i - 1] && !used[i - 1])) continue;
      used[i] = true;
      cur.push(sorted[i]);
      go();
      cur.pop();
      used[i] = false;
    }
  };
  go();
  return out;
}

/** a < b: bytes in order, then the shorter first. */
function less(a: Uint8Array, alen: number, b: Uint8Array, blen: number): boolean {
  const n = Math.min(alen, blen);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return alen < blen;
}

