// Every protocol model of specs/ with and without partial-order reduction: the same verdict for every
// invariant, step property and deadlock (temporal properties are left out: POR refuses them, MC140).
// Models where POR cannot apply (faults, constraints, ...) must say so; models of more than 100,000
// states run only with POR_CATALOG=all (about a minute more; `npx tsx scripts/por-catalog.ts`
// prints the whole table).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { porOffReason } from '../../checker/explore/por-search.ts';
import type { SearchOptions } from '../../checker/explore/search.ts';
import { fullAndReduced, safetyOptionsOf } from '../helpers/por-compare.ts';

const dir = join(import.meta.dirname, '..', '..', 'specs');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const big = 100_000;
/** Reduced state counts, pinned (the full counts are pinned by the models' expect: blocks). */
const reducedCounts: Record<string, number> = { 'heartbeat.yaml': 349, 'lamport-mutex.yaml': 6341, 'total-order-lamport.yaml': 3673 };

describe('partial-order reduction on every protocol model of specs/', () => {
  for (const f of files) {
    it(f, async () => {
      const config = loadModelFile(join(dir, f));
      const { model } = await resolveModel(config);
      if (!model.protocol) return;
      const options: SearchOptions = safetyOptionsOf(config, model);
      const off = porOffReason(model, options);
      if (off !== undefined) {
        // The search is then the full one: nothing to compare, but it must be for a stated reason.
        expect(model.protocol.faults || options.constraints!.length > 0 || model.steps.length > 0 || options.maxDepth !== undefined).toBe(true);
        return;
      }
      if ((config.expect?.states ?? 0) > big && process.env.POR_CATALOG !== 'all') return;
      const { full, reduced, reduction } = await fullAndReduced(model, options);
      expect(reduction.active).toBe(true);
      expect(reduced.specError).toBe(full.specError);
      expect(reduced.status).toBe(full.status);
      expect(reduced.verdicts).toEqual(full.verdicts);
      expect(reduced.distinct).toBeLessThanOrEqual(full.distinct);
      expect(reduced.distinct).toBe(reducedCounts[f] ?? full.distinct);
    }, 120_000);
  }
});
