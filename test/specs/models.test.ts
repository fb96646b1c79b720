// Every model in specs/ meets its `expect:` block, and every counterexample it gives replays.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelFiles } from '../../checker/cli/check.ts';
import { checkModel, writeTrace } from '../../checker/run/check-model.ts';
import { replayTrace } from '../../checker/trace/replay.ts';
import { rebuildPath } from '../../checker/trace/rebuild.ts';

const traces = mkdtempSync(join(tmpdir(), 'tsmc-models-'));

describe('every spec model in specs/', () => {
  for (const file of modelFiles(['specs'])) {
    it(`${file} meets its expect: block, and its counterexamples replay`, async () => {
      const o = await checkModel(file, { tracesDir: traces });
      expect(o.error?.message).toBeUndefined();
      expect(o.config?.expect, 'every model declares what it expects').toBeDefined();
      expect(o.regressions).toEqual([]);
      // Export then replay: the path to the last state found goes to a trace file and back.
      const r = o.result!;
      const path = rebuildPath(o.resolved!.model, r.store, r.distinct - 1, r.symmetry);
      const file1 = writeTrace(traces, o.resolved!, 'invariant', 'path', undefined, path)!;
      const back = await replayTrace(file1, { conclude: false });
      expect(back.problem).toBeUndefined();
      expect(back.path.length).toBe(path.length);
      for (const v of o.verdicts.filter((x) => x.verdict === 'violated')) {
        const r = await replayTrace(v.trace!.file!);
        expect(r.problem).toBeUndefined();
        expect(r.exitCode).toBe(0);
        expect(r.path.length).toBe(v.trace!.path.length);
      }
    }, 300_000);
  }
});
