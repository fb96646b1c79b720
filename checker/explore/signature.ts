// Signatures of the values of a symmetric domain in one state: for each value, a hash of how it
// occurs (the fields, keys and message fields where it appears, with what surrounds it, other
// domain values blurred). The signature is invariant: permuting the state permutes the signatures
// the same way. So sorting the values by signature is a choice that does not depend on how the
// state is named, and the canonical form only has to try the orders among equal signatures.
import { mix, type Permuter } from '../core/symmetry.ts';
import { BagType, BoolType, EnumType, IntType, MapType, NullableType, RecordType, SeqType, SetType, TupleType, VariantType, type Type } from '../core/types.ts';

type Abs = (v: any) => number;
type Occ = (v: any, c: number, sig: Int32Array[]) => void;

/** Computes, per domain, each value's signature in a state. */
export class Signer {
  private readonly absOf = new Map<Type<any>, Abs>();
  private readonly occRoot: Occ | null;

  constructor(private readonly permuter: Permuter) {
    this.occRoot = this.occ(permuter.type);
  }

  /** Signatures of every domain value in `s` (a state in its canonical, decoded form). */
  sign(s: unknown, sig: Int32Array[]): void {
    for (const a of sig) a.fill(0);
    if (this.occRoot) this.occRoot(s, 0x2545f491, sig);
  }

  /** A hash of a value with the domain values blurred (each replaced by its domain's mark). */
  private abs(type: Type<any>): Abs {
    let f = this.absOf.get(type);
    if (!f) {
      f = this.makeAbs(type);
      this.absOf.set(type, f);
    }
    return f;
  }

  private makeAbs(type: Type<any>): Abs {
    const site = this.permuter.siteIndex(type);
    if (site !== undefined) {
      const table = this.permuter.sites[site].abstract;
      return type instanceof IntType ? (v: number) => table[v - type.lo] : (v) => table[type.index(v)];
    }
    if (type instanceof EnumType) return (v) => type.index(v);
    if (type instanceof IntType || type instanceof BoolType) return (v) => (v === true ? 1 : v === false ? 0 : v);
    if (type instanceof RecordType || type instanceof VariantType) {
      const cases = type instanceof RecordType ? new Map([['', type.fields]]) : new Map(type.tags.map((tag) => [tag, type.spec[tag]]));
      const compiled = new Map([...cases].map(([tag, fields], i) => {
        const keys = Object.keys(fields);
        const fs = keys.map((k) => this.abs(fields[k]));
        return [tag, { keys, fs, seed: i + 1 }] as const;
      }));
      return (v) => {
        const c = compiled.get(type instanceof RecordType ? '' : v.type)!;
        let h = c.seed;
        for (let k = 0; k < c.keys.length; k++) {
          const x = v[c.keys[k]];
          h = mix(h, x === undefined ? 0x7f : c.fs[k](x));
        }
        return h;
      };
    }
    if (type instanceof TupleType) {
      const fs = type.items.map((it) => this.abs(it));
      return (v: readonly unknown[]) => {
        let h = 3;
        for (let k = 0; k < fs.length; k++) h = mix(h, fs[k](v[k]));
        return h;
      };
    }
    if (type instanceof NullableType) {
      const inner = this.abs(type.inner);
      return (v) => (v === null ? 0x3c1 : mix(5, inner(v)));
    }
    if (type instanceof SeqType) {
      const elem = this.abs(type.elem);
      return (v: readonly unknown[]) => {
        let h = 7 + v.length;
        for (let k = 0; k < v.length; k++) h = mix(h, elem(v[k]));
        return h;
      };
    }
    if (type instanceof SetType || type instanceof BagType) {
      // Order does not count (a sum); the state is in canonical form, so a set has no repeats.
      const elem = this.abs(type.elem);
      return (v: readonly unknown[]) => {
        let h = 11;
        for (let k = 0; k < v.length; k++) h = (h + mix(13, elem(v[k]))) | 0;
        return h;
      };
    }
    if (type instanceof MapType) {
      const keys = type.keys().map(String);
      const value = this.abs(type.value);
      const permuted = this.permuter.siteIndex(type.key) !== undefined;
      return (v: Record<string, unknown>) => {
        let h = 17;
        for (let k = 0; k < keys.length; k++) {
          const x = v[keys[k]];
          const e = x === undefined ? 0x7f : value(x);
          // Keys that are domain values are blurred: their order does not count.
          h = permuted ? (h + mix(19, e)) | 0 : mix(h, e);
        }
        return h;
      };
    }
    throw new Error(`internal: no signature for a value of kind ${type.kind}`);
  }

  /** Adds each domain value's occurrences in a value to its signature; null when it holds none. */
  private occ(type: Type<any>): Occ | null {
    const site = this.permuter.siteIndex(type);
    if (site !== undefined) {
      const holds = this.permuter.sites[site].holds;
      const index = type instanceof IntType ? (v: number) => v - type.lo : (v: unknown) => type.index(v);
      return (v, c, sig) => {
        const list = holds[index(v)];
        for (let k = 0; k < list.length; k++) {
          const [d, i, pos] = list[k];
          sig[d][i] = (sig[d][i] + mix(c, pos)) | 0;
        }
      };
    }
    if (type instanceof RecordType || type instanceof VariantType) {
      const cases = type instanceof RecordType ? new Map([['', type.fields]]) : new Map(type.tags.map((tag) => [tag, type.spec[tag]]));
      const compiled = new Map<string, { keys: string[]; fs: (Occ | null)[]; seed: number }>();
      let any = false;
      [...cases].forEach(([tag, fields], i) => {
        const keys = Object.keys(fields);
        const fs = keys.map((k) => this.occ(fields[k]));
        if (fs.some((f) => f !== null)) any = true;
        compiled.set(tag, { keys, fs, seed: 100 * (i + 1) });
      });
      if (!any) return null;
      return (v, c, sig) => {
        const x = compiled.get(type instanceof RecordType ? '' : v.type)!;
        for (let k = 0; k < x.keys.length; k++) {
          const f = x.fs[k];
          const fv = v[x.keys[k]];
          if (f !== null && fv !== undefined) f(fv, mix(c, x.seed + k), sig);
        }
      };
    }
    if (type instanceof TupleType) {
      const fs = type.items.map((it) => this.occ(it));
      if (fs.every((f) => f === null)) return null;
      return (v: readonly unknown[], c, sig) => {
        for (let k = 0; k < fs.length; k++) fs[k]?.(v[k], mix(c, k), sig);
      };
    }
    if (type instanceof NullableType) {
      const inner = this.occ(type.inner);
      return inner && ((v, c, sig) => v !== null && inner(v, c, sig));
    }
    if (type instanceof SeqType || type instanceof SetType || type instanceof BagType) {
      const elem = this.occ(type.elem);
      if (elem === null) return null;
      const abs = this.abs(type.elem);
      const ordered = type instanceof SeqType;
      // Each occurrence also sees the whole element it is in (blurred), and in a list its position.
      return (v: readonly unknown[], c, sig) => {
        for (let k = 0; k < v.length; k++) elem(v[k], mix(ordered ? mix(c, k) : c, abs(v[k])), sig);
      };
    }
    if (type instanceof MapType) {
      const keys = type.keys().map(String);
      const keyOcc = this.occ(type.key);
      const value = this.occ(type.value);
      if (keyOcc === null && value === null) return null;
      const abs = this.abs(type.value);
      const keyValues = type.keys();
      return (v: Record<string, unknown>, c, sig) => {
        for (let k = 0; k < keys.length; k++) {
          const x = v[keys[k]];
          if (x === undefined) continue;
          const h = abs(x);
          // A key that is a domain value: its signature gets the (blurred) value it maps to.
          if (keyOcc !== null) keyOcc(keyValues[k], mix(c, h), sig);
          if (value !== null) value(x, keyOcc !== null ? mix(c, h ^ 0x51ed) : mix(c, k), sig);
        }
      };
    }
    return null;
  }
}
