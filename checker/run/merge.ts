// `check --merge`: the shards' JSON reports (`check --shard i/n --reporter json`) combined into one
// verdict. Simulation shards: a violation found by any shard wins (the shortest trace is kept),
// otherwise unknown, never holds. Exhaustive shards: a property holds only if every shard is there,
// completed its share and found no violation; the counts are summed. Reports of different models,
// specs, shard counts or settings are refused; a missing shard makes the verdicts unknown.
import { ConfigError } from '../core/errors.ts';
import { EXIT } from './exit-codes.ts';

/** A shard report as read from a file (the JSON reporter's output with its `shard` block). */
export interface ShardReport {
  readonly file: string;
  readonly json: Readonly<Record<string, unknown>>;
}

interface ShardBlock {
  readonly index: number;
  readonly count: number;
  readonly mode: 'simulate' | 'exhaustive';
  readonly modelHash: string;
  readonly shared: Readonly<Record<string, unknown>>;
  readonly own: Readonly<Record<string, unknown>>;
  readonly traces?: Readonly<Record<string, unknown>>;
}

interface PropertyJSON {
  readonly name: string;
  readonly kind: string;
  readonly verdict: 'holds' | 'violated' | 'unknown';
  readonly says?: string;
  readonly steps?: number;
  readonly trace?: string | null;
  readonly note?: string;
}

export interface MergedProperty {
  readonly name: string;
  readonly kind: string;
  readonly verdict: 'holds' | 'violated' | 'unknown';
  readonly says?: string;
  /** The violating shard (1-based) and its counterexample. */
  readonly shard?: number;
  readonly steps?: number;
  readonly faults?: number;
  readonly trace?: string | null;
  /** The trace file's content (as the shard embedded it), to restore the file where the merge runs. */
  readonly traceData?: unknown;
  readonly note?: string;
}

export interface MergedShard {
  readonly index: number;
  readonly file: string;
  readonly status: string;
  readonly exitCode: number;
  readonly own: Readonly<Record<string, unknown>>;
  readonly distinct?: number;
  readonly generated?: number;
  readonly runs?: number;
  readonly steps?: number;
  readonly error?: string | null;
}

export interface MergedReport {
  readonly model: string;
  readonly file: string;
  readonly spec: string | null;
  readonly params: unknown;
  /** The symmetric domains the shards reduced by (the count is up to symmetry). */
  readonly symmetry?: readonly string[];
  readonly mode: 'simulate' | 'exhaustive';
  readonly count: number;
  readonly modelHash: string;
  readonly shards: readonly MergedShard[];
  readonly missing: readonly number[];
  /** Exhaustive: every shard there and complete. Simulation: always false (nothing is proven). */
  readonly complete: boolean;
  readonly stats?: { readonly distinct: number; readonly generated: number; readonly depth: number; readonly depthBounded: boolean; readonly constrained: boolean; readonly collisionProbability: number };
  readonly simulation?: { readonly runs: number; readonly steps: number; readonly distinctAtLeast: number; readonly depth: number; readonly seed: unknown };
  readonly properties: readonly MergedProperty[];
  readonly errors: readonly string[];
  /** Differences from the model file's `expect:` (verdicts; exhaustive and complete: also the counts). */
  readonly regressions: readonly string[];
  readonly exitCode: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function shardOf(r: ShardReport): ShardBlock {
  const s = r.json.shard;
  if (!isObject(s) || typeof s.index !== 'number' || typeof s.count !== 'number' || (s.mode !== 'simulate' && s.mode !== 'exhaustive') || typeof s.modelHash !== 'string') {
    throw new ConfigError('MC402', `${r.file} is not a shard report (no valid "shard" block)`, { file: r.file }, 'merge the reports of `check --shard i/n --reporter json`');
  }
  return s as unknown as ShardBlock;
}

const stable = (v: unknown): string => JSON.stringify(v, (_, x: unknown) => (isObject(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/** Faults taken by an embedded trace (steps with a `fault` field). */
function faultsOf(trace: unknown): number {
  if (!isObject(trace) || !Array.isArray(trace.steps)) return 0;
  return trace.steps.filter((s) => isObject(s) && typeof s.fault === 'string').length;
}

/** Combines the reports; throws a ConfigError (MC402, MC404, MC405) for reports that cannot be merged. */
export function mergeReports(reports: readonly ShardReport[]): MergedReport {
  if (reports.length === 0) throw new ConfigError('MC402', 'no shard reports to merge', {}, 'give the JSON reports (or a folder of them)');
  const blocks = reports.map(shardOf);
  const first = blocks[0];
  for (let k = 1; k < reports.length; k++) {
    const b = blocks[k];
    const what = b.mode !== first.mode ? `mode ${b.mode} vs ${first.mode}`
      : b.count !== first.count ? `${b.count} shards vs ${first.count}`
      : reports[k].json.model !== reports[0].json.model ? `model ${String(reports[k].json.model)} vs ${String(reports[0].json.model)}`
      : stable(b.shared) !== stable(first.shared) ? `settings ${stable(b.shared)} vs ${stable(first.shared)}`
      : b.modelHash !== first.modelHash ? `model file, spec source or parameters (hash ${b.modelHash} vs ${first.modelHash})`
      : undefined;
    if (what) {
      throw new ConfigError('MC404', `${reports[k].file} (shard ${b.index}/${b.count}) does not belong with ${reports[0].file} (shard ${first.index}/${first.count}): ${what}`, { file: reports[k].file }, 'merge the reports of one run: the same model, spec, parameters, shard count and settings');
    }
  }
  const byIndex = new Map<number, number>();
  blocks.forEach((b, k) => {
    if (b.index < 1 || b.index > b.count) throw new ConfigError('MC402', `${reports[k].file}: shard index ${b.index} is not within 1..${b.count}`, { file: reports[k].file });
    const other = byIndex.get(b.index);
    if (other !== undefined) throw new ConfigError('MC405', `shard ${b.index}/${b.count} is given twice: ${reports[other].file} and ${reports[k].file}`, { file: reports[k].file }, 'give each shard\'s report once');
    byIndex.set(b.index, k);
  });
  const count = first.count;
  const missing: number[] = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missing.push(i);
  const order = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, k]) => k);
  const mode = first.mode;

  const shards: MergedShard[] = order.map((k) => {
    const j = reports[k].json;
    const stats = isObject(j.stats) ? j.stats : undefined;
    const sim = isObject(j.simulation) ? j.simulation : undefined;
    return {
      index: blocks[k].index,
      file: reports[k].file,
      status: String(j.status),
      exitCode: Number(j.exitCode),
      own: blocks[k].own,
      ...(stats ? { distinct: Number(stats.distinct), generated: Number(stats.generated) } : {}),
      ...(sim ? { runs: Number(sim.runs), steps: Number(sim.steps) } : {}),
      error: typeof j.error === 'string' ? j.error : null,
    };
  });

  const errors: string[] = [];
  const missingNote = missing.length ? `shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing` : '';
  if (missing.length) errors.push(`error MC403: ${missingNote}: the merged verdicts are unknown unless a shard found a violation`);
  for (const s of shards) if (s.error) errors.push(`shard ${s.index}/${count}: ${s.error}`);
  const complete = mode === 'exhaustive' && missing.length === 0 && shards.every((s) => s.status === 'complete');
  const incomplete = shards.filter((s) => s.status !== 'complete').map((s) => `${s.index}/${count} (${s.status})`);

  // Property verdicts, in the order the first shard lists them.
  const names: PropertyJSON[] = [];
  for (const k of order) {
    for (const p of (reports[k].json.properties as PropertyJSON[] | undefined) ?? []) if (!names.some((n) => n.name === p.name)) names.push(p);
  }
  const totalRuns = shards.reduce((a, s) => a + (s.runs ?? 0), 0);
  const properties: MergedProperty[] = names.map((p0) => {
    let best: MergedProperty | undefined;
    const unknownNotes: string[] = [];
    for (const k of order) {
      const p = ((reports[k].json.properties as PropertyJSON[] | undefined) ?? []).find((x) => x.name === p0.name);
      if (!p) {
        unknownNotes.push(`shard ${blocks[k].index} did not check it`);
        continue;
      }
      const heldInShare = p.verdict === 'holds' || (Array.isArray(blocks[k].own.held) && (blocks[k].own.held as unknown[]).includes(p.name));
      if (p.verdict === 'unknown' && !heldInShare) unknownNotes.push(`shard ${blocks[k].index}: ${p.note ?? 'unknown'}`);
      if (p.verdict !== 'violated') continue;
      const traceData = blocks[k].traces?.[p.name];
      const candidate: MergedProperty = { name: p.name, kind: p.kind, says: p.says, verdict: 'violated', shard: blocks[k].index, steps: p.steps, faults: faultsOf(traceData), trace: p.trace ?? null, traceData };
      const shorter = !best || (candidate.steps ?? Infinity) < (best.steps ?? Infinity) || ((candidate.steps ?? Infinity) === (best.steps ?? Infinity) && candidate.faults! < best.faults!);
      if (shorter) best = candidate;
    }
    if (best) return best;
    const base = { name: p0.name, kind: p0.kind, says: p0.says };
    if (mode === 'simulate') return { ...base, verdict: 'unknown', note: `not violated in ${totalRuns.toLocaleString('en-US')} random runs over ${shards.length} shard${shards.length === 1 ? '' : 's'}${missing.length ? `; ${missingNote}` : ''}` };
    if (missing.length) return { ...base, verdict: 'unknown', note: missingNote };
    if (!complete) return { ...base, verdict: 'unknown', note: `not every shard completed its share: ${incomplete.join(', ')}` };
    if (unknownNotes.length) return { ...base, verdict: 'unknown', note: unknownNotes[0] };
    return { ...base, verdict: 'holds' };
  });

  const j0 = reports[order[0]].json;
  const statsOf = (k: number) => (isObject(reports[k].json.stats) ? (reports[k].json.stats as Record<string, unknown>) : {});
  const stats = mode === 'exhaustive'
    ? {
        distinct: order.reduce((a, k) => a + Number(statsOf(k).distinct ?? 0), 0),
        generated: order.reduce((a, k) => a + Number(statsOf(k).generated ?? 0), 0),
        depth: Math.max(0, ...order.map((k) => Number(statsOf(k).depth ?? 0))),
        depthBounded: order.some((k) => statsOf(k).depthBounded === true),
        constrained: order.some((k) => statsOf(k).constrained === true),
        collisionProbability: 0,
      }
    : undefined;
  // As a single run estimates it, over all the shards' states (a fingerprint is owned by one shard).
  // Exact fingerprints (every state's encoding fits in them) cannot collide: the shards say 0.
  const exact = order.every((k) => statsOf(k).collisionProbability === 0);
  if (stats) stats.collisionProbability = exact ? 0 : Math.min(1, (stats.distinct * Math.max(stats.generated - stats.distinct, stats.distinct / 2)) / 2 ** 64);
  const simOf = (k: number) => (isObject(reports[k].json.simulation) ? (reports[k].json.simulation as Record<string, unknown>) : {});
  const simulation = mode === 'simulate'
    ? {
        runs: totalRuns,
        steps: shards.reduce((a, s) => a + (s.steps ?? 0), 0),
        distinctAtLeast: Math.max(0, ...order.map((k) => Number(simOf(k).distinct ?? 0))),
        depth: Math.max(0, ...order.map((k) => Number(simOf(k).depth ?? 0))),
        seed: first.shared.seed,
      }
    : undefined;

  const violated = properties.filter((p) => p.verdict === 'violated');
  const shardCodes = shards.map((s) => s.exitCode);
  const exitCode =
    shardCodes.includes(EXIT.config) ? EXIT.config
    : shardCodes.includes(EXIT.spec) ? EXIT.spec
    : violated.some((p) => p.kind !== 'deadlock' && p.kind !== 'temporal') ? EXIT.safety
    : violated.some((p) => p.kind === 'deadlock') ? EXIT.deadlock
    : violated.length ? EXIT.liveness
    : missing.length ? EXIT.config
    : shardCodes.includes(EXIT.stateLimit) ? EXIT.stateLimit
    : mode === 'exhaustive' && !complete ? EXIT.interrupted
    : EXIT.ok;
  const regressions = compareExpect(j0.expect, mode, complete, properties, stats);
  return {
    model: String(j0.model),
    file: String(j0.file),
    spec: typeof j0.spec === 'string' ? j0.spec : null,
    params: j0.params ?? null,
    ...(Array.isArray(j0.symmetry) ? { symmetry: j0.symmetry.map(String) } : {}),
    mode,
    count,
    modelHash: first.modelHash,
    shards,
    missing,
    complete,
    ...(stats ? { stats } : {}),
    ...(simulation ? { simulation } : {}),
    properties,
    errors,
    regressions,
    exitCode: exitCode === EXIT.ok && regressions.length ? EXIT.regression : exitCode,
  };
}

const COUNTS = ['states', 'generated', 'depth'] as const;

/** The merged run against the model file's `expect:` (as the reports carry it). A verdict that
 *  incomplete shards left unknown is not a difference; a simulation never proves `holds`. */
function compareExpect(expect: unknown, mode: 'simulate' | 'exhaustive', complete: boolean, properties: readonly MergedProperty[], stats: MergedReport['stats']): string[] {
  if (!isObject(expect)) return [];
  const out: string[] = [];
  for (const [name, want] of Object.entries(expect)) {
    if ((COUNTS as readonly string[]).includes(name)) continue;
    const got = properties.find((p) => p.name === name)?.verdict ?? 'not checked';
    if (got === want) continue;
    if (mode === 'exhaustive' && !complete && got === 'unknown') continue;
    if (properties.find((p) => p.name === name)?.kind === 'temporal' && mode === 'exhaustive') continue;
    out.push(`${name}: expected ${String(want)}, got ${got}${got === 'unknown' && want === 'holds' && mode === 'simulate' ? ' (a simulation never proves a property)' : ''}`);
  }
  if (mode === 'exhaustive' && complete && stats) {
    const got = { states: stats.distinct, generated: stats.generated, depth: stats.depth };
    for (const k of COUNTS) {
      const want = expect[k];
      if (typeof want === 'number' && want !== got[k]) out.push(`${k}: expected ${want.toLocaleString('en-US')}, got ${got[k].toLocaleString('en-US')}`);
    }
  }
  return out;
}
