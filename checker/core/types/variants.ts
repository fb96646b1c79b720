// Tagged unions and nullable values.
import { type BitReader, type BitWriter, bitsFor } from '../bits.ts';
import { Base, fail, INDEX_ENCODED, MAX_INDEXED, showValue, type Infer, type Type } from './base.ts';
import { isPlainObject, RecordType, type Fields } from './records.ts';

// --- variants and nullable ---------------------------------------------------------------------

export type Cases = Record<string, Fields>;
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
