// fast-check arbitraries for random declared types and random values of them.
import fc from 'fast-check';
import { BagType, EnumType, MapType, NullableType, RecordType, SeqType, SetType, TupleType, VariantType, t, type Type } from '../../checker/core/types.ts';

const finiteLeaf: fc.Arbitrary<Type<any>> = fc.oneof(
  fc.integer({ min: 1, max: 5 }).map((n) => t.enum(...Array.from({ length: n }, (_, i) => `v${i}`))),
  fc.constant(t.bool()),
  fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 6 })).map(([lo, w]) => t.int(lo, lo + w)),
);

/** Small finite types (usable as set / bag elements). */
export const finiteType: fc.Arbitrary<Type<any>> = fc.oneof(
  { weight: 3, arbitrary: finiteLeaf },
  { weight: 1, arbitrary: fc.array(finiteLeaf, { minLength: 1, maxLength: 2 }).map((fs) => t.record(Object.fromEntries(fs.map((f, i) => [`f${i}`, f])))) },
  { weight: 1, arbitrary: fc.array(fc.array(finiteLeaf, { maxLength: 2 }), { minLength: 1, maxLength: 3 }).map((cs) => t.variant(Object.fromEntries(cs.map((fs, i) => [`C${i}`, Object.fromEntries(fs.map((f, j) => [`g${j}`, f]))])))) },
  { weight: 1, arbitrary: finiteLeaf.map((x) => t.nullable(x)) },
);

/** Element types of 25 to 300 values: sets over them take the one-bit-per-element encoding in
 *  words (up to 256) or the sparse one (beyond). */
const mediumElem: fc.Arbitrary<Type<any>> = fc.oneof(
  fc.integer({ min: 25, max: 300 }).map((n) => t.int(0, n - 1)),
  fc
    .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }))
    .filter(([a, b, c]) => a + b * c + 1 >= 25 && a + b * c + 1 <= 300)
    .map(([a, b, c]) => t.variant({ A: { x: t.int(0, a - 1) }, B: { y: t.int(0, b - 1), z: t.enum(...Array.from({ length: c }, (_, i) => `z${i}`)) }, C: {} })),
  fc
    .tuple(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 2, max: 20 }))
    .filter(([a, b]) => a * b >= 25 && a * b <= 300)
    .map(([a, b]) => t.record({ p: t.int(0, a - 1), q: t.int(0, b - 1) })),
);

/** Any declared type, nested up to a small depth. */
export const anyType: fc.Arbitrary<Type<any>> = fc.letrec<{ type: Type<any> }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: finiteType },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('type'), { minKeys: 1, maxKeys: 3 }).map((f) => t.record(f)) },
    { weight: 1, arbitrary: fc.array(tie('type'), { minLength: 1, maxLength: 3 }).map((items) => t.tuple(...items)) },
    { weight: 1, arbitrary: fc.tuple(tie('type'), fc.integer({ min: 0, max: 3 })).map(([e, n]) => t.array(e, n)) },
    { weight: 1, arbitrary: fc.tuple(tie('type'), fc.integer({ min: 0, max: 3 })).map(([e, n]) => t.seq(e, n)) },
    { weight: 2, arbitrary: finiteType.map((e) => t.set(e)) },
    { weight: 1, arbitrary: mediumElem.map((e) => t.set(e)) },
    { weight: 1, arbitrary: fc.tuple(finiteType, fc.integer({ min: 0, max: 4 })).map(([e, n]) => t.bag(e, n)) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), tie('type')).map(([n, v]) => t.map(t.enum(...Array.from({ length: n }, (_, i) => `k${i}`)), v)) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), tie('type')).map(([n, v]) => t.partialMap(t.int(0, n - 1), v)) },
    { weight: 1, arbitrary: tie('type').map((x) => t.nullable(x)) },
  ),
})).type;

/** A random value of a type, with sets and bags in random order and with duplicates in sets. */
export function valueOf(type: Type<any>): fc.Arbitrary<unknown> {
  if (type.size <= 1e6 && !(type instanceof SetType) && !(type instanceof MapType) && !(type instanceof RecordType) && !(type instanceof SeqType) && !(type instanceof TupleType)) {
    return fc.integer({ min: 0, max: type.size - 1 }).map((i) => structuredClone(type.at(i)));
  }
  if (type instanceof RecordType) {
    return fc.record(Object.fromEntries(type.keys.map((k) => [k, valueOf(type.fields[k])]))) as fc.Arbitrary<unknown>;
  }
  if (type instanceof TupleType) return fc.tuple(...type.items.map(valueOf));
  if (type instanceof SeqType) {
    const e = valueOf(type.elem);
    return type.kind === 'array' ? fc.array(e, { minLength: type.max, maxLength: type.max }) : fc.array(e, { maxLength: type.max });
  }
  if (type instanceof SetType) return fc.array(valueOf(type.elem), { maxLength: 6 });
  if (type instanceof BagType) return fc.array(valueOf(type.elem), { maxLength: type.max });
  if (type instanceof MapType) {
    const keys = type.keys();
    const entry = valueOf(type.value);
    if (!type.partial) return fc.tuple(...keys.map(() => entry)).chain((vs) => fc.shuffledSubarray(keys.map((k, i) => [k, vs[i]] as const), { minLength: keys.length }).map((es) => Object.fromEntries(es)));
    return fc.array(fc.tuple(fc.constantFrom(...keys), entry), { maxLength: keys.length }).map((es) => Object.fromEntries(es));
  }
  if (type instanceof NullableType) return fc.option(valueOf(type.inner), { nil: null });
  if (type instanceof VariantType) return fc.integer({ min: 0, max: type.size - 1 }).map((i) => structuredClone(type.at(i)));
  if (type instanceof EnumType) return fc.constantFrom(...type.values);
  throw new Error(`no arbitrary for ${type.describe()}`);
}

/** A canonical plain form: sets sorted and without duplicates, bags sorted, map keys in domain order. */
export function normalize(type: Type<any>, v: any): unknown {
  if (type instanceof RecordType) return Object.fromEntries(type.keys.map((k) => [k, normalize(type.fields[k], v[k])]));
  if (type instanceof TupleType) return type.items.map((it, i) => normalize(it, v[i]));
  if (type instanceof SeqType) return v.map((x: unknown) => normalize(type.elem, x));
  if (type instanceof SetType) return [...new Set<number>(v.map((x: unknown) => type.elem.index(x)))].sort((a, b) => a - b).map((i) => normalize(type.elem, type.elem.at(i)));
  if (type instanceof BagType) return v.map((x: unknown) => type.elem.index(x)).sort((a: number, b: number) => a - b).map((i: number) => normalize(type.elem, type.elem.at(i)));
  if (type instanceof MapType) return type.keys().filter((k) => v[k] !== undefined).map((k) => [k, normalize(type.value, v[k])]);
  if (type instanceof NullableType) return v === null ? null : normalize(type.inner, v);
  if (type instanceof VariantType) return type.index(v);
  return v;
}
