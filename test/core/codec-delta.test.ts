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
      fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      fc.integer({ min: 0, max: 9 }),
    ),
  );

describe('delta encoding (only the fields an action changed)', () => {
  it('gives exactly the bytes of a full encoding, whatever fields are shared with the base', () => {
    let withDelta = 0;
    fc.assert(
      fc.property(deltaCase, ([type, base, fresh, keep, offset]) => {
        const codec = codecFor(type);
        if (!codec.encodeDelta) return;
        withDelta++;
        const w = new BitWriter(4);
        const baseLen = codec.encode(base, w);
        // The base's bytes somewhere inside a larger buffer, as in a frontier chunk.
        const bb = new Uint8Array(offset + baseLen + 3).fill(0xa5);
        bb.set(w.buf.subarray(0, baseLen), offset);
        const next = Object.fromEntries(Object.keys(base).map((k, i) => [k, keep[i] ? base[k] : fresh[k]]));
        const full = codec.encode(next, w);
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
