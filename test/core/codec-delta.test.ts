import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitWriter } from '../../checker/core/bits.ts';
import { codecFor } from '../../checker/core/codegen.ts';
import { OUT_OF_TYPE, t, type Type } from '../../checker/core/types.ts';
import { anyType, valueOf } from '../helpers/arbitrary-types.ts';

function hex(w: BitWriter, len: number): string {
  return Buffer.from(w.buf.subarray(0, len)).toString('hex');
}

/** A record type of random fields, a base value, and a successor that takes each field either from
 *  the base (the same object, as a spread does) or anew. */
const deltaCase = fc
  .array(anyType, { minLength: 1, maxLength: 5 })
  .map((fields) => t.record(Object.fromEntries(fields.map((f, i) => [`f${i}`, f]))) as Type<Record<string, unknown>>)
  .chain((type) =>
    fc.tuple(
      fc.constant(type),
      valueOf(type) as fc.Arbitrary<Record<string, unknown>>,
      valueOf(type) as fc.Arbitrary<Record<string, unknown>>,
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 5, maxLength: 5 }),
      fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      fc.integer({ min: 0, max: 9 }),
    ),
  );

/** A copy of the object `a` with the parts the flags pick taken from `b` instead (same objects). */
function mix(a: unknown, b: unknown, flags: readonly boolean[]): unknown {
  if (typeof a !== 'object' || a === null || Array.isArray(a) || typeof b !== 'object' || b === null) return a;
  const o: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  Object.keys(o).forEach((k, i) => {
    if (flags[i % flags.length] && k in b) o[k] = (b as Record<string, unknown>)[k];
  });
  return o;
}

describe('delta encoding (only the fields an action changed)', () => {
  it('gives exactly the bytes of a full encoding, whatever fields are shared with the base', () => {
    let withDelta = 0;
    fc.assert(
      fc.property(deltaCase, ([type, base, fresh, keep, inner, offset]) => {
        const codec = codecFor(type);
        if (!codec.encodeDelta) return;
        withDelta++;
        const w = new BitWriter(4);
        const baseLen = codec.encode(base, w);
        // The base's bytes somewhere inside a larger buffer, as in a frontier chunk.
        const bb = new Uint8Array(offset + baseLen + 3).fill(0xa5);
        bb.set(w.buf.subarray(0, baseLen), offset);
        // Each field: the base's own (0), a fresh one (1), or a copy of the base's object with some
        // parts fresh (2: an unchanged process beside a changed one, one level down).
        const next = Object.fromEntries(Object.keys(base).map((k, i) => [k, keep[i] === 0 ? base[k] : keep[i] === 1 ? fresh[k] : mix(base[k], fresh[k], inner)]));
        let full: number;
        try {
          full = codec.encode(next, w);
        } catch (e) {
          expect(e).toBe(OUT_OF_TYPE);
          expect(() => codec.encodeDelta!(next, base, bb, offset, new BitWriter())).toThrow();
          return;
        }
        const expected = hex(w, full);
        const w2 = new BitWriter(2);
        const len = codec.encodeDelta(next, base, bb, offset, w2);
        expect(hex(w2, len)).toBe(expected);
        // The canonical form round-trips: decoding the bytes and encoding again changes nothing.
        const decoded = codec.decode(w2.buf, 0, len);
        expect(hex(w, codec.encode(decoded, w))).toBe(expected);
      }),
      { numRuns: 500 },
    );
    expect(withDelta).toBeGreaterThan(50);
  });

  it('still rejects a changed field outside its type', () => {
    const State = t.record({ a: t.enum('x', 'y'), n: t.int(0, 3), s: t.set(t.int(0, 2)) });
    const codec = codecFor(State);
    const base = { a: 'x' as const, n: 1, s: [0] };
    const w = new BitWriter();
    const len = codec.encode(base, w);
    const bb = w.buf.slice(0, len);
    let thrown: unknown;
    try {
      codec.encodeDelta!({ ...base, n: 7 }, base, bb, 0, new BitWriter());
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(OUT_OF_TYPE);
  });

  it('copies a shared field of a TwoPhase-like state from the base bytes', () => {
    const RM = t.enum('r1', 'r2', 'r3');
    const State = t.record({ rm: t.map(RM, t.enum('working', 'prepared')), tm: t.enum('init', 'done'), msgs: t.set(RM) });
    const codec = codecFor(State);
    const base = { rm: { r1: 'working', r2: 'prepared', r3: 'working' }, tm: 'init', msgs: ['r2'] } as const;
    const w = new BitWriter();
    const bb = w.buf.slice(0, codec.encode(base, w));
    // A base whose bytes say something else shows the shared field is copied, not encoded.
    const other = { ...base, rm: { r1: 'prepared', r2: 'prepared', r3: 'prepared' } } as const;
    const lie = w.buf.slice(0, codec.encode(other, w));
    const next = { ...base, tm: 'done' } as const;
    const w2 = new BitWriter();
    expect(hex(w2, codec.encodeDelta!(next, base, bb, 0, w2))).toBe(hex(w, codec.encode(next, w)));
    const copied = codec.decode(w2.buf, 0, codec.encodeDelta!(next, base, lie, 0, w2));
    expect(copied.rm).toEqual(other.rm);
  });
});
