// Checkpoints: the state of a search saved to a folder now and then, on Ctrl-C/SIGTERM and when it
// stops for memory, so that `check --resume DIR` continues it with the same final counts and verdicts.
// A checkpoint is three files: the visited set, the frontier (both numbered by the checkpoint's
// sequence) and `checkpoint.json`, which names them; it is written to a temporary file and renamed
// last, so a crash at any moment leaves the previous complete checkpoint in force.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import type { Label, Model } from '../core/spec.ts';
import { displayPath } from '../config/load.ts';
import type { ModelConfig } from '../config/model.ts';
import type { ResolvedModel } from '../config/resolve.ts';
import { readFrontier, readStore, writeFrontier, writeStore } from '../explore/checkpoint-io.ts';
import type { FingerprintSet } from '../explore/fp-set.ts';
import type { Frontier } from '../explore/frontier.ts';
import { expandAll, type SearchCounters, type SearchRun, type SliceHooks, type Violation } from '../explore/search.ts';
import { canonical, rebuildPath } from '../trace/rebuild.ts';

export const CHECKPOINT_FORMAT = 'tsmc-checkpoint';
export const CHECKPOINT_VERSION = 1;
const INDEX = 'checkpoint.json';

export interface CheckpointSettings {
  /** The folder (created when missing). */
  readonly dir: string;
  /** Seconds between two periodic checkpoints. */
  readonly every: number;
  /** Continue from the checkpoint in `dir` instead of starting afresh. */
  readonly resume: boolean;
}

/** What a checkpoint belongs to: resuming with anything else here different is refused. */
export interface CheckpointIdentity {
  readonly model: string;
  readonly spec: string;
  readonly export: string;
  /** sha256 of the spec module's text. */
  readonly specHash: string;
  readonly params: unknown;
  readonly network?: string;
  readonly faults?: unknown;
  readonly options: {
    readonly strategy: string;
    readonly maxStates: number | null;
    readonly maxDepth: number | null;
    readonly stopAtFirst: boolean;
    readonly deadlock: boolean;
    readonly invariants: readonly string[] | null;
    readonly steps: readonly string[] | null;
    readonly constraints: readonly string[];
    /** search.symmetry: the stored states are its canonical representatives. */
    readonly symmetry: readonly string[];
  };
}

/** A violation as saved: the step of a step violation by its label's text and the successor's fingerprint. */
type SavedViolation = Omit<Violation, 'step'> & { readonly step?: { readonly label: string; readonly hi: number; readonly lo: number } };

interface CheckpointIndex {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: number;
  readonly seq: number;
  readonly written: string;
  readonly reason: CheckpointReason;
  readonly identity: CheckpointIdentity;
  readonly store: { readonly file: string; readonly states: number };
  readonly frontier: { readonly file: string; readonly entries: number };
  readonly counters: Omit<SearchCounters, 'violations' | 'pending'> & { readonly violations: readonly SavedViolation[]; readonly pending: readonly SavedViolation[] };
}

export type CheckpointReason = 'periodic' | 'interrupted' | 'memory-limit';

export function checkpointIdentity(config: ModelConfig, resolved: ResolvedModel, options: { strategy: string; maxStates?: number; maxDepth?: number; stopAtFirst?: boolean; constraints: readonly string[] }): CheckpointIdentity {
  return {
    model: displayPath(config.file),
    spec: displayPath(config.spec.module),
    export: config.spec.export,
    specHash: createHash('sha256').update(readFileSync(config.spec.module)).digest('hex'),
    params: resolved.params,
    ...(config.network ? { network: config.network } : {}),
    ...(config.faults ? { faults: config.faults } : {}),
    options: {
      strategy: options.strategy,
      maxStates: options.maxStates ?? null,
      maxDepth: options.maxDepth ?? null,
      stopAtFirst: options.stopAtFirst ?? false,
      deadlock: config.check.deadlock,
      invariants: config.check.invariants ?? null,
      steps: config.check.steps ?? null,
      constraints: options.constraints,
      symmetry: [...(config.search.symmetry ?? [])].sort(),
    },
  };
}

/** What differs between the run a checkpoint belongs to and this one, in words (empty: none). */
export function identityDifferences(saved: CheckpointIdentity, now: CheckpointIdentity): string[] {
  const out: string[] = [];
  const show = (v: unknown) => (v === undefined ? 'none' : JSON.stringify(v));
  const cmp = (what: string, a: unknown, b: unknown) => {
    if (show(a) !== show(b)) out.push(`${what} was ${show(a)}, now ${show(b)}`);
  };
  cmp('the model file', saved.model, now.model);
  cmp('the spec module', saved.spec, now.spec);
  cmp('the spec export', saved.export, now.export);
  if (saved.specHash !== now.specHash) out.push(`the spec ${now.spec} changed since the checkpoint (its content hash was ${saved.specHash.slice(0, 12)}, now ${now.specHash.slice(0, 12)})`);
  cmp('params', saved.params, now.params);
  cmp('network', saved.network, now.network);
  cmp('faults', saved.faults, now.faults);
  for (const k of Object.keys(now.options) as (keyof CheckpointIdentity['options'])[]) cmp(k === 'deadlock' ? 'check.deadlock' : k === 'symmetry' ? 'search.symmetry' : k, saved.options[k], now.options[k]);
  return out;
}

/** Saves the search now and then, and when it is stopped; `saved` tells the last one written. */
export class Checkpointer {
  private seq = 0;
  private next: number;
  private run: SearchRun | undefined;
  saved: { readonly reason: CheckpointReason; readonly states: number } | undefined;

  constructor(
    private readonly settings: CheckpointSettings,
    private readonly identity: CheckpointIdentity,
    private readonly model: Model,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(settings.dir, { recursive: true });
    this.seq = previousSeq(settings.dir);
    this.next = now() + settings.every * 1000;
  }

  readonly hooks: SliceHooks = {
    started: (run) => {
      this.run = run;
    },
    between: (run) => {
      if (this.now() >= this.next) this.save(run, 'periodic');
    },
    stopping: (run) => this.save(run, 'interrupted'),
  };

  /** For SearchOptions.onMemoryLimit. */
  readonly onMemoryLimit = (): void => {
    if (this.run) this.save(this.run, 'memory-limit');
  };

  save(run: SearchRun, reason: CheckpointReason): void {
    const { counters, store, frontier } = run.save();
    const seq = ++this.seq;
    const dir = this.settings.dir;
    const storeFile = `store-${seq}.bin`;
    const frontierFile = `frontier-${seq}.bin`;
    writeStore(join(dir, storeFile), store);
    const entries = writeFrontier(join(dir, frontierFile), frontier);
    const index: CheckpointIndex = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      seq,
      written: new Date().toISOString(),
      reason,
      identity: this.identity,
      store: { file: storeFile, states: store.size },
      frontier: { file: frontierFile, entries },
      counters: { ...counters, violations: counters.violations.map((v) => saveViolation(this.model, v)), pending: counters.pending.map((v) => saveViolation(this.model, v)) },
    };
    const tmp = join(dir, `${INDEX}.tmp`);
    writeFileSync(tmp, `${JSON.stringify(index, null, 1)}\n`, { flush: true });
    renameSync(tmp, join(dir, INDEX));
    // The previous checkpoint's files are no longer named by the index.
    for (const f of readdirSync(dir)) if (/^(store|frontier)-\d+\.bin$/.test(f) && f !== storeFile && f !== frontierFile) unlinkSync(join(dir, f));
    this.saved = { reason, states: store.size };
    this.next = this.now() + this.settings.every * 1000;
  }
}

function previousSeq(dir: string): number {
  try {
    return (JSON.parse(readFileSync(join(dir, INDEX), 'utf8')) as CheckpointIndex).seq ?? 0;
  } catch {
    return 0;
  }
}

/** MC151: no checkpoint in the folder, or not one this version can read. */
function unreadable(dir: string, why: string): ConfigError {
  return new ConfigError('MC151', `no checkpoint to resume in ${dir}: ${why}`, { file: dir }, 'give the folder a run wrote with --checkpoint DIR (it holds checkpoint.json)');
}

/** Reads the checkpoint in `dir` into the empty `store` and `frontier`; the counters to resume with.
 *  MC150 when it belongs to another spec, model or options; MC151 when there is none or it is damaged. */
export function loadCheckpoint(dir: string, identity: CheckpointIdentity, model: Model, store: FingerprintSet, frontier: Frontier): { counters: SearchCounters; reason: CheckpointReason } {
  if (!existsSync(join(dir, INDEX))) throw unreadable(dir, existsSync(dir) ? 'it holds no checkpoint.json' : 'the folder does not exist');
  let index: CheckpointIndex;
  try {
    index = JSON.parse(readFileSync(join(dir, INDEX), 'utf8')) as CheckpointIndex;
  } catch (e) {
    throw unreadable(dir, `checkpoint.json is not JSON (${(e as Error).message})`);
  }
  if (index.format !== CHECKPOINT_FORMAT) throw unreadable(dir, 'checkpoint.json is not a tsmc checkpoint');
  if (index.version !== CHECKPOINT_VERSION) throw unreadable(dir, `it is version ${index.version}; this checker reads version ${CHECKPOINT_VERSION}`);
  const diff = identityDifferences(index.identity, identity);
  if (diff.length) {
    throw new ConfigError('MC150', `the checkpoint in ${dir} belongs to a different run: ${diff.join('; ')}`, { file: dir },
      'resume with the same model file, spec and options, or start afresh with --checkpoint (without --resume)');
  }
  try {
    readStore(join(dir, index.store.file), store, index.store.states);
    readFrontier(join(dir, index.frontier.file), frontier, index.frontier.entries);
  } catch (e) {
    throw unreadable(dir, `its files are damaged (${(e as Error).message})`);
  }
  const c = index.counters;
  return {
    counters: { ...c, violations: c.violations.map((v) => loadViolation(model, store, v)), pending: c.pending.map((v) => loadViolation(model, store, v)) },
    reason: index.reason,
  };
}

function saveViolation(model: Model, v: Violation): SavedViolation {
  if (!v.step) return v as SavedViolation;
  const { hi, lo } = canonical(model, v.step.next);
  return { ...v, step: { label: model.showLabel(v.step.label), hi, lo } };
}

/** A step violation's step is found again by re-executing the actions from the state before it. */
function loadViolation(model: Model, store: FingerprintSet, v: SavedViolation): Violation {
  const saved = v.step;
  if (!saved) return v as Violation;
  const path = rebuildPath(model, store, v.ordinal);
  let step: { label: Label; next: unknown } | undefined;
  expandAll(model, model.actions, path[path.length - 1].state, (label, next) => {
    if (step || model.showLabel(label) !== saved.label) return;
    const c = canonical(model, next);
    if (c.hi === saved.hi && c.lo === saved.lo) step = { label, next: c.state };
  });
  if (!step) throw new Error(`internal: the step ${saved.label} of a saved violation of ${v.property} was not found again`);
  return { ...v, step };
}

/** What check-model needs to run with checkpoints: the set and frontier (filled when resuming), the
 *  counters to resume with, and the checkpointer. MC152 with temporal properties (their state graph
 *  is not saved). */
export function prepareCheckpoint(
  settings: CheckpointSettings,
  identity: CheckpointIdentity,
  model: Model,
  parts: { readonly store: FingerprintSet; readonly frontier: Frontier; readonly temporal: number },
): { store: FingerprintSet; frontier: Frontier; resume?: SearchCounters; resumedFrom?: CheckpointReason; checkpointer: Checkpointer } {
  if (parts.temporal > 0) {
    throw new ConfigError('MC152', `checkpoints do not cover temporal properties yet (this model checks ${parts.temporal}): their state graph is not saved`, { file: identity.model },
      'run without --checkpoint/--resume, or check only the invariants with check.properties: [] in a copy of the model file');
  }
  const loaded = settings.resume ? loadCheckpoint(settings.dir, identity, model, parts.store, parts.frontier) : undefined;
  return { store: parts.store, frontier: parts.frontier, resume: loaded?.counters, resumedFrom: loaded?.reason, checkpointer: new Checkpointer(settings, identity, model) };
}

/** The command that continues a run from its checkpoint. */
export function resumeCommand(modelFile: string, dir: string, memory?: string): string {
  const q = (s: string) => (/^[\w./@:+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  return `npx check ${q(modelFile)} --resume ${q(dir)}${memory ? ` --memory ${memory}` : ''}`;
}
