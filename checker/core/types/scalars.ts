// Enums, booleans and integer ranges.
import { type BitReader, type BitWriter, bitsFor } from '../bits.ts';
import { Base, fail, showValue } from './base.ts';

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
  /** Every value, lo to hi (like an enum's `values`). */
  get values(): readonly number[] {
    return Array.from({ length: this.size }, (_, i) => this.lo + i);
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
