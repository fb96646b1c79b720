import fc from 'fast-check';
import { List, Map as IMap, Set as ISet, is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { BitWriter } from '../../checker/core/bits.ts';
import { interpreted } from '../../checker/core/codegen.ts';
import { anyType } from '../../checker/core/generic.ts';
import { search } from '../../checker/explore/search.ts';
import twophase from '../../specs/twophase.ts';
import generic from '../fixtures/twophase-generic.ts';

const codec = interpreted(anyType);
const hex = (v: unknown) => {
  const w = new BitWriter(8);
  const len = codec.encode(v, w);
  return Buffer.from(w.buf.subarray(0, len)).toString('hex');
};
const roundTrip = (v: unknown) => {
  const w = new BitWriter(8);
  const len = codec.encode(v, w);
  return codec.decode(w.buf, 0, len);
};

/** Plain data with JS Sets and Maps and Immutable.js collections inside. */
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.boolean(),
    fc.integer({ min: -5, max: 300 }),
    fc.double({ noNaN: true }),
    fc.string({ maxLength: 4 }),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 3 }), tie('v'), { maxKeys: 3 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 4 }).map((xs) => new Set(xs)),
    fc.array(fc.tuple(fc.string({ maxLength: 2 }), tie('v')), { maxLength: 3 }).map((es) => new Map(es)),
    fc.array(fc.string({ maxLength: 2 }), { maxLength: 4 }).map((xs) => ISet(xs)),
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => List(xs)),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { maxLength: 3 }).map((es) => IMap(es)),
  ),
})).v;

/** The same value with every collection and object built in reverse order. */
function reversed(v: unknown): unknown {
  if (v instanceof Set) return new Set([...v].reverse().map(reversed));
  if (v instanceof Map) return new Map([...v].reverse().map(([k, x]) => [reversed(k), reversed(x)]));
  if (ISet.isSet(v)) return ISet([...(v as ISet<unknown>)].reverse());
  if (IMap.isMap(v)) return IMap([...(v as IMap<unknown, unknown>).entries()].reverse());
  if (List.isList(v)) return List([...(v as List<unknown>)].map(reversed));
  if (Array.isArray(v)) return v.map(reversed);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
  return v;
}

describe('the generic canonical encoder (specs without declared types)', () => {
  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(hex(roundTrip(v))).toBe(hex(v));
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on insertion order of objects, Sets, Maps and Immutable collections', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(hex(reversed(v))).toBe(hex(v));
      }),
      { numRuns: 500 },
    );
  });

  it('tells apart values that differ', () => {
    expect(hex({ a: [1, 2] })).not.toBe(hex({ a: [2, 1] }));
    expect(hex(new Set([1, 2]))).not.toBe(hex(new Set([1, 2, 3])));
    expect(hex(new Set(['ab']))).not.toBe(hex(new Set(['a', 'b'])));
    expect(hex(ISet([1]))).not.toBe(hex(new Set([1])));
    expect(hex({ a: 1 })).not.toBe(hex(new Map([['a', 1]])));
    expect(hex(-0.5)).not.toBe(hex(0.5));
    expect(is(roundTrip(IMap([[1, ISet(['x'])]])), IMap([[1, ISet(['x'])]]))).toBe(true);
  });

  it('gives TwoPhase written with Sets and Immutable.js the same state counts as the declared spec', () => {
    for (const rms of [3, 5]) {
      const a = search(generic.instantiate({ rms }), { strategy: 'bfs', deadlock: true });
      const b = search(twophase.instantiate({ rms, variant: 'correct' }), { strategy: 'bfs', deadlock: true });
      expect([a.distinct, a.generated, a.depth, a.violations.length]).toEqual([b.distinct, b.generated, b.depth, 0]);
    }
  });
});
