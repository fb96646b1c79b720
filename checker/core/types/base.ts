// The Type interface every declared type implements, and what the kinds share.
import type { BitReader, BitWriter } from '../bits.ts';

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

export const MAX_INDEXED = 2 ** 40;
/** Variants and nullables with at most this many values are encoded as their index: fixed width,
 *  compact, and decoded to shared (interned) values. */
export const INDEX_ENCODED = 1 << 24;
/** Types with at most this many values decode each value to one shared object (`at` caches it). */
export const SHARED_VALUES = 1 << 16;
const CACHE_LIMIT = SHARED_VALUES;

export function fail(): never {
  throw OUT_OF_TYPE;
}

export function showValue(v: unknown): string {
  let shown: string;
  try {
    shown = typeof v === 'string' || Array.isArray(v) || (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype)
      ? (JSON.stringify(v) ?? String(v))
      : String(v);
  } catch {
    shown = Array.isArray(v) ? 'a list' : 'an object';
  }
  // A message names the value; it does not reprint a huge one.
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

export abstract class Base<T> implements Type<T> {
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
