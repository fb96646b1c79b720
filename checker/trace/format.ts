// The trace file: versioned JSON. A trace names the spec, the resolved model and the property it
// violates, and lists every step (action label, process, message, state).
import { createHash } from 'node:crypto';
import type { FaultModel, Label, Model } from '../core/spec.ts';
import type { PathStep } from './rebuild.ts';

export const TRACE_FORMAT = 'tsmc-trace';
export const TRACE_VERSION = 1;

export type PropertyKind = 'invariant' | 'step' | 'deadlock';

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
  readonly property: { readonly name: string; readonly kind: PropertyKind; readonly says?: string };
  readonly seed: number | null;
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
