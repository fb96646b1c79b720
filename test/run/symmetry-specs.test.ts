// Symmetry keeps every verdict: each model of specs/ is run once per role (or declared domain) of
// two or more members with that domain declared symmetric. Either the checker refuses it because
// the spec does not respect the symmetry (the pairs listed below: processes told apart by their
// index or name), or it gives the same verdicts, and under BFS counterexamples of the same length,
// as the full search. Temporal properties are left out (symmetry refuses them); models above 100,000
// states are left to the pinned counts of specs/paxos-symmetry.yaml and the reports.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelFiles } from '../../checker/cli/check.ts';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { checkModel, type ModelOutcome } from '../../checker/run/check-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'tsmc-symmetry-specs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Spec and domain pairs that do not respect the symmetry, and why. */
const ASYMMETRIC: Record<string, string> = {
  '3pc:participant': 'the termination protocol elects the participant with the lowest index',
  'bully:process': 'the process with the highest index wins',
  'causal-broadcast:process': 'vector clocks are arrays indexed by process',
  'chandy-lamport:bank': 'bank1 starts the snapshot',
  'chang-roberts:process': 'ids on the ring follow the index',
  'lamport-clocks:process': 'clocks are arrays indexed by process',
  'lamport-mutex:process': 'ties are broken by process index',
  'maekawa:process': 'quorums are built from the indices',
  'paxos:proposer': "ballots follow the proposer's index",
  'ricart-agrawala:process': 'ties are broken by process index',
  'safra:node': 'node1 starts the probe, the token travels in index order',
  'suzuki-kasami:process': 'RN and LN are arrays indexed by process',
  'token-ring:process': 'the token travels in index order',
  'total-order:process': 'delivery order follows process indices',
  'total-order-lamport:process': 'ties are broken by process index',
  'two-generals:general': 'general1 gives the order',
  'vector-clocks:process': 'vector clocks are arrays indexed by process',
};
/** Variants that leave out what breaks the symmetry: no termination protocol, no tie-break by index. */
const SYMMETRIC_VARIANTS = new Set(['3pc-local-rule', 'ricart-agrawala-no-tiebreak', 'ricart-agrawala-tie-defers']);

function variant(file: string, name: string, symmetry: string | undefined): string {
  const text = readFileSync(file, 'utf8')
    .replace(/^spec: \.\//m, `spec: ${resolve('specs')}/`)
    .replace(/^expect:[\s\S]*$/m, '')
    .replace(/^search:(.*\n)(  .*\n)*/m, '')
    .replace(/^  properties:.*\n/m, '')
    .replace(/^check:\n/m, 'check:\n  properties: []\n');
  const out = join(dir, `${basename(file, '.yaml')}-${name}-${symmetry ?? 'full'}.yaml`);
  writeFileSync(out, `${text}${/^check:/m.test(text) ? '' : 'check:\n  properties: []\n'}${symmetry ? `search:\n  symmetry: [${symmetry}]\n` : ''}`);
  return out;
}

const summary = (o: ModelOutcome) => o.verdicts.map((v) => `${v.name}: ${v.verdict}${v.trace ? ` in ${v.trace.path.length - 1} steps` : ''}`);

describe('symmetry on the models of specs/', () => {
  for (const file of modelFiles(['specs'])) {
    it(`${file}: the same verdicts and counterexample lengths with each symmetric domain, or refused`, async () => {
      const config = loadModelFile(file);
      if (config.search.symmetry || (config.expect?.states ?? 0) > 100_000) return;
      const { model, definition } = await resolveModel(config);
      for (const d of (model.symmetry ?? []).filter((x) => x.values.length > 1)) {
        const key = `${definition.name}:${d.name}`;
        const reduced = await checkModel(variant(file, d.name, d.name), { tracesDir: null });
        if (config.faults?.partition) {
          expect(reduced.error?.message, key).toContain('error MC142');
          continue;
        }
        if (ASYMMETRIC[key] && !SYMMETRIC_VARIANTS.has(basename(file, '.yaml'))) {
          expect(reduced.error?.message, key).toContain('spec error (asymmetric)');
          continue;
        }
        expect(reduced.error?.message, key).toBeUndefined();
        const full = await checkModel(variant(file, d.name, undefined), { tracesDir: null });
        expect(summary(reduced), key).toEqual(summary(full));
        expect(reduced.exitCode).toBe(full.exitCode);
        expect(reduced.result!.distinct).toBeLessThan(full.result!.distinct);
      }
    }, 300_000);
  }
});
