// The parallel search gives the one-thread search's counts, verdicts and counterexamples (the same
// shortest ones, with the fewest faults, rebuilt to the same paths) with 2 and 3 workers, on spec
// models with violations, faults, constraints and depth bounds.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import faulty from '../../fixtures/parallel/faulty.ts';
import { loadModelFile } from '../../../checker/config/load.ts';
import { resolveModel } from '../../../checker/config/resolve.ts';
import { sourceOf } from '../../../checker/explore/parallel/model-source.ts';
import { activeConstraints } from '../../../checker/run/check-model.ts';
import type { SearchOptions } from '../../../checker/explore/search.ts';
import type { ParallelOptions } from '../../../checker/explore/parallel/engine.ts';
import { expectSameAsOneThread } from './compare.ts';

const BOTH: ParallelOptions[] = [{ workers: 2, blockStates: 7 }, { workers: 3, blockStates: 16 }, { workers: 2, blockStates: 3, reverseBlocks: true }];
const THREE: ParallelOptions[] = [{ workers: 3, blockStates: 5, reverseBlocks: true }];

async function compare(file: string, extra: Partial<SearchOptions> = {}, runs = THREE) {
  const config = loadModelFile(file);
  const r = await resolveModel(config);
  const options: SearchOptions = {
    strategy: 'bfs',
    deadlock: config.check.deadlock,
    invariants: config.check.invariants,
    steps: config.check.steps,
    constraints: activeConstraints(r.model, config.search.constraints),
    maxDepth: config.search.maxDepth,
    ...extra,
  };
  // Small blocks so that the workers interleave within a level.
  return expectSameAsOneThread(r.model, sourceOf(r), options, runs);
}

describe('parallel BFS on spec models: same as one thread for 2 and 3 workers', () => {
  it('2PC with crashes: a deadlock with one fault, the fewest', async () => {
    const one = await compare('specs/2pc.yaml', {}, BOTH);
    expect(one.distinct).toBe(3359);
    expect(one.violations.map((v) => [v.kind, v.depth, v.faults])).toEqual([['deadlock', 8, 1]]);
  }, 60_000);

  it('3PC under message loss: an atomicity violation with three faults', async () => {
    const one = await compare('specs/3pc-loss.yaml', {}, BOTH);
    expect(one.violations.map((v) => [v.property, v.depth, v.faults])).toEqual([['atomicity', 17, 3]]);
  }, 60_000);

  it('Chang-Roberts forwarding smaller ids: two invariants violated, in the one-thread order', async () => {
    const one = await compare('specs/chang-roberts-forward-smaller.yaml');
    expect(one.violations.map((v) => [v.property, v.depth])).toEqual([['leaderIsMax', 5], ['oneLeader', 8]]);
  }, 60_000);

  it('Lamport clocks without the max rule (a state constraint): a violation, constrained', async () => {
    const one = await compare('specs/lamport-clocks-no-max.yaml');
    expect(one.constrained).toBe(true);
    expect(one.violations).toHaveLength(1);
  }, 60_000);

  it('Peterson: holds, and with a depth bound', async () => {
    expect((await compare('specs/peterson.yaml')).distinct).toBe(34);
    const bounded = await compare('specs/peterson.yaml', { maxDepth: 4 });
    expect(bounded.depthBounded).toBe(true);
  }, 60_000);

  it('a state limit and --stop-at-first stop where one thread stops (the level runs again in order)', async () => {
    const limited = await compare('specs/3pc-loss.yaml', { maxStates: 1000 });
    expect([limited.status, limited.distinct]).toEqual(['state-limit', 1000]);
    const stopped = await compare('specs/chang-roberts-forward-smaller.yaml', { stopAtFirst: true });
    expect(stopped.status).toBe('stopped');
    expect(stopped.violations.map((v) => v.property)).toEqual(['leaderIsMax']);
    const faulty = await compare('specs/2pc.yaml', { stopAtFirst: true });
    expect(faulty.violations.map((v) => [v.kind, v.faults])).toEqual([['deadlock', 1]]);
  }, 60_000);

  it('heartbeat with crashes: a violation without faults preferred', async () => {
    const one = await compare('specs/heartbeat-crash.yaml');
    expect(one.violations.map((v) => [v.property, v.depth, v.faults])).toEqual([['accuracy', 4, 0]]);
  }, 60_000);
});

describe('parallel BFS: spec errors and --check-spec as with one thread', () => {
  const module = fileURLToPath(new URL('../../fixtures/parallel/faulty.ts', import.meta.url));
  for (const bug of ['throw', 'type', 'mutate'] as const) {
    it(`an action that goes wrong (${bug}): the same first error, counts and violations`, async () => {
      const params = { bug, at: 12 };
      const model = faulty.instantiate(params);
      const one = await expectSameAsOneThread(model, { module, export: 'default', params }, { strategy: 'bfs', deadlock: false, checkSpec: bug === 'mutate' }, [{ workers: 3, blockStates: 2, reverseBlocks: true }]);
      expect(one.status).toBe('spec-error');
      expect(one.violations.map((v) => v.property)).toEqual(['small']);
    }, 60_000);
  }
});
