// Shards: one share of a check run on several machines (`check --shard i/n`), whose JSON reports
// `check --merge` combines. With --simulate, each shard runs its own seeded, diversified share of
// the random walks (swarm verification: its own seed stream, depth bound and action weights);
// without, each shard owns the states whose fingerprint hashes to it (explore/shard/).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { ModelConfig } from '../config/model.ts';
import type { ResolvedModel } from '../config/resolve.ts';
import type { Model } from '../core/spec.ts';
import { Prng } from '../sim/prng.ts';

/** Shard `index` (1..count) of `count`. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** Largest number of shards (an exhaustive level writes up to count * count small files). */
export const MAX_SHARDS = 4096;

/** `i/n` with 1 <= i <= n; undefined when the text is not of that form (the caller says so). */
export function parseShard(text: string): ShardSpec | undefined {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && count <= MAX_SHARDS && index >= 1 && index <= count)) return undefined;
  return { index, count };
}

/** One splitmix32 step: spreads a 32-bit value over all 32 bits. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** What one simulation shard runs: its seed, runs, depth bound and action weights. */
export interface SwarmShare {
  readonly seed: number;
  readonly runs: number;
  readonly depth: number;
  /** Weight of each action (model.actions order) when a step is drawn; undefined: uniform. */
  readonly weights?: readonly number[];
}

/**
 * The share of shard i/n of a simulation of `runs` runs with base seed `seed` and depth bound
 * `depth`. Shard 1 is the plain simulation (its seed is the base seed, steps drawn uniformly, the
 * full depth), so `--shard 1/1` repeats the unsharded run. Every other shard gets a seed derived
 * from the base seed and its index, a depth bound between a quarter of `depth` and `depth`, and a
 * weight per action between 1/8 and 8 (never 0: a step that is possible is always possible, so a
 * deadlock is never reported wrongly). The runs are split as evenly as possible.
 */
export function swarmShare(model: Model, shard: ShardSpec, seed: number, runs: number, depth: number): SwarmShare {
  const { index, count } = shard;
  const myRuns = Math.floor(runs / count) + (index <= runs % count ? 1 : 0);
  if (index === 1) return { seed: seed >>> 0, runs: myRuns, depth };
  const shardSeed = mix32((seed ^ mix32(index * 0x632be5ab)) >>> 0);
  const rng = new Prng(shardSeed ^ 0x5bd1e995);
  const low = Math.max(1, Math.ceil(depth / 4));
  const myDepth = low + rng.below(depth - low + 1);
  const weights = model.actions.map(() => 2 ** ((rng.next() / 0x100000000) * 6 - 3));
  return { seed: shardSeed, runs: myRuns, depth: myDepth, weights: weights.map((w) => Number(w.toFixed(4))) };
}

/**
 * A hash of what a shard checked: the model file, the spec module's source, the parameters and the
 * settings every shard must share. Shards of different models or settings are refused by --merge.
 */
export function modelHash(config: ModelConfig, resolved: ResolvedModel | undefined, shared: Readonly<Record<string, unknown>>): string {
  const h = createHash('sha256');
  const read = (f: string) => (existsSync(f) ? readFileSync(f) : Buffer.from(`missing ${f}`));
  h.update(read(config.file));
  h.update('\0');
  h.update(read(config.spec.module));
  h.update('\0');
  h.update(JSON.stringify({ export: config.spec.export, params: resolved?.params ?? config.params, shared }));
  return h.digest('hex').slice(0, 16);
}

/** What a shard report carries beside the ordinary JSON report, for --merge. */
export interface ShardInfo {
  readonly index: number;
  readonly count: number;
  readonly mode: 'simulate' | 'exhaustive';
  /** Hash of model file, spec source, params and shared settings (see modelHash). */
  readonly modelHash: string;
  /** The settings every shard shares (compared by --merge). */
  readonly shared: Readonly<Record<string, unknown>>;
  /** This shard's own settings (simulation: seed, runs, depth, weights). */
  readonly own: Readonly<Record<string, unknown>>;
}

/** The trace files of the violated properties, embedded so --merge can restore the one it keeps. */
export function embeddedTraces(verdicts: readonly { name: string; verdict: string; trace?: { file?: string } }[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of verdicts) {
    if (v.verdict !== 'violated' || !v.trace?.file || !existsSync(v.trace.file)) continue;
    try {
      out[v.name] = JSON.parse(readFileSync(v.trace.file, 'utf8'));
    } catch {
      // A trace that cannot be read back is simply not embedded; the report still names its file.
    }
  }
  return out;
}
