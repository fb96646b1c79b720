// The declared state types: a small vocabulary from which the checker derives the canonical
// encoding, the decoder, the rendering of values, and the type invariant.
//
// Values are plain readonly data:
//   enum -> string, bool -> boolean, int -> number, record -> object, tuple/array/seq -> array,
//   set -> array (order and duplicates do not matter: the checker keeps it canonical),
//   bag -> array (order does not matter), map -> object keyed by the key domain,
//   variant -> object with a `type` tag, nullable -> value | null.
import { BitReader, BitWriter, bitsFor } from './bits.ts';

/** Thrown (as one shared object, without a message) when a value is outside its declared type. */
export const OUT_OF_TYPE: { readonly outOfType: true } = Object.freeze({ outOfType: true as const });

export type Kind =
  | 'enum' | 'bool' | 'int' | 'record' | 'tuple' | 'array' | 'set' | 'bag' | 'seq'
  | 'map' | 'partialMap' | 'variant' | 'nullable' | 'any';

export interface Type<T> {
  readonly kind: Kind;
  /** Number of distinct values, or Infinity when the domain is not enumerable here. */
  readonly size: number;
  /** Index of `v` in 0..size-1 (finite types only). Throws OUT_OF_TYPE for a foreign value. */
  index(v: T): number;
  /** The value at an index (inverse of `index`). */
  at(i: number): T;
  encode(v: T, w: BitWriter): void;
  decode(r: BitReader): T;
  /** Why `v` is not a value of this type, naming the path inside it; undefined when it is one. */
  explain(v: unknown, path: string): string | undefined;
  /** Rendering for traces and messages. */
  show(v: T): string;
  /** What the type accepts, for messages: "0..3", "one of working, prepared". */
  describe(): string;
  /** Plain JSON form of a value (for trace files) and back. */
  toJSON(v: T): unknown;
  fromJSON(j: unknown): T;
  /** Phantom field carrying the TypeScript type. */
  readonly __value?: T;
}

export type Infer<X> = X extends Type<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------

const MAX_INDEXED = 2 ** 40;
/** Variants and nullables with at most this many values are encoded as their index: fixed width,
 *  compact, and decoded to shared (interned) values. */
export const INDEX_ENCODED = 1 << 24;
/** Types with at most this many values decode each value to one shared object (`at` caches it). */
export const SHARED_VALUES = 1 << 16;
const CACHE_LIMIT = SHARED_VALUES;

function fail(): never {
  throw OUT_OF_TYPE;
}

function showValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

abstract class Base<T> implements Type<T> {
  abstract readonly kind: Kind;
  abstract readonly size: number;
  declare readonly __value?: T;
  private cache: T[] | undefined;

  abstract index(v: T): number;
  protected abstract build(i: number): T;
  abstract encode(v: T, w: BitWriter): void;
  abstract decode(r: BitReader): T;
  abstract explain(v: unknown, path: string): string | undefined;
  abstract show(v: T): string;
  abstract describe(): string;

  at(i: number): T {
    if (this.size > CACHE_LIMIT) return this.build(i);
    const cache = (this.cache ??= new Array<T>(this.size));
    let v = cache[i];
    if (v === undefined) v = cache[i] = this.build(i);
    return v;
  }

  toJSON(v: T): unknown {
    return v;
  }

  fromJSON(j: unknown): T {
    return j as T;
  }
}

// --- scalars ---------------------------------------------------------------------------------

export class EnumType<V extends string> extends Base<V> {
  readonly kind = 'enum';
  readonly size: number;
  readonly bits: number;
  private readonly ids: Map<string, number>;

  constructor(readonly values: readonly V[]) {
    super();
    if (values.length === 0) throw new Error('t.enum needs at least one value');
    this.ids = new Map(values.map((v, i) => [v, i]));
    if (this.ids.size !== values.length) throw new Error(`t.enum has a repeated value: ${values.join(', ')}`);
    this.size = values.length;
    this.bits = bitsFor(values.length);
  }
  index(v: V): number {
    const i = this.ids.get(v);
    return i === undefined ? fail() : i;
  }
  protected build(i: number): V {
    return this.values[i];
  }
  override at(i: number): V {
    return this.values[i];
  }
  encode(v: V, w: BitWriter): void {
    const i = this.ids.get(v);
    if (i === undefined) fail();
    w.write(i, this.bits);
  }
  decode(r: BitReader): V {
    return this.values[r.read(this.bits)];
  }
  explain(v: unknown, path: string): string | undefined {
    return typeof v === 'string' && this.ids.has(v) ? undefined : `${path} is ${showValue(v)}, not ${this.describe()}`;
  }
  show(v: V): string {
    return v;
  }
  describe(): string {
    return `one of ${this.values.join(', ')}`;
  }
}

export class BoolType extends Base<boolean> {
  readonly kind = 'bool';
  readonly size = 2;
  index(v: boolean): number {
    return v === true ? 1 : v === false ? 0 : fail();
  }
  protected build(i: number): boolean {
    return i === 1;
  }
  encode(v: boolean, w: BitWriter): void {
    w.write(v === true ? 1 : v === false ? 0 : fail(), 1);
  }
  decode(r: BitReader): boolean {
    return r.read(1) === 1;
  }
  explain(v: unknown, path: string): string | undefined {
    return typeof v === 'boolean' ? undefined : `${path} is ${showValue(v)}, not a boolean`;
  }
  show(v: boolean): string {
    return String(v);
  }
  describe(): string {
    return 'a boolean';
  }
}

export class IntType extends Base<number> {
  readonly kind = 'int';
  readonly size: number;
  readonly bits: number;
  constructor(readonly lo: number, readonly hi: number) {
    super();
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) throw new Error(`t.int(${lo}, ${hi}) is not a range of integers`);
    this.size = hi - lo + 1;
    this.bits = bitsFor(this.size);
    if (this.bits > 24) throw new Error(`t.int(${lo}, ${hi}) is too wide: at most 2^24 values`);
  }
  index(v: number): number {
    const i = v - this.lo;
    // `i >>> 0 === i` rejects negatives, fractions and NaN in one test.
    return i >>> 0 === i && v <= this.hi ? i : fail();
  }
  protected build(i: number): number {
    return this.lo + i;
  }
  override at(i: number): number {
    return this.lo + i;
  }
  encode(v: number, w: BitWriter): void {
    const i = v - this.lo;
    if (i >>> 0 !== i || v > this.hi) fail();
    w.write(i, this.bits);
  }
  decode(r: BitReader): number {
    return this.lo + r.read(this.bits);
  }
  explain(v: unknown, path: string): string | undefined {
    return typeof v === 'number' && Number.isInteger(v) && v >= this.lo && v <= this.hi
      ? undefined
      : `${path} is ${showValue(v)}, not an integer in ${this.describe()}`;
  }
  show(v: number): string {
    return String(v);
  }
  describe(): string {
    return `${this.lo}..${this.hi}`;
  }
}

// --- records, tuples, arrays -------------------------------------------------------------------

type Fields = Record<string, Type<any>>;
export type RecordOf<F extends Fields> = { readonly [K in keyof F]: Infer<F[K]> };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function product(sizes: readonly number[]): number {
  let n = 1;
  for (const s of sizes) n *= s;
  return n > MAX_INDEXED ? Infinity : n;
}

/** Mixed-radix index of a list of components (finite types only). */
function strides(sizes: readonly number[]): number[] {
  const out: number[] = [];
  let s = 1;
  for (const n of sizes) {
    out.push(s);
    s *= n;
  }
  return out;
}

export class RecordType<F extends Fields> extends Base<RecordOf<F>> {
  readonly kind = 'record';
  readonly size: number;
  readonly keys: readonly string[];
  private readonly types: readonly Type<any>[];
  private readonly strides: number[];

  constructor(
    readonly fields: F,
    private readonly options: { readonly show?: (v: RecordOf<F>) => string } = {},
  ) {
    super();
    this.keys = Object.keys(fields);
    this.types = this.keys.map((k) => fields[k]);
    this.size = product(this.types.map((t) => t.size));
    this.strides = strides(this.types.map((t) => t.size));
  }
  index(v: RecordOf<F>): number {
    if (typeof v !== 'object' || v === null) fail();
    let i = 0;
    for (let k = 0; k < this.keys.length; k++) i += this.types[k].index((v as any)[this.keys[k]]) * this.strides[k];
    return i;
  }
  protected build(i: number): RecordOf<F> {
    const o: Record<string, unknown> = {};
    for (let k = 0; k < this.keys.length; k++) {
      const t = this.types[k];
      o[this.keys[k]] = t.at(Math.floor(i / this.strides[k]) % t.size);
    }
    return o as RecordOf<F>;
  }
  encode(v: RecordOf<F>, w: BitWriter): void {
    if (typeof v !== 'object' || v === null) fail();
    const keys = this.keys;
    const types = this.types;
    for (let k = 0; k < keys.length; k++) types[k].encode((v as any)[keys[k]], w);
  }
  decode(r: BitReader): RecordOf<F> {
    const o: Record<string, unknown> = {};
    const keys = this.keys;
    const types = this.types;
    for (let k = 0; k < keys.length; k++) o[keys[k]] = types[k].decode(r);
    return o as RecordOf<F>;
  }
  explain(v: unknown, path: string): string | undefined {
    if (!isPlainObject(v)) return `${path} is ${showValue(v)}, not a record`;
    for (const k of this.keys) {
      if (!(k in v)) return `${path}.${k} is missing`;
      const e = this.fields[k].explain(v[k], `${path}.${k}`);
      if (e) return e;
    }
    for (const k of Object.keys(v)) if (!(k in this.fields)) return `${path}.${k} is not a declared field (fields: ${this.keys.join(', ')})`;
    return undefined;
  }
  show(v: RecordOf<F>): string {
    if (this.options.show) return this.options.show(v);
    return `{${this.keys.map((k) => `${k}: ${this.fields[k].show((v as any)[k])}`).join(', ')}}`;
  }
  describe(): string {
    return `a record {${this.keys.join(', ')}}`;
  }
  override toJSON(v: RecordOf<F>): unknown {
    const o: Record<string, unknown> = {};
    for (const k of this.keys) o[k] = this.fields[k].toJSON((v as any)[k]);
    return o;
  }
  override fromJSON(j: unknown): RecordOf<F> {
    if (!isPlainObject(j)) return j as RecordOf<F>;
    const o: Record<string, unknown> = {};
    for (const k of this.keys) o[k] = this.fields[k].fromJSON(j[k]);
    return o as RecordOf<F>;
  }
}

/** Fixed-length list of elements of possibly different types. */
export class TupleType<T extends readonly unknown[]> extends Base<T> {
  readonly kind: Kind = 'tuple';
  readonly size: number;
  private readonly strides: number[];
  constructor(readonly items: readonly Type<any>[]) {
    super();
    this.size = product(items.map((t) => t.size));
    this.strides = strides(items.map((t) => t.size));
  }
  index(v: T): number {
    if (!Array.isArray(v) || v.length !== this.items.length) fail();
    let i = 0;
    for (let k = 0; k < this.items.length; k++) i += this.items[k].index(v[k]) * this.strides[k];
    return i;
  }
  protected build(i: number): T {
    return this.items.map((t, k) => t.at(Math.floor(i / this.strides[k]) % t.size)) as unknown as T;
  }
  encode(v: T, w: BitWriter): void {
    const items = this.items;
    if (!Array.isArray(v) || v.length !== items.length) fail();
    for (let k = 0; k < items.length; k++) items[k].encode(v[k], w);
  }
  decode(r: BitReader): T {
    const items = this.items;
    const out = new Array(items.length);
    for (let k = 0; k < items.length; k++) out[k] = items[k].decode(r);
    return out as unknown as T;
  }
  explain(v: unknown, path: string): string | undefined {
    if (!Array.isArray(v)) return `${path} is ${showValue(v)}, not a list`;
    if (v.length !== this.items.length) return `${path} has ${v.length} elements, not ${this.items.length}`;
    for (let k = 0; k < this.items.length; k++) {
      const e = this.items[k].explain(v[k], `${path}[${k}]`);
      if (e) return e;
    }
    return undefined;
  }
  show(v: T): string {
    return `[${this.items.map((t, k) => t.show(v[k])).join(', ')}]`;
  }
  describe(): string {
    return `a list of ${this.items.length}`;
  }
  override toJSON(v: T): unknown {
    return this.items.map((t, k) => t.toJSON(v[k]));
  }
  override fromJSON(j: unknown): T {
    return Array.isArray(j) ? (this.items.map((t, k) => t.fromJSON(j[k])) as unknown as T) : (j as T);
  }
}

// --- collections ------------------------------------------------------------------------------

/** Sorts small arrays of numbers in place (insertion sort: collections here are short). */
function sortNumbers(a: number[], n: number): void {
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

type KeyType = EnumType<string> | IntType;
type KeyOf<K> = K extends Type<infer X> ? (X extends string | number ? X : never) : never;

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

// --- variants and nullable ---------------------------------------------------------------------

type Cases = Record<string, Fields>;
export type VariantOf<C extends Cases> = {
  [Tag in keyof C]: { readonly type: Tag } & { readonly [K in keyof C[Tag]]: Infer<C[Tag][K]> };
}[keyof C];

/** A tagged union: `{ type: 'Tag', ...fields of that case }`. */
export class VariantType<C extends Cases> extends Base<VariantOf<C>> {
  readonly kind = 'variant';
  readonly size: number;
  readonly tags: readonly string[];
  private readonly tagIds: Map<string, number>;
  private readonly cases: RecordType<Fields>[];
  private readonly offsets: number[];
  private readonly tagBits: number;
  constructor(readonly spec: C) {
    super();
    this.tags = Object.keys(spec);
    if (this.tags.length === 0) throw new Error('t.variant needs at least one case');
    for (const tag of this.tags) if ('type' in spec[tag]) throw new Error(`t.variant case ${tag} may not declare a field named "type"`);
    this.tagIds = new Map(this.tags.map((tag, i) => [tag, i]));
    this.cases = this.tags.map((tag) => new RecordType(spec[tag]));
    this.offsets = [];
    let n = 0;
    for (const c of this.cases) {
      this.offsets.push(n);
      n += c.size;
    }
    this.size = n > MAX_INDEXED ? Infinity : n;
    this.tagBits = bitsFor(this.tags.length);
  }
  private caseOf(v: VariantOf<C>): number {
    if (typeof v !== 'object' || v === null) fail();
    const id = this.tagIds.get((v as any).type);
    return id === undefined ? fail() : id;
  }
  index(v: VariantOf<C>): number {
    const id = this.caseOf(v);
    return this.offsets[id] + this.cases[id].index(v as any);
  }
  protected build(i: number): VariantOf<C> {
    let id = this.cases.length - 1;
    while (this.offsets[id] > i) id--;
    return { type: this.tags[id], ...(this.cases[id].at(i - this.offsets[id]) as object) } as VariantOf<C>;
  }
  encode(v: VariantOf<C>, w: BitWriter): void {
    if (this.size <= INDEX_ENCODED) {
      w.write(this.index(v), bitsFor(this.size));
      return;
    }
    const id = this.caseOf(v);
    w.write(id, this.tagBits);
    this.cases[id].encode(v as any, w);
  }
  decode(r: BitReader): VariantOf<C> {
    if (this.size <= INDEX_ENCODED) return this.at(r.read(bitsFor(this.size)));
    const id = r.read(this.tagBits);
    return { type: this.tags[id], ...(this.cases[id].decode(r) as object) } as VariantOf<C>;
  }
  explain(v: unknown, path: string): string | undefined {
    if (!isPlainObject(v)) return `${path} is ${showValue(v)}, not a variant {type: ${this.tags.join(' | ')}}`;
    const id = this.tagIds.get(v.type as string);
    if (id === undefined) return `${path}.type is ${showValue(v.type)}, not one of ${this.tags.join(', ')}`;
    const { type: _tag, ...rest } = v;
    return this.cases[id].explain(rest, path);
  }
  show(v: VariantOf<C>): string {
    const id = this.caseOf(v);
    const c = this.cases[id];
    if (c.keys.length === 0) return this.tags[id];
    return `${this.tags[id]}(${c.keys.map((k) => `${k}=${c.fields[k].show((v as any)[k])}`).join(', ')})`;
  }
  describe(): string {
    return `one of the cases ${this.tags.join(', ')}`;
  }
  override toJSON(v: VariantOf<C>): unknown {
    const id = this.caseOf(v);
    return { type: this.tags[id], ...(this.cases[id].toJSON(v as any) as object) };
  }
  override fromJSON(j: unknown): VariantOf<C> {
    if (!isPlainObject(j)) return j as VariantOf<C>;
    const id = this.tagIds.get(j.type as string);
    if (id === undefined) return j as VariantOf<C>;
    return { type: j.type, ...(this.cases[id].fromJSON(j) as object) } as VariantOf<C>;
  }
}

export class NullableType<T> extends Base<T | null> {
  readonly kind = 'nullable';
  readonly size: number;
  constructor(readonly inner: Type<T>) {
    super();
    this.size = inner.size + 1;
  }
  index(v: T | null): number {
    return v === null ? 0 : 1 + this.inner.index(v);
  }
  protected build(i: number): T | null {
    return i === 0 ? null : this.inner.at(i - 1);
  }
  encode(v: T | null, w: BitWriter): void {
    if (this.size <= INDEX_ENCODED) w.write(this.index(v), bitsFor(this.size));
    else if (v === null) w.write(0, 1);
    else {
      w.write(1, 1);
      this.inner.encode(v, w);
    }
  }
  decode(r: BitReader): T | null {
    if (this.size <= INDEX_ENCODED) return this.at(r.read(bitsFor(this.size)));
    return r.read(1) === 0 ? null : this.inner.decode(r);
  }
  explain(v: unknown, path: string): string | undefined {
    return v === null ? undefined : this.inner.explain(v, path);
  }
  show(v: T | null): string {
    return v === null ? 'null' : this.inner.show(v);
  }
  describe(): string {
    return `${this.inner.describe()} or null`;
  }
  override toJSON(v: T | null): unknown {
    return v === null ? null : this.inner.toJSON(v);
  }
  override fromJSON(j: unknown): T | null {
    return j === null ? null : this.inner.fromJSON(j);
  }
}

// --- the vocabulary ----------------------------------------------------------------------------

function enumOf<const V extends string>(...values: V[]): EnumType<V> {
  return new EnumType(values);
}

/** The declared-type vocabulary. */
export const t = {
  enum: enumOf,
  bool: (): BoolType => new BoolType(),
  int: (lo: number, hi: number): IntType => new IntType(lo, hi),
  /** A record; `show` optionally renders its values in traces. */
  record: <F extends Fields>(fields: F, options?: { show?: (v: RecordOf<F>) => string }): RecordType<F> => new RecordType(fields, options),
  tuple: <const I extends readonly Type<any>[]>(...items: I): TupleType<{ readonly [K in keyof I]: Infer<I[K]> }> =>
    new TupleType(items),
  array: <E>(elem: Type<E>, length: number): SeqType<E> => new SeqType(elem, length, true),
  seq: <E>(elem: Type<E>, max: number): SeqType<E> => new SeqType(elem, max, false),
  set: <E>(elem: Type<E>): SetType<E> => new SetType(elem),
  bag: <E>(elem: Type<E>, max: number): BagType<E> => new BagType(elem, max),
  map: <K extends KeyType, V>(key: K, value: Type<V>): MapType<KeyOf<K>, V> => new MapType(key, value, false),
  partialMap: <K extends KeyType, V>(key: K, value: Type<V>): Type<Readonly<Partial<Record<KeyOf<K>, V>>>> =>
    new MapType(key, value, true) as unknown as Type<Readonly<Partial<Record<KeyOf<K>, V>>>>,
  variant: <C extends Cases>(cases: C): VariantType<C> => new VariantType(cases),
  nullable: <T>(inner: Type<T>): NullableType<T> => new NullableType(inner),
};

/** Every value of a finite type, in index order. */
export function valuesOf<T>(type: Type<T>): T[] {
  if (!(type.size <= 1e7)) throw new Error(`cannot enumerate ${type.describe()}: it has ${type.size} values`);
  return Array.from({ length: type.size }, (_, i) => type.at(i));
}
