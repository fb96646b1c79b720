// The second spec level: processes that exchange messages (`defineProtocol`). A protocol compiles to
// a transition system whose state is every process's local state, the network, and (when the model
// file declares faults or the roles have timers) the fault budgets, crashed processes and timers.
import type { Domains, DomainValues, Label, ParamDecls, ParamValues, SpecDefinition, SystemDef } from '../core/spec.ts';
import type { TemporalOps } from '../core/temporal.ts';
import type { Type } from '../core/types.ts';
import { compileProtocol } from './compile.ts';
import type { Ctx, OneOf } from './context.ts';

export type { Ctx } from './context.ts';

/** What a handler or local action gives: the new local state, a choice of them (`oneOf(a, b)`), or
 *  null/undefined/false when it cannot happen now (a message that cannot be handled stays in flight).
 *  Return `s` itself to ignore a message. */
export type Handled<L> = L | OneOf<L> | null | undefined | false;

type TagOf<M> = M extends { readonly type: infer T extends string } ? T : never;
type CaseOf<M, T> = Extract<M, { readonly type: T }>;

export type Handler<L, X, M> = (s: L, msg: X, ctx: Ctx<M>) => Handled<L>;

export interface LocalParamAction<L, M, D extends Domains = Domains> {
  readonly params: D;
  readonly step: (s: L, p: DomainValues<D>, ctx: Ctx<M>) => Handled<L>;
}
export type LocalAction<L, M> = ((s: L, ctx: Ctx<M>) => Handled<L>) | LocalParamAction<L, M, any>;

/** A local action with parameters from finite domains: `local({ b: Ballot }, (s, { b }, ctx) => ...)`. */
export function local<L, M, D extends Domains>(params: D, step: (s: L, p: DomainValues<D>, ctx: Ctx<M>) => Handled<NoInfer<L>>): LocalParamAction<L, M, D> {
  return { params, step };
}

export interface RoleDef<L, M> {
  /** How many processes have this role. */
  readonly count: number;
  /** Initial local state, or a function of the process name and its index in the role. */
  readonly init: L | ((self: string, index: number) => L);
  readonly on?: { readonly [T in TagOf<M>]?: Handler<L, CaseOf<M, T>, M> };
  readonly actions?: Readonly<Record<string, LocalAction<L, M>>>;
  /** Timers: what the process does when one fires. A timer is armed with `ctx.setTimer(name)` and
   *  may fire at any later step while the process is up (there is no clock). A timer written as
   *  `{ fire, synchronous: true }` fires only when nothing else can happen (see TimerDef). */
  readonly timers?: Readonly<Record<string, TimerHandler<L, M> | TimerDef<L, M>>>;
  /** Timers armed in the initial state (and again when the process restarts). */
  readonly initTimers?: readonly string[];
  /** Fields that survive a crash (stable storage); the others come back as in `init` on restart. */
  readonly durable?: readonly (keyof L & string)[];
  /** Runs when a crashed process restarts, on its state after recovery (durable fields kept, the
   *  others as in `init`); may send and set timers. Returns the local state (null keeps it). */
  readonly onRestart?: (s: L, ctx: Ctx<M>) => L | null | undefined;
}

export type TimerHandler<L, M> = (s: L, ctx: Ctx<M>) => Handled<L>;

/** A timer with options. `synchronous: true` models a timeout in a synchronous system, where a timer
 *  outlasts every message delay and every step: it fires only in a state where no other step is
 *  possible (faults and other synchronous timers aside), so it never fires while a message that could
 *  still arrive is on its way. (Promela's `timeout` has this meaning.) Without it a timer is
 *  asynchronous: it may fire at any later step, so it cannot tell a slow process from a crashed one. */
export interface TimerDef<L, M> {
  readonly fire: TimerHandler<L, M>;
  readonly synchronous?: boolean;
}

export interface Role<L, M> {
  readonly state: Type<L>;
  readonly def: RoleDef<L, M>;
}

/** A role: its message type, its declared local state type, and what its processes do. */
export function role<M, L>(messages: Type<M>, state: Type<L>, def: NoInfer<RoleDef<L, M>>): Role<L, M> {
  void messages;
  return { state, def };
}

type LocalOf<R> = R extends Role<infer L, any> ? L : never;
/** What protocol() asks of a role, without naming its local state type: a constraint that named it
 *  (Role<any, M>) would make TypeScript infer `any` for the local state of a role written inline,
 *  and the state would go untyped in its local actions. */
export interface RoleLike {
  readonly state: unknown;
  readonly def: { readonly count: number };
}
/** The global state: each role's processes by name, the network, and with faults or timers the
 *  crashed processes (`down`), the armed timers per process, the partition and the fault budgets used. */
export type Global<R extends Record<string, RoleLike>> = { readonly [K in keyof R]: Readonly<Record<string, LocalOf<R[K]>>> } & {
  readonly network: unknown;
  /** The crashed processes (only when the model file declares `crash`). */
  readonly down?: readonly string[];
  /** The armed timers of each process (only when some role has timers). */
  readonly timers?: Readonly<Record<string, readonly string[]>>;
  /** One side of the current partition, empty when there is none (only with `partition`). */
  readonly partition?: readonly string[];
  /** How many faults of each kind happened so far (only with faults). */
  readonly faults?: Readonly<Record<string, number>>;
};

export interface ProtocolDef<M, R extends Record<string, RoleLike>> {
  readonly messages: Type<M>;
  readonly roles: R;
  /** Most messages in flight at once (default 12; raised by the `duplicate` budget). Going over it is
   *  reported as a spec error. */
  readonly capacity?: number;
  readonly invariants?: Readonly<Record<string, ((g: Global<R>) => boolean) | { holds: (g: Global<R>) => boolean; says?: string }>>;
  readonly steps?: Readonly<Record<string, ((a: Global<R>, b: Global<R>, step: Label) => boolean) | { holds: (a: Global<R>, b: Global<R>, step: Label) => boolean; says?: string }>>;
  readonly terminal?: ((g: Global<R>) => boolean) | { holds: (g: Global<R>) => boolean; says?: string };
  /** State constraints (TLC's CONSTRAINT): a state outside one is counted and checked against the
   *  invariants but not explored further; the report says the proof is bounded by it. */
  readonly constraints?: Readonly<Record<string, ((g: Global<R>) => boolean) | { holds: (g: Global<R>) => boolean; says?: string }>>;
  /** Temporal properties: a record, or a function of the operators (`(op) => ({ x: op.eventually((g)
   *  => ...) })`), whose predicates TypeScript then types by the roles (in a record written inline,
   *  it cannot: write `eventually<G>(...)` there). */
  readonly properties?: SystemDef<Global<R>>['properties'] | ((op: TemporalOps<Global<R>>) => NonNullable<SystemDef<Global<R>>['properties']>);
  readonly fairness?: SystemDef<Global<R>>['fairness'];
}

export interface Protocol {
  readonly protocol: ProtocolDef<any, Record<string, Role<any, any>>>;
}

export function protocol<M, R extends Record<string, RoleLike>>(def: ProtocolDef<M, R> & { roles: R }): Protocol {
  return { protocol: def as ProtocolDef<any, any> };
}

export interface ProtocolInput<P extends ParamDecls> {
  readonly name: string;
  readonly description?: string;
  readonly params?: P;
  /** Builds the protocol for one choice of parameters; return `protocol({ messages, roles, ... })`. */
  readonly build: (params: ParamValues<P>) => Protocol;
}

export function defineProtocol<P extends ParamDecls>(input: ProtocolInput<P>): SpecDefinition<ParamValues<P>> {
  return {
    kind: 'protocol',
    name: input.name,
    description: input.description,
    params: input.params ?? {},
    instantiate: (params, options) => {
      const built = input.build(params) as Partial<Protocol> | undefined;
      if (!built || typeof built.protocol !== 'object') {
        throw new Error(`build() of protocol ${input.name} must return protocol({ messages, roles, ... }), not ${built === undefined ? 'undefined' : typeof built}`);
      }
      return compileProtocol(input.name, built.protocol, options?.network ?? 'unordered', options?.faults ?? {});
    },
  };
}

/** The crashed processes of a global state (none when the model declares no crash). */
export function crashed(g: { readonly down?: readonly string[] }): readonly string[] {
  return g.down ?? [];
}
