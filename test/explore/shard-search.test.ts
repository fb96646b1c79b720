// Exhaustive shards against a naive reference: on random transition systems, n shards (run
// concurrently, exchanging states through a temporary folder) together reach exactly the states a
// plain BFS reaches, generate as many, reach the same depth, find the invariant violation and the
// deadlock at the same (shortest) depth, and their rebuilt paths, followed across shards, are real.
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { action, defineSpec, system, t } from '../../checker/index.ts';
import { ConfigError } from '../../checker/core/errors.ts';
import { search } from '../../checker/explore/search.ts';
import { shardSearch } from '../../checker/explore/shard/shard-search.ts';
import { rebuildPath } from '../../checker/trace/rebuild.ts';

interface RandomSystem {
  n: number;
  init: number[];
  actions: number[][][];
  bad: number[];
}

const randomSystem: fc.Arbitrary<RandomSystem> = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    init: fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 3 }),
    actions: fc.array(fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 3 }),
    bad: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 2 }),
  }),
);

function modelOf(sys: RandomSystem) {
  type S = { readonly x: number };
  return defineSpec({
    name: 'random',
    build: () =>
      system(t.record({ x: t.int(0, sys.n - 1) }), {
        init: sys.init.map((x) => ({ x })),
        actions: Object.fromEntries(sys.actions.map((table, a) => [`a${a}`, action({ k: t.int(0, 2) }, (s: S, { k }) => (table[s.x][k] === undefined ? null : { x: table[s.x][k] }))])),
        invariants: { good: (s) => !sys.bad.includes(s.x) },
      }),
  }).instantiate({});
}

/** Plain BFS over numbers: distances, generated count. */
function naive(sys: RandomSystem) {
  const dist = new Map<number, number>();
  let level = [...new Set(sys.init)];
  for (const x of level) dist.set(x, 0);
  let generated = sys.init.length;
  for (let d = 1; level.length; d++) {
    const next: number[] = [];
    for (const x of level) for (const table of sys.actions) for (const y of table[x]) {
      generated++;
      if (!dist.has(y)) {
        dist.set(y, d);
        next.push(y);
      }
    }
    level = next;
  }
  const reach = [...dist.keys()];
  const badDepths = reach.filter((x) => sys.bad.includes(x)).map((x) => dist.get(x)!);
  const deadlocks = reach.filter((x) => sys.actions.every((table) => table[x].length === 0)).map((x) => dist.get(x)!);
  return { distinct: reach.length, generated, depth: Math.max(...dist.values()), bad: badDepths.length ? Math.min(...badDepths) : undefined, deadlock: deadlocks.length ? Math.min(...deadlocks) : undefined };
}

describe('exhaustive shards agree with a naive reference on random transition systems', () => {
  it('for 1 to 4 shards: the same distinct and generated counts, depth, and shortest violations, whose paths replay', async () => {
    await fc.assert(
      fc.asyncProperty(randomSystem, fc.integer({ min: 1, max: 4 }), async (sys, count) => {
        const ref = naive(sys);
        const model = modelOf(sys);
        const dir = join(mkdtempSync(join(tmpdir(), 'tsmc-shard-fc-')), 'x');
        const runs = await Promise.all(Array.from({ length: count }, (_, k) => shardSearch(model, { strategy: 'bfs', deadlock: true }, { index: k + 1, count, dir, modelHash: 'h' })));
        const results = runs.map((r) => {
          if (r instanceof ConfigError) throw r;
          expect(r.result.status).toBe('complete');
          return r.result;
        });
        expect(results.reduce((a, r) => a + r.distinct, 0)).toBe(ref.distinct);
        expect(results.reduce((a, r) => a + r.generated, 0)).toBe(ref.generated);
        expect(Math.max(...results.map((r) => r.depth))).toBe(ref.depth);
        for (const kind of ['invariant', 'deadlock'] as const) {
          const found = results.flatMap((r) => r.violations.filter((v) => v.kind === kind).map((v) => ({ v, r })));
          const want = kind === 'invariant' ? ref.bad : ref.deadlock;
          expect(found.length > 0).toBe(want !== undefined);
          if (!found.length) continue;
          expect(Math.min(...found.map((f) => f.v.depth))).toBe(want);
          for (const { v, r } of found) {
            const path = rebuildPath(model, r.store, v.ordinal);
            expect(path.length - 1).toBe(v.depth);
            const last = (path[path.length - 1].state as { x: number }).x;
            if (kind === 'invariant') expect(sys.bad).toContain(last);
            else expect(sys.actions.every((table) => table[last].length === 0)).toBe(true);
          }
        }
        // And the single process agrees (the reference's own check).
        expect(search(model, { strategy: 'bfs', deadlock: true }).distinct).toBe(ref.distinct);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
