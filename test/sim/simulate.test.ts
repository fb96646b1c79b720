import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineSpec, system, t } from '../../checker/index.ts';
import type { ConfigError } from '../../checker/core/errors.ts';
import fc from 'fast-check';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { search } from '../../checker/explore/search.ts';
import { Prng } from '../../checker/sim/prng.ts';
import { simulate } from '../../checker/sim/simulate.ts';
import { checkModel } from '../../checker/run/check-model.ts';

const modelOf = async (file: string) => (await resolveModel(loadModelFile(file))).model;

describe('the seeded generator', () => {
  it('gives the same sequence for the same seed, another for another seed', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const xs = Array.from({ length: 8 }, () => a.next());
    expect(Array.from({ length: 8 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.next())).not.toEqual(xs);
  });

  it('below(n) stays in [0, n) and hits every value', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 0xffffffff }), (n, seed) => {
      const r = new Prng(seed);
      const seen = new Set<number>();
      for (let i = 0; i < 40 * n; i++) {
        const x = r.below(n);
        if (x < 0 || x >= n || !Number.isInteger(x)) return false;
        seen.add(x);
      }
      return seen.size === n;
    }));
  });
});

describe('random simulation', () => {
  it('repeats exactly with the same seed, and differs with another', async () => {
    const model = await modelOf('specs/paxos.yaml');
    const opts = { runs: 200, depth: 50, deadlock: false };
    const a = simulate(model, { ...opts, seed: 9 });
    const b = simulate(model, { ...opts, seed: 9 });
    const c = simulate(model, { ...opts, seed: 10 });
    expect([b.steps, b.distinct, b.depth]).toEqual([a.steps, a.distinct, a.depth]);
    expect([c.steps, c.distinct]).not.toEqual([a.steps, a.distinct]);
    expect(a.runs).toBe(200);
    expect(a.neverTaken).toEqual([]);
  });

  it('meets only reachable states: never more distinct states than BFS finds', async () => {
    const model = await modelOf('specs/bakery.yaml');
    const bfs = search(model, { strategy: 'bfs', deadlock: true });
    const sim = simulate(model, { seed: 1, runs: 3000, depth: 60, deadlock: true });
    expect(sim.distinct).toBeGreaterThan(100);
    expect(sim.distinct).toBeLessThanOrEqual(bfs.distinct);
    expect(sim.violations).toEqual([]);
  });

  it('finds the Peterson bug and its walk ends at a state violating mutex', async () => {
    const model = await modelOf('specs/peterson-turn-first.yaml');
    const sim = simulate(model, { seed: 1, runs: 1000, depth: 200, deadlock: true });
    const v = sim.violations.find((x) => x.property === 'mutex')!;
    expect(v.kind).toBe('invariant');
    const last = v.path[v.path.length - 1].state;
    expect(model.invariants.find((p) => p.name === 'mutex')!.holds(last)).toBe(false);
    expect(v.path[0].label).toBeNull();
  });

  it('detects a deadlock (a state with no step that is not terminal)', async () => {
    const model = await modelOf('test/fixtures/cli/ok.yaml');
    const noTerminal = { ...model, terminal: undefined };
    const sim = simulate(noTerminal, { seed: 5, runs: 10, depth: 100, deadlock: true });
    const v = sim.violations.find((x) => x.kind === 'deadlock')!;
    expect(v.path.length - 1).toBe(6);
    expect(v.path[v.path.length - 1].state).toEqual({ a: 3, b: 3 });
  });

  it('stops at the depth bound and counts runs that got stuck', async () => {
    const model = await modelOf('test/fixtures/cli/ok.yaml');
    const sim = simulate(model, { seed: 5, runs: 50, depth: 3, deadlock: true });
    expect(sim.depth).toBe(3);
    expect(sim.steps).toBe(150);
    expect(sim.stuckRuns).toBe(0);
  });

  it('never says holds: a property not violated is unknown, with the number of runs', async () => {
    const o = await checkModel('specs/peterson.yaml', { tracesDir: null, overrides: { simulate: { runs: 300, seed: 4 } } });
    expect(o.exitCode).toBe(0);
    expect(o.verdicts.map((v) => [v.name, v.verdict, v.note])).toEqual([
      ['mutex', 'unknown', 'not violated in 300 random runs'],
      ['turnOnlyOnSetTurn', 'unknown', 'not violated in 300 random runs'],
      ['starvation', 'unknown', 'a temporal property: random simulation does not check it (run the exhaustive search)'],
      ['starvation[i=0]', 'unknown', 'a temporal property: random simulation does not check it (run the exhaustive search)'],
      ['starvation[i=1]', 'unknown', 'a temporal property: random simulation does not check it (run the exhaustive search)'],
      ['deadlock', 'unknown', 'not violated in 300 random runs'],
    ]);
    expect(o.simulation!.repeat).toBe('npx check specs/peterson.yaml --simulate --runs 300 --depth 100 --seed 4');
    expect(o.regressions).toContain('mutex: expected holds, got unknown (a simulation never proves a property)');
  });
});

describe('random simulation with faults', () => {
  it('takes fault steps, does every run asked for even with nothing to check, and reports actions never taken', async () => {
    const model = await modelOf('test/fixtures/sim/echo-faults.yaml');
    const sim = simulate(model, { seed: 1, runs: 200, depth: 100, deadlock: false });
    expect(sim.runs).toBe(200);
    expect(sim.neverTaken).toEqual([]);
    const few = simulate(model, { seed: 1, runs: 1, depth: 2, deadlock: false });
    expect(few.neverTaken.length).toBeGreaterThan(0);
    expect(model.actions.map((a) => a.name)).toEqual(expect.arrayContaining([...few.neverTaken]));
  });
});

describe('simulation settings and errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsmc-simcfg-'));
  const write = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('simulate: in the model file turns check into a simulation with those settings', async () => {
    const f = write('sim.yaml', `spec: ${resolve('specs/peterson.ts')}\nsimulate: { runs: 40, depth: 7, seed: 3 }\n`);
    const o = await checkModel(f, { tracesDir: null });
    expect(o.simulation).toMatchObject({ runs: 40, depthLimit: 7, seed: 3, depth: 7, steps: 280 });
    expect(o.result).toBeUndefined();
    const search = await checkModel(f, { tracesDir: null, overrides: { strategy: 'bfs' } });
    expect(search.result?.distinct).toBe(34);
  });

  it('a wrong simulate: value is a coded config error at its line', () => {
    const f = write('bad.yaml', `spec: ${resolve('specs/peterson.ts')}\nsimulate:\n  runs: 0\n`);
    const err = (file: string): string => {
      try {
        loadModelFile(file);
      } catch (e) {
        return (e as ConfigError).format();
      }
      return 'no error';
    };
    expect(err(f)).toMatch(/:3:9: error MC103: simulate\.runs must be at least 1/);
    const g = write('bad2.yaml', `spec: ${resolve('specs/peterson.ts')}\nsimulate: { rums: 3 }\n`);
    expect(err(g)).toMatch(/:2:13: error MC102: unknown key 'rums' in simulate/);
  });

  it('a spec that throws during a run is a spec error naming the action (exit 150)', async () => {
    const boom = defineSpec({
      name: 'boom',
      build: () => system(t.record({ n: t.int(0, 5) }), {
        init: { n: 0 },
        actions: { inc: (s) => { if (s.n === 3) throw new Error('three'); return { n: s.n + 1 }; } },
      }),
    });
    const sim = simulate(boom.instantiate({}), { seed: 1, runs: 5, depth: 10, deadlock: false });
    expect(sim.specError?.error.message).toMatch(/^action inc threw Error: three/);
    expect(sim.specError?.path.length).toBe(4);
  });

  it('--runs without --simulate is a usage error (exit 151)', () => {
    const r = spawnSync(process.execPath, ['bin/check.js', 'specs/peterson.yaml', '--runs', '5'], { encoding: 'utf8' });
    expect(r.status).toBe(151);
    expect(r.stderr).toContain('--runs, --depth, --seed and --time go with --simulate');
  }, 30_000);
});

describe('the time limit', () => {
  it('stops a simulation after --time seconds and says so', async () => {
    const model = await modelOf('specs/peterson.yaml');
    const seen: number[] = [];
    const sim = simulate(model, { seed: 1, runs: 1e9, depth: 100, seconds: 1.3, deadlock: true, onProgress: (p) => seen.push(p.steps) });
    expect(sim.stoppedBy).toBe('time');
    expect(seen.length).toBeGreaterThanOrEqual(1); // about once a second, not every 4,096 steps
    expect(seen.length).toBeLessThanOrEqual(2);
    expect(sim.seconds).toBeLessThan(5);
    expect(sim.runs).toBeLessThan(1e9);
  });
});

describe('the shortest walk is kept', () => {
  it('more runs never give a longer counterexample: the shortest violating walk of all runs is kept', async () => {
    const model = await modelOf('specs/peterson-turn-first.yaml');
    const one = simulate(model, { seed: 1, runs: 1, depth: 200, deadlock: false }).violations[0];
    const many = simulate(model, { seed: 1, runs: 300, depth: 200, deadlock: false }).violations[0];
    expect(one.path.length - 1).toBe(93);
    expect(many.path.length - 1).toBeLessThan(93);
    expect(many.run).toBeGreaterThan(1);
  });
});
