// The liveness checker against a brute-force reference on random small graphs: every set of edges
// that is strongly connected is a cycle a behaviour can go round for ever (and every single state
// can stutter for ever); the property fails when one of them is fair, accepting, and reachable
// through the property's phases. Verdicts must agree, and the lasso's prefix must be as short as
// the shortest one the brute force finds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findLasso, type Fairness, type LassoQuery, type LiveGraph } from '../../checker/explore/liveness.ts';

interface RandomCase {
  n: number;
  edges: [number, number, number][];
  inits: number[];
  /** Per action instance, its groups; per group, strong or weak. */
  instGroups: number[][];
  strong: boolean[];
  p: boolean[];
  q: boolean[];
  op: 'eventually' | 'infinitelyOften' | 'eventuallyAlways' | 'leadsTo';
}

const arbCase: fc.Arbitrary<RandomCase> = fc
  .record({ n: fc.integer({ min: 1, max: 4 }), insts: fc.integer({ min: 1, max: 3 }), groups: fc.integer({ min: 0, max: 3 }) })
  .chain(({ n, insts, groups }) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.nat(insts - 1)), { maxLength: 10, selector: (e) => e.join(',') }),
      inits: fc.uniqueArray(fc.nat(n - 1), { minLength: 1, maxLength: 2 }),
      instGroups: fc.array(fc.uniqueArray(fc.nat(Math.max(0, groups - 1)), { maxLength: groups === 0 ? 0 : 2 }), { minLength: insts, maxLength: insts }),
      strong: fc.array(fc.boolean(), { minLength: groups, maxLength: groups }),
      p: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      q: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      op: fc.constantFrom('eventually' as const, 'infinitelyOften' as const, 'eventuallyAlways' as const, 'leadsTo' as const),
    }),
  );

function build(c: RandomCase): { g: LiveGraph; fair: Fairness; q: LassoQuery; edges: [number, number, number][] } {
  // Self-loops are stuttering steps: the state graph does not keep them.
  const edges = c.edges.filter(([a, b]) => a !== b).sort((x, y) => x[0] - y[0]);
  const start: number[] = [];
  const end: number[] = [];
  for (let v = 0; v < c.n; v++) {
    start.push(edges.findIndex((e) => e[0] === v));
    end.push(start[v] < 0 ? 0 : start[v] + edges.filter((e) => e[0] === v).length);
    if (start[v] < 0) start[v] = 0;
  }
  const g: LiveGraph = {
    n: c.n,
    inits: c.inits,
    start: (v) => start[v],
    end: (v) => end[v],
    target: (e) => edges[e][1],
    inst: (e) => edges[e][2],
  };
  const fair: Fairness = { groupCount: c.strong.length, groupsOf: (i) => c.instGroups[i], isStrong: (x) => c.strong[x] };
  return { g, fair, q: queryOf(c), edges };
}

function queryOf(c: RandomCase): LassoQuery {
  const { p, q } = c;
  switch (c.op) {
    case 'eventually':
      return { fromStart: true, allowed: (v) => !p[v], switchable: () => false };
    case 'infinitelyOften':
      return { fromStart: false, allowed: (v) => !p[v], switchable: () => true };
    case 'eventuallyAlways':
      return { fromStart: false, allowed: () => true, switchable: () => true, accepting: (v) => !p[v] };
    case 'leadsTo':
      return { fromStart: false, allowed: (v) => !q[v], switchable: (v) => p[v] && !q[v] };
  }
}

/** The groups enabled at v: those of the instances of its (non-self-loop) edges. */
function enabled(c: RandomCase, edges: [number, number, number][], v: number): Set<number> {
  return new Set(edges.filter((e) => e[0] === v).flatMap((e) => c.instGroups[e[2]]));
}

function stronglyConnected(vs: number[], es: [number, number, number][]): boolean {
  const reach = (from: number, fwd: boolean): Set<number> => {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length) {
      const v = stack.pop()!;
      for (const [a, b] of es) {
        const [x, y] = fwd ? [a, b] : [b, a];
        if (x === v && !seen.has(y)) {
          seen.add(y);
          stack.push(y);
        }
      }
    }
    return seen;
  };
  return vs.every((v) => reach(vs[0], true).has(v) && reach(vs[0], false).has(v));
}

/** Fair accepting cycles, as (states, taken groups), by enumerating every subset of edges. */
function fairCycles(c: RandomCase, edges: [number, number, number][], q: LassoQuery): number[][] {
  const out: number[][] = [];
  const isFair = (vs: number[], taken: Set<number>): boolean =>
    c.strong.every((strong, x) => {
      if (taken.has(x)) return true;
      const en = vs.map((v) => enabled(c, edges, v).has(x));
      return strong ? !en.some(Boolean) : !en.every(Boolean);
    });
  const ok = (vs: number[], taken: Set<number>) =>
    vs.every((v) => q.allowed(v)) && isFair(vs, taken) && (!q.accepting || vs.some((v) => q.accepting!(v)));
  for (let v = 0; v < c.n; v++) if (ok([v], new Set())) out.push([v]);
  for (let mask = 1; mask < 1 << edges.length; mask++) {
    const es = edges.filter((_, i) => mask & (1 << i));
    const vs = [...new Set(es.flatMap(([a, b]) => [a, b]))];
    if (!stronglyConnected(vs, es)) continue;
    if (ok(vs, new Set(es.flatMap((e) => c.instGroups[e[2]])))) out.push(vs);
  }
  return out;
}

/** Shortest number of steps from an initial state to state v in phase 1. */
function phaseDistance(c: RandomCase, edges: [number, number, number][], q: LassoQuery): number[] {
  const dist = new Map<string, number>();
  let frontier: [number, number][] = [];
  const add = (v: number, ph: number, d: number, next: [number, number][]) => {
    if (dist.has(`${v},${ph}`)) return;
    dist.set(`${v},${ph}`, d);
    next.push([v, ph]);
    if (ph === 0 && q.switchable(v) && q.allowed(v)) add(v, 1, d, next);
  };
  for (const v of c.inits) {
    if (q.fromStart) {
      if (q.allowed(v)) add(v, 1, 0, frontier);
    } else add(v, 0, 0, frontier);
  }
  for (let d = 1; frontier.length; d++) {
    const next: [number, number][] = [];
    for (const [v, ph] of frontier) for (const [a, b] of edges) if (a === v && (ph === 0 || q.allowed(b))) add(b, ph, d, next);
    frontier = next;
  }
  return Array.from({ length: c.n }, (_, v) => dist.get(`${v},1`) ?? Infinity);
}

describe('liveness checker against brute force', () => {
  it('gives the verdict and the shortest prefix of an exhaustive enumeration of cycles', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const { g, fair, q, edges } = build(c);
        const lasso = findLasso(g, fair, q);
        const dist = phaseDistance(c, edges, q);
        const best = Math.min(...fairCycles(c, edges, q).map((vs) => Math.min(...vs.map((v) => dist[v]))));
        expect(lasso !== undefined).toBe(best !== Infinity);
        if (!lasso) return;
        expect(lasso.loopStart).toBe(best);
        // The lasso follows real edges from an initial state and closes.
        expect(c.inits).toContain(lasso.states[0]);
        lasso.edges.forEach((e, i) => {
          expect(edges[e][0]).toBe(lasso.states[i]);
          expect(edges[e][1]).toBe(lasso.states[i + 1]);
        });
        expect(lasso.states[lasso.states.length - 1]).toBe(lasso.states[lasso.loopStart]);
        // Its loop is fair, accepting and allowed, by the brute force's own rules.
        const loopStates = lasso.states.slice(lasso.loopStart);
        const taken = new Set(lasso.edges.slice(lasso.loopStart).flatMap((e) => c.instGroups[edges[e][2]]));
        expect(loopStates.every((v) => q.allowed(v))).toBe(true);
        if (q.accepting) expect(loopStates.some((v) => q.accepting!(v))).toBe(true);
        c.strong.forEach((strong, x) => {
          if (taken.has(x)) return;
          const en = loopStates.map((v) => enabled(c, edges, v).has(x));
          expect(strong ? en.some(Boolean) : en.every(Boolean), `loop unfair to group ${x}`).toBe(false);
        });
        // The prefix respects the phases: allowed from the start (eventually) or from a switch.
        const prefix = lasso.states.slice(0, lasso.loopStart + 1);
        if (q.fromStart) expect(prefix.every((v) => q.allowed(v))).toBe(true);
        else expect(prefix.some((v, i) => q.switchable(v) && prefix.slice(i).every((w) => q.allowed(w)))).toBe(true);
      }),
      { numRuns: 4000 },
    );
  });
});

describe('long paths', () => {
  it('handles a cycle of 300,000 states without recursion (iterative SCCs), fair and unfair', () => {
    const n = 300_000;
    // v -> v+1 (mod n), one action instance, weakly fair or not.
    const g: LiveGraph = { n, inits: [0], start: (v) => v, end: (v) => v + 1, target: (e) => (e + 1) % n, inst: () => 0 };
    const last = { fromStart: true, allowed: (v: number) => v !== n - 1, switchable: () => false };
    expect(findLasso(g, { groupCount: 1, groupsOf: () => [0], isStrong: () => false }, last)).toBeUndefined();
    const unfair = findLasso(g, { groupCount: 0, groupsOf: () => [], isStrong: () => false }, last)!;
    expect(unfair.loopStart).toBe(0);
    // Infinitely often 0, with fairness: holds; the whole ring is one component.
    const zero = { fromStart: false, allowed: (v: number) => v !== 0, switchable: () => true };
    expect(findLasso(g, { groupCount: 1, groupsOf: () => [0], isStrong: () => false }, zero)).toBeUndefined();
  }, 60_000);
});
