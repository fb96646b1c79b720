// The floor under our times: the model's own TypeScript alone (scripts/bench/floor-run.ts), in a
// process of its own. Shown next to the peers, so what the engine adds is visible: the spec's
// actions and invariants on every reachable state cost this much on one core whatever the engine.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Row } from './rows.ts';

export interface FloorRun {
  readonly seconds?: number;
  readonly failure?: string;
}

export function runFloor(root: string, row: Row): FloorRun {
  const p = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'bench', 'floor-run.ts'), row.model], { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 });
  const line = (p.stdout ?? '').trim().split('\n').pop() ?? '';
  let r: { states?: number; actionsSeconds?: number; invariantsSeconds?: number };
  try {
    r = JSON.parse(line);
  } catch {
    return { failure: `no result (exit ${p.status}): ${(p.stderr ?? '').trim().split('\n').slice(-2).join(' ')}` };
  }
  if (row.expect !== undefined && r.states !== row.expect) return { failure: `${r.states} states, expected ${row.expect}` };
  return { seconds: (r.actionsSeconds ?? 0) + (r.invariantsSeconds ?? 0) };
}
