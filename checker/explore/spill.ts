// `search.memory`: a memory budget for the visited set and the frontier, beyond which they spill to
// files in a temporary folder (removed when the run ends).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskFpSet } from './disk-fp-set.ts';
import { DiskQueue, DiskStack } from './disk-frontier.ts';
import type { Strategy } from './search.ts';


export interface Spill {
  readonly store: DiskFpSet;
  readonly frontier: DiskQueue | DiskStack;
  readonly dir: string;
  /** Deletes the files. */
  close(): void;
}

/** A disk-backed visited set and frontier sharing `budget` bytes (the set 3/4, the frontier 1/4). */
export function createSpill(budget: number, strategy: Strategy, parent = tmpdir()): Spill {
  const dir = mkdtempSync(join(parent, 'tsmc-spill-'));
  const frontierBudget = Math.floor(budget / 4);
  // Chunks small enough that a small budget still holds several of them.
  const chunkBytes = Math.max(4096, Math.min(1 << 20, 2 ** Math.floor(Math.log2(frontierBudget / 4))));
  const chunkStates = Math.max(256, Math.min(1 << 16, 2 ** Math.floor(Math.log2(budget / 8 / 12))));
  const store = new DiskFpSet({ dir, budget: budget - frontierBudget, chunkStates });
  const options = { dir, budget: frontierBudget, chunkBytes };
  const frontier = strategy === 'dfs' ? new DiskStack(options) : new DiskQueue(options);
  return {
    store,
    frontier,
    dir,
    close: () => {
      store.dispose();
      frontier.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
