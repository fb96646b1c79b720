// Checks one model file end to end: load and validate it, search, give every property a verdict,
// write the counterexamples, and compare with `expect:`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ConfigError, SpecError } from '../core/errors.ts';
import type { ModelConfig, SimulateSettings } from '../config/model.ts';
import { simulateModel, type SimulationSummary } from '../sim/run-sim.ts';
import { shrinkPath } from '../sim/shrink.ts';
import { displayPath, loadModelFile } from '../config/load.ts';
import { resolveModel, type ResolvedModel } from '../config/resolve.ts';
import { search, searchInterruptible, type Progress, type SearchOptions, type SearchResult, type Strategy, type Violation } from '../explore/search.ts';
import { createSpill, type Spill } from '../explore/spill.ts';
import { CompactFpSet } from '../explore/compact-fp-set.ts';
import { ChunkedQueue, ChunkedStack } from '../explore/frontier.ts';
import { formatSize } from '../core/size.ts';
import { checkpointIdentity, prepareCheckpoint, resumeCommand, type CheckpointReason, type CheckpointSettings } from './checkpoint.ts';
import { rebuildPath, type PathStep } from '../trace/rebuild.ts';
import { concreteLastStep } from '../trace/symmetric-step.ts';
import { symmetryOf } from './symmetry.ts';
import { stepsToJSON, traceHash, TRACE_FORMAT, TRACE_VERSION, type PropertyKind, type TraceFile } from '../trace/format.ts';
import { EXIT } from './exit-codes.ts';
import { searchOnWorkers, type WorkersUsed } from '../explore/parallel/run.ts';
import { MemoryMeter, type MemoryPeak } from './memory-meter.ts';
import { LivenessRecorder, livenessVerdicts, mergeFairness, selectProperties, type LivenessOutcome } from './liveness.ts';
import type { FairnessDecl, TemporalOp } from '../core/temporal.ts';
import { searchReduced, type ReductionInfo, type ReductionName } from '../explore/por-search.ts';
import type { ShardInfo, ShardSpec } from './shard.ts';
import { runExhaustiveShard, shardOutcome } from './shard-check.ts';

export type VerdictValue = 'holds' | 'violated' | 'unknown';

export interface PropertyVerdict {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly says?: string;
  readonly verdict: VerdictValue;
  readonly trace?: { readonly file?: string; readonly path: readonly PathStep[]; readonly loopStart?: number };
  /** The counterexample was shrunk from this many steps (simulation and DFS counterexamples). */
  readonly shrunkFrom?: number;
  /** Temporal properties: the operator and the family. */
  readonly op?: TemporalOp;
  readonly family?: string;
  /** Why the verdict is unknown, or what it rests on, in words (`not violated in 1,000 runs`, vacuous, witness). */
  readonly note?: string;
}

export interface Overrides {
  readonly strategy?: Strategy;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly checkSpec?: boolean;
  readonly stopAtFirst?: boolean;
  /** Partial-order reduction (`--por`) over the model's `search.reduction`. */
  readonly reduction?: ReductionName;
  /** Seconds a state's expansion may take (default: the model's search.stepTimeout, else 10). */
  readonly stepTimeout?: number;
  /** Bytes for the visited set and the frontier before they spill to disk (`--memory`, over search.memory). */
  readonly memory?: number;
  /** Random simulation instead of the search (`--simulate`), with settings over the model's. */
  readonly simulate?: SimulateSettings;
  /** Threads for the breadth-first search (`--workers`), over the model's search.workers. */
  readonly workers?: number | 'auto';
  /** `--shard i/n`: this run is one shard (see run/shard.ts); exhaustive shards exchange states in `exchange`. */
  readonly shard?: ShardSpec;
  readonly exchange?: string;
  /** Exhaustive shards: seconds to wait at a level for the others before giving up (default 3,600). */
  readonly shardWait?: number;
}

export interface CheckOptions {
  readonly overrides?: Overrides;
  /** Folder for counterexamples (`traces/` by default); null writes none. */
  readonly tracesDir?: string | null;
  readonly onProgress?: (p: Progress) => void;
  /** Type-checks the spec module once it loads (the CLI passes typecheckOnce()); a ConfigError stops the check. */
  readonly typecheck?: (module: string) => ConfigError | undefined;
  /** Asked between slices of the search: true ends it with status 'interrupted' and what it found. */
  readonly shouldStop?: () => boolean;
  /** A progress line in words (used by the simulation). */
  readonly onStatus?: (text: string) => void;
  /** Save the search now and then and when stopped (`--checkpoint`), or continue a saved one (`--resume`). */
  readonly checkpoint?: CheckpointSettings;
}

export interface ModelOutcome {
  readonly file: string;
  readonly config?: ModelConfig;
  readonly resolved?: ResolvedModel;
  readonly result?: SearchResult;
  /** The search settings in force: the model's, with the command line's overrides. */
  readonly settings?: {
    readonly strategy: Strategy | 'simulate';
    readonly maxStates?: number;
    readonly maxDepth?: number;
    readonly stopAtFirst?: boolean;
    /** The state constraints applied (names). */
    readonly constraints?: readonly string[];
    /** When more than one worker was asked for: how many ran, and why only one if so. */
    readonly workers?: WorkersUsed;
    /** Partial-order reduction was asked for (`search.reduction` or `--por`). */
    readonly reduction?: ReductionName;
  };
  /** Set instead of `result` when the model was simulated. */
  readonly simulation?: SimulationSummary;
  readonly verdicts: readonly PropertyVerdict[];
  readonly exitCode: number;
  /** A config or spec error that stopped the check, formatted for people. */
  readonly error?: { readonly kind: 'config' | 'spec'; readonly message: string; readonly path?: readonly PathStep[] };
  /** Differences from `expect:` (empty when everything matches or there is no `expect:`). */
  readonly regressions: readonly string[];
  /** Temporal properties: graph size and vacuous fairness (when the run had any). */
  readonly liveness?: LivenessOutcome;
  /** Parts of `expect:` the command line's bounds make not comparable (a bounded count, an unknown verdict). */
  readonly notComparable?: readonly string[];
  /** Counterexamples that could not be written (the verdicts stand; the trace files are missing). */
  readonly traceErrors?: readonly string[];
  /** With --checkpoint or --resume: where, the last checkpoint written, what the run resumed from. */
  readonly checkpoint?: { readonly dir: string; readonly saved?: { readonly reason: CheckpointReason; readonly states: number }; readonly resumedFrom?: CheckpointReason; readonly resume: string };
  /** With a memory budget (search.memory, --memory): what went to disk. */
  readonly spill?: { readonly budget: number; readonly storeDiskBytes: number; readonly merges: number; readonly frontierChunks: number };
  /** Partial-order reduction, when asked for: whether it applied, and how much it pruned. */
  readonly reduction?: ReductionInfo;
  /** A shard's identity and settings, for `check --merge`. */
  readonly shard?: ShardInfo;
  /** The peak memory while this model was checked. */
  readonly memory?: MemoryPeak;
}

export async function checkModel(file: string, options: CheckOptions = {}): Promise<ModelOutcome> {
  const meter = new MemoryMeter();
  try {
    const outcome = await checkOne(file, options);
    return { ...outcome, memory: meter.stop() };
  } finally {
    meter.stop();
  }
}

async function checkOne(file: string, options: CheckOptions): Promise<ModelOutcome> {
  let config: ModelConfig | undefined;
  let resolved: ResolvedModel | undefined;
  try {
    config = loadModelFile(file);
    resolved = await resolveModel(config, { buildTimeoutMs: (options.overrides?.stepTimeout ?? config.search.stepTimeout ?? 10) * 1000 });
    const typeError = options.typecheck?.(config.spec.module);
    if (typeError) throw typeError;
  } catch (e) {
    if (e instanceof ConfigError) return failed(file, config, undefined, EXIT.config, { kind: 'config', message: e.format() });
    if (e instanceof SpecError) return failed(file, config, undefined, EXIT.spec, { kind: 'spec', message: formatSpecError(e, config?.spec.module) });
    throw e;
  }
  const { model } = resolved;
  if (model.init.length === 0) {
    const error = new SpecError('no-init', 'the spec has no initial state (init is empty): nothing was explored and nothing checked', {
      hint: 'give init at least one state',
    });
    return failed(file, config, resolved, EXIT.spec, { kind: 'spec', message: formatSpecError(error, config.spec.module) });
  }
  const o = options.overrides ?? {};
  const s = config.search;
  if (options.checkpoint && (o.simulate || (config.simulate && !o.strategy))) {
    return failed(file, config, resolved, EXIT.config, { kind: 'config', message: new ConfigError('MC152', 'checkpoints go with the exhaustive search, not with simulation', { file: displayPath(file) }, 'drop --checkpoint/--resume, or give --strategy bfs to search instead').format() });
  }
  if (o.simulate || (config.simulate && !o.strategy)) return simulateModel(file, config, resolved, { ...config.simulate, ...o.simulate }, options);
  const settings = {
    strategy: o.strategy ?? s.strategy,
    maxStates: o.maxStates ?? s.maxStates,
    maxDepth: o.maxDepth ?? s.maxDepth,
    stopAtFirst: o.stopAtFirst ?? s.stopAtFirst,
    constraints: activeConstraints(model, s.constraints).map((c) => c.name),
    ...((o.reduction ?? s.reduction) === 'por' ? { reduction: 'por' as const } : {}),
  };
  const props = selectProperties(model, config.check.properties);
  const reduce = settings.reduction === 'por';
  if (reduce && props.length) {
    const where = o.reduction ? {} : (config.locate(['search', 'reduction'], 'value') ?? {});
    const error = new ConfigError('MC145', `partial-order reduction (${o.reduction ? '--por' : 'search.reduction: por'}) does not preserve temporal properties, and ${config.name} checks ${props.map((p) => p.name).join(', ')}`, { file: displayPath(config.file), ...where }, 'check the temporal properties without it, or select only safety properties (check.properties: [])');
    return failed(file, config, resolved, EXIT.config, { kind: 'config', message: error.format() });
  }
  const memory = o.memory ?? s.memory;
  const onDisk = memory !== undefined ? (o.memory !== undefined ? '--memory' : 'search.memory') : options.checkpoint ? (options.checkpoint.resume ? '--resume' : '--checkpoint') : undefined;
  const clash = onDisk && (o.shard ? '--shard' : reduce ? (o.reduction ? '--por' : 'search.reduction: por') : undefined);
  if (onDisk && clash) {
    const error = new ConfigError('MC153', `${onDisk} does not go with ${clash}: ${o.shard ? 'a shard keeps its part of the search in memory and exchanges files of its own' : 'the reduced search may start again as it learns, which a saved or spilled search cannot'}`,
      { file: displayPath(config.file) }, `drop ${onDisk} or ${clash}`);
    return failed(file, config, resolved, EXIT.config, { kind: 'config', message: error.format() });
  }
  let symmetry;
  try {
    const chosen = <P extends { name: string }>(all: readonly P[], names: readonly string[] | undefined): readonly P[] => (names ? all.filter((p) => names.includes(p.name)) : all);
    symmetry = symmetryOf({ config, model, properties: props, invariants: chosen(model.invariants, config.check.invariants), steps: chosen(model.steps, config.check.steps),
      constraints: activeConstraints(model, s.constraints) });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return failed(file, config, resolved, EXIT.config, { kind: 'config', message: e.format() });
  }
  // Exhaustive shards do not see the whole state graph: no liveness recording (see shard-check.ts).
  const recorder = props.length && !o.shard ? new LivenessRecorder(model, props, mergeFairness(model.fairness ?? [], config.fairness)) : undefined;
  const spill = memory !== undefined ? createSpill(memory, settings.strategy) : undefined;
  try {
    let saving: ReturnType<typeof prepareCheckpoint> | undefined;
    if (options.checkpoint) {
      try {
        const store = spill?.store ?? new CompactFpSet();
        const frontier = spill?.frontier ?? (settings.strategy === 'dfs' ? new ChunkedStack() : new ChunkedQueue());
        saving = prepareCheckpoint(options.checkpoint, checkpointIdentity(config, resolved, settings), model, { store, frontier, temporal: props.length });
      } catch (e) {
        if (e instanceof ConfigError) return failed(file, config, resolved, EXIT.config, { kind: 'config', message: e.format() });
        throw e;
      }
    }
    const judged = await searchAndJudge(file, config, resolved, settings, recorder, symmetry, spill, options, saving);
    const outcome = spill ? { ...judged, spill: { budget: memory!, storeDiskBytes: spill.store.diskBytes(), merges: spill.store.flushes, frontierChunks: spill.frontier.spilledChunks } } : judged;
    if (!saving) return outcome;
    const size = o.memory !== undefined ? formatSize(o.memory) : undefined;
    const resume = resumeCommand(displayPath(file), options.checkpoint!.dir, size);
    return { ...outcome, checkpoint: { dir: options.checkpoint!.dir, saved: saving.checkpointer.saved, resumedFrom: saving.resumedFrom, resume } };
  } finally {
    spill?.close();
  }
}

async function searchAndJudge(
  file: string,
  config: ModelConfig,
  resolved: ResolvedModel,
  settings: NonNullable<ModelOutcome['settings']> & { strategy: Strategy },
  recorder: LivenessRecorder | undefined,
  symmetry: SearchOptions['symmetry'],
  spill: Spill | undefined,
  options: CheckOptions,
  saving: ReturnType<typeof prepareCheckpoint> | undefined,
): Promise<ModelOutcome> {
  const { model } = resolved;
  const o = options.overrides ?? {};
  const s = config.search;
  const reduce = settings.reduction === 'por';
  const searchOptions = {
    observer: recorder,
    ...(spill ? { store: spill.store, frontier: spill.frontier } : {}),
    ...(saving ? { store: saving.store, frontier: saving.frontier, resume: saving.resume, onMemoryLimit: saving.checkpointer.onMemoryLimit } : {}),
    ...settings,
    checkSpec: o.checkSpec ?? s.checkSpec,
    deadlock: config.check.deadlock,
    invariants: config.check.invariants,
    steps: config.check.steps,
    constraints: activeConstraints(model, s.constraints),
    stepTimeoutMs: (o.stepTimeout ?? s.stepTimeout ?? 10) * 1000,
    onProgress: options.onProgress,
    symmetry,
  };
  // With a stop request (the CLI's signal handlers), the search gives the event loop a turn now and then.
  let result: SearchResult;
  let reduction: ReductionInfo | undefined;
  const withReduction = (x: ModelOutcome): ModelOutcome => (reduction ? { ...x, reduction } : x);
  let fin = withReduction;
  if (o.shard) {
    const shard = o.shard;
    if (reduce) reduction = { kind: 'por', active: false, reason: 'a shard of the search sees only its part of the state graph', restarts: 0, reducedStates: 0 };
    const r = await runExhaustiveShard(model, config, resolved, settings, searchOptions, shard, o.exchange, options);
    fin = (x) => shardOutcome(withReduction(x), config!, resolved!, settings, shard, r instanceof ConfigError ? undefined : r.stoppedBy);
    if (r instanceof ConfigError) return fin(failed(file, config, resolved, EXIT.config, { kind: 'config', message: r.format() }));
    result = r.result;
  } else {
    // A checkpointed search runs in slices even without a stop request: it saves between them.
    const stop = options.shouldStop ?? (saving ? () => false : undefined);
    const runSearch = (m: typeof model, so: SearchOptions): SearchResult | Promise<SearchResult> => (stop ? searchInterruptible(m, so, stop, 100, saving?.checkpointer.hooks) : search(m, so));
    if (reduce) ({ result, reduction } = await searchReduced(model, searchOptions, runSearch));
    else {
      // The parallel search keeps its own shared table in memory: a spilled or checkpointed search
      // (a store of its own) runs on one worker, and the report says so.
      const parallel = await searchOnWorkers(resolved, searchOptions, o.workers ?? s.workers ?? 1, options.shouldStop);
      if (parallel.used.requested > 1) Object.assign(settings, { workers: parallel.used });
      result = parallel.result ?? (await runSearch(model, searchOptions));
    }
  }
  if (result.specError) {
    let path: PathStep[] | undefined;
    try {
      if (result.specError.ordinal >= 0) path = rebuildPath(model, result.store, result.specError.ordinal, result.symmetry);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
    }
    const error = { kind: 'spec', message: formatSpecError(result.specError.error, config.spec.module), path } as const;
    // Violations found before the spec error are real: report them (with their traces) first.
    let found: ModelOutcome | undefined;
    try {
      if (result.violations.length) found = verdictsOf(file, config, resolved, result, settings, options);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
    }
    const verdicts = found?.verdicts.filter((v) => v.verdict === 'violated') ?? [];
    return fin({ ...failed(file, config, resolved, EXIT.spec, error, result, settings), verdicts, traceErrors: found?.traceErrors });
  }

  try {
    return fin(verdictsOf(file, config, resolved, result, settings, options, recorder));
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return fin(failed(file, config, resolved, EXIT.spec, { kind: 'spec', message: formatSpecError(e, config.spec.module) }, result, settings));
  }
}

function verdictsOf(file: string, config: ModelConfig, resolved: ResolvedModel, result: SearchResult, settings: NonNullable<ModelOutcome['settings']>, options: CheckOptions, recorder?: LivenessRecorder): ModelOutcome {
  const { model } = resolved;
  const exhaustive = result.status === 'complete';
  const firstKind = result.violations[0]?.kind;
  const verdicts: PropertyVerdict[] = [];
  const traceErrors: string[] = [];
  const written = (kind: PropertyKind, name: string, says: string | undefined, path: readonly PathStep[], extra?: Parameters<typeof writeTrace>[6]): string | undefined => {
    try {
      return writeTrace(options.tracesDir, resolved, kind, name, says, path, extra);
    } catch (e) {
      traceErrors.push(traceWriteError(options.tracesDir, resolved, e));
      return undefined;
    }
  };
  const verdictOf = (kind: PropertyKind, name: string, says?: string): PropertyVerdict => {
    const v = result.violations.find((x) => x.kind === kind && x.property === name);
    if (!v) return { name, kind, says, verdict: exhaustive ? 'holds' : 'unknown' };
    let path = pathOf(resolved!, result, v);
    // BFS paths are shortest; DFS ones, and BFS ones through a reduced graph, are shrunk before they are shown.
    const original = path.length - 1;
    if (settings.strategy === 'dfs' || settings.reduction === 'por') path = shrinkPath(model, path, v).path;
    const shrunkFrom = path.length - 1 < original ? { shrunkFrom: original } : {};
    return { name, kind, says, verdict: 'violated', ...shrunkFrom, trace: { path, file: written(kind, name, says, path) } };
  };
  for (const name of result.invariantsChecked) verdicts.push(verdictOf('invariant', name, model.invariants.find((p) => p.name === name)?.says));
  for (const name of result.stepsChecked) verdicts.push(verdictOf('step', name, model.steps.find((p) => p.name === name)?.says));
  if (config.check.deadlock) {
    const terminal = model.terminal ? `, or is terminal${model.terminalSays ? ` (${model.terminalSays})` : ''}` : '';
    verdicts.push(verdictOf('deadlock', 'deadlock', `every reachable state has a next step${terminal}`));
  }
  const liveness = recorder && livenessVerdicts(recorder, result, settings.maxDepth);
  for (const v of liveness?.verdicts ?? []) {
    const extra = { fairness: recorder!.decls, loopStart: v.loopStart, op: v.op };
    const file = v.path && written('temporal', v.name, v.says, v.path, { temporal: extra });
    const trace = v.path && { path: v.path, file, loopStart: v.loopStart };
    // A state constraint cuts the graph: a property that holds on the cut graph is not proven.
    const cut = result.constrained && v.verdict === 'holds';
    const verdict = cut ? 'unknown' : v.verdict;
    const note = cut ? 'not decided: a state constraint cut the state graph' : v.note;
    verdicts.push({ name: v.name, kind: 'temporal', says: v.says, verdict, op: v.op, family: v.family, note, ...(trace ? { trace } : {}) });
  }

  const exitCode =
    firstKind === 'deadlock' ? EXIT.deadlock
    : firstKind ? EXIT.safety
    : verdicts.some((v) => v.kind === 'temporal' && v.verdict === 'violated') ? EXIT.liveness
    : result.status === 'interrupted' ? EXIT.interrupted
    : result.status === 'state-limit' || result.status === 'memory-limit' ? EXIT.stateLimit
    : EXIT.ok;
  const { regressions, notComparable } = compare(config, result, verdicts, settings);
  return { file, config, resolved, result, settings, verdicts, exitCode, regressions, notComparable, liveness, traceErrors: traceErrors.length ? traceErrors : undefined };
}

/** The constraints the model file selects (all the spec declares by default). */
export function activeConstraints(model: ResolvedModel['model'], names: readonly string[] | undefined): NonNullable<ResolvedModel['model']['constraints']> {
  const all = model.constraints ?? [];
  return names === undefined ? all : all.filter((c) => names.includes(c.name));
}

/** MC301: a counterexample that could not be written, with why (the folder is a file, read-only, disk full). */
function traceWriteError(dir: string | null | undefined, r: ResolvedModel, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why = err.code ? `${err.code}${err.path ? ` at ${err.path}` : ''}` : String(err.message ?? e);
  return `error MC301: could not write the counterexample under ${join(dir ?? 'traces', r.config.name)} (${why}); the verdicts above stand`;
}

export function failed(
  file: string,
  config: ModelConfig | undefined,
  resolved: ResolvedModel | undefined,
  exitCode: number,
  error: NonNullable<ModelOutcome['error']>,
  result?: SearchResult,
  settings?: ModelOutcome['settings'],
): ModelOutcome {
  return { file, config, resolved, result, settings, verdicts: [], exitCode, error, regressions: [`${error.kind} error`] };
}

export function formatSpecError(e: SpecError, module?: string): string {
  const lines = [`${module ? `${displayPath(module)}: ` : ''}spec error (${e.code}): ${e.message}`];
  if (e.detail.state) lines.push(`  in state: ${e.detail.state}`);
  if (e.detail.hint) lines.push(`  hint: ${e.detail.hint}`);
  return lines.join('\n');
}

function pathOf(r: ResolvedModel, result: SearchResult, v: Violation): PathStep[] {
  const path = rebuildPath(r.model, result.store, v.ordinal, result.symmetry);
  if (v.step) path.push(result.symmetry ? concreteLastStep(r.model, result.symmetry, path[path.length - 1].state, v) : { label: v.step.label, state: v.step.next });
  return path;
}

/** Writes `<dir>/<model>/<property>-<hash>.json`; returns its path, or undefined when traces are off. */
export function writeTrace(
  dir: string | null | undefined,
  r: ResolvedModel,
  kind: PropertyKind | 'path',
  name: string,
  says: string | undefined,
  path: readonly PathStep[],
  more: {
    /** The simulation seed that found it. */
    readonly seed?: number | null;
    readonly temporal?: { readonly fairness: readonly FairnessDecl[]; readonly loopStart?: number; readonly op: TemporalOp };
  } = {},
): string | undefined {
  const { seed = null, temporal } = more;
  if (dir === null) return undefined;
  const steps = stepsToJSON(r.model, path);
  const folder = join(dir ?? 'traces', r.config.name);
  const file = join(folder, `${name.replace(/[^\w.-]+/g, '_').replace(/_$/, '')}-${traceHash(steps)}.json`);
  const rel = (p: string) => relative(dirname(file), p).split('\\').join('/');
  const trace: TraceFile = {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    model: {
      name: r.config.name,
      file: rel(r.config.file),
      spec: rel(r.config.spec.module),
      export: r.config.spec.export,
      params: r.params,
      ...(r.config.network ? { network: r.config.network } : {}),
      ...(r.config.faults ? { faults: r.config.faults } : {}),
    },
    property: { name, kind, ...(says ? { says } : {}), ...(temporal ? { op: temporal.op } : {}) },
    seed,
    ...(temporal ? { fairness: temporal.fairness } : {}),
    ...(temporal?.loopStart !== undefined ? { loopStart: temporal.loopStart } : {}),
    steps,
  };
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, `${JSON.stringify(trace, null, 2)}\n`);
  return file;
}

/** A temporal family's verdict: violated when a member is, else unknown when one is, else holds. */
function familyVerdict(verdicts: readonly PropertyVerdict[], family: string): VerdictValue | undefined {
  const members = verdicts.filter((v) => v.family === family);
  if (members.length === 0) return undefined;
  return members.some((v) => v.verdict === 'violated') ? 'violated' : members.some((v) => v.verdict === 'unknown') ? 'unknown' : 'holds';
}

/** What differs from `expect:`, in words. When the command line changed the search's bounds
 *  (--max-depth, --max-states, --strategy, --stop-at-first), a count or an undecided verdict that a
 *  bound explains is not comparable rather than a regression; a violation found is always real. */
function compare(config: ModelConfig, result: SearchResult, verdicts: readonly PropertyVerdict[], settings: NonNullable<ModelOutcome['settings']>): { regressions: string[]; notComparable: string[] } {
  const expect = config.expect;
  const regressions: string[] = [];
  const notComparable: string[] = [];
  if (!expect) return { regressions, notComparable };
  const s = config.search;
  const asFile = settings.strategy === s.strategy && settings.maxDepth === s.maxDepth && settings.maxStates === s.maxStates && !!settings.stopAtFirst === s.stopAtFirst;
  const bounded = !asFile && (result.status !== 'complete' || result.depthBounded);
  const why = `the command line bounds the search (${describeBounds(settings, s)})`;
  // --por on a model pinned without it (or the other way round): the counts differ by design.
  const reducedCounts = (settings.reduction ?? 'none') !== (s.reduction ?? 'none');
  for (const [name, want] of Object.entries(expect.verdicts)) {
    const got = verdicts.find((v) => v.name === name)?.verdict ?? familyVerdict(verdicts, name) ?? 'not checked';
    if (got === want) continue;
    if (bounded && got !== 'violated') notComparable.push(`${name}: expected ${want}, got ${got}: not comparable, ${why}`);
    else regressions.push(`${name}: expected ${want}, got ${got}`);
  }
  const counts: [string, number | undefined, number][] = [['states', expect.states, result.distinct], ['generated', expect.generated, result.generated], ['depth', expect.depth, result.depth]];
  for (const [what, want, got] of counts) {
    if (want === undefined || want === got) continue;
    const line = `${what}: expected ${want.toLocaleString('en-US')}, got ${got.toLocaleString('en-US')}`;
    if (bounded) notComparable.push(`${line}: not comparable, ${why}`);
    else if (reducedCounts) notComparable.push(`${line}: not comparable, partial-order reduction is ${settings.reduction === 'por' ? 'on (--por)' : 'off'} and the file's counts are ${s.reduction === 'por' ? 'reduced' : 'unreduced'}`);
    else regressions.push(line);
  }
  return { regressions, notComparable };
}

function describeBounds(settings: NonNullable<ModelOutcome['settings']>, s: ModelConfig['search']): string {
  const out: string[] = [];
  if (settings.strategy !== s.strategy) out.push(`--strategy ${settings.strategy}`);
  if (settings.maxDepth !== s.maxDepth) out.push(`--max-depth ${settings.maxDepth}`);
  if (settings.maxStates !== s.maxStates) out.push(`--max-states ${settings.maxStates}`);
  if (!!settings.stopAtFirst !== s.stopAtFirst) out.push('--stop-at-first');
  return out.join(', ');
}
