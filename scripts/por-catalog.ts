// Every protocol model of specs/ with and without partial-order reduction (safety properties and
// deadlock; temporal properties are left out, POR does not preserve them): verdicts and counts.
//   npx tsx scripts/por-catalog.ts [name-filter]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadModelFile } from '../checker/config/load.ts';
import { resolveModel } from '../checker/config/resolve.ts';
import { fullAndReduced, safetyOptionsOf } from '../test/helpers/por-compare.ts';

const filter = process.argv[2] ?? '';
const dir = join(import.meta.dirname, '..', 'specs');
for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml') && x.includes(filter)).sort()) {
  const config = loadModelFile(join(dir, f));
  const { model } = await resolveModel(config);
  if (!model.protocol) continue;
  const { full, reduced, reduction } = await fullAndReduced(model, safetyOptionsOf(config, model));
  const same = JSON.stringify(full.verdicts) === JSON.stringify(reduced.verdicts) && full.specError === reduced.specError;
  const how = reduction.active ? `${reduction.reducedStates} reduced, ${reduction.restarts} restarts` : `off: ${reduction.reason}`;
  console.log(`${f.padEnd(40)} ${String(full.distinct).padStart(8)} -> ${String(reduced.distinct).padStart(8)} states  ${full.seconds.toFixed(2)}s -> ${reduced.seconds.toFixed(2)}s  ${same ? 'same verdicts' : `DIFFERENT ${JSON.stringify(full.verdicts)} ${JSON.stringify(reduced.verdicts)} ${full.specError} ${reduced.specError}`}  (${how})`);
}
