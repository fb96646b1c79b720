import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { search } from '../../checker/explore/search.ts';
import { checkModel } from '../../checker/run/check-model.ts';
import { processOf, shrinkPath } from '../../checker/sim/shrink.ts';
import { simulate } from '../../checker/sim/simulate.ts';
import { replayTrace } from '../../checker/trace/replay.ts';
import type { PathStep } from '../../checker/trace/rebuild.ts';
import { twoCounters } from '../fixtures/sim/hand-faults.ts';

const modelOf = async (file: string) => (await resolveModel(loadModelFile(file))).model;

/** Runs the labels from the initial state (each must be enabled). */
function walk(model: ReturnType<typeof twoCounters>, labels: string[]): PathStep[] {
  const path: PathStep[] = [{ label: null, state: model.init[0] }];
  for (const want of labels) {
    let found: PathStep | undefined;
    for (const a of model.actions) a.expand(path[path.length - 1].state as never, (label, next) => { if (!found && model.showLabel(label) === want) found = { label, state: next }; });
    if (!found) throw new Error(`not enabled: ${want}`);
    path.push(found);
  }
  return path;
}

describe('shrinking counterexamples', () => {
  it('removes steps the violation does not need, and the result still violates the property', async () => {
    const model = await modelOf('specs/peterson-turn-first.yaml');
    const bfs = search(model, { strategy: 'bfs', deadlock: true, stopAtFirst: true });
    expect(bfs.violations[0].depth).toBe(8);
    for (const seed of [1, 2, 3]) {
      // One run: its first violating walk, long and roundabout.
      const v = simulate(model, { seed, runs: 1, depth: 200, deadlock: false }).violations[0];
      expect(v.path.length - 1).toBeGreaterThan(20);
      const s = shrinkPath(model, v.path, v);
      expect(s.shrunk).toBe(8); // as short as BFS's shortest
      expect(model.invariants.find((p) => p.name === 'mutex')!.holds(s.path[s.path.length - 1].state)).toBe(false);
    }
  });

  it('never lengthens a trace and always keeps it failing (any seed, any bug model)', async () => {
    const models = await Promise.all(['specs/bakery-no-choosing.yaml', 'specs/twophase-commit-alone.yaml'].map(modelOf));
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1), (seed, m) => {
      const model = models[m];
      const v = simulate(model, { seed, runs: 500, depth: 80, deadlock: false }).violations[0];
      if (!v) return true;
      const s = shrinkPath(model, v.path, v);
      const inv = model.invariants.find((p) => p.name === v.property)!;
      return s.shrunk <= s.original && !inv.holds(s.path[s.path.length - 1].state);
    }), { numRuns: 15 });
  });

  it('weakens faults: a drop the violation does not need is replaced by an ordinary step', () => {
    const model = twoCounters();
    const path = walk(model, ['p: inc', 'q: drop(to=q)', 'p: inc', 'q: inc']);
    const s = shrinkPath(model, path, { kind: 'invariant', property: 'notBoth' });
    expect(s.shrunk).toBe(4);
    expect(s.faults).toEqual([1, 0]);
    expect(s.path.slice(1).every((st) => !st.label!.fault)).toBe(true);
  });

  it('prefers fewer switches between processes', () => {
    const model = twoCounters();
    const path = walk(model, ['p: inc', 'q: inc', 'p: inc', 'q: inc']);
    const s = shrinkPath(model, path, { kind: 'invariant', property: 'notBoth' });
    expect(s.switches).toEqual([3, 1]);
    expect(s.path.slice(1).map((st) => processOf(st.label))).toEqual(['p', 'p', 'q', 'q']);
  });

  it('check --simulate writes the shrunk trace with its seed, and it replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-sim-'));
    const o = await checkModel('specs/peterson-turn-first.yaml', { tracesDir: dir, overrides: { simulate: { runs: 1, seed: 1, depth: 200 } } });
    expect(o.exitCode).toBe(12);
    const v = o.verdicts.find((x) => x.name === 'mutex')!;
    expect(v.verdict).toBe('violated');
    expect(v.trace!.path.length - 1).toBe(8);
    expect(v.shrunkFrom).toBe(93);
    const r = await replayTrace(v.trace!.file!);
    expect(r.exitCode).toBe(0);
    expect(r.trace!.seed).toBe(1);
  });

  it('DFS counterexamples are shrunk too', async () => {
    const o = await checkModel('specs/bakery-no-choosing.yaml', { tracesDir: null, overrides: { strategy: 'dfs' } });
    const v = o.verdicts.find((x) => x.name === 'mutex')!;
    expect(v.verdict).toBe('violated');
    expect(v.shrunkFrom).toBeGreaterThan(v.trace!.path.length - 1);
  });
});

describe('shrinking leaves alone what it cannot judge', () => {
  it('a lasso (liveness) is returned unchanged', () => {
    const model = twoCounters();
    const path = walk(model, ['p: inc', 'q: inc']);
    const s = shrinkPath(model, path, { kind: 'liveness', property: 'progress' });
    expect(s.path).toEqual(path);
    expect(s.tries).toBe(0);
  });
});

describe('shrunk counterexamples are 1-minimal (checked by a naive re-executor)', () => {
  /** Re-executes labels from the initial state, skipping disabled ones; true when the invariant fails somewhere. */
  function naiveFails(model: Awaited<ReturnType<typeof modelOf>>, labels: string[], inv: string): boolean {
    const p = model.invariants.find((x) => x.name === inv)!;
    let s: unknown = model.init[0];
    if (!p.holds(s)) return true;
    for (const want of labels) {
      let next: unknown;
      for (const a of model.actions) a.expand(s, (label, n) => { if (next === undefined && model.showLabel(label) === want) next = n; });
      if (next === undefined) continue;
      s = next;
      if (!p.holds(s)) return true;
    }
    return false;
  }

  it('no single step of a shrunk trace can be left out (bakery, Peterson; random seeds)', async () => {
    const models = await Promise.all(['specs/bakery-no-choosing.yaml', 'specs/peterson-turn-first.yaml'].map(modelOf));
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1), (seed, m) => {
      const model = models[m];
      const v = simulate(model, { seed, runs: 1, depth: 150, deadlock: false }).violations[0];
      if (!v) return true;
      const s = shrinkPath(model, v.path, v);
      const labels = s.path.slice(1).map((st) => model.showLabel(st.label!));
      if (!naiveFails(model, labels, v.property)) return false;
      return labels.every((_, i) => !naiveFails(model, [...labels.slice(0, i), ...labels.slice(i + 1)], v.property));
    }), { numRuns: 25 });
  }, 60_000);
});
