// The check's entry to the parallel search: how many workers, and whether this search can use them.
import type { ResolvedModel } from '../../config/resolve.ts';
import type { SearchOptions, SearchResult } from '../search.ts';
import { parallelObstacle, searchParallel, workerCount } from './engine.ts';
import { TABLE_FULL } from './shared-table.ts';
import { sourceOf } from './model-source.ts';

export interface WorkersUsed {
  /** Workers asked for (search.workers, --workers). */
  readonly requested: number;
  /** Threads that expanded states (1 when every level was small). */
  readonly threads: number;
  /** Why the search ran on one worker although more were asked for. */
  readonly note?: string;
}

/** Runs the search on `workers` workers when it can: the result, or undefined (then the one-thread
 *  search runs, and `used.note` says why). */
export async function searchOnWorkers(
  r: ResolvedModel,
  options: SearchOptions,
  workers: number | 'auto',
  stop?: () => boolean,
): Promise<{ readonly result?: SearchResult; readonly used: WorkersUsed }> {
  const requested = workerCount(workers);
  if (requested <= 1) return { used: { requested, threads: 1 } };
  const obstacle = parallelObstacle(options);
  if (obstacle) return { used: { requested, threads: 1, note: `ran on one worker: ${obstacle}` } };
  let out: Awaited<ReturnType<typeof searchParallel>>;
  try {
    out = await searchParallel(r.model, sourceOf(r), options, { workers: requested, stop });
  } catch (e) {
    // Thrown in this thread or in a worker (whose error arrives as a message): the one-thread
    // search starts again from the initial states, and the report says why.
    if (!(e instanceof Error) || !e.message.includes(TABLE_FULL)) throw e;
    return { used: { requested, threads: 1, note: 'ran on one worker: a state had more new successors than the shared table had room for, so the search started again on one worker' } };
  }
  return { result: out.result, used: { requested, threads: out.threads, ...(out.note ? { note: out.note } : {}) } };
}
