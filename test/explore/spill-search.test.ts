import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { search, type SearchOptions } from '../../checker/explore/search.ts';
import { createSpill } from '../../checker/explore/spill.ts';
import { searchSummary as summary } from '../helpers/search-summary.ts';
import type { Model } from '../../checker/core/spec.ts';

async function modelOf(file: string): Promise<{ model: Model; deadlock: boolean }> {
  const config = loadModelFile(file);
  const { model } = await resolveModel(config);
  return { model, deadlock: config.check.deadlock };
}


// Models with violations (found before and after the first spill), deadlocks and plain proofs.
const files = ['specs/2pc.yaml', 'specs/peterson-turn-first.yaml', 'specs/bakery-no-choosing.yaml', 'specs/dijkstra-mutex.yaml', 'specs/ricart-agrawala-lost-reply.yaml', 'specs/chang-roberts-forward-smaller.yaml'];

describe('search with a memory budget that forces the visited set and the frontier to disk', () => {
  for (const file of files) {
    for (const strategy of ['bfs', 'dfs'] as const) {
      it(`${file}, ${strategy}: the same counts, depth, violations and counterexamples as in memory`, async () => {
        const { model, deadlock } = await modelOf(file);
        const options: SearchOptions = { strategy, deadlock };
        const inMemory = search(model, options);
        const spill = createSpill(16 * 1024, strategy);
        try {
          const onDisk = search(model, { ...options, store: spill.store, frontier: spill.frontier });
          expect(summary(model, onDisk)).toEqual(summary(model, inMemory));
          if (inMemory.distinct > 2000) expect(spill.store.flushes).toBeGreaterThan(2);
          if (inMemory.distinct > 2000 && strategy === 'bfs') expect(spill.frontier.spilledChunks).toBeGreaterThan(0);
          expect(inMemory.violations.length + inMemory.distinct).toBeGreaterThan(0);
        } finally {
          spill.close();
        }
        expect(() => readdirSync(spill.dir)).toThrow();
      });
    }
  }

  it('a state limit stops at the same state with the same counts', async () => {
    const { model, deadlock } = await modelOf('specs/dijkstra-mutex.yaml');
    const options: SearchOptions = { strategy: 'bfs', deadlock, maxStates: 3000 };
    const spill = createSpill(16 * 1024, 'bfs');
    try {
      expect(summary(model, search(model, { ...options, store: spill.store, frontier: spill.frontier }))).toEqual(summary(model, search(model, options)));
    } finally {
      spill.close();
    }
  });
});
