// Contracts every spec model keeps: BFS and DFS reach the same states, and the actions are pure and
// deterministic on every state (checked on frozen inputs, twice) for the models small enough.
import { describe, expect, it } from 'vitest';
import { modelFiles } from '../../checker/cli/check.ts';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { search } from '../../checker/explore/search.ts';
import { symmetryFor } from '../../checker/explore/symmetry.ts';
import { activeConstraints } from '../../checker/run/check-model.ts';

describe('spec contracts', () => {
  for (const file of modelFiles(['specs'])) {
    it(`${file}: DFS reaches the states BFS does; every action is pure and deterministic`, async () => {
      const config = loadModelFile(file);
      const { model } = await resolveModel(config);
      const expected = config.expect?.states;
      expect(expected).toBeDefined();
      const constraints = activeConstraints(model, config.search.constraints);
      // With search.symmetry, the same reduction (and with checkSpec its check on every state).
      const symmetry = config.search.symmetry && symmetryFor(model, config.search.symmetry, { invariants: model.invariants, steps: model.steps, constraints });
      const dfs = search(model, { strategy: 'dfs', deadlock: config.check.deadlock, constraints, symmetry });
      expect(dfs.status).toBe('complete');
      expect(dfs.distinct).toBe(expected);
      if (expected! <= 50_000) {
        const checked = search(model, { strategy: 'bfs', deadlock: config.check.deadlock, checkSpec: true, constraints, symmetry });
        expect(checked.specError?.error.message).toBeUndefined();
        expect(checked.distinct).toBe(expected);
      }
    }, 300_000);
  }
});
