// The JSON reporter: the same facts as the text report, for machines.
import { relative } from 'node:path';
import type { Model } from '../core/spec.ts';
import type { SearchResult } from '../explore/search.ts';
import type { ModelOutcome } from '../run/check-model.ts';
import type { SimulationSummary } from '../sim/run-sim.ts';
import { embeddedTraces } from '../run/shard.ts';

function rel(p: string): string {
  return relative(process.cwd(), p).split('\\').join('/');
}

export function outcomeJSON(o: ModelOutcome): Record<string, unknown> {
  const r = o.result;
  return {
    model: o.config?.name ?? null,
    file: rel(o.file),
    spec: o.resolved?.definition.name ?? null,
    params: o.resolved?.params ?? null,
    network: o.resolved?.config.network ?? o.config?.network ?? null,
    faults: o.resolved?.config.faults ?? null,
    strategy: o.settings?.strategy ?? o.config?.search.strategy ?? null,
    ...(o.settings?.workers ? { workers: o.settings.workers } : {}),
    // Symmetry reduction: the distinct count is of orbits.
    ...(r?.symmetry ? { symmetry: r.symmetry.names } : {}),
    status: o.error ? `${o.error.kind}-error` : o.simulation ? 'simulated' : r?.status,
    exitCode: o.exitCode,
    error: o.error?.message ?? null,
    stats: r
      ? {
        distinct: r.distinct, generated: r.generated, depth: r.depth, seconds: Number(r.seconds.toFixed(3)), depthBounded: r.depthBounded, constrained: r.constrained, collisionProbability: r.collisionProbability,
        ...(o.liveness ? { livenessSeconds: Number(o.liveness.seconds.toFixed(3)) } : {}),
        visitedSetBytes: r.storeBytes,
        peakMemoryBytes: (o.memory ?? { bytes: process.resourceUsage().maxRSS * 1024 }).bytes,
      }
      : null,
    ...(o.reduction ? { reduction: o.reduction } : {}),
    ...(o.spill ? { spill: o.spill } : {}),
    ...(o.checkpoint ? { checkpoint: o.checkpoint } : {}),
    ...(o.simulation ? { simulation: simulationJSON(o.simulation) } : {}),
    properties: o.verdicts.map((v) => ({
      name: v.name,
      kind: v.kind,
      verdict: v.verdict,
      ...(v.says ? { says: v.says } : {}),
      ...(v.trace ? { steps: v.trace.path.length - 1, trace: v.trace.file ? rel(v.trace.file) : null } : {}),
      ...(v.shrunkFrom !== undefined ? { shrunkFrom: v.shrunkFrom } : {}),
      ...(v.op ? { op: v.op } : {}),
      ...(v.note ? { note: v.note } : {}),
      ...(v.trace?.loopStart !== undefined ? { loopStart: v.trace.loopStart } : {}),
    })),
    expect: o.config?.expect ? expectJSON(o.config.expect) : null,
    coverage: r && o.resolved ? coverageJSON(o.resolved.model, r) : null,
    regressions: o.regressions,
    ...(o.notComparable?.length ? { notComparable: o.notComparable } : {}),
    ...(o.traceErrors?.length ? { traceErrors: o.traceErrors } : {}),
    ...(o.shard ? { shard: { ...o.shard, traces: embeddedTraces(o.verdicts) } } : {}),
  };
}

function expectJSON(e: NonNullable<NonNullable<ModelOutcome['config']>['expect']>): Record<string, unknown> {
  const counts = Object.entries({ states: e.states, generated: e.generated, depth: e.depth }).filter(([, v]) => v !== undefined);
  return { ...e.verdicts, ...Object.fromEntries(counts) };
}

function simulationJSON(s: SimulationSummary): Record<string, unknown> {
  return {
    seed: s.seed,
    runs: s.runs,
    steps: s.steps,
    seconds: Number(s.seconds.toFixed(3)),
    distinct: s.distinct,
    depth: s.depth,
    depthLimit: s.depthLimit,
    stoppedBy: s.stoppedBy,
    neverTaken: s.neverTaken,
    repeat: s.repeat,
  };
}

/** Steps generated per action (faults included) and, with faults, the most of each kind on one path. */
function coverageJSON(model: Model, r: SearchResult): Record<string, unknown> {
  return {
    actions: Object.fromEntries(model.actions.map((a, i) => [a.name, r.actionSteps[i] ?? 0])),
    ...(model.faultPeaks ? { faultPeaks: { ...model.faultPeaks } } : {}),
    ...(model.warnings?.length ? { warnings: model.warnings } : {}),
  };
}

export function regressionJSON(outcomes: readonly ModelOutcome[], exitCode: number): Record<string, unknown> {
  return {
    exitCode,
    models: outcomes.length,
    asExpected: outcomes.filter((o) => o.regressions.length === 0).length,
    results: outcomes.map(outcomeJSON),
  };
}
