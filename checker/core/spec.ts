// The first spec level: a transition system over declared state types (`defineSpec`), and the
// instantiated form every consumer (search, replay, simulator) reads: a `Model`.
import { anyType } from './generic.ts';
import type { ProtocolStructure } from '../protocol/independence.ts';
import { valuesOf, type EnumType, type Infer, type IntType, type Type } from './types.ts';
import type { SymmetryDomain } from './symmetry.ts';
import { compileFairness, compileTemporal, type FairnessDecl, type FairnessDefs, type TemporalDef, type TemporalProperty } from './temporal.ts';

/** What an action gives: one successor, several, or none (disabled) as null / undefined / false. */
export type Successors<S> = S | readonly S[] | null | undefined | false;

export type Domains = Record<string, Type<any>>;
export type DomainValues<D extends Domains> = { readonly [K in keyof D]: Infer<D[K]> };

/** An action with parameters drawn from finite declared domains: it runs once per combination. */
export interface ParamAction<S, D extends Domains = Domains> {
  readonly params: D;
  readonly step: (s: S, p: DomainValues<D>) => Successors<S>;
}

export type Action<S> = ((s: S) => Successors<S>) | ParamAction<S, any>;

/** Declares an action `name(p1, p2, ...)` over finite domains: `action({ p: Proc }, (s, { p }) => ...)`. */
export function action<S, D extends Domains>(params: D, step: (s: S, p: DomainValues<D>) => Successors<S>): ParamAction<S, D> {
  return { params, step };
}

export type Predicate<S> = (s: S) => boolean;
export type StepPredicate<S> = (before: S, after: S, step: Label) => boolean;
/** A property as a function, or with a sentence that says what it means (printed in reports). */
export type Described<F> = F | { readonly holds: F; readonly says?: string };

export interface SystemDef<S> {
  /** The declared state type. Omit it to use the slower generic encoder. */
  readonly state?: Type<S>;
  readonly init: S | readonly S[];
  readonly actions: Readonly<Record<string, Action<S>>>;
  readonly invariants?: Readonly<Record<string, Described<Predicate<S>>>>;
  /** State constraints (TLC's CONSTRAINT): a reachable state outside one is counted and checked
   *  against the invariants but not expanded, so the proof is bounded by it. */
  readonly constraints?: Readonly<Record<string, Described<Predicate<S>>>>;
  readonly steps?: Readonly<Record<string, Described<StepPredicate<S>>>>;
  /** States where having no successor is legitimate (not a deadlock), with an optional sentence. */
  readonly terminal?: Described<Predicate<S>>;
  /** Temporal properties (liveness): `eventually(p)`, `leadsTo(p, q)`, `forEach({ i: Proc }, ...)`. */
  readonly properties?: Readonly<Record<string, TemporalDef<S>>>;
  /** Fairness: action name (or `*`) -> 'weak' | 'strong' | { kind, per }; per action instance by default. */
  readonly fairness?: FairnessDefs;
  /** Domains whose values are interchangeable (`symmetry: { RM }`), which a model file may declare
   *  symmetric (`search.symmetry: [RM]`): an enum (its values are permuted wherever an enum holds
   *  them) or an int range (permuted where that very type is used). */
  readonly symmetry?: Readonly<Record<string, EnumType<string> | IntType>>;
}

const SYSTEM_KEYS = ['state', 'init', 'actions', 'invariants', 'constraints', 'steps', 'terminal', 'properties', 'fairness', 'symmetry'];

export interface ParamDecl<T> {
  readonly type: Type<T>;
  readonly default: T;
}
export type ParamDecls = Record<string, ParamDecl<any>>;
export type ParamValues<P extends ParamDecls> = { readonly [K in keyof P]: P[K] extends ParamDecl<infer T> ? T : never };

/** A model parameter: its type (checked against the YAML) and its default. */
export function param<T>(type: Type<T>, value: T): ParamDecl<T> {
  return { type, default: value };
}

// --- the instantiated model ---------------------------------------------------------------------

/** One step's label: which action, with which parameters (and, for protocols, process and message). */
export interface Label {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly process?: string;
  readonly message?: unknown;
  readonly fault?: string;
}

export interface CompiledAction<S> {
  readonly name: string;
  /** The label being run, kept up to date so an exception can be reported with its parameters. */
  current?: Label;
  /** Calls `emit` for every successor of `s`, in a deterministic order. */
  expand(s: S, emit: (label: Label, next: S) => void): void;
}

export interface Invariant<S> {
  readonly name: string;
  readonly says?: string;
  readonly holds: Predicate<S>;
}

export interface StepProperty<S> {
  readonly name: string;
  readonly says?: string;
  readonly holds: StepPredicate<S>;
}

/** A spec instantiated with parameters: what the search, replay and simulator consume. */
export interface Model<S = any> {
  readonly name: string;
  readonly type: Type<S>;
  /** True when the state type is declared (fast encoder), false for the generic encoder. */
  readonly declared: boolean;
  readonly init: readonly S[];
  readonly actions: readonly CompiledAction<S>[];
  readonly invariants: readonly Invariant<S>[];
  /** State constraints (see SystemDef.constraints); absent when the spec declares none. */
  readonly constraints?: readonly Invariant<S>[];
  readonly steps: readonly StepProperty<S>[];
  readonly terminal?: Predicate<S>;
  /** What the terminal states are, in words (`says:` of `terminal`). */
  readonly terminalSays?: string;
  /** Temporal properties, families expanded (none when absent). */
  readonly properties?: readonly TemporalProperty<S>[];
  /** Fairness declared by the spec. */
  readonly fairness?: readonly FairnessDecl[];
  /** Renders a label: `RMPrepare(rm=r1)`. */
  showLabel(label: Label): string;
  /** Protocols with faults: how many fault steps led to a state (the same on every path to it,
   *  since the fault budgets are part of the state). The search prefers counterexamples with fewer. */
  readonly faultsUsed?: (s: S) => number;
  /** Protocols with faults: per fault kind, the most faults of that kind on one path so far. */
  readonly faultPeaks?: Readonly<Record<string, number>>;
  /** Things the model declares that can never happen (a fault on a role without processes...). */
  readonly warnings?: readonly string[];
  /** Protocols: what partial-order reduction needs to know about their steps. */
  readonly protocol?: ProtocolStructure;
  /** Domains a model file may declare symmetric (`search.symmetry`): a spec's `symmetry: { ... }`,
   *  a protocol's roles (their process names). */
  readonly symmetry?: readonly SymmetryDomain[];
}

/** The faults a model file declares (`faults:`); a fault that is not declared never happens.
 *  Each `max` counts faults of that kind in total, over every process and message it applies to. */
export interface FaultModel {
  /** Crash-stop: the process takes no further step (unless `restart` brings it back). */
  readonly crash?: { readonly max: number; readonly roles?: readonly string[] };
  /** Crash-recovery: a crashed process comes back with its durable fields. */
  readonly restart?: { readonly max: number; readonly roles?: readonly string[] };
  /** Message omission: a message in flight is lost. */
  readonly drop?: { readonly max: number; readonly messages?: readonly string[] };
  /** A message in flight is delivered twice. */
  readonly duplicate?: { readonly max: number; readonly messages?: readonly string[] };
  /** The processes are cut in two groups; messages across the cut wait until `heal`. */
  readonly partition?: { readonly max: number };
}

export const FAULT_KINDS = ['crash', 'restart', 'drop', 'duplicate', 'partition'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface InstantiateOptions {
  readonly network?: 'unordered' | 'fifo';
  readonly faults?: FaultModel;
}

/** What a spec module exports. */
export interface SpecDefinition<P = any> {
  readonly kind: 'spec' | 'protocol';
  readonly name: string;
  readonly description?: string;
  readonly params: ParamDecls;
  instantiate(params: P, options?: InstantiateOptions): Model;
}

export function isSpecDefinition(v: unknown): v is SpecDefinition {
  return (
    typeof v === 'object' && v !== null && ((v as SpecDefinition).kind === 'spec' || (v as SpecDefinition).kind === 'protocol') &&
    typeof (v as SpecDefinition).instantiate === 'function'
  );
}

/** The body of a spec with its declared state type: `system(State, { init, actions, invariants })`.
 *  Without a type (`system<MyState>({ ... })`) the state is encoded by the slower generic encoder. */
export function system<S, const A extends string = string>(
  state: Type<S>,
  def: NoInfer<Omit<SystemDef<S>, 'state' | 'steps'>> & {
    readonly actions: Partial<Readonly<Record<A, unknown>>>;
    /** Step properties; `step.action` is one of the action names. */
    readonly steps?: Readonly<Record<string, Described<(before: NoInfer<S>, after: NoInfer<S>, step: Label & { readonly action: NoInfer<A> }) => boolean>>>;
  },
): System;
export function system<S>(def: Omit<SystemDef<S>, 'state'>): System;
export function system<S>(a: Type<S> | Omit<SystemDef<S>, 'state'>, b?: Omit<SystemDef<S>, 'state'>): System {
  return { system: b === undefined ? (a as SystemDef<S>) : { ...b, state: a as Type<S> } };
}

/** What `system()` returns: opaque, so that the state type is inferred from the declared type alone. */
export interface System {
  readonly system: SystemDef<any>;
}

// --- defineSpec --------------------------------------------------------------------------------

export interface SpecInput<P extends ParamDecls> {
  readonly name: string;
  readonly description?: string;
  readonly params?: P;
  /** Builds the system for one choice of parameters; return `system(State, { ... })`. */
  readonly build: (params: ParamValues<P>) => System;
}

export function defineSpec<P extends ParamDecls>(input: SpecInput<P>): SpecDefinition<ParamValues<P>> {
  return {
    kind: 'spec',
    name: input.name,
    description: input.description,
    params: input.params ?? {},
    instantiate: (params) => {
      const built = input.build(params) as Partial<System> | undefined;
      if (!built || typeof built.system !== 'object') {
        throw new Error(`build() of spec ${input.name} must return system(State, { init, actions, ... }), not ${built === undefined ? 'undefined' : typeof built}`);
      }
      return compileSystem(input.name, built.system);
    },
  };
}

/** Every combination of values of the domains, in a fixed order. */
export function combinations(domains: Domains): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [k, type] of Object.entries(domains)) {
    const values = valuesOf(type);
    const next: Record<string, unknown>[] = [];
    for (const o of out) for (const v of values) next.push({ ...o, [k]: v });
    out = next;
  }
  return out;
}

function describedList<F>(defs: Readonly<Record<string, Described<F>>> | undefined): { name: string; says?: string; holds: F }[] {
  return Object.entries(defs ?? {}).map(([name, d]) =>
    typeof d === 'function' ? { name, holds: d as F } : { name, says: (d as { says?: string }).says, holds: (d as { holds: F }).holds },
  );
}

function compileAction<S>(name: string, def: Action<S>): CompiledAction<S> {
  if (typeof def === 'function') {
    const label: Label = { action: name, params: {} };
    return {
      name,
      current: label,
      expand(s, emit) {
        const r = def(s);
        if (!r) return;
        if (Array.isArray(r)) for (const x of r as readonly S[]) emit(label, x);
        else emit(label, r as S);
      },
    };
  }
  const labels: Label[] = combinations(def.params).map((p) => ({ action: name, params: p }));
  const step = def.step;
  return {
    name,
    current: undefined,
    expand(s, emit) {
      for (let i = 0; i < labels.length; i++) {
        const label = labels[i];
        this.current = label;
        const r = step(s, label.params);
        if (!r) continue;
        if (Array.isArray(r)) for (const x of r as readonly S[]) emit(label, x);
        else emit(label, r as S);
      }
    },
  };
}

/** Renders a value for a label: strings bare, everything else compactly. */
export function showParam(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

export function showLabel(label: Label): string {
  const ps = Object.entries(label.params).map(([k, v]) => `${k}=${showParam(v)}`);
  return ps.length ? `${label.action}(${ps.join(', ')})` : label.action;
}

export function compileSystem<S>(name: string, def: SystemDef<S>): Model<S> {
  for (const k of Object.keys(def)) {
    if (!SYSTEM_KEYS.includes(k)) throw new Error(`unknown key '${k}' in the system of ${name} (expected one of: ${SYSTEM_KEYS.slice(1).join(', ')})`);
  }
  const type = def.state ?? (anyType as Type<S>);
  const init = Array.isArray(def.init) ? (def.init as readonly S[]) : [def.init as S];
  return {
    name,
    type,
    declared: def.state !== undefined,
    init,
    actions: Object.entries(def.actions).map(([n, a]) => compileAction(n, a)),
    invariants: describedList(def.invariants),
    constraints: describedList(def.constraints),
    steps: describedList(def.steps),
    terminal: typeof def.terminal === 'object' ? def.terminal.holds : def.terminal,
    terminalSays: typeof def.terminal === 'object' ? def.terminal.says : undefined,
    properties: compileTemporal(def.properties),
    fairness: compileFairness(def.fairness),
    showLabel,
    ...(def.symmetry ? { symmetry: symmetryDomains(name, def.symmetry) } : {}),
  };
}

function symmetryDomains(spec: string, decl: NonNullable<SystemDef<unknown>['symmetry']>): SymmetryDomain[] {
  return Object.entries(decl).map(([name, type]) => {
    const kind = (type as { kind?: unknown } | undefined)?.kind;
    if (kind !== 'enum' && kind !== 'int') throw new Error(`symmetry.${name} of spec ${spec} must be a t.enum(...) or t.int(lo, hi) type`);
    return kind === 'int' ? { name, values: (type as IntType).values, type: type as IntType } : { name, values: (type as EnumType<string>).values };
  });
}
