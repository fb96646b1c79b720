import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskFpSet } from '../../checker/explore/disk-fp-set.ts';
import { DiskQueue, DiskStack } from '../../checker/explore/disk-frontier.ts';
import { ChunkedQueue, ChunkedStack, type FrontierEntry } from '../../checker/explore/frontier.ts';
import { NO_PARENT } from '../../checker/explore/fp-set.ts';
import { parseSize } from '../../checker/core/size.ts';
import { frontierAgrees, type FrontierOp } from '../helpers/frontier-agrees.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spill-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Fingerprints from a small domain (so there are repeats), some sharing hi or lo. */
const fpArb = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3000 })).map(([a, b]): [number, number] => [(a * 0x9e3779b1) >>> 0, b === 0 ? 0xffffffff : (b * 0x85ebca6b) >>> 0]);
const setOps = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ insert: fpArb, parent: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ find: fpArb }) },
  ),
  { minLength: 200, maxLength: 3000 },
);

describe('the disk-backed visited set', () => {
  it('answers inserts, finds, parents and fingerprints as a plain Map does, across flushes and spilled chunks', () => {
    let flushed = 0;
    fc.assert(
      fc.property(setOps, fc.constantFrom(3000, 30_000), (ops, budget) => {
        // 3000 bytes: a table of 100 entries; 30,000: one that grows from 256 to 1000 entries.
        const set = new DiskFpSet({ dir, budget, chunkStates: 256 });
        const naive = new Map<string, number>();
        const byOrd: { hi: number; lo: number; parent: number }[] = [];
        try {
          for (const op of ops) {
            if ('insert' in op) {
              const [hi, lo] = op.insert;
              const key = `${hi}:${lo}`;
              const parent = byOrd.length === 0 ? NO_PARENT : op.parent % byOrd.length;
              const want = naive.has(key) ? -1 : byOrd.length;
              expect(set.insert(hi, lo, parent)).toBe(want);
              if (want >= 0) {
                naive.set(key, want);
                byOrd.push({ hi, lo, parent });
              }
            } else {
              const [hi, lo] = op.find;
              expect(set.find(hi, lo)).toBe(naive.get(`${hi}:${lo}`) ?? -1);
            }
            expect(set.size).toBe(byOrd.length);
          }
          for (let o = byOrd.length - 1; o >= 0; o--) {
            expect([set.hiOf(o), set.loOf(o), set.parentOf(o)]).toEqual([byOrd[o].hi, byOrd[o].lo, byOrd[o].parent]);
          }
          flushed += set.flushes;
        } finally {
          set.dispose();
        }
      }),
      { numRuns: 60 },
    );
    // The budget is small enough that the property ran against the files, not only the table.
    expect(flushed).toBeGreaterThan(60);
  });

  it('deletes its files when disposed', () => {
    const set = new DiskFpSet({ dir, budget: 3000, chunkStates: 256 });
    for (let i = 0; i < 2000; i++) set.insert(i, i * 7, NO_PARENT);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    expect(set.diskBytes()).toBeGreaterThan(0);
    set.dispose();
    expect(readdirSync(dir)).toEqual([]);
  });
});

type Op = FrontierOp;
const agrees = frontierAgrees;

const frontierOps = fc.array(
  fc.oneof(
    { weight: 2, arbitrary: fc.constant<Op>('pop') },
    { weight: 3, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 700 }).map((xs): Op => ({ push: Uint8Array.from(xs) })) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).map((b): Op => ({ push: new Uint8Array(9000).fill(b) })) },
  ),
  { maxLength: 120 },
);

describe('the disk-backed frontiers', () => {
  it('the queue is first in, first out, with its middle on disk', () => {
    fc.assert(fc.property(frontierOps, (o) => {
      const q = new DiskQueue({ dir, budget: 8192, chunkBytes: 4096 });
      try {
        agrees(q, false, o);
      } finally {
        q.dispose();
      }
    }), { numRuns: 80 });
  });
  it('the stack is last in, first out, with its bottom on disk', () => {
    fc.assert(fc.property(frontierOps, (o) => {
      const s = new DiskStack({ dir, budget: 8192, chunkBytes: 4096 });
      try {
        agrees(s, true, o);
      } finally {
        s.dispose();
      }
    }), { numRuns: 80 });
  });
  it('the in-memory frontiers list their entries in push order', () => {
    fc.assert(fc.property(frontierOps, (o) => agrees(new ChunkedQueue(), false, o)), { numRuns: 30 });
    fc.assert(fc.property(frontierOps, (o) => agrees(new ChunkedStack(), true, o)), { numRuns: 30 });
  });
  it('really writes chunks to disk under a small budget, and reads them back', () => {
    const q = new DiskQueue({ dir, budget: 8192, chunkBytes: 4096 });
    const bytes = new Uint8Array(100);
    for (let i = 0; i < 1000; i++) q.push(i, 0, bytes.fill(i & 255), 100);
    expect(q.spilledChunks).toBeGreaterThan(20);
    expect(q.bytes()).toBeLessThanOrEqual(8192 + 4096);
    const out: FrontierEntry = { ord: 0, depth: 0, buf: new Uint8Array(0), start: 0, end: 0 };
    for (let i = 0; i < 1000; i++) {
      expect(q.pop(out)).toBe(true);
      expect([out.ord, out.buf[out.start]]).toEqual([i, i & 255]);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('sizes', () => {
  it('reads the units people write', () => {
    expect(parseSize('2GiB')).toBe(2 * 2 ** 30);
    expect(parseSize('500MB')).toBe(500e6);
    expect(parseSize('64 MiB')).toBe(64 * 2 ** 20);
    expect(parseSize('1.5g')).toBe(1.5 * 2 ** 30);
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize('0MB')).toBeUndefined();
    expect(parseSize('2 parsecs')).toBeUndefined();
  });
});
