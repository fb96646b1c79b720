// The trace file: versioned JSON. A trace names the spec, the resolved model and the property it
// violates, and lists every step (action label, process, message, state).
import { createHash } from 'node:crypto';
import type { FaultModel, Label, Model } from '../core/spec.ts';
import type { FairnessDecl, TemporalOp } from '../core/temporal.ts';
import type { PathStep } from './rebuild.ts';

export const TRACE_FORMAT = 'tsmc-trace';
/** Version 2 adds lassos (`loopStart`, `fairness`) for temporal properties; version 1 files still replay. */
export const TRACE_VERSION = 2;
export const TRACE_VERSIONS_READ: readonly number[] = [1, 2];

export type PropertyKind = 'invariant' | 'step' | 'deadlock' | 'temporal';

export interface TraceStepJSON {
  readonly index: number;
  /** `init` for step 0. */
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly process?: string;
  readonly message?: unknown;
  /** Set on fault steps: crash, restart, drop, duplicate, partition, heal. */
  readonly fault?: string;
  /** The label as printed, e.g. `RMPrepare(rm=r1)`; replay matches steps by it. */
  readonly label: string;
  readonly state: unknown;
}

export interface TraceFile {
  readonly format: typeof TRACE_FORMAT;
  readonly version: number;
  /** Paths are relative to the trace file's folder. */
  readonly model: {
    readonly name: string;
    readonly file?: string;
    readonly spec: string;
    readonly export: string;
    readonly params: Readonly<Record<string, unknown>>;
    readonly network?: string;
    readonly faults?: FaultModel;
  };
  /** `path` for a path saved by `explore` that need not violate anything. */
  readonly property: { readonly name: string; readonly kind: PropertyKind | 'path'; readonly says?: string; readonly op?: TemporalOp };
  readonly seed: number | null;
  /** Temporal properties: the fairness the run assumed (the spec's with the model file's changes). */
  readonly fairness?: readonly FairnessDecl[];
  /** A lasso: the index of the step where the loop starts; the last state equals that step's state
   *  (when it is the last step, the behaviour stutters there for ever). Absent for a finite trace. */
  readonly loopStart?: number;
  readonly steps: readonly TraceStepJSON[];
}

export function stepsToJSON(model: Model, path: readonly PathStep[]): TraceStepJSON[] {
  return path.map((p, index) => {
    const label: Label = p.label ?? { action: 'init', params: {} };
    return {
      index,
      action: label.action,
      params: JSON.parse(JSON.stringify(label.params)) as Record<string, unknown>,
      ...(label.process !== undefined ? { process: label.process } : {}),
      ...(label.message !== undefined ? { message: label.message } : {}),
      ...(label.fault !== undefined ? { fault: label.fault } : {}),
      label: p.label ? model.showLabel(p.label) : 'init',
      state: model.type.toJSON(p.state),
    };
  });
}

/** A short, stable hash of a trace's steps, for its file name. */
export function traceHash(steps: readonly TraceStepJSON[]): string {
  const h = createHash('sha256');
  for (const s of steps) h.update(`${s.label}\n${JSON.stringify(s.state)}\n`);
  return h.digest('hex').slice(0, 4);
}
