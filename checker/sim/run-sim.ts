// `check --simulate`: one model by random simulation, end to end. Counterexamples are shrunk and
// written as traces; a property never violated gets the verdict unknown, never holds.
import type { ModelConfig, SimulateSettings } from '../config/model.ts';
import type { ResolvedModel } from '../config/resolve.ts';
import { ConfigError, SpecError } from '../core/errors.ts';
import { failed, formatSpecError, writeTrace, type CheckOptions, type ModelOutcome, type PropertyVerdict } from '../run/check-model.ts';
import { EXIT } from '../run/exit-codes.ts';
import type { PropertyKind } from '../trace/format.ts';
import { selectProperties } from '../run/liveness.ts';
import { modelHash, swarmShare, type ShardInfo, type ShardSpec, type SwarmShare } from '../run/shard.ts';
import { randomSeed } from './prng.ts';
import { shrinkPath } from './shrink.ts';
import { simulate, simulateInterruptible, type SimResult } from './simulate.ts';

export const SIM_DEFAULTS = { runs: 1000, depth: 100 } as const;

export interface SimulationSummary extends Omit<SimResult, 'violations' | 'specError'> {
  readonly depthLimit: number;
  readonly runsAsked: number;
  /** The command that repeats this simulation. */
  readonly repeat: string;
}

export async function simulateModel(file: string, config: ModelConfig, resolved: ResolvedModel, settings: SimulateSettings, options: CheckOptions): Promise<ModelOutcome> {
  const { model } = resolved;
  const shard = options.overrides?.shard;
  if (shard && settings.seed === undefined) {
    const message = new ConfigError('MC401', `--shard ${shard.index}/${shard.count} with --simulate needs a base seed shared by every shard`, { file }, 'add --seed S (the same S on every shard): each shard derives its own seed from it').format();
    return failed(file, config, resolved, EXIT.config, { kind: 'config', message });
  }
  const baseSeed = settings.seed ?? randomSeed();
  const runsAsked = settings.runs ?? SIM_DEFAULTS.runs;
  const depthAsked = settings.depth ?? SIM_DEFAULTS.depth;
  const share = shard ? swarmShare(model, shard, baseSeed, runsAsked, depthAsked) : undefined;
  const { seed, runs, depth } = share ?? { seed: baseSeed, runs: runsAsked, depth: depthAsked };
  const simOptions = {
    seed,
    runs,
    depth,
    weights: share?.weights,
    seconds: settings.time,
    deadlock: config.check.deadlock,
    invariants: config.check.invariants,
    steps: config.check.steps,
    stopAtFirst: options.overrides?.stopAtFirst ?? config.search.stopAtFirst,
    onProgress: options.onStatus && ((p: { runs: number; steps: number; seconds: number }) => options.onStatus!(`simulating: ${p.runs.toLocaleString('en-US')} runs, ${p.steps.toLocaleString('en-US')} steps, ${Math.round(p.steps / p.seconds).toLocaleString('en-US')} steps/s, ${p.seconds.toFixed(0)} s`)),
  };
  // From the command line: in slices, so Ctrl-C ends it with what it found and an action in an
  // infinite loop is stopped by the step timeout.
  const sim = options.shouldStop ? await simulateInterruptible(model, simOptions, options.shouldStop, (options.overrides?.stepTimeout ?? config.search.stepTimeout ?? 10) * 1000) : simulate(model, simOptions);
  const { violations, specError, ...rest } = sim;
  const time = settings.time !== undefined ? ` --time ${settings.time}` : '';
  const shardFlag = shard ? ` --shard ${shard.index}/${shard.count}` : '';
  const repeat = `npx check ${file} --simulate --runs ${runsAsked} --depth ${depthAsked} --seed ${baseSeed}${time}${shardFlag}`;
  const summary: SimulationSummary = { ...rest, depthLimit: depth, runsAsked: runs, repeat };
  const outcomeSettings = { strategy: 'simulate' as const };
  const withShard = (o: ModelOutcome): ModelOutcome => (shard && share ? { ...o, shard: simulationShard(config, resolved, shard, baseSeed, runsAsked, depthAsked, share) } : o);
  if (specError) {
    return withShard({ ...failed(file, config, resolved, EXIT.spec, { kind: 'spec', message: formatSpecError(specError.error, config.spec.module), path: specError.path }), simulation: summary, settings: outcomeSettings });
  }
  try {
    const verdicts: PropertyVerdict[] = [];
    const verdictOf = (kind: PropertyKind, name: string, says?: string): PropertyVerdict => {
      const v = violations.find((x) => x.kind === kind && x.property === name);
      if (!v) return { name, kind, says, verdict: 'unknown', note: `not violated in ${sim.runs.toLocaleString('en-US')} random run${sim.runs === 1 ? '' : 's'}` };
      const shrunk = shrinkPath(model, v.path, v);
      const path = shrunk.path;
      return {
        name,
        kind,
        says,
        verdict: 'violated',
        ...(shrunk.shrunk < shrunk.original ? { shrunkFrom: shrunk.original } : {}),
        trace: { path, file: writeTrace(options.tracesDir, resolved, kind, name, says, path, { seed }) },
      };
    };
    for (const name of sim.invariantsChecked) verdicts.push(verdictOf('invariant', name, model.invariants.find((p) => p.name === name)?.says));
    for (const name of sim.stepsChecked) verdicts.push(verdictOf('step', name, model.steps.find((p) => p.name === name)?.says));
    // Temporal properties need the state graph's cycles; random walks cannot refute them honestly.
    const families = new Set<string>();
    for (const p of selectProperties(model, config.check.properties)) {
      const note = 'a temporal property: random simulation does not check it (run the exhaustive search)';
      if (p.family !== undefined && !families.has(p.family)) {
        families.add(p.family);
        verdicts.push({ name: p.family, kind: 'temporal', says: p.says, verdict: 'unknown', op: p.op, note });
      }
      verdicts.push({ name: p.name, kind: 'temporal', says: p.says, verdict: 'unknown', op: p.op, ...(p.family !== undefined ? { family: p.family } : {}), note });
    }
    if (config.check.deadlock) {
      const terminal = model.terminal ? `, or is terminal${model.terminalSays ? ` (${model.terminalSays})` : ''}` : '';
      verdicts.push(verdictOf('deadlock', 'deadlock', `every reachable state has a next step${terminal}`));
    }
    const first = violations[0]?.kind;
    const exitCode = first === 'deadlock' ? EXIT.deadlock : first ? EXIT.safety : sim.stoppedBy === 'interrupted' ? EXIT.interrupted : EXIT.ok;
    return withShard({ file, config, resolved, settings: outcomeSettings, simulation: summary, verdicts, exitCode, regressions: compare(config, verdicts) });
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return withShard({ ...failed(file, config, resolved, EXIT.spec, { kind: 'spec', message: formatSpecError(e, config.spec.module) }), simulation: summary, settings: outcomeSettings });
  }
}

/** Differences from `expect:`: verdicts only (a simulation does not count the reachable states). */
function compare(config: ModelConfig, verdicts: readonly PropertyVerdict[]): string[] {
  const out: string[] = [];
  for (const [name, want] of Object.entries(config.expect?.verdicts ?? {})) {
    const v = verdicts.find((x) => x.name === name);
    const got = v?.verdict ?? 'not checked';
    const why = got !== 'unknown' ? '' : want === 'holds' ? ' (a simulation never proves a property)' : ` (${v?.note ?? 'no violation found'})`;
    if (got !== want) out.push(`${name}: expected ${want}, got ${got}${why}`);
  }
  return out;
}

/** A simulation shard's identity: what every shard shares (hashed), and its own share. */
function simulationShard(config: ModelConfig, resolved: ResolvedModel, shard: ShardSpec, seed: number, runs: number, depth: number, share: SwarmShare): ShardInfo {
  const shared = { mode: 'simulate', count: shard.count, seed, runs, depth, deadlock: config.check.deadlock, invariants: config.check.invariants ?? null, steps: config.check.steps ?? null };
  // The weights by action name, for people reading the report.
  const weights = share.weights && Object.fromEntries(resolved.model.actions.map((a, i) => [a.name, share.weights![i]]));
  return { index: shard.index, count: shard.count, mode: 'simulate', modelHash: modelHash(config, resolved, shared), shared, own: { ...share, ...(weights ? { weights } : {}) } };
}
