// The shared fingerprint table against a naive reference (a Map keeping each fingerprint's smallest
// parent), under probing and rehashing, and with two threads racing on the same fingerprints.
import fc from 'fast-check';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { NO_PARENT } from '../../../checker/explore/fp-set.ts';
import { ADDED, LOWERED, PRESENT, SharedDense, SharedTable } from '../../../checker/explore/parallel/shared-table.ts';

/** The reference: the smallest parent per fingerprint, NO_PARENT (an initial state) below all. */
function naiveInsert(m: Map<string, number>, hi: number, lo: number, parent: number): number {
  const key = `${hi}:${lo}`;
  const rank = (p: number) => (p === NO_PARENT ? -1 : p);
  const had = m.get(key);
  if (had === undefined) {
    m.set(key, parent);
    return ADDED;
  }
  if (rank(parent) < rank(had)) {
    m.set(key, parent);
    return LOWERED;
  }
  return PRESENT;
}

// Few distinct hi values, so that fingerprints collide on their home slot and probe.
const fpArb = fc.tuple(fc.integer({ min: 0, max: 7 }).map((h) => (h * 0x9e3779b9) >>> 0), fc.integer({ min: 0, max: 0xffffffff }));
const op = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.oneof(fc.constant(NO_PARENT), fc.integer({ min: 0, max: 1000 })));

describe('SharedTable', () => {
  it('inserts, relinks to the smallest parent and finds like a Map, across rehashing', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fpArb, { minLength: 1, maxLength: 40, selector: ([h, l]) => `${h}:${l}` }), fc.array(op, { maxLength: 150 }), fc.integer({ min: 0, max: 150 }), (fps, ops, rehashAt) => {
        let table = SharedTable.create(64);
        const ref = new Map<string, number>();
        ops.forEach(([k, parent], i) => {
          if (i === rehashAt) table = table.rehash(128);
          const [hi, lo] = fps[k % fps.length];
          expect(table.insert(hi, lo, parent)).toBe(naiveInsert(ref, hi, lo, parent));
        });
        for (const [hi, lo] of fps) expect(table.parentOf(hi, lo)).toBe(ref.get(`${hi}:${lo}`) ?? -1);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps fingerprints and parents by ordinal in dense chunks', () => {
    const dense = new SharedDense();
    dense.ensure(70_000);
    dense.set(69_999, 0xdeadbeef, 7, 12);
    const other = new SharedDense(dense.chunks.map((c) => c.buffer as SharedArrayBuffer));
    expect([other.hiOf(69_999), other.loOf(69_999), other.parentOf(69_999)]).toEqual([0xdeadbeef, 7, 12]);
  });

  it('two threads inserting the same fingerprints: each stored once, with the smallest parent', async () => {
    const table = SharedTable.create(1 << 15);
    const keys = Array.from({ length: 20_000 }, (_, i) => ((i * 2654435761) >>> 0) | 1);
    const go = new SharedArrayBuffer(8);
    const run = (parent: number) =>
      new Promise<number[]>((resolve, reject) => {
        const w = new Worker(new URL('../../fixtures/parallel/table-inserter.js', import.meta.url), { workerData: { buffer: table.buffer, keys, parent, go } });
        w.once('message', (m: number[]) => void w.terminate().then(() => resolve(m)));
        w.once('error', reject);
      });
    const both = Promise.all([run(100), run(200)]);
    const flag = new Int32Array(go);
    while (Atomics.load(flag, 1) < 2) await new Promise((r) => setTimeout(r, 5));
    Atomics.store(flag, 0, 1);
    const [a, b] = await both;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      // Exactly one thread added each fingerprint; the parent kept is the smaller one (thread 100's).
      expect([a[i], b[i]].filter((x) => x === ADDED)).toHaveLength(1);
      expect(table.parentOf(k >>> 8, k)).toBe(100 + (k % 3));
    }
  }, 60_000);
});
