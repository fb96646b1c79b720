import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { action, defineSpec, param, system, t } from '../../checker/index.ts';
import { search, type Strategy } from '../../checker/explore/search.ts';
import { canonical, rebuildPath } from '../../checker/trace/rebuild.ts';
import pingpong from '../fixtures/pingpong.ts';

/** A random transition system: states 0..n-1, each action a table from state to successors. */
interface RandomSystem {
  n: number;
  init: number[];
  actions: number[][][];
  bad: number[];
  terminal: number[];
}

const randomSystem: fc.Arbitrary<RandomSystem> = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    init: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 3 }),
    actions: fc.array(fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 3 }),
    bad: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }),
    terminal: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }),
  }),
);

function specOf(sys: RandomSystem) {
  type S = { readonly x: number };
  return defineSpec({
    name: 'random',
    build: () =>
      system(t.record({ x: t.int(0, sys.n - 1) }), {
        init: sys.init.map((x) => ({ x })),
        actions: Object.fromEntries(sys.actions.map((table, a) => [`a${a}`, action({ k: t.int(0, 2) }, (s: S, { k }) => (table[s.x][k] === undefined ? null : { x: table[s.x][k] }))])),
        invariants: { good: (s) => !sys.bad.includes(s.x) },
        terminal: (s) => sys.terminal.includes(s.x),
      }),
  }).instantiate({});
}

function fpOf(model: ReturnType<typeof specOf>, s: unknown): [number, number] {
  const c = canonical(model, s);
  return [c.hi, c.lo];
}

/** The reference: a plain BFS over numbers with a JS Set. */
function naive(sys: RandomSystem) {
  const dist = new Map<number, number>();
  let level = [...new Set(sys.init)];
  for (const x of level) dist.set(x, 0);
  let generated = sys.init.length;
  for (let d = 1; level.length; d++) {
    const next: number[] = [];
    for (const x of level) {
      for (const table of sys.actions) {
        for (const y of table[x]) {
          generated++;
          if (!dist.has(y)) {
            dist.set(y, d);
            next.push(y);
          }
        }
      }
    }
    level = next;
  }
  const reach = [...dist.keys()];
  const badDepths = reach.filter((x) => sys.bad.includes(x)).map((x) => dist.get(x)!);
  const deadlocks = reach.filter((x) => sys.actions.every((table) => table[x].length === 0) && !sys.terminal.includes(x));
  return { distinct: reach.length, generated, depth: Math.max(...dist.values()), bad: badDepths.length ? Math.min(...badDepths) : undefined, deadlocks, dist };
}

describe('the search agrees with a naive reference explorer on random transition systems', () => {
  for (const strategy of ['bfs', 'dfs'] as Strategy[]) {
    it(`${strategy}: same reachable states, generated states, verdicts and deadlocks`, () => {
      fc.assert(
        fc.property(randomSystem, (sys) => {
          const ref = naive(sys);
          const model = specOf(sys);
          const r = search(model, { strategy, deadlock: true });
          expect(r.status).toBe('complete');
          expect(r.distinct).toBe(ref.distinct);
          // Same reachable set: every state the reference reaches is in the visited set (and the counts agree).
          for (const x of ref.dist.keys()) expect(r.store.find(...fpOf(model, { x }))).toBeGreaterThanOrEqual(0);
          expect(r.generated).toBe(ref.generated);
          const inv = r.violations.find((v) => v.kind === 'invariant');
          expect(inv !== undefined).toBe(ref.bad !== undefined);
          const dl = r.violations.find((v) => v.kind === 'deadlock');
          expect(dl !== undefined).toBe(ref.deadlocks.length > 0);
          if (strategy === 'bfs') {
            expect(r.depth).toBe(ref.depth);
            // BFS finds a shortest counterexample, and the rebuilt path really leads there.
            if (inv) {
              const path = rebuildPath(model, r.store, inv.ordinal);
              expect(path.length - 1).toBe(ref.bad);
              expect(sys.bad).toContain((path[path.length - 1].state as { x: number }).x);
            }
            if (dl) expect(dl.depth).toBe(Math.min(...ref.deadlocks.map((x) => ref.dist.get(x)!)));
          }
          if (dl) {
            const path = rebuildPath(model, r.store, dl.ordinal);
            expect(ref.deadlocks).toContain((path[path.length - 1].state as { x: number }).x);
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});

const counter = defineSpec({
  name: 'counter',
  params: { max: param(t.int(1, 100), 10) },
  build: ({ max }) =>
    system(t.record({ a: t.int(0, 100), b: t.int(0, 100) }), {
      init: { a: 0, b: 0 },
      actions: {
        incA: (s) => s.a < max && { ...s, a: s.a + 1 },
        incB: (s) => s.b < max && { ...s, b: s.b + 1 },
      },
      invariants: { notBoth: (s) => !(s.a === max && s.b === max) },
      terminal: (s) => s.a === max && s.b === max,
    }),
});

describe('fixture models with exact numbers', () => {
  it('counts a grid of two counters exactly', () => {
    const r = search(counter.instantiate({ max: 10 }), { strategy: 'bfs', deadlock: true, invariants: [] });
    expect([r.distinct, r.generated, r.depth, r.violations.length]).toEqual([121, 221, 20, 0]);
  });

  it('finds the corner of the grid at depth 20 with BFS, and a deeper path with DFS is still a path', () => {
    const model = counter.instantiate({ max: 10 });
    const bfs = search(model, { strategy: 'bfs', deadlock: true });
    expect(bfs.violations.map((v) => [v.property, v.depth])).toEqual([['notBoth', 20]]);
    const dfs = search(model, { strategy: 'dfs', deadlock: true });
    expect(dfs.distinct).toBe(121);
    expect(rebuildPath(model, dfs.store, dfs.violations[0].ordinal)).toHaveLength(21);
  });

  it('reports a deadlock when the corner is not declared terminal', () => {
    const spec = defineSpec({
      name: 'stuck',
      build: () => system(t.record({ n: t.int(0, 3) }), { init: { n: 0 }, actions: { inc: (s) => s.n < 3 && { n: s.n + 1 } } }),
    });
    const r = search(spec.instantiate({}), { strategy: 'bfs', deadlock: true });
    expect(r.violations).toEqual([{ kind: 'deadlock', property: 'deadlock', ordinal: 3, depth: 3 }]);
  });

  it('stops at exactly the state limit and says so', () => {
    const r = search(counter.instantiate({ max: 100 }), { strategy: 'bfs', deadlock: false, maxStates: 500 });
    expect(r.status).toBe('state-limit');
    expect(r.distinct).toBe(500);
  });

  it('does not expand states at the depth bound', () => {
    const r = search(counter.instantiate({ max: 10 }), { strategy: 'bfs', deadlock: true, maxDepth: 3 });
    expect([r.distinct, r.depth, r.depthBounded]).toEqual([10, 3, true]);
  });

  it('checks step properties on every transition, also into states already seen', () => {
    const spec = defineSpec({
      name: 'loop',
      build: () =>
        system(t.record({ n: t.int(0, 2) }), {
          init: { n: 0 },
          actions: { next: (s) => ({ n: (s.n + 1) % 3 }) },
          steps: { grows: (a, b) => b.n > a.n },
        }),
    });
    const model = spec.instantiate({});
    const r = search(model, { strategy: 'bfs', deadlock: true });
    expect(r.violations).toEqual([{ kind: 'step', property: 'grows', ordinal: 2, depth: 2, step: { label: { action: 'next', params: {} }, next: { n: 0 } } }]);
  });

  it('explores a protocol the same way under both networks and both strategies', () => {
    for (const network of ['unordered', 'fifo'] as const) {
      for (const strategy of ['bfs', 'dfs'] as const) {
        const r = search(pingpong.instantiate({ servers: 2, lossyCount: false }, { network }), { strategy, deadlock: true });
        expect([r.distinct, r.generated, r.depth, r.violations.length]).toEqual([13, 19, 6, 0]);
      }
    }
    const lossy = search(pingpong.instantiate({ servers: 2, lossyCount: true }, { network: 'unordered' }), { strategy: 'bfs', deadlock: true });
    expect(lossy.violations.map((v) => [v.kind, v.depth])).toEqual([['deadlock', 6]]);
  });
});

describe('inFlight', () => {
  it('lists the messages in flight under both networks', async () => {
    const { inFlight } = await import('../../checker/index.ts');
    for (const network of ['unordered', 'fifo'] as const) {
      const model = pingpong.instantiate({ servers: 2, lossyCount: false }, { network });
      let g = model.init[0];
      model.actions[0].expand(g, (_l, next) => (g = next));
      expect(inFlight(g)).toEqual([{ from: 'client1', to: 'server1', msg: { type: 'Ping', n: 0 } }]);
    }
  });
});

describe('network semantics', () => {
  it('fifo keeps the order of a channel; unordered may deliver B before A', async () => {
    const order = (await import('../fixtures/order.ts')).default;
    const fifo = search(order.instantiate({}, { network: 'fifo' }), { strategy: 'bfs', deadlock: true });
    expect([fifo.distinct, fifo.violations.length]).toEqual([4, 0]);
    const unordered = search(order.instantiate({}, { network: 'unordered' }), { strategy: 'bfs', deadlock: true });
    expect(unordered.distinct).toBe(6);
    expect(unordered.violations.map((v) => [v.property, v.depth])).toEqual([['inOrder', 2]]);
  });
});

describe('memory', () => {
  it('stops at the memory limit rather than be killed', () => {
    const r = search(counter.instantiate({ max: 100 }), { strategy: 'bfs', deadlock: false, maxMemory: 1 });
    expect(r.status).toBe('memory-limit');
    expect(r.distinct).toBeLessThan(10_201);
  });
});

describe('step properties', () => {
  it('see the successor in canonical form: a set without repeats', () => {
    const spec = defineSpec({
      name: 'dups',
      build: () =>
        system(t.record({ xs: t.set(t.int(0, 2)) }), {
          init: { xs: [0] },
          actions: { again: (s) => s.xs.length < 3 && { xs: [...s.xs, 0] } },
          steps: { noRepeats: (_a, b) => new Set(b.xs).size === b.xs.length },
        }),
    });
    const r = search(spec.instantiate({}), { strategy: 'bfs', deadlock: false });
    expect([r.distinct, r.violations]).toEqual([1, []]);
  });
});

describe('pluggable storage', () => {
  it('runs the same search over any FingerprintSet and Frontier', async () => {
    const { OpenAddressingFpSet } = await import('../../checker/explore/fp-set.ts');
    const { ChunkedStack } = await import('../../checker/explore/frontier.ts');
    /** A visited set that counts its lookups, around the real one. */
    class Counting extends OpenAddressingFpSet {
      lookups = 0;
      override insert(hi: number, lo: number, parent: number): number {
        this.lookups++;
        return super.insert(hi, lo, parent);
      }
    }
    const store = new Counting(16);
    const r = search(counter.instantiate({ max: 10 }), { strategy: 'bfs', deadlock: false, invariants: [], store, frontier: new ChunkedStack() });
    expect(r.store).toBe(store);
    expect([r.distinct, store.lookups]).toEqual([121, 221]);
  });
});
