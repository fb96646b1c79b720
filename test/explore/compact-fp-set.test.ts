import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactFpSet } from '../../checker/explore/compact-fp-set.ts';
import { NO_PARENT, OpenAddressingFpSet, type FingerprintSet } from '../../checker/explore/fp-set.ts';
import { search } from '../../checker/explore/search.ts';
import paxos from '../../specs/paxos.ts';
import twophase from '../../specs/twophase.ts';
import { ParentLinks } from '../../checker/explore/parent-links.ts';

/** Inserts into the set and a naive Map side by side and compares every answer. */
function crossCheck(ops: readonly { hi: number; lo: number; parent: number }[], initialCapacity?: number, ordBits?: number): void {
  const set = new CompactFpSet(initialCapacity, ordBits);
  const ref = new Map<string, number>();
  const parents: number[] = [];
  const fps: [number, number][] = [];
  for (const { hi, lo, parent } of ops) {
    const key = `${hi}:${lo}`;
    const p = parent === NO_PARENT ? NO_PARENT : Math.min(parent, Math.max(0, parents.length - 1));
    const expected = ref.has(key) ? -1 : parents.length;
    expect(set.insert(hi, lo, p)).toBe(expected);
    if (expected >= 0) {
      ref.set(key, expected);
      parents.push(p);
      fps.push([hi, lo]);
    }
    expect(set.size).toBe(ref.size);
  }
  for (const [key, ord] of ref) {
    const [hi, lo] = key.split(':').map(Number);
    expect(set.find(hi, lo)).toBe(ord);
    expect(set.parentOf(ord)).toBe(parents[ord]);
    expect([set.hiOf(ord), set.loOf(ord)]).toEqual(fps[ord]);
  }
  expect(set.find(0x12345678, 0x9abcdef0)).toBe(ref.get(`${0x12345678}:${0x9abcdef0}`) ?? -1);
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe('the compact visited set', () => {
  it('answers as a naive Map, through growth, with colliding lo halves and any parents', () => {
    // Few distinct values so that duplicates and equal lo (same home slot) are common.
    const small = fc.integer({ min: 0, max: 40 }).map((x) => (x * 0x9e3779b1) >>> 0);
    const op = fc.record({ hi: fc.oneof(small, u32), lo: fc.oneof(small, u32), parent: fc.oneof(fc.constant(NO_PARENT), fc.nat(1000)) });
    fc.assert(fc.property(fc.array(op, { maxLength: 400 }), (ops) => crossCheck(ops, 8)), { numRuns: 200 });
  });

  it('keeps answering once ordinals outgrow the bits beside the tag (entries become plain ordinals)', () => {
    const op = fc.record({ hi: u32, lo: fc.integer({ min: 0, max: 20 }).map((x) => (x * 0x9e3779b1) >>> 0), parent: fc.nat(100) });
    // 5 ordinal bits: the layout changes at the 31st state.
    fc.assert(fc.property(fc.array(op, { minLength: 20, maxLength: 200 }), (ops) => crossCheck(ops, 8, 5)), { numRuns: 100 });
  });

  it('keeps breadth-first parents (never decreasing) compact, and exact', () => {
    const n = 200_000;
    const ops: { hi: number; lo: number; parent: number }[] = [];
    let parent = 0;
    for (let i = 0; i < n; i++) {
      // Initial states, then parents that stay or jump ahead (states without new successors).
      if (i >= 3 && (i * 7) % 5 === 0) parent += (i * 13) % 97 === 0 ? 300 + (i % 1000) : 1;
      ops.push({ hi: (i * 2654435761) >>> 0, lo: Math.imul(i ^ 0x5bd1e995, 0x9e3779b1) >>> 0, parent: i < 3 ? NO_PARENT : Math.min(parent, i - 1) });
    }
    crossCheck(ops.slice(0, 3000));
    const set = new CompactFpSet();
    for (const o of ops) set.insert(o.hi, o.lo, o.parent);
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      if (set.find(ops[i].hi, ops[i].lo) !== i || set.parentOf(i) !== ops[i].parent || set.hiOf(i) !== ops[i].hi || set.loOf(i) !== ops[i].lo) wrong++;
    }
    expect(wrong).toBe(0);
    expect(set.bytes() / set.size).toBeLessThanOrEqual(16);
  });

  it('turns parents into plain ones when a parent goes down (depth-first), keeping every link', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(50), fc.constant(NO_PARENT)), { minLength: 1, maxLength: 300 }), fc.nat(299), (ps, at) => {
        const links = new ParentLinks();
        // Monotone up to `at`, then anything.
        const seq = ps.map((p, i) => (i < at ? (p === NO_PARENT ? NO_PARENT : i * 2) : p));
        let ok = true;
        let last = -1;
        for (const p of seq) {
          if (p !== NO_PARENT && p < last) ok = false;
          if (p !== NO_PARENT) last = p;
          links.push(p);
        }
        expect(seq.map((_, i) => links.get(i))).toEqual(seq);
        expect(links.size).toBe(seq.length);
        // Plain parents take 4 bytes each (in chunks of 2^16); compact ones far less.
        if (!ok) expect(links.bytes()).toBe(4 << 16);
      }),
      { numRuns: 300 },
    );
  });

  it('holds what the former set held after real searches, breadth- and depth-first (same ordinals, fingerprints, parents)', () => {
    const models = [
      twophase.instantiate({ rms: 4, variant: 'correct' }),
      paxos.instantiate({ acceptors: 2, proposers: 2, values: 2, maxBallot: 1, variant: 'correct', retry: 'nack' }, { network: 'unordered' }),
    ];
    for (const model of models) {
      for (const strategy of ['bfs', 'dfs'] as const) {
        const run = (store: FingerprintSet) => search(model, { strategy, deadlock: false, store });
        const a = run(new CompactFpSet());
        const b = run(new OpenAddressingFpSet());
        expect([a.distinct, a.generated, a.depth]).toEqual([b.distinct, b.generated, b.depth]);
        expect(a.distinct).toBeGreaterThan(100);
        let differ = 0;
        for (let o = 0; o < a.distinct; o++) {
          if (a.store.hiOf(o) !== b.store.hiOf(o) || a.store.loOf(o) !== b.store.loOf(o) || a.store.parentOf(o) !== b.store.parentOf(o)) differ++;
          if (a.store.find(b.store.hiOf(o), b.store.loOf(o)) !== o) differ++;
        }
        expect(differ).toBe(0);
      }
    }
  });
});
