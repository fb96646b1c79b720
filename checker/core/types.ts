// The declared state types: a small vocabulary from which the checker derives the canonical
// encoding, the decoder, the rendering of values, and the type invariant.
//
// Values are plain readonly data:
//   enum -> string, bool -> boolean, int -> number, record -> object, tuple/array/seq -> array,
//   set -> array (order and duplicates do not matter: the checker keeps it canonical),
//   bag -> array (order does not matter), map -> object keyed by the key domain,
//   variant -> object with a `type` tag, nullable -> value | null.
import type { Infer, Type } from './types/base.ts';
import { BoolType, EnumType, IntType } from './types/scalars.ts';
import { RecordType, TupleType, type Fields, type RecordOf } from './types/records.ts';
import { BagType, MapType, SeqType, SetType, type KeyOf, type KeyType } from './types/collections.ts';
import { NullableType, VariantType, type Cases } from './types/variants.ts';

export { INDEX_ENCODED, OUT_OF_TYPE, SHARED_VALUES } from './types/base.ts';
export type { Infer, Kind, Type } from './types/base.ts';
export { BoolType, EnumType, IntType } from './types/scalars.ts';
export { RecordType, TupleType } from './types/records.ts';
export type { RecordOf } from './types/records.ts';
export { BagType, MapType, SeqType, SetType } from './types/collections.ts';
export { NullableType, VariantType } from './types/variants.ts';
export type { VariantOf } from './types/variants.ts';

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
