// Symmetry: a set of interchangeable values (the resource managers of TwoPhase, the acceptors of
// Paxos) and the type-directed permutation of those values wherever they occur in a state: enum
// values, map keys, set and bag elements, fields of messages, the network, timers, `down`.
//
// A domain's string values are matched by value in every enum that holds them (and inside the
// channel names `from->to` of a FIFO network); an int domain (`t.int`) is matched only where that
// very type object is used. An enum holding some but not all of a domain's values cannot be
// permuted: that is reported (SymmetryTypeError) when the permuter is built.
import { BagType, BoolType, EnumType, IntType, MapType, NullableType, RecordType, SeqType, SetType, TupleType, VariantType, type Type } from './types.ts';

/** Interchangeable values, as a spec declares them (`symmetry: { RM }`) or a protocol's role. */
export interface SymmetryDomain {
  readonly name: string;
  readonly values: readonly (string | number)[];
  /** Int domains: the `t.int` type whose values are permuted (matched by identity). */
  readonly type?: IntType;
}

/** A state type that cannot be permuted as declared. */
export class SymmetryTypeError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = 'SymmetryTypeError';
  }
}

/** One group element: per domain, `perm[d][i]` is the index of the image of value i. */
export type Perm = readonly (readonly number[])[];

/** A place in the type where domain values occur: an enum or int type (one per type object). */
export interface Site {
  readonly type: EnumType<string> | IntType;
  /** The site's values, in index order. */
  readonly values: readonly (string | number)[];
  /** Per site value: the domain values it holds, as [domain, index, position] (position 0: the value
   *  itself; 1 and 2: sender and receiver of a channel name). */
  readonly holds: readonly (readonly (readonly [number, number, number])[])[];
  /** Per site value: a hash of the value with every domain value replaced by its domain's mark. */
  readonly abstract: Int32Array;
}

/** Per site, the image of each value index (fwd) and its inverse (inv), for one group element. */
export interface Tables {
  readonly fwd: Int32Array[];
  readonly inv: Int32Array[];
}

type Apply = (v: any, t: Tables) => any;

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Mixes two 32-bit values (not commutative). */
export function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
  return (h ^ (h >>> 13)) | 0;
}

/** The type-directed permutation of the domains' values over one state type. */
export class Permuter {
  readonly sites: Site[] = [];
  private readonly siteOf = new Map<Type<any>, number>();
  private readonly byValue = new Map<string, readonly [number, number]>();
  readonly root: Apply | null;

  constructor(readonly type: Type<any>, readonly domains: readonly SymmetryDomain[]) {
    if (type.kind === 'any') throw new SymmetryTypeError('symmetry needs a declared state type (system(State, ...)): the generic encoder cannot tell which values to permute', 'state');
    domains.forEach((d, di) => {
      if (d.type === undefined) d.values.forEach((v, i) => this.byValue.set(String(v), [di, i]));
    });
    this.root = this.compile(type, 'state');
    this.checkClosed();
  }

  /** The image of a string under a group element: a domain value, or a channel name `a->b`. */
  renameString(s: string, perm: Perm): string {
    const hit = this.byValue.get(s);
    if (hit) return String(this.domains[hit[0]].values[perm[hit[0]][hit[1]]]);
    const arrow = s.indexOf('->');
    if (arrow > 0) {
      const a = this.byValue.get(s.slice(0, arrow));
      const b = this.byValue.get(s.slice(arrow + 2));
      if (a || b) return `${this.renameString(s.slice(0, arrow), perm)}->${this.renameString(s.slice(arrow + 2), perm)}`;
    }
    return s;
  }

  /** Permutes the domain values inside a plain value (labels of steps): strings only. */
  renameDeep(v: unknown, perm: Perm): unknown {
    if (typeof v === 'string') return this.renameString(v, perm);
    if (Array.isArray(v)) return v.map((x) => this.renameDeep(x, perm));
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.renameDeep(x, perm)]));
    return v;
  }

  /** The per-site tables of a group element. */
  tables(perm: Perm): Tables {
    const fwd: Int32Array[] = [];
    const inv: Int32Array[] = [];
    for (const site of this.sites) {
      const n = site.values.length;
      const f = new Int32Array(n);
      const g = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const j = this.imageIndex(site, i, perm);
        if (j < 0) throw new Error('internal: a symmetry site is not closed under the group');
        f[i] = j;
        g[j] = i;
      }
      fwd.push(f);
      inv.push(g);
    }
    return { fwd, inv };
  }

  /** The state with the domain values permuted (a plain value; sets come out unsorted). */
  apply(s: unknown, t: Tables): unknown {
    return this.root === null ? s : this.root(s, t);
  }

  private imageIndex(site: Site, i: number, perm: Perm): number {
    const v = site.values[i];
    if (site.type instanceof IntType) {
      const d = this.domains.findIndex((x) => x.type === site.type);
      return perm[d][i];
    }
    return (site.type as EnumType<string>).values.indexOf(this.renameString(v as string, perm));
  }

  /** Every enum holding a domain value must hold its whole orbit: checked with generators of the group. */
  private checkClosed(): void {
    this.domains.forEach((d, di) => {
      const n = d.values.length;
      if (n < 2) return;
      const identity = this.domains.map((x) => x.values.map((_, i) => i));
      const gens: number[][] = [[1, 0, ...identity[di].slice(2)], identity[di].map((i) => (i + 1) % n)];
      for (const g of gens) {
        const perm = identity.map((p, k) => (k === di ? g : p));
        for (const site of this.sites) {
          for (let i = 0; i < site.values.length; i++) {
            if (this.imageIndex(site, i, perm) < 0) {
              const img = this.renameString(site.values[i] as string, perm);
              const where = this.pathOf.get(site.type) ?? 'state';
              throw new SymmetryTypeError(
                `${where} is ${site.type.describe()}: it holds ${site.values[i]} but not ${img}, so the values of ${d.name} are not interchangeable there`,
                where,
              );
            }
          }
        }
      }
    });
  }

  private readonly pathOf = new Map<Type<any>, string>();

  private site(type: EnumType<string> | IntType, path: string): number | undefined {
    const known = this.siteOf.get(type);
    if (known !== undefined) return known;
    let holds: (readonly [number, number, number])[][];
    let abstract: Int32Array;
    if (type instanceof IntType) {
      const d = this.domains.findIndex((x) => x.type === type);
      if (d < 0) return undefined;
      holds = type.values.map((_, i) => [[d, i, 0] as const]);
      abstract = Int32Array.from(type.values, () => mix(0x5ee, d));
    } else {
      holds = type.values.map((v) => {
        const hit = this.byValue.get(v);
        if (hit) return [[hit[0], hit[1], 0] as const];
        const arrow = v.indexOf('->');
        if (arrow <= 0) return [];
        const out: (readonly [number, number, number])[] = [];
        const a = this.byValue.get(v.slice(0, arrow));
        const b = this.byValue.get(v.slice(arrow + 2));
        if (a) out.push([a[0], a[1], 1]);
        if (b) out.push([b[0], b[1], 2]);
        return out;
      });
      if (holds.every((h) => h.length === 0)) return undefined;
      abstract = Int32Array.from(type.values, (v) => {
        const hit = this.byValue.get(v);
        if (hit) return mix(0x5ee, hit[0]);
        const arrow = v.indexOf('->');
        const part = (p: string) => {
          const h = this.byValue.get(p);
          return h ? `#${h[0]}` : p;
        };
        return hashString(arrow > 0 ? `${part(v.slice(0, arrow))}->${part(v.slice(arrow + 2))}` : v);
      });
    }
    const id = this.sites.length;
    this.sites.push({ type, values: type.values, holds, abstract });
    this.siteOf.set(type, id);
    this.pathOf.set(type, path);
    return id;
  }

  /** Whether the type holds a site (so values of it may change under a permutation). */
  siteIndex(type: Type<any>): number | undefined {
    return this.siteOf.get(type);
  }

  private compile(type: Type<any>, path: string): Apply | null {
    if (type instanceof EnumType || type instanceof IntType) {
      const id = this.site(type, path);
      if (id === undefined) return null;
      if (type instanceof IntType) {
        const lo = type.lo;
        return (v: number, t) => lo + t.fwd[id][v - lo];
      }
      const e = type as EnumType<string>;
      const values = e.values;
      return (v: string, t) => values[t.fwd[id][e.index(v)]];
    }
    if (type instanceof BoolType) return null;
    if (type instanceof RecordType) return this.compileFields(type.keys, type.keys.map((k) => type.fields[k]), path, false);
    if (type instanceof TupleType) {
      const items = type.items.map((it, k) => this.compile(it, `${path}[${k}]`));
      if (items.every((f) => f === null)) return null;
      return (v: readonly unknown[], t) => v.map((x, k) => (items[k] === null ? x : items[k]!(x, t)));
    }
    if (type instanceof VariantType) {
      const cases = new Map<string, Apply>();
      for (const tag of type.tags) {
        const fields = type.spec[tag];
        const keys = Object.keys(fields);
        const f = this.compileFields(keys, keys.map((k) => fields[k]), `${path}(${tag})`, true);
        if (f) cases.set(tag, f);
      }
      if (cases.size === 0) return null;
      return (v: { type: string }, t) => {
        const f = cases.get(v.type);
        return f ? f(v, t) : v;
      };
    }
    if (type instanceof NullableType) {
      const inner = this.compile(type.inner, path);
      return inner && ((v, t) => (v === null ? null : inner(v, t)));
    }
    if (type instanceof SetType || type instanceof BagType || type instanceof SeqType) {
      const elem = this.compile(type.elem, `${path}[]`);
      return elem && ((v: readonly unknown[], t) => v.map((x) => elem(x, t)));
    }
    if (type instanceof MapType) return this.compileMap(type, path);
    throw new SymmetryTypeError(`${path}: symmetry cannot permute a value of kind ${type.kind}`, path);
  }

  private compileFields(keys: readonly string[], types: readonly Type<any>[], path: string, tagged: boolean): Apply | null {
    const fs = types.map((ft, k) => this.compile(ft, `${path}.${keys[k]}`));
    if (fs.every((f) => f === null)) return null;
    const n = keys.length;
    return (v: Record<string, unknown>, t) => {
      const o: Record<string, unknown> = tagged ? { type: v.type } : {};
      for (let k = 0; k < n; k++) {
        const x = v[keys[k]];
        o[keys[k]] = fs[k] === null || x === undefined ? x : fs[k]!(x, t);
      }
      return o;
    };
  }

  private compileMap(type: MapType<any, any>, path: string): Apply | null {
    const value = this.compile(type.value, `${path}[]`);
    const keyList = type.keys().map(String);
    const id = this.site(type.key, `${path} (its keys)`);
    if (id === undefined && value === null) return null;
    const n = keyList.length;
    const partial = type.partial;
    return (v: Record<string, unknown>, t) => {
      const o: Record<string, unknown> = {};
      for (let j = 0; j < n; j++) {
        const x = v[keyList[id === undefined ? j : t.inv[id][j]]];
        if (x === undefined && partial) continue;
        o[keyList[j]] = value === null ? x : value(x, t);
      }
      return o;
    };
  }
}

/** The identity group element of the domains. */
export function identityPerm(domains: readonly SymmetryDomain[]): number[][] {
  return domains.map((d) => d.values.map((_, i) => i));
}
