// check-model's side of an exhaustive shard (`check --shard i/n --exchange DIR`): what is refused,
// the sharded search, and the shard's outcome (its identity for --merge; temporal properties
// unknown, since no shard sees the whole state graph; no comparison with expect:, which --merge does).
import { ConfigError } from '../core/errors.ts';
import type { ModelConfig } from '../config/model.ts';
import type { ResolvedModel } from '../config/resolve.ts';
import type { Model } from '../core/spec.ts';
import type { SearchOptions, SearchResult } from '../explore/search.ts';
import { shardSearch } from '../explore/shard/shard-search.ts';
import type { CheckOptions, ModelOutcome, PropertyVerdict } from './check-model.ts';
import { selectProperties } from './liveness.ts';
import { modelHash, type ShardInfo, type ShardSpec } from './shard.ts';

interface Settings {
  readonly strategy: string;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly stopAtFirst?: boolean;
  readonly constraints?: readonly string[];
}

/** The settings every exhaustive shard of a run must share. */
function sharedSettings(config: ModelConfig, settings: Settings, shard: ShardSpec): Record<string, unknown> {
  return {
    mode: 'exhaustive',
    count: shard.count,
    maxDepth: settings.maxDepth ?? null,
    maxStates: settings.maxStates ?? null,
    stopAtFirst: !!settings.stopAtFirst,
    constraints: settings.constraints ?? null,
    deadlock: config.check.deadlock,
    invariants: config.check.invariants ?? null,
    steps: config.check.steps ?? null,
  };
}

export function exhaustiveShardInfo(config: ModelConfig, resolved: ResolvedModel, settings: Settings, shard: ShardSpec): ShardInfo {
  const shared = sharedSettings(config, settings, shard);
  return { index: shard.index, count: shard.count, mode: 'exhaustive', modelHash: modelHash(config, resolved, shared), shared, own: {} };
}

/** Runs this shard's share; a ConfigError when the run cannot be sharded as asked. */
export async function runExhaustiveShard(
  model: Model,
  config: ModelConfig,
  resolved: ResolvedModel,
  settings: Settings,
  searchOptions: SearchOptions,
  shard: ShardSpec,
  exchange: string | undefined,
  options: CheckOptions,
): Promise<{ result: SearchResult; stoppedBy?: string } | ConfigError> {
  const where = { file: config.file };
  if (exchange === undefined) {
    return new ConfigError('MC406', `--shard ${shard.index}/${shard.count} without --simulate needs --exchange DIR, a folder every shard can read and write`, where, 'add --exchange DIR (the same folder for every shard), or --simulate --seed S for a swarm of random walks');
  }
  if (settings.strategy !== 'bfs') {
    return new ConfigError('MC406', `exhaustive shards search breadth-first, level by level; --strategy ${settings.strategy} cannot be sharded`, where, 'drop --strategy dfs (or search.strategy: dfs) for a sharded run');
  }
  const info = exhaustiveShardInfo(config, resolved, settings, shard);
  const out = await shardSearch(model, searchOptions, {
    index: shard.index,
    count: shard.count,
    dir: exchange,
    modelHash: info.modelHash,
    shouldStop: options.shouldStop,
    onWait: options.onStatus,
    waitSeconds: options.overrides?.shardWait,
  });
  return out;
}

/** The shard's outcome: its identity, temporal properties unknown, no expect: comparison. */
export function shardOutcome(o: ModelOutcome, config: ModelConfig, resolved: ResolvedModel, settings: Settings, shard: ShardSpec, stoppedBy?: string): ModelOutcome {
  const note = 'a temporal property needs the whole state graph: exhaustive shards do not check it (run without --shard)';
  const temporal: PropertyVerdict[] = [];
  const families = new Set<string>();
  for (const p of selectProperties(resolved.model, config.check.properties)) {
    if (p.family !== undefined && !families.has(p.family)) {
      families.add(p.family);
      temporal.push({ name: p.family, kind: 'temporal', says: p.says, verdict: 'unknown', op: p.op, note });
    }
    temporal.push({ name: p.name, kind: 'temporal', says: p.says, verdict: 'unknown', op: p.op, ...(p.family !== undefined ? { family: p.family } : {}), note });
  }
  const stopped = stoppedBy ? `stopped because ${stoppedBy}` : undefined;
  // One shard of several proves nothing alone: what held in its share is `unknown` here, listed
  // for --merge, which gives `holds` only when every shard completed its share without a violation.
  const held = o.verdicts.filter((v) => v.verdict === 'holds').map((v) => v.name);
  const share = `no violation in this shard's share (${(o.result?.distinct ?? 0).toLocaleString('en-US')} states); check --merge of all ${shard.count} shards gives the verdict`;
  const verdicts = o.verdicts.map((v) =>
    v.verdict === 'unknown' && stopped ? { ...v, note: stopped }
    : v.verdict === 'holds' && shard.count > 1 ? { ...v, verdict: 'unknown' as const, note: share }
    : v);
  const info = exhaustiveShardInfo(config, resolved, settings, shard);
  return {
    ...o,
    verdicts: [...verdicts, ...temporal],
    regressions: o.error ? o.regressions : [],
    notComparable: undefined,
    shard: { ...info, own: { held } },
  };
}
