import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitWriter } from '../../checker/core/bits.ts';
import { codecFor, interpreted } from '../../checker/core/codegen.ts';
import { BagType, MapType, NullableType, RecordType, SeqType, SetType, TupleType, t, type Type } from '../../checker/core/types.ts';
import { anyType, normalize, valueOf } from '../helpers/arbitrary-types.ts';

const typeAndValue = anyType.chain((type) => fc.tuple(fc.constant(type), valueOf(type)));
const typeAndTwo = anyType.chain((type) => fc.tuple(fc.constant(type), valueOf(type), valueOf(type)));

function bytes(type: Type<any>, v: unknown, compiled = true): string {
  const w = new BitWriter(8);
  const codec = compiled ? codecFor(type) : interpreted(type);
  const len = codec.encode(v, w);
  return Buffer.from(w.buf.subarray(0, len)).toString('hex');
}

/** The same value with every set and bag reversed and every map built in reverse key order. */
function reversed(type: Type<any>, v: any): any {
  if (type instanceof RecordType) return Object.fromEntries(type.keys.map((k) => [k, reversed(type.fields[k], v[k])]));
  if (type instanceof TupleType) return type.items.map((it, i) => reversed(it, v[i]));
  if (type instanceof SeqType) return v.map((x: unknown) => reversed(type.elem, x));
  if (type instanceof SetType || type instanceof BagType) return [...v].reverse().map((x: unknown) => reversed(type.elem, x));
  if (type instanceof MapType) return Object.fromEntries(Object.keys(v).reverse().map((k) => [k, reversed(type.value, v[k])]));
  if (type instanceof NullableType) return v === null ? null : reversed(type.inner, v);
  return v;
}

describe('canonical encoding of declared types', () => {
  it('decodes what it encodes, up to set order and duplicates (compiled and interpreted)', () => {
    fc.assert(
      fc.property(typeAndValue, ([type, v]) => {
        for (const codec of [codecFor(type), interpreted(type)]) {
          const w = new BitWriter(4);
          const len = codec.encode(v, w);
          expect(normalize(type, codec.decode(w.buf, 0, len))).toEqual(normalize(type, v));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('gives the compiled and the interpreted encoders the same bytes', () => {
    fc.assert(fc.property(typeAndValue, ([type, v]) => {
      expect(bytes(type, v, true)).toBe(bytes(type, v, false));
    }), { numRuns: 400 });
  });

  it('does not depend on the insertion order of sets, bags and maps', () => {
    fc.assert(fc.property(typeAndValue, ([type, v]) => {
      expect(bytes(type, reversed(type, v))).toBe(bytes(type, v));
    }), { numRuns: 400 });
  });

  it('is injective: values that differ as values encode differently', () => {
    fc.assert(
      fc.property(typeAndTwo, ([type, a, b]) => {
        const same = JSON.stringify(normalize(type, a)) === JSON.stringify(normalize(type, b));
        expect(bytes(type, a) === bytes(type, b)).toBe(same);
      }),
      { numRuns: 400 },
    );
  });

  it('sets of every size, with repeats: the same bytes compiled and interpreted, read back without repeats', () => {
    // Random types rarely give a large domain and a repeat at once: here every value repeats some of
    // its elements. Sizes around 24 and 256, where the encoding changes.
    const sized = fc.integer({ min: 1, max: 700 }).chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
      ),
    );
    fc.assert(
      fc.property(sized, ([n, picks, again, asRecords]) => {
        const elem = asRecords ? t.record({ i: t.int(0, n - 1) }) : t.int(0, n - 1);
        const type = t.set(elem as Type<unknown>);
        const as = (i: number) => (asRecords ? { i } : i);
        const v = [...picks, ...again.map((k) => picks[k % picks.length])].map(as);
        expect(bytes(type, v, true)).toBe(bytes(type, v, false));
        const w = new BitWriter(4);
        const len = codecFor(type).encode(v, w);
        const back = codecFor(type).decode(w.buf, 0, len) as unknown[];
        expect(back).toEqual([...new Set(picks)].sort((x, y) => x - y).map(as));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a value outside its type, and explains where', () => {
    const State = t.record({ pc: t.map(t.enum('p', 'q'), t.enum('idle', 'cs')), n: t.int(0, 3), s: t.set(t.int(0, 2)) });
    const bad = { pc: { p: 'idle', q: 'crit' }, n: 1, s: [] };
    expect(() => codecFor(State).encode(bad as never, new BitWriter())).toThrow();
    expect(State.explain(bad, 'state')).toBe('state.pc["q"] is "crit", not one of idle, cs');
    expect(State.explain({ pc: { p: 'idle', q: 'cs' }, n: 4, s: [] }, 'state')).toBe('state.n is 4, not an integer in 0..3');
    expect(State.explain({ pc: { p: 'idle', q: 'cs' }, n: 1, s: [], extra: 1 }, 'state')).toMatch(/state.extra is not a declared field/);
    expect(State.explain({ pc: { p: 'idle', q: 'cs' }, n: 1, s: [5] }, 'state')).toBe('state.s[0] is 5, not an integer in 0..2');
  });

  it('packs a TwoPhase-like state into a few bytes', () => {
    const RM = t.enum('r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8');
    const State = t.record({
      rmState: t.map(RM, t.enum('working', 'prepared', 'committed', 'aborted')),
      tmState: t.enum('init', 'committed', 'aborted'),
      tmPrepared: t.set(RM),
      msgs: t.set(t.variant({ Prepared: { rm: RM }, Commit: {}, Abort: {} })),
    });
    const s = { rmState: Object.fromEntries(RM.values.map((r) => [r, 'working'])), tmState: 'init', tmPrepared: ['r2'], msgs: [{ type: 'Commit' }] };
    // 8 x 2 bits + 2 bits + 8 bits + 10 bits = 36 bits
    expect(bytes(State, s).length / 2).toBe(5);
  });
});
