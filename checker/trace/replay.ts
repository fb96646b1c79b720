// Replay: re-execute a saved trace against the current spec, step by step. A step that is no longer
// possible, or that now gives another state, is named; so is a property that no longer fails.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, SpecError } from '../core/errors.ts';
import { diff, showChanges } from '../core/diff.ts';
import type { Label, Model } from '../core/spec.ts';
import type { ModelConfig } from '../config/model.ts';
import { resolveModel } from '../config/resolve.ts';
import { expandAll } from '../explore/search.ts';
import { forbiddenCallError, guarded } from '../explore/guard.ts';
import { describeThrown } from '../explore/purity.ts';
import { EXIT } from '../run/exit-codes.ts';
import { canonical, type PathStep } from './rebuild.ts';
import { concludeTemporal } from './replay-lasso.ts';
import { TRACE_FORMAT, TRACE_VERSION, TRACE_VERSIONS_READ, type TraceFile } from './format.ts';

export interface ReplayOutcome {
  readonly exitCode: number;
  /** The steps that replayed (all of them when the trace still matches). */
  readonly path: readonly PathStep[];
  readonly model?: Model;
  readonly trace?: TraceFile;
  /** What went wrong, in words (divergence, a property that now holds, a bad file). */
  readonly problem?: string;
  /** The conclusion when everything matched. */
  readonly summary?: string;
}

function readTrace(file: string): TraceFile {
  if (!existsSync(file)) throw new ConfigError('MC201', `no such trace file`, { file }, 'give the path of a trace written by `check` (under traces/)');
  let j: unknown;
  try {
    j = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError('MC202', `not a trace file: ${(e as Error).message}`, { file }, 'a trace is the JSON file `check` writes for a counterexample');
  }
  const t = j as Partial<TraceFile>;
  if (typeof j !== 'object' || j === null || t.format !== TRACE_FORMAT) {
    throw new ConfigError('MC202', `not a trace file (no "format": "${TRACE_FORMAT}")`, { file }, 'a trace is the JSON file `check` writes for a counterexample');
  }
  if (!TRACE_VERSIONS_READ.includes(t.version as number)) {
    const hint = TRACE_VERSIONS_READ.map(String).includes(String(t.version)) ? `write "version": ${String(t.version)}, a number` : 'run `check` again to write the trace anew';
    throw new ConfigError('MC203', `trace format version ${JSON.stringify(t.version) ?? 'missing'} is not supported (this checker reads versions ${TRACE_VERSIONS_READ.join(' and ')}, writes ${TRACE_VERSION})`, { file }, hint);
  }
  const bad = traceShapeProblem(t);
  if (bad) throw new ConfigError('MC202', `the trace file is malformed: ${bad}`, { file }, 'a trace is the JSON file `check` writes for a counterexample; run `check` again to write it anew');
  return t as TraceFile;
}

const NETWORKS: readonly string[] = ['unordered', 'fifo'];
const KINDS: readonly string[] = ['invariant', 'step', 'deadlock', 'temporal', 'path'];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with the shape of a parsed trace file, in words, or undefined. */
function traceShapeProblem(t: Partial<TraceFile>): string | undefined {
  const m = t.model as unknown;
  if (!isRecord(m)) return '"model" is missing or not an object';
  if (typeof m.name !== 'string') return '"model.name" is not a string';
  if (typeof m.spec !== 'string') return '"model.spec" is not a string';
  if (m.export !== undefined && typeof m.export !== 'string') return '"model.export" is not a string';
  if (m.params !== undefined && !isRecord(m.params)) return '"model.params" is not an object';
  if (m.network !== undefined && !NETWORKS.includes(m.network as string)) return `"model.network" is ${JSON.stringify(m.network)}, not one of ${NETWORKS.join(', ')}`;
  if (m.faults !== undefined && !isRecord(m.faults)) return '"model.faults" is not an object';
  const p = t.property as unknown;
  if (!isRecord(p)) return '"property" is missing or not an object';
  if (typeof p.name !== 'string') return '"property.name" is not a string';
  if (typeof p.kind !== 'string' || !KINDS.includes(p.kind)) return `"property.kind" is ${JSON.stringify(p.kind) ?? 'missing'}, not one of ${KINDS.join(', ')}`;
  if (!Array.isArray(t.steps) || t.steps.length === 0) return '"steps" is missing or empty';
  for (let k = 0; k < t.steps.length; k++) {
    const st = t.steps[k] as unknown;
    if (!isRecord(st)) return `step ${k} is not an object`;
    if (typeof st.label !== 'string') return `step ${k} has no "label" string`;
    if (!('state' in st)) return `step ${k} has no "state"`;
  }
  return undefined;
}

/** A model config standing for the trace's recorded model, so the usual resolution validates it. */
function configOf(file: string, trace: TraceFile): ModelConfig {
  const module = resolve(dirname(file), trace.model.spec);
  if (!existsSync(module)) throw new ConfigError('MC204', `the trace's spec ${module} does not exist`, { file }, 'was the spec moved or renamed? fix "model.spec" in the trace');
  return {
    file,
    name: trace.model.name,
    spec: { module, export: trace.model.export ?? 'default' },
    params: trace.model.params ?? {},
    network: trace.model.network as ModelConfig['network'],
    faults: trace.model.faults,
    check: { deadlock: trace.property.kind === 'deadlock' },
    search: { strategy: 'bfs', stopAtFirst: false, checkSpec: false },
    locate: () => undefined,
  };
}

/** A model-file error about the trace's recorded model, restated in the trace's own keys: there is
 *  no model file to edit, the trace's "model" block is what no longer fits the spec. */
function asTraceError(file: string, e: ConfigError): ConfigError {
  const key = e.where.key;
  if (!key) return e;
  const name = key[0] === 'spec' ? (e.code === 'MC107' ? 'model.export' : 'model.spec') : `model.${key.join('.')}`;
  const again = 'or run `check` on the model file again to write the trace anew';
  const hints: Record<string, string> = {
    MC107: `fix "model.export" in the trace (the module's exports that are specs are listed above), ${again}`,
    MC110: `the spec is not a protocol any more: remove "model.network" from the trace, ${again}`,
    MC111: `the spec is not a protocol any more: remove "model.faults" from the trace, ${again}`,
  };
  const hint = hints[e.code] ?? `${e.hint ? `${e.hint}; ` : ''}fix "${name}" in the trace, ${again}`;
  return new ConfigError(e.code, `the trace's "${name}": ${e.message}`, { file }, hint);
}

export interface ReplayOptions {
  /** Also check that the last step still violates the trace's property (default true). */
  readonly conclude?: boolean;
}

export async function replayTrace(file: string, options: ReplayOptions = {}): Promise<ReplayOutcome> {
  let trace: TraceFile;
  let model: Model;
  try {
    trace = readTrace(file);
    model = (await resolveModel(configOf(file, trace)).catch((e: unknown) => {
      throw e instanceof ConfigError ? asTraceError(file, e) : e;
    })).model;
  } catch (e) {
    if (e instanceof ConfigError) return { exitCode: EXIT.config, path: [], problem: e.format() };
    if (e instanceof SpecError) return { exitCode: EXIT.spec, path: [], problem: `spec error: ${e.message}` };
    throw e;
  }
  const path: PathStep[] = [];
  const diverged = (problem: string): ReplayOutcome => ({ exitCode: EXIT.regression, path, model, trace, problem });
  // The spec runs with the clock and randomness guarded, as in the search.
  return guarded(() => {
    try {
      const steps = trace.steps;
      const recorded = (k: number): unknown => model.type.fromJSON(steps[k].state);
      const fits = (k: number): string | undefined => {
        const state = recorded(k);
        const why = model.type.explain(state, 'state');
        if (why) return `step ${k} (${steps[k].label}): the recorded state no longer fits the spec's state type: ${why}`;
        // Decoding keeps only what the type declares: a recorded field or process it drops means the
        // trace is of another model (an extra process, a renamed field), not a match.
        const extra = extraPath(steps[k].state, model.type.toJSON(state), 'state');
        return extra && `step ${k} (${steps[k].label}): the recorded state has ${extra}, which the spec's state type does not declare`;
      };

      const bad0 = fits(0);
      if (bad0) return diverged(bad0);
      const first = canonical(model, recorded(0));
      const init = model.init.map((s) => canonical(model, s)).find((c) => c.hi === first.hi && c.lo === first.lo);
      if (!init) {
        const now = canonical(model, model.init[0]).state;
        return diverged(`step 0 (init): the recorded initial state is not an initial state of the spec any more; the spec's first initial state differs in:\n${indentChanges(model, first.state, now)}`);
      }
      path.push({ label: null, state: init.state });

      for (let k = 1; k < steps.length; k++) {
        const bad = fits(k);
        if (bad) return diverged(bad);
        const want = canonical(model, recorded(k));
        const cur = path[k - 1].state;
        const sameLabel: { label: Label; state: unknown; hi: number; lo: number }[] = [];
        const enabled = new Set<string>();
        expandAll(model, model.actions, cur, (label, next) => {
          const shown = model.showLabel(label);
          enabled.add(shown);
          if (shown === steps[k].label) sameLabel.push({ label, ...canonical(model, next) });
        });
        if (sameLabel.length === 0) {
          const list = [...enabled].slice(0, 12).join('; ') || 'none: the state has no successor';
          return diverged(`step ${k} (${steps[k].label}) is no longer possible at this state.\n  steps possible here: ${list}`);
        }
        const match = sameLabel.find((c) => c.hi === want.hi && c.lo === want.lo);
        if (!match) {
          return diverged(`step ${k} (${steps[k].label}) now gives another state; compared with the recorded one:\n${indentChanges(model, want.state, sameLabel[0].state)}`);
        }
        path.push({ label: match.label, state: match.state });
      }
      if (options.conclude === false) return { exitCode: EXIT.ok, path, model, trace, summary: `replayed ${path.length - 1} steps` };
      return concludes(model, trace, path);
    } catch (e) {
      if (e instanceof SpecError) return { exitCode: EXIT.spec, path, model, trace, problem: `spec error (${e.code}) while replaying step ${path.length}: ${e.message}` };
      throw e;
    }
  });
}

function indentChanges(model: Model, a: unknown, b: unknown): string {
  return showChanges(diff(model.type, a, b)).map((l) => `    ${l}`).join('\n');
}

/** Runs a property of the spec; what it throws becomes a spec error, as in the search. */
function specCall<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw forbiddenCallError(e, what) ?? new SpecError('throw', `${what} threw ${describeThrown(e)}`, { action: what, cause: e });
  }
}

/** Checks that the replayed path still violates the trace's property. */
function concludes(model: Model, trace: TraceFile, path: PathStep[]): ReplayOutcome {
  const { name, kind } = trace.property;
  const last = path[path.length - 1];
  const n = path.length - 1;
  const base = { path, model, trace };
  const now = (problem: string): ReplayOutcome => ({ ...base, exitCode: EXIT.regression, problem });
  if (kind === 'invariant') {
    const inv = model.invariants.find((p) => p.name === name);
    if (!inv) return now(`the spec no longer has an invariant named ${name}`);
    if (specCall(`invariant ${name}`, () => inv.holds(last.state))) return now(`the trace replays, but ${name} now holds in its last state (step ${n})`);
    return { ...base, exitCode: EXIT.ok, summary: `replayed ${n} steps: ${name} is violated at step ${n}, as recorded` };
  }
  if (kind === 'path') return { ...base, exitCode: EXIT.ok, summary: `replayed ${n} steps (a path saved by explore)` };
  if (kind === 'step') {
    const p = model.steps.find((x) => x.name === name);
    if (!p) return now(`the spec no longer has a step property named ${name}`);
    if (n === 0 || specCall(`step property ${name}`, () => p.holds(path[n - 1].state, last.state, last.label!))) return now(`the trace replays, but step ${n} no longer violates ${name}`);
    return { ...base, exitCode: EXIT.ok, summary: `replayed ${n} steps: step ${n} violates ${name}, as recorded` };
  }
  if (kind === 'temporal') {
    const c = concludeTemporal(model, trace, path);
    return c.ok ? { ...base, exitCode: EXIT.ok, summary: c.summary } : now(c.problem);
  }
  if (kind !== 'deadlock') return now(`the trace's property kind ${JSON.stringify(kind)} is not one replay knows`);
  let successors = 0;
  // As in the search, fault steps do not count: a state where only a fault can happen is stuck.
  expandAll(model, model.actions, last.state, (label) => {
    if (label.fault === undefined) successors++;
  });
  if (successors > 0) return now(`the trace replays, but its last state has ${successors} successor(s) now: no deadlock`);
  if (model.terminal && specCall('terminal', () => model.terminal!(last.state))) return now('the trace replays, but its last state is now declared terminal');
  return { ...base, exitCode: EXIT.ok, summary: `replayed ${n} steps: the last state is a deadlock, as recorded` };
}

/** The first path present in the recorded JSON but not in its re-encoding (`state.acceptor.acceptor4`). */
function extraPath(recorded: unknown, canonical: unknown, at: string): string | undefined {
  if (typeof recorded !== 'object' || recorded === null || typeof canonical !== 'object' || canonical === null) return undefined;
  if (Array.isArray(recorded)) {
    if (!Array.isArray(canonical)) return undefined;
    for (let i = 0; i < Math.min(recorded.length, canonical.length); i++) {
      const e = extraPath(recorded[i], canonical[i], `${at}[${i}]`);
      if (e) return e;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(recorded)) {
    if (!Object.hasOwn(canonical, k)) return `${at}.${k}`;
    const e = extraPath(v, (canonical as Record<string, unknown>)[k], `${at}.${k}`);
    if (e) return e;
  }
  return undefined;
}
