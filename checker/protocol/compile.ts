// Compiles a protocol to a transition system: the global state is every role's processes, the
// network, and, when needed, the armed timers and the fault state; the actions are the local
// actions, timer firings, deliveries, and the fault steps the model file declares.
import { SpecError } from '../core/errors.ts';
import { TEMPORAL_OPS } from '../core/temporal.ts';
import { combinations, compileSystem, type CompiledAction, type FaultModel, type Label, type Model, type SystemDef } from '../core/spec.ts';
import { t, type MapType, type Type } from '../core/types.ts';
import { Context, type Ctx, type Sink } from './context.ts';
import type { Handler, ProtocolDef, Role } from './define.ts';
import { faultActions, faultFields, normalizeFaults } from './faults.ts';
import { RESERVED_ACTIONS } from './labels.ts';
import { showProtocolLabel } from './labels.ts';
import { networkFor, type NetworkKind } from './network.ts';
import { protocolStructure } from './independence.ts';

type AnyGlobal = Record<string, any> & { readonly network: unknown };
type Locals = Readonly<Record<string, unknown>>;

export function compileProtocol(name: string, def: ProtocolDef<any, Record<string, Role<any, any>>>, kind: NetworkKind, faultModel: FaultModel): Model {
  const roleNames = Object.keys(def.roles);
  for (const reserved of ['network', 'down', 'timers', 'partition', 'faults']) {
    if (roleNames.includes(reserved)) throw new Error(`a role may not be called "${reserved}"`);
  }
  for (const r of roleNames) {
    const bad = Object.keys(def.roles[r].def.actions ?? {}).find((a) => RESERVED_ACTIONS.includes(a));
    if (bad) throw new Error(`role ${r}: a local action may not be called "${bad}" (reserved for the steps the checker adds: ${RESERVED_ACTIONS.join(', ')})`);
  }
  const byRole: Record<string, string[]> = {};
  const procs: string[] = [];
  const roleOf = new Map<string, string>();
  for (const r of roleNames) {
    byRole[r] = Array.from({ length: def.roles[r].def.count }, (_, i) => `${r}${i + 1}`);
    for (const pid of byRole[r]) {
      procs.push(pid);
      roleOf.set(pid, r);
    }
  }
  const Pid = t.enum(...procs);
  const faults = normalizeFaults(faultModel, def, byRole);
  const capacity = (def.capacity ?? 12) + (faults.duplicate?.max ?? 0);
  const net = networkFor(kind, Pid, def.messages, capacity);

  // Timers: a set of armed timer names per process, only when some role declares timers.
  const timersOf: Record<string, string[]> = Object.fromEntries(roleNames.map((r) => [r, Object.keys(def.roles[r].def.timers ?? {})]));
  const timerNames = [...new Set(Object.values(timersOf).flat())];
  for (const r of roleNames) {
    for (const name of def.roles[r].def.initTimers ?? []) {
      if (!timersOf[r].includes(name)) throw new Error(`role ${r}: initTimers names ${JSON.stringify(name)}, which is not one of its timers (${timersOf[r].join(', ') || 'none'})`);
    }
  }
  const TimerSets = timerNames.length ? t.map(Pid, t.set(t.enum(...timerNames))) : undefined;

  const fields: Record<string, Type<any>> = {};
  const roleMaps: Record<string, MapType<string, unknown>> = {};
  for (const r of roleNames) fields[r] = roleMaps[r] = t.map(t.enum(...byRole[r]), def.roles[r].state);
  fields.network = net.type;
  if (TimerSets) fields.timers = TimerSets;
  Object.assign(fields, faultFields(faults, Pid));
  const Global = t.record(fields) as unknown as Type<AnyGlobal>;

  const initLocal = (pid: string): unknown => {
    const { init } = def.roles[roleOf.get(pid)!].def;
    return typeof init === 'function' ? (init as (p: string, i: number) => unknown)(pid, byRole[roleOf.get(pid)!].indexOf(pid)) : init;
  };
  const initTimers = (pid: string): readonly string[] => def.roles[roleOf.get(pid)!].def.initTimers ?? [];
  const initial: Record<string, unknown> = {};
  for (const r of roleNames) initial[r] = Object.fromEntries(byRole[r].map((pid) => [pid, initLocal(pid)]));
  initial.network = net.empty;
  if (TimerSets) initial.timers = Object.fromEntries(procs.map((pid) => [pid, initTimers(pid)]));
  Object.assign(initial, faults.initial);

  const ctx = new Context(byRole, new Map(roleNames.flatMap((r) => byRole[r].map((pid, i) => [pid, i] as const))), roleOf, timersOf, procs);
  const check = (): void => {
    for (const e of ctx.sent) {
      if (!roleOf.has(e.to)) throw new SpecError('protocol', `${ctx.self} sends to ${JSON.stringify(e.to)}, which is not a process (processes: ${procs.join(', ')})`);
    }
  };
  /** The armed timers of `pid` after the ops of the run that just ended, starting from `armed`. */
  const timersAfter = (armed: readonly string[]): readonly string[] => {
    if (ctx.timerOps.length === 0) return armed;
    const out = new Set(armed);
    for (const op of ctx.timerOps) {
      if (op.set) out.add(op.name);
      else out.delete(op.name);
    }
    return [...out];
  };
  // The global state with one process's local state, the network and its timers replaced, as one
  // object literal of a fixed shape per role (several times faster than spreads with computed keys).
  const others = Object.keys(fields).filter((f) => !roleNames.includes(f) && f !== 'network' && f !== 'timers');
  const replaceRole: Record<string, (g: AnyGlobal, locals: Locals, network: unknown, timers: unknown) => AnyGlobal> = {};
  for (const r of roleNames) {
    const parts = [
      ...roleNames.map((x) => `${JSON.stringify(x)}: ${x === r ? 'locals' : `g[${JSON.stringify(x)}]`}`),
      'network: network',
      ...(TimerSets ? ['timers: timers'] : []),
      ...others.map((f) => `${JSON.stringify(f)}: g[${JSON.stringify(f)}]`),
    ];
    replaceRole[r] = new Function('g', 'locals', 'network', 'timers', `return { ${parts.join(', ')} };`) as (typeof replaceRole)[string];
  }
  /** The successor after process `pid` of role `r` ran: its new local state, what it sent, the timers
   *  it set (`armed` is what they were before the ops), on network `network`. */
  const after = (g: AnyGlobal, r: string, pid: string, l: unknown, network: unknown, armed?: readonly string[]): AnyGlobal => {
    check();
    const timers = !TimerSets ? undefined : armed === undefined && ctx.timerOps.length === 0 ? g.timers : TimerSets.with(g.timers, pid, timersAfter(armed ?? g.timers[pid]));
    return replaceRole[r](g, roleMaps[r].with(g[r], pid, l), ctx.sent.length ? net.addAll(network, ctx.sent) : network, timers);
  };
  const isDown = faults.isDown;
  const blocked = faults.blocked;

  const show = showProtocolLabel(def.messages);
  type Emit = (label: Label, next: AnyGlobal) => void;
  /** Where the outcomes of one process's step go: set its fields, then run the step into it. */
  class StepSink implements Sink {
    g!: AnyGlobal;
    label!: Label;
    emit!: Emit;
    network: unknown;
    armed: readonly string[] | undefined;
    constructor(readonly role: string) {}
    at(g: AnyGlobal, label: Label, emit: Emit, network: unknown, armed?: readonly string[]): this {
      this.g = g;
      this.label = label;
      this.emit = emit;
      this.network = network;
      this.armed = armed;
      return this;
    }
    take(l: unknown): void {
      if (Array.isArray(l) && def.roles[this.role].state.kind === 'record') notOneOf(this.label);
      this.emit(this.label, after(this.g, this.role, this.label.process!, l, this.network, this.armed));
    }
  }

  const notOneOf = (label: Label): never => {
    throw new SpecError('protocol', `${show(label)} returns a list of local states: a handler returns one next state`, {
      action: show(label),
      hint: 'to give a choice of next states return oneOf(a, b) (from checker/index.ts), or choose with ctx.pick([...])',
    });
  };
  const actions: CompiledAction<AnyGlobal>[] = [];
  // Local actions: one compiled action per role and action name, over every process of the role.
  for (const r of roleNames) {
    for (const [an, la] of Object.entries(def.roles[r].def.actions ?? {})) {
      const paramSets = typeof la === 'function' ? [{}] : combinations(la.params);
      const step = typeof la === 'function' ? (s: unknown, _p: unknown, c: Ctx<unknown>) => la(s, c) : la.step;
      const labels = byRole[r].flatMap((pid) => paramSets.map((p): Label => ({ action: an, params: p, process: pid })));
      const sink = new StepSink(r);
      const compiled: CompiledAction<AnyGlobal> = {
        name: `${r}.${an}`,
        current: undefined,
        expand(g, emit) {
          for (const label of labels) {
            compiled.current = label;
            const pid = label.process!;
            if (isDown(g, pid)) continue;
            ctx.reset(pid, '').runAll(step, g[r][pid], label.params, sink.at(g, label, emit, g.network));
          }
        },
      };
      actions.push(compiled);
    }
  }
  // Timers: an armed timer of an up process may fire; it is disarmed as it fires. A synchronous timer
  // fires only where no other step is possible (see `quiet` below).
  const syncTimers: CompiledAction<AnyGlobal>[] = [];
  const syncTimerNames: { role: string; timer: string }[] = [];
  for (const r of roleNames) {
    for (const [tn, decl] of Object.entries(def.roles[r].def.timers ?? {})) {
      const handler = typeof decl === 'function' ? decl : decl.fire;
      const synchronous = typeof decl === 'object' && decl.synchronous === true;
      const labels = byRole[r].map((pid): Label => ({ action: 'timeout', params: { timer: tn }, process: pid }));
      const fire = (s: unknown, _x: unknown, c: Ctx<unknown>) => handler(s, c);
      const sink = new StepSink(r);
      const compiled: CompiledAction<AnyGlobal> = {
        name: `${r}.timeout.${tn}`,
        current: undefined,
        expand(g, emit) {
          for (const label of labels) {
            const pid = label.process!;
            const armed = g.timers[pid] as readonly string[];
            if (!armed.includes(tn) || isDown(g, pid)) continue;
            if (synchronous && !quiet(g)) return;
            compiled.current = label;
            ctx.reset(pid, '').runAll(fire, g[r][pid], undefined, sink.at(g, label, emit, g.network, armed.filter((x) => x !== tn)));
          }
        },
      };
      actions.push(compiled);
      if (synchronous) {
        syncTimers.push(compiled);
        syncTimerNames.push({ role: r, timer: tn });
      }
    }
  }
  // Delivery: any deliverable message (unordered) or channel head (fifo) to an up process, not
  // across a partition, may be handled next.
  const deliverSinks = Object.fromEntries(roleNames.map((r) => [r, new StepSink(r)]));
  const deliver: CompiledAction<AnyGlobal> = {
    name: 'deliver',
    current: undefined,
    expand(g, emit) {
      net.forEachDeliverable(g.network, (e, rest) => {
        if (isDown(g, e.to) || blocked(g, e.from, e.to)) return;
        const role = roleOf.get(e.to)!;
        const handler = (def.roles[role].def.on as Record<string, Handler<unknown, unknown, unknown>> | undefined)?.[(e.msg as { type: string }).type];
        const label: Label = { action: 'deliver', params: { from: e.from, to: e.to, msg: e.msg }, process: e.to, message: e.msg };
        deliver.current = label;
        if (!handler) {
          throw new SpecError('protocol', `${e.to} (role ${role}) has no handler for ${def.messages.show(e.msg)} sent by ${e.from}`, {
            action: show(label),
            hint: `add on.${(e.msg as { type: string }).type} to role ${role}, or do not send it that message`,
          });
        }
        ctx.reset(e.to, e.from).runAll(handler, g[role][e.to], e.msg, deliverSinks[role].at(g, label, emit, rest));
      });
    },
  };
  actions.push(deliver);

  /** No step but faults and synchronous timers is possible in `g`: every message that can arrive has
   *  arrived. Found by running the other actions until one gives a successor (kept for the last
   *  state asked about, since each synchronous timer asks). */
  const progressSteps = actions.filter((a) => !syncTimers.includes(a));
  const BUSY = Symbol('busy');
  const probe = (label: Label): void => {
    if (label.fault === undefined) throw BUSY;
  };
  let lastAsked: AnyGlobal | undefined;
  let lastQuiet = false;
  const quiet = (g: AnyGlobal): boolean => {
    if (g === lastAsked) return lastQuiet;
    lastAsked = g;
    lastQuiet = true;
    try {
      for (const a of progressSteps) a.expand(g, probe);
    } catch (e) {
      if (e !== BUSY) throw e;
      lastQuiet = false;
    }
    return lastQuiet;
  };
  actions.push(...faultActions(faults, { def, net, ctx, roleOf, timerMap: TimerSets, initLocal, initTimers, after }));

  const model = compileSystem<AnyGlobal>(name, {
    state: Global,
    init: initial as AnyGlobal,
    actions: {},
    invariants: def.invariants as SystemDef<AnyGlobal>['invariants'],
    steps: def.steps as SystemDef<AnyGlobal>['steps'],
    terminal: def.terminal as SystemDef<AnyGlobal>['terminal'],
    constraints: def.constraints as SystemDef<AnyGlobal>['constraints'],
    properties: (typeof def.properties === 'function' ? def.properties(TEMPORAL_OPS) : def.properties) as SystemDef<AnyGlobal>['properties'],
    fairness: def.fairness,
  });
  return {
    ...model,
    actions,
    showLabel: show,
    ...(faults.declared ? { faultsUsed: faults.used, faultPeaks: faults.peaks } : {}),
    warnings: faults.warnings,
    protocol: protocolStructure({ procs, roleOf, network: kind, faults: faults.declared, timers: TimerSets !== undefined, syncTimers: syncTimerNames, sent: () => ctx.sent }),
    symmetry: roleNames.map((r) => ({ name: r, values: byRole[r] })),
  };
}
