// State constraints (TLC's CONSTRAINT): successors outside are generated and checked against the
// invariants, but neither kept nor expanded. Counts pinned against TLC (shared/tools/tlc, one
// worker) on the same model:
//   VARIABLES x, y
//   Init == x = 0 /\ y = 0
//   IncX == x < 10 /\ x' = x + 1 /\ y' = y
//   IncY == y < 10 /\ y' = y + 1 /\ x' = x
//   Reset == x > 0 /\ y > 0 /\ x' = 0 /\ y' = 0
//   Next == IncX \/ IncY \/ Reset
//   cfg: INIT Init  NEXT Next  INVARIANT Sum (x + y <= 5)  CONSTRAINT Bound (x + y <= 4)
// TLC: "37 states generated, 15 distinct states found", depth 5 (it counts the initial state as 1);
// with INVARIANT x <= 4 instead, a 6-state behaviour (5 steps of IncX).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { search } from '../../checker/explore/search.ts';
import { bounded } from '../fixtures/reliability/specs.ts';
import { check, replay } from '../helpers/cli.ts';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const F = 'test/fixtures/reliability';

/** A naive reference: BFS over (x, y) with TLC's constraint semantics. */
function reference(k: number): { distinct: number; generated: number; depth: number } {
  const key = (x: number, y: number) => `${x},${y}`;
  const seen = new Map<string, number>([[key(0, 0), 0]]);
  const queue: [number, number][] = [[0, 0]];
  let generated = 1;
  let depth = 0;
  while (queue.length) {
    const [x, y] = queue.shift()!;
    const d = seen.get(key(x, y))!;
    depth = Math.max(depth, d);
    const next: [number, number][] = [];
    if (x < 10) next.push([x + 1, y]);
    if (y < 10) next.push([x, y + 1]);
    if (x > 0 && y > 0) next.push([0, 0]);
    for (const [a, b] of next) {
      generated++;
      if (a + b > k || seen.has(key(a, b))) continue;
      seen.set(key(a, b), d + 1);
      queue.push([a, b]);
    }
  }
  return { distinct: seen.size, generated, depth };
}

describe('state constraints', () => {
  it("TLC's counts with CONSTRAINT x + y <= 4", () => {
    const r = search(bounded.instantiate({ k: 4 }), { strategy: 'bfs', deadlock: true, invariants: ['Sum'], constraints: bounded.instantiate({ k: 4 }).constraints });
    expect([r.distinct, r.generated, r.depth + 1]).toEqual([15, 37, 5]);
    expect(r.constrained).toBe(true);
    expect(r.violations).toEqual([]);
  });

  it('the same counts as a naive reference for every bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.constantFrom<'bfs' | 'dfs'>('bfs', 'dfs'), (k, strategy) => {
        const model = bounded.instantiate({ k });
        const r = search(model, { strategy, deadlock: false, invariants: [], constraints: model.constraints });
        const want = reference(k);
        expect(r.distinct).toBe(want.distinct);
        expect(r.generated).toBe(want.generated);
        if (strategy === 'bfs') expect(r.depth).toBe(want.depth);
        expect(r.constrained).toBe(2 * 10 > k);
      }),
      { numRuns: 40 },
    );
  });

  it('through the model file: proven for states within the constraint, as expect: pins', async () => {
    const r = await check(`${F}/bounded.yaml`, '--no-traces');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/proven for states within constraint Bound: Sum and deadlock freedom hold in the 15 states of bounded/);
  });

  it('a successor outside the constraint still violates an invariant, with a trace that replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-con-'));
    const r = await check(`${F}/bounded-smallx.yaml`, '--traces', dir);
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/FAIL {2}SmallX .*\(counterexample: 5 steps\)/);
    const [file] = readdirSync(join(dir, 'bounded-smallx'));
    expect((await replay(join(dir, 'bounded-smallx', file))).code).toBe(0);
  });

  it('search.constraints: [] turns them off; an unknown name is MC109', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-con-'));
    const { writeFileSync } = await import('node:fs');
    const spec = join(process.cwd(), F, 'specs.ts');
    writeFileSync(join(dir, 'off.yaml'), `spec: ${spec}#bounded\ncheck: { invariants: [], deadlock: false }\nsearch: { constraints: [] }\n`);
    const off = await check(join(dir, 'off.yaml'), '--no-traces', '--reporter', 'json');
    expect(JSON.parse(off.out).stats).toMatchObject({ distinct: 121, constrained: false });
    writeFileSync(join(dir, 'bad.yaml'), `spec: ${spec}#bounded\nsearch: { constraints: [Bund] }\n`);
    const bad = await check(join(dir, 'bad.yaml'), '--no-traces');
    expect(bad.err).toMatch(/bad\.yaml:2:25: error MC109: unknown constraint 'Bund' in search\.constraints \(the spec declares: Bound\)/);
    expect(bad.err).toMatch(/did you mean 'Bound'\?/);
  });
});
