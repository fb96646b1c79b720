// One shard of a hash-partitioned exhaustive BFS: the one search loop (search.ts) with the shard's
// store and level-synchronous frontier plugged in, and between levels an exchange of states through
// files (exchange.ts). Each shard expands the states it owns; after a level it writes the successors
// other shards own to their outboxes, its parent records and its marker, waits for every shard's
// marker of that level, and reads its inboxes. The search ends when a level is empty everywhere.
// Counts: every state is owned by one shard, so the shards' distinct and generated counts sum to the
// single process's; levels are synchronous, so counterexamples stay shortest.
import { ConfigError } from '../../core/errors.ts';
import type { Model } from '../../core/spec.ts';
import { NO_PARENT, type FingerprintSet } from '../fp-set.ts';
import { guarded } from '../guard.ts';
import { startSearch, type SearchOptions, type SearchResult } from '../search.ts';
import { withTimeout } from '../timeout.ts';
import { Exchange, forEachRecord, type Marker } from './exchange.ts';
import { ShardFrontier, ShardStore } from './shard-store.ts';

export interface ShardRunOptions {
  readonly index: number;
  readonly count: number;
  readonly dir: string;
  readonly modelHash: string;
  /** Asked between slices and while waiting: true ends the shard (status 'interrupted'). */
  readonly shouldStop?: () => boolean;
  /** What the shard waits for, now and then. */
  readonly onWait?: (text: string) => void;
  /** Seconds to wait at a level for the other shards before giving up (default 3,600). */
  readonly waitSeconds?: number;
}

export interface ShardRunResult {
  readonly result: SearchResult;
  /** Set when another shard stopped early, which stopped this one. */
  readonly stoppedBy?: string;
  /** Levels exchanged. */
  readonly levels: number;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Runs shard `index` of `count`; a ConfigError when the exchange folder cannot be used (MC407,
 *  MC408), or when another shard checks something else (MC404). */
export async function shardSearch(model: Model, options: SearchOptions, run: ShardRunOptions): Promise<ShardRunResult | ConfigError> {
  const exchange = new Exchange(run.dir, { index: run.index, count: run.count, modelHash: run.modelHash });
  try {
    return await shardRun(model, options, run, exchange);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof err?.code !== 'string' || !/^E[A-Z]+$/.test(err.code)) throw e;
    try {
      // Tell the others, if the folder still takes it, so they stop instead of waiting.
      const why = `shard ${run.index}/${run.count} could not use the exchange folder (${err.code})`;
      for (const level of [exchange.lastLevel + 1, exchange.lastLevel + 2]) exchange.finishLevel(level, [], 0, why);
    } catch {
      // They will give up after --shard-wait.
    }
    return new ConfigError('MC408', `the exchange folder ${run.dir} cannot be used: ${err.code}${err.path ? ` at ${err.path}` : ''}`, { file: run.dir }, 'give --exchange a folder every shard can read and write, with room for the states exchanged');
  } finally {
    exchange.close();
  }
}

async function shardRun(model: Model, options: SearchOptions, run: ShardRunOptions, exchange: Exchange): Promise<ShardRunResult | ConfigError> {
  const { index, count, dir } = run;
  const me = index - 1;
  if (!exchange.start()) {
    return new ConfigError('MC407', `the exchange folder ${dir} already holds files of shard ${index} (an earlier run?)`, { file: dir }, 'give every run a fresh, empty --exchange folder');
  }
  const store = new ShardStore(me, count);
  const frontier = new ShardFrontier(store);
  const search = startSearch(model, { ...options, strategy: 'bfs', store, frontier });
  const stop = run.shouldStop ?? (() => false);
  const timeout = options.stepTimeoutMs;
  const slice = (): SearchResult | undefined => {
    const once = () => guarded(() => search.resume(100));
    if (timeout === undefined) return once();
    const out = withTimeout(once, timeout + 100);
    return out.timedOut ? search.timedOut(timeout) : out.value;
  };
  const done = (r: SearchResult, stoppedBy?: string): ShardRunResult => ({ result: globalResult(r, store, exchange), stoppedBy, levels: frontier.level + 1 });

  for (let checkedPeers = false; ; ) {
    let r: SearchResult | undefined;
    while (!(r = slice())) {
      await new Promise<void>((next) => setImmediate(next));
      if (stop()) search.interrupt();
    }
    const level = frontier.level;
    exchange.appendParents(store.takeRecords());
    if (r.status !== 'complete') {
      // Ended early: the others stop at this level's barrier (their verdicts are then unknown).
      exchange.finishLevel(level, [], 0, `shard ${index}/${count} ended: ${r.status}`);
      return done(r);
    }
    exchange.finishLevel(level, frontier.outboxes, frontier.kept);
    const waited = await waitForMarkers(exchange, level, stop, (run.waitSeconds ?? 3600) * 1000, run.onWait);
    if (waited === 'stopped') {
      // Interrupted while waiting (Ctrl-C, SIGTERM): those that go on stop at the next level.
      exchange.finishLevel(level + 1, [], 0, `shard ${index}/${count} was interrupted`);
      return done({ ...r, status: 'interrupted' });
    }
    if (typeof waited === 'string') {
      // Those that did arrive and went on stop at the next level.
      exchange.finishLevel(level + 1, [], 0, waited);
      return done({ ...r, status: 'interrupted' }, waited);
    }
    const markers = waited;
    if (!checkedPeers) {
      checkedPeers = true;
      const wrong = [...exchange.identities()].find(([, id]) => id.count !== count || id.modelHash !== run.modelHash);
      if (wrong) {
        exchange.finishLevel(level + 1, [], 0, 'mismatched shards');
        return new ConfigError('MC404', `shard ${wrong[0]} in ${dir} checks another model or shard count (${wrong[1].count} shards, model hash ${wrong[1].modelHash}; this shard: ${count} shards, ${run.modelHash})`, { file: dir }, 'every shard of a run must check the same model, spec and parameters with the same --shard N');
      }
    }
    const stopped = [...markers.values()].find((m) => m.status === 'stop');
    if (stopped) return done({ ...r, status: 'interrupted' }, stopped.reason ?? 'another shard stopped');
    let pending = 0;
    for (const [from, m] of markers) {
      pending += m.kept;
      for (const n of m.sent) pending += n;
      if ((m.sent[me] ?? 0) === 0) continue;
      forEachRecord(exchange.takeInbox(level, from), (hi, lo, parent, bytes, len) => {
        const ord = store.insertFrom(hi, lo, from - 1, parent);
        if (ord >= 0) frontier.receive(ord, bytes, len);
      });
    }
    if (pending === 0) return done(r);
    frontier.advance();
  }
}

/** Waits (polling, without blocking the event loop) for every shard's marker of `level`: the
 *  markers, 'stopped' when asked to stop, or why it gave up. A stop marker counts as arrived. */
async function waitForMarkers(exchange: Exchange, level: number, stop: () => boolean, limitMs: number, onWait?: (text: string) => void): Promise<Map<number, Marker> | string> {
  let pause = 2;
  const started = Date.now();
  let told = started;
  for (;;) {
    const markers = exchange.markers(level);
    if (markers.size === exchange.me.count || [...markers.values()].some((m) => m.status === 'stop')) return markers;
    if (stop()) return 'stopped';
    const missing: string[] = [];
    for (let i = 1; i <= exchange.me.count; i++) if (!markers.has(i)) missing.push(`${i}/${exchange.me.count}`);
    const which = `shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`;
    if (Date.now() - started > limitMs) return `${which} did not finish level ${level} within ${Math.round(limitMs / 1000)} s (--shard-wait)`;
    if (onWait && Date.now() - told > 5000) {
      told = Date.now();
      onWait(`level ${level} done; waiting for ${which}`);
    }
    await sleep(pause);
    pause = Math.min(100, pause * 1.5);
  }
}

/** The result as the rest of the checker reads it: generated counts each initial state in its owner
 *  only, and ordinals are global (ordinal * count + shard) so rebuildPath follows parents across
 *  shards through a view of every shard's parent records. */
function globalResult(r: SearchResult, store: ShardStore, exchange: Exchange): SearchResult {
  const count = store.count;
  const g = (ord: number) => (ord < 0 ? ord : ord * count + store.me);
  return {
    ...r,
    generated: r.generated - store.foreignInits,
    store: new GlobalView(store, exchange),
    violations: r.violations.map((v) => ({ ...v, ordinal: g(v.ordinal) })),
    ...(r.specError ? { specError: { ...r.specError, ordinal: g(r.specError.ordinal) } } : {}),
  };
}

/** Every shard's visited states, by global ordinal, for rebuilding paths: this shard's from memory,
 *  the others' from their parent records in the exchange folder. */
class GlobalView implements FingerprintSet {
  constructor(
    private readonly store: ShardStore,
    private readonly exchange: Exchange,
  ) {}

  get size(): number {
    return this.store.size;
  }
  private at(g: number): { lo: number; hi: number; shard: number; parent: number } {
    const count = this.store.count;
    const s = g % count;
    const o = (g - s) / count;
    if (s === this.store.me) return { lo: this.store.loOf(o), hi: this.store.hiOf(o), shard: this.store.parentShardOf(o), parent: this.store.parentOf(o) };
    const rec = this.exchange.readParent(s + 1, o);
    if (!rec) throw new Error(`internal: shard ${s + 1} has no parent record ${o} in ${this.exchange.dir}`);
    return rec;
  }
  parentOf(g: number): number {
    const r = this.at(g);
    return r.parent === NO_PARENT ? NO_PARENT : r.parent * this.store.count + r.shard;
  }
  hiOf(g: number): number {
    return this.at(g).hi;
  }
  loOf(g: number): number {
    return this.at(g).lo;
  }
  insert(): number {
    throw new Error('internal: the global view of a shard is read-only');
  }
  find(): number {
    throw new Error('internal: the global view of a shard is read-only');
  }
  bytes(): number {
    return this.store.bytes();
  }
}
