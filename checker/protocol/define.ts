// The second spec level: processes that exchange messages (`defineProtocol`). A protocol compiles to
// a transition system whose state is every process's local state plus the network.
import { SpecError } from '../core/errors.ts';
import { combinations, showParam, type CompiledAction, type Domains, type DomainValues, type Label, type Model, type ParamDecls, type ParamValues, type SpecDefinition, type SystemDef, compileSystem } from '../core/spec.ts';
import { t, type MapType, type Type } from '../core/types.ts';
import { networkFor, type Envelope, type Network, type NetworkKind } from './network.ts';

/** What a handler or local action gives: the new local state, or null/undefined/false when it cannot
 *  happen now (a message that cannot be handled stays in flight). Return `s` itself to ignore a message. */
export type Handled<L> = L | null | undefined | false;

/** What a process can do while it handles a message or runs a local action. */
export interface Ctx<M> {
  /** This process, e.g. `acceptor1`. */
  readonly self: string;
  /** This process's index within its role, from 0 (`acceptor1` has index 0). */
  readonly index: number;
  /** The sender of the message being handled (empty in local actions). */
  readonly from: string;
  send(to: string, msg: M): void;
  /** Sends to every process of a role (itself included when it has that role). */
  broadcast(role: string, msg: M): void;
  /** The processes of a role, in order. */
  peers(role: string): readonly string[];
}

type TagOf<M> = M extends { readonly type: infer T extends string } ? T : never;
type CaseOf<M, T> = Extract<M, { readonly type: T }>;

export type Handler<L, X, M> = (s: L, msg: X, ctx: Ctx<M>) => Handled<L>;

export interface LocalParamAction<L, M, D extends Domains = Domains> {
  readonly params: D;
  readonly step: (s: L, p: DomainValues<D>, ctx: Ctx<M>) => Handled<L>;
}
export type LocalAction<L, M> = ((s: L, ctx: Ctx<M>) => Handled<L>) | LocalParamAction<L, M, any>;

/** A local action with parameters from finite domains: `local({ b: Ballot }, (s, { b }, ctx) => ...)`. */
export function local<L, M, D extends Domains>(params: D, step: (s: L, p: DomainValues<D>, ctx: Ctx<M>) => Handled<L>): LocalParamAction<L, M, D> {
  return { params, step };
}

export interface RoleDef<L, M> {
  /** How many processes have this role. */
  readonly count: number;
  /** Initial local state, or a function of the process name and its index in the role. */
  readonly init: L | ((self: string, index: number) => L);
  readonly on?: { readonly [T in TagOf<M>]?: Handler<L, CaseOf<M, T>, M> };
  readonly actions?: Readonly<Record<string, LocalAction<L, M>>>;
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
/** The global state: each role's processes by name, and the network. */
export type Global<R extends Record<string, Role<any, any>>> = { readonly [K in keyof R]: Readonly<Record<string, LocalOf<R[K]>>> } & {
  readonly network: unknown;
};

export interface ProtocolDef<M, R extends Record<string, Role<any, M>>> {
  readonly messages: Type<M>;
  readonly roles: R;
  /** Most messages in flight at once (default 12). Going over it is reported as a spec error. */
  readonly capacity?: number;
  readonly invariants?: Readonly<Record<string, ((g: Global<R>) => boolean) | { holds: (g: Global<R>) => boolean; says?: string }>>;
  readonly steps?: Readonly<Record<string, ((a: Global<R>, b: Global<R>, step: Label) => boolean) | { holds: (a: Global<R>, b: Global<R>, step: Label) => boolean; says?: string }>>;
  readonly terminal?: ((g: Global<R>) => boolean) | { holds: (g: Global<R>) => boolean; says?: string };
  readonly properties?: SystemDef<Global<R>>['properties'];
  readonly fairness?: SystemDef<Global<R>>['fairness'];
}

export interface Protocol {
  readonly protocol: ProtocolDef<any, Record<string, Role<any, any>>>;
}

export function protocol<M, R extends Record<string, Role<any, M>>>(def: ProtocolDef<M, R> & { roles: R }): Protocol {
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
      return compileProtocol(input.name, built.protocol, options?.network ?? 'unordered');
    },
  };
}

// --- compilation ---------------------------------------------------------------------------------

type AnyGlobal = Record<string, any> & { readonly network: unknown };

interface ProcessInfo {
  readonly pid: string;
  readonly role: string;
}

/** Collects what a handler sends. */
class Context implements Ctx<unknown> {
  self = '';
  index = 0;
  from = '';
  sent: Envelope[] = [];
  constructor(
    private readonly byRole: Readonly<Record<string, readonly string[]>>,
    private readonly indexOf: ReadonlyMap<string, number>,
  ) {}
  send(to: string, msg: unknown): void {
    this.sent.push({ from: this.self, to, msg });
  }
  broadcast(role: string, msg: unknown): void {
    const ps = this.byRole[role];
    if (!ps) throw new Error(`broadcast to unknown role ${role}`);
    for (const to of ps) this.sent.push({ from: this.self, to, msg });
  }
  peers(role: string): readonly string[] {
    const ps = this.byRole[role];
    if (!ps) throw new Error(`unknown role ${role}`);
    return ps;
  }
  reset(self: string, from: string): this {
    this.self = self;
    this.index = this.indexOf.get(self)!;
    this.from = from;
    this.sent = [];
    return this;
  }
}

export function compileProtocol(name: string, def: ProtocolDef<any, Record<string, Role<any, any>>>, kind: NetworkKind): Model {
  const roleNames = Object.keys(def.roles);
  if (roleNames.includes('network')) throw new Error('a role may not be called "network"');
  const byRole: Record<string, string[]> = {};
  const procs: ProcessInfo[] = [];
  for (const r of roleNames) {
    const n = def.roles[r].def.count;
    byRole[r] = Array.from({ length: n }, (_, i) => `${r}${i + 1}`);
    for (const pid of byRole[r]) procs.push({ pid, role: r });
  }
  const roleOf = new Map(procs.map((p) => [p.pid, p.role]));
  const Pid = t.enum(...procs.map((p) => p.pid));
  const net: Network = networkFor(kind, Pid, def.messages, def.capacity ?? 12);

  const fields: Record<string, Type<any>> = {};
  const roleMaps: Record<string, MapType<string, unknown>> = {};
  for (const r of roleNames) fields[r] = roleMaps[r] = t.map(t.enum(...byRole[r]), def.roles[r].state);
  fields.network = net.type;
  const Global = t.record(fields) as unknown as Type<AnyGlobal>;

  const initial: Record<string, unknown> = {};
  for (const r of roleNames) {
    const { init } = def.roles[r].def;
    initial[r] = Object.fromEntries(byRole[r].map((pid, i) => [pid, typeof init === 'function' ? (init as (p: string, i: number) => unknown)(pid, i) : init]));
  }
  initial.network = net.empty;

  const ctx = new Context(byRole, new Map(roleNames.flatMap((r) => byRole[r].map((pid, i) => [pid, i] as const))));
  // The global state with one process's local state and the network replaced, as one object
  // literal of a fixed shape per role (several times faster than spreads with computed keys).
  const replaceRole: Record<string, (g: AnyGlobal, locals: unknown, network: unknown) => AnyGlobal> = {};
  for (const r of roleNames) {
    const parts = [...roleNames.map((x) => `${JSON.stringify(x)}: ${x === r ? 'locals' : `g[${JSON.stringify(x)}]`}`), 'network: network'];
    replaceRole[r] = new Function('g', 'locals', 'network', `return { ${parts.join(', ')} };`) as (typeof replaceRole)[string];
  }
  const withLocal = (g: AnyGlobal, role: string, pid: string, l: unknown, network: unknown): AnyGlobal =>
    replaceRole[role](g, roleMaps[role].with(g[role], pid, l), network);
  const addSent = (network: unknown): unknown => {
    for (const e of ctx.sent) {
      if (!roleOf.has(e.to)) throw new SpecError('protocol', `${ctx.self} sends to ${JSON.stringify(e.to)}, which is not a process (processes: ${procs.map((p) => p.pid).join(', ')})`);
    }
    return net.addAll(network, ctx.sent);
  };

  // Local actions: one compiled action per role and action name, over every process of the role.
  const locals: CompiledAction<AnyGlobal>[] = [];
  for (const r of roleNames) {
    for (const [an, la] of Object.entries(def.roles[r].def.actions ?? {})) {
      const paramSets = typeof la === 'function' ? [{}] : combinations(la.params);
      const step = typeof la === 'function' ? (s: unknown, _p: unknown, c: Ctx<unknown>) => la(s, c) : la.step;
      const labels = byRole[r].flatMap((pid) => paramSets.map((p): Label => ({ action: an, params: p, process: pid })));
      const compiled: CompiledAction<AnyGlobal> = {
        name: `${r}.${an}`,
        current: undefined,
        expand(g, emit) {
          for (const label of labels) {
            compiled.current = label;
            const pid = label.process!;
            const l = step(g[r][pid], label.params, ctx.reset(pid, ''));
            if (!l) continue;
            emit(label, withLocal(g, r, pid, l, addSent(g.network)));
          }
        },
      };
      locals.push(compiled);
    }
  }
  // Delivery: any deliverable message (unordered) or channel head (fifo) may be handled next.
  const deliver: CompiledAction<AnyGlobal> = {
    name: 'deliver',
    current: undefined,
    expand(g, emit) {
      net.forEachDeliverable(g.network, (e, rest) => {
        const role = roleOf.get(e.to)!;
        const handler = (def.roles[role].def.on as Record<string, Handler<unknown, unknown, unknown>> | undefined)?.[(e.msg as { type: string }).type];
        const label: Label = { action: 'deliver', params: { from: e.from, to: e.to, msg: e.msg }, process: e.to, message: e.msg };
        deliver.current = label;
        if (!handler) {
          throw new SpecError('protocol', `${e.to} (role ${role}) has no handler for ${def.messages.show(e.msg)} sent by ${e.from}`, {
            action: showProtocolLabel(def.messages)(label),
            hint: `add on.${(e.msg as { type: string }).type} to role ${role}, or do not send it that message`,
          });
        }
        const l = handler(g[role][e.to], e.msg, ctx.reset(e.to, e.from));
        if (!l) return;
        emit(label, withLocal(g, role, e.to, l, addSent(rest)));
      });
    },
  };

  const model = compileSystem<AnyGlobal>(name, {
    state: Global,
    init: initial as AnyGlobal,
    actions: {},
    invariants: def.invariants as SystemDef<AnyGlobal>['invariants'],
    steps: def.steps as SystemDef<AnyGlobal>['steps'],
    terminal: def.terminal as SystemDef<AnyGlobal>['terminal'],
    properties: def.properties as SystemDef<AnyGlobal>['properties'],
    fairness: def.fairness,
  });
  return { ...model, actions: [...locals, deliver], showLabel: showProtocolLabel(def.messages) };
}
/** `proposer1: start(b=1)` for local actions, `proposer1 -> acceptor2: Prepare(bal=1)` for deliveries. */
export function showProtocolLabel(messages: Type<any>): (label: Label) => string {
  return (label) => {
    if (label.action === 'deliver' && label.message !== undefined) {
      return `${String(label.params.from)} -> ${String(label.params.to)}: ${messages.show(label.message)}`;
    }
    const ps = Object.entries(label.params).map(([k, v]) => `${k}=${showParam(v)}`);
    const call = ps.length ? `${label.action}(${ps.join(', ')})` : label.action;
    return label.process ? `${label.process}: ${call}` : call;
  };
}
