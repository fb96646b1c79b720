// Records and tuples.
import type { BitReader, BitWriter } from '../bits.ts';
import { Base, fail, MAX_INDEXED, showValue, type Infer, type Kind, type Type } from './base.ts';

// --- records, tuples, arrays -------------------------------------------------------------------

export type Fields = Record<string, Type<any>>;
export type RecordOf<F extends Fields> = { readonly [K in keyof F]: Infer<F[K]> };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function product(sizes: readonly number[]): number {
  let n = 1;
  for (const s of sizes) n *= s;
  return n > MAX_INDEXED ? Infinity : n;
}

/** Mixed-radix index of a list of components (finite types only). */
export function strides(sizes: readonly number[]): number[] {
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
