// Sets, bags, sequences and fixed arrays, and maps over a finite key domain.
import { type BitReader, type BitWriter, bitsFor } from '../bits.ts';
import { Base, fail, MAX_INDEXED, showValue, type Kind, type Type } from './base.ts';
import { isPlainObject, product, strides } from './records.ts';
import type { EnumType, IntType } from './scalars.ts';

// --- collections ------------------------------------------------------------------------------

/** Sorts small arrays of numbers in place (insertion sort: collections here are short). */
export function sortNumbers(a: number[], n: number): void {
  for (let i = 1; i < n; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}

function requireFinite(what: string, elem: Type<any>, limit: number): void {
  if (!(elem.size <= limit)) {
    throw new Error(`${what} needs an element type with at most ${limit} values (this one has ${elem.size})`);
  }
}

/** What sets, bags and sequences share: an element type, and values that are readonly arrays. */
abstract class Elements<E> extends Base<readonly E[]> {
  abstract readonly elem: Type<E>;

  /** Why some element is not of the element type. */
  protected explainItems(v: readonly unknown[], path: string): string | undefined {
    for (let k = 0; k < v.length; k++) {
      const e = this.elem.explain(v[k], `${path}[${k}]`);
      if (e) return e;
    }
    return undefined;
  }
  show(v: readonly E[]): string {
    return `[${v.map((e) => this.elem.show(e)).join(', ')}]`;
  }
  override toJSON(v: readonly E[]): unknown {
    return v.map((e) => this.elem.toJSON(e));
  }
  override fromJSON(j: unknown): readonly E[] {
    return Array.isArray(j) ? j.map((e) => this.elem.fromJSON(e)) : (j as readonly E[]);
  }
}

/** A set over a finite domain: a readonly array whose order and duplicates do not matter. */
export class SetType<E> extends Elements<E> {
  readonly kind = 'set';
  readonly size: number;
  private readonly words: Uint32Array;
  private readonly sparse: boolean;
  private readonly idxBits: number;
  private readonly countBits: number;
  private scratch: number[] = [];

  constructor(readonly elem: Type<E>) {
    super();
    requireFinite('t.set', elem, 1 << 22);
    this.size = elem.size > 40 ? Infinity : 2 ** elem.size;
    this.sparse = elem.size > 256;
    this.words = new Uint32Array(Math.ceil(elem.size / 32));
    this.idxBits = bitsFor(elem.size);
    this.countBits = bitsFor(elem.size + 1);
  }
  index(v: readonly E[]): number {
    if (!Array.isArray(v) || this.size === Infinity) fail();
    let i = 0;
    for (const e of v) {
      const b = 2 ** this.elem.index(e);
      if (Math.floor(i / b) % 2 === 0) i += b;
    }
    return i;
  }
  protected build(i: number): readonly E[] {
    const out: E[] = [];
    for (let k = 0; k < this.elem.size; k++) if (Math.floor(i / 2 ** k) % 2 === 1) out.push(this.elem.at(k));
    return out;
  }
  encode(v: readonly E[], w: BitWriter): void {
    if (!Array.isArray(v)) fail();
    const elem = this.elem;
    if (this.sparse) {
      const idx = this.scratch;
      let n = 0;
      for (let k = 0; k < v.length; k++) idx[n++] = elem.index(v[k]);
      sortNumbers(idx, n);
      let m = 0;
      for (let k = 0; k < n; k++) if (k === 0 || idx[k] !== idx[k - 1]) idx[m++] = idx[k];
      w.write(m, this.countBits);
      for (let k = 0; k < m; k++) w.write(idx[k], this.idxBits);
      return;
    }
    const size = elem.size;
    if (size <= 24) {
      let mask = 0;
      for (let k = 0; k < v.length; k++) mask |= 1 << elem.index(v[k]);
      w.write(mask, size);
      return;
    }
    const words = this.words;
    words.fill(0);
    for (let k = 0; k < v.length; k++) {
      const i = elem.index(v[k]);
      words[i >>> 5] |= 1 << (i & 31);
    }
    let left = size;
    for (let k = 0; left > 0; k++) {
      const word = words[k];
      const lo = Math.min(16, left);
      w.write(word & 0xffff, lo);
      left -= lo;
      if (left > 0) {
        const hi = Math.min(16, left);
        w.write(word >>> 16, hi);
        left -= hi;
      }
    }
  }
  decode(r: BitReader): readonly E[] {
    const elem = this.elem;
    const out: E[] = [];
    if (this.sparse) {
      const n = r.read(this.countBits);
      for (let k = 0; k < n; k++) out.push(elem.at(r.read(this.idxBits)));
      return out;
    }
    let left = elem.size;
    let base = 0;
    while (left > 0) {
      const n = Math.min(16, left);
      const chunk = r.read(n);
      if (chunk !== 0) for (let b = 0; b < n; b++) if (chunk & (1 << b)) out.push(elem.at(base + b));
      base += n;
      left -= n;
    }
    return out;
  }
  explain(v: unknown, path: string): string | undefined {
    if (!Array.isArray(v)) return `${path} is ${showValue(v)}, not a set (a readonly array)`;
    return this.explainItems(v, path);
  }
  show(v: readonly E[]): string {
    return `{${v.map((e) => this.elem.show(e)).join(', ')}}`;
  }
  describe(): string {
    return `a set of ${this.elem.describe()}`;
  }
}

/** A multiset over a finite domain with at most `max` elements: order does not matter, multiplicity does. */
export class BagType<E> extends Elements<E> {
  readonly kind = 'bag';
  readonly size = Infinity;
  private readonly idxBits: number;
  private readonly countBits: number;
  private scratch: number[] = [];
  constructor(readonly elem: Type<E>, readonly max: number) {
    super();
    requireFinite('t.bag', elem, 1 << 22);
    this.idxBits = bitsFor(elem.size);
    this.countBits = bitsFor(max + 1);
  }
  index(): number {
    return fail();
  }
  protected build(): readonly E[] {
    return fail();
  }
  encode(v: readonly E[], w: BitWriter): void {
    if (!Array.isArray(v) || v.length > this.max) fail();
    const idx = this.scratch;
    const n = v.length;
    for (let k = 0; k < n; k++) idx[k] = this.elem.index(v[k]);
    sortNumbers(idx, n);
    w.write(n, this.countBits);
    for (let k = 0; k < n; k++) w.write(idx[k], this.idxBits);
  }
  decode(r: BitReader): readonly E[] {
    const n = r.read(this.countBits);
    const out = new Array<E>(n);
    for (let k = 0; k < n; k++) out[k] = this.elem.at(r.read(this.idxBits));
    return out;
  }
  explain(v: unknown, path: string): string | undefined {
    if (!Array.isArray(v)) return `${path} is ${showValue(v)}, not a bag (a readonly array)`;
    if (v.length > this.max) return `${path} has ${v.length} elements, more than its bound ${this.max}`;
    return this.explainItems(v, path);
  }
  describe(): string {
    return `a bag of at most ${this.max} ${this.elem.describe()}`;
  }
}

/** An ordered list of at most `max` elements (fixedLength: exactly `max`). */
export class SeqType<E> extends Elements<E> {
  readonly kind: Kind;
  readonly size: number;
  private readonly lenBits: number;
  private readonly strides: number[];
  constructor(readonly elem: Type<E>, readonly max: number, readonly fixed: boolean) {
    super();
    this.kind = fixed ? 'array' : 'seq';
    this.lenBits = fixed ? 0 : bitsFor(max + 1);
    if (fixed) {
      this.size = product(new Array(max).fill(elem.size));
    } else {
      let n = 0;
      for (let l = 0; l <= max; l++) n += elem.size ** l;
      this.size = n > MAX_INDEXED ? Infinity : n;
    }
    this.strides = strides(new Array(max).fill(elem.size));
  }
  index(v: readonly E[]): number {
    if (!Array.isArray(v) || this.size === Infinity) fail();
    if (this.fixed ? v.length !== this.max : v.length > this.max) fail();
    let offset = 0;
    if (!this.fixed) for (let l = 0; l < v.length; l++) offset += this.elem.size ** l;
    let i = 0;
    for (let k = 0; k < v.length; k++) i += this.elem.index(v[k]) * this.strides[k];
    return offset + i;
  }
  protected build(i: number): readonly E[] {
    let len = this.max;
    if (!this.fixed) {
      len = 0;
      while (i >= this.elem.size ** len) {
        i -= this.elem.size ** len;
        len++;
      }
    }
    const out: E[] = [];
    for (let k = 0; k < len; k++) out.push(this.elem.at(Math.floor(i / this.strides[k]) % this.elem.size));
    return out;
  }
  encode(v: readonly E[], w: BitWriter): void {
    if (!Array.isArray(v)) fail();
    const n = v.length;
    if (this.fixed ? n !== this.max : n > this.max) fail();
    if (!this.fixed) w.write(n, this.lenBits);
    const elem = this.elem;
    for (let k = 0; k < n; k++) elem.encode(v[k], w);
  }
  decode(r: BitReader): readonly E[] {
    const n = this.fixed ? this.max : r.read(this.lenBits);
    const out = new Array<E>(n);
    for (let k = 0; k < n; k++) out[k] = this.elem.decode(r);
    return out;
  }
  explain(v: unknown, path: string): string | undefined {
    if (!Array.isArray(v)) return `${path} is ${showValue(v)}, not a list`;
    if (this.fixed && v.length !== this.max) return `${path} has ${v.length} elements, not ${this.max}`;
    if (v.length > this.max) return `${path} has ${v.length} elements, more than its bound ${this.max}`;
    return this.explainItems(v, path);
  }
  describe(): string {
    return this.fixed ? `a list of ${this.max} ${this.elem.describe()}` : `a list of at most ${this.max} ${this.elem.describe()}`;
  }
}

export type KeyType = EnumType<string> | IntType;
export type KeyOf<K> = K extends Type<infer X> ? (X extends string | number ? X : never) : never;

/** A map over a finite key domain (enum or int range), as a plain object keyed by the keys.
 *  Total: every key has a value. Partial: a key may be absent. */
export class MapType<K extends string | number, V> extends Base<Readonly<Record<K, V>>> {
  readonly kind: Kind;
  readonly size: number;
  private readonly keyList: readonly (string | number)[];
  private readonly strides: number[];
  constructor(readonly key: KeyType, readonly value: Type<V>, readonly partial: boolean) {
    super();
    this.kind = partial ? 'partialMap' : 'map';
    this.keyList = Array.from({ length: key.size }, (_, i) => key.at(i));
    const slot = partial ? value.size + 1 : value.size;
    this.size = product(this.keyList.map(() => slot));
    this.strides = strides(this.keyList.map(() => slot));
  }
  index(v: Readonly<Record<K, V>>): number {
    if (typeof v !== 'object' || v === null) fail();
    let i = 0;
    for (let k = 0; k < this.keyList.length; k++) {
      const x = (v as any)[this.keyList[k]];
      const j = this.partial ? (x === undefined ? 0 : 1 + this.value.index(x)) : this.value.index(x);
      i += j * this.strides[k];
    }
    return i;
  }
  protected build(i: number): Readonly<Record<K, V>> {
    const o: Record<string | number, V> = {};
    const slot = this.partial ? this.value.size + 1 : this.value.size;
    for (let k = 0; k < this.keyList.length; k++) {
      const j = Math.floor(i / this.strides[k]) % slot;
      if (!this.partial) o[this.keyList[k]] = this.value.at(j);
      else if (j > 0) o[this.keyList[k]] = this.value.at(j - 1);
    }
    return o as Readonly<Record<K, V>>;
  }
  encode(v: Readonly<Record<K, V>>, w: BitWriter): void {
    if (typeof v !== 'object' || v === null) fail();
    const keys = this.keyList;
    const value = this.value;
    if (this.partial) {
      for (let k = 0; k < keys.length; k++) {
        const x = (v as any)[keys[k]];
        if (x === undefined) w.write(0, 1);
        else {
          w.write(1, 1);
          value.encode(x, w);
        }
      }
    } else {
      for (let k = 0; k < keys.length; k++) value.encode((v as any)[keys[k]], w);
    }
  }
  decode(r: BitReader): Readonly<Record<K, V>> {
    const o: Record<string | number, V> = {};
    const keys = this.keyList;
    for (let k = 0; k < keys.length; k++) if (!this.partial || r.read(1) === 1) o[keys[k]] = this.value.decode(r);
    return o as Readonly<Record<K, V>>;
  }
  explain(v: unknown, path: string): string | undefined {
    if (!isPlainObject(v)) return `${path} is ${showValue(v)}, not a map (a plain object)`;
    for (const key of this.keyList) {
      const x = v[key];
      if (x === undefined) {
        if (this.partial) continue;
        return `${path}[${JSON.stringify(key)}] is missing (the map is total over ${this.key.describe()})`;
      }
      const e = this.value.explain(x, `${path}[${JSON.stringify(key)}]`);
      if (e) return e;
    }
    for (const k of Object.keys(v)) {
      const known = this.keyList.some((key) => String(key) === k);
      if (!known) return `${path} has key ${JSON.stringify(k)}, not ${this.key.describe()}`;
    }
    return undefined;
  }
  show(v: Readonly<Record<K, V>>): string {
    const parts: string[] = [];
    for (const key of this.keyList) {
      const x = (v as any)[key];
      if (x !== undefined) parts.push(`${key}: ${this.value.show(x)}`);
    }
    return `{${parts.join(', ')}}`;
  }
  describe(): string {
    return `a ${this.partial ? 'partial ' : ''}map from ${this.key.describe()} to ${this.value.describe()}`;
  }
  override toJSON(v: Readonly<Record<K, V>>): unknown {
    const o: Record<string, unknown> = {};
    for (const key of this.keyList) {
      const x = (v as any)[key];
      if (x !== undefined) o[key] = this.value.toJSON(x);
    }
    return o;
  }
  override fromJSON(j: unknown): Readonly<Record<K, V>> {
    if (!isPlainObject(j)) return j as Readonly<Record<K, V>>;
    const o: Record<string | number, V> = {};
    for (const key of this.keyList) if (j[key] !== undefined) o[key] = this.value.fromJSON(j[key]);
    return o as Readonly<Record<K, V>>;
  }
  /** The keys of the domain, in order. */
  keys(): readonly K[] {
    return this.keyList as readonly K[];
  }

  private withFn: ((m: unknown, k: unknown, v: unknown) => unknown) | undefined;

  /** A copy of `m` with `key` mapped to `value`: the fast way to update one entry (several times
   *  faster than `{ ...m, [key]: value }`, as it builds one object literal of a fixed shape). */
  with(m: Readonly<Record<K, V>>, key: K, value: V): Readonly<Record<K, V>> {
    if (!this.withFn) {
      const keys = this.keyList;
      this.withFn =
        keys.length > 64 || this.partial
          ? (o, k, v) => ({ ...(o as object), [k as string]: v })
          : (new Function('o', 'k', 'v', `return { ${keys.map((x) => `${JSON.stringify(String(x))}: k === ${JSON.stringify(x)} ? v : o[${JSON.stringify(String(x))}]`).join(', ')} };`) as (m: unknown, k: unknown, v: unknown) => unknown);
    }
    return this.withFn(m, key, value) as Readonly<Record<K, V>>;
  }
}
