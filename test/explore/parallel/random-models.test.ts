// Property: on random transition systems (with an invariant, a step property, a state constraint,
// terminal states, depth bounds, state limits and --stop-at-first), the level-synchronous search gives exactly the one-thread
// search's counts, verdicts and counterexamples, run in the main thread with tiny blocks, and with
// worker threads. Blocks taken last first make later parents store successors before earlier ones,
// as a slow worker would, which must not change the result.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import definition, { encodeSystem, type RandomSystem } from '../../fixtures/parallel/random-system.ts';
import type { SearchOptions } from '../../../checker/explore/search.ts';
import { expectSameAsOneThread } from './compare.ts';

const module = fileURLToPath(new URL('../../fixtures/parallel/random-system.ts', import.meta.url));

const randomSystem: fc.Arbitrary<RandomSystem> = fc.integer({ min: 1, max: 40 }).chain((n) => {
  const state = fc.integer({ min: 0, max: n - 1 });
  return fc.record({
    n: fc.constant(n),
    init: fc.uniqueArray(state, { minLength: 1, maxLength: 4 }),
    actions: fc.array(fc.array(fc.array(state, { maxLength: 3 }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 3 }),
    bad: fc.uniqueArray(state, { maxLength: 3 }),
    terminal: fc.uniqueArray(state, { maxLength: 3 }),
    outside: fc.uniqueArray(state, { maxLength: 2 }),
    forbidden: fc.array(fc.tuple(state, state), { maxLength: 2 }),
  });
});

const setup = fc.record({
  sys: randomSystem,
  maxDepth: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  constrained: fc.boolean(),
  deadlock: fc.boolean(),
  blockStates: fc.integer({ min: 1, max: 4 }),
  reverseBlocks: fc.boolean(),
  maxStates: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  stopAtFirst: fc.boolean(),
});

type Setup = typeof setup extends fc.Arbitrary<infer T> ? T : never;

async function check({ sys, maxDepth, constrained, deadlock, blockStates, reverseBlocks, maxStates, stopAtFirst }: Setup, workers: number): Promise<void> {
  const params = { code: encodeSystem(sys) };
  const model = definition.instantiate(params);
  const options: SearchOptions = { strategy: 'bfs', deadlock, maxDepth, maxStates, stopAtFirst, constraints: constrained ? model.constraints : [] };
  await expectSameAsOneThread(model, { module, export: 'default', params }, options, [{ workers, blockStates, reverseBlocks }]);
}

describe('parallel BFS agrees with the one-thread search on random systems', () => {
  it('level by level in the main thread, blocks in order or last first (200 systems)', async () => {
    await fc.assert(fc.asyncProperty(setup, (s) => check(s, 1)), { numRuns: 200 });
  }, 120_000);

  it('with 3 workers (two threads and the main thread)', async () => {
    await fc.assert(fc.asyncProperty(setup, (s) => check(s, 3)), { numRuns: 6 });
  }, 120_000);
});
