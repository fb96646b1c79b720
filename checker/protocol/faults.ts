// Faults declared in the model file, compiled to actions. A fault is a step of its own with a label
// that says what happened (`crash acceptor2`, `drop p1 -> a2: Accept(...)`); its budget is counted in
// the state (`faults: { crash: 1, ... }`), so every placement of every declared fault is explored and
// two paths to a state always carry the same number of faults.
import { UnplacedConfigError } from '../core/errors.ts';
import type { CompiledAction, FaultModel, Label } from '../core/spec.ts';
import { t, type EnumType, type MapType, type Type } from '../core/types.ts';
import type { Context } from './context.ts';
import type { ProtocolDef, Role } from './define.ts';
import type { Network } from './network.ts';

type AnyGlobal = Record<string, any> & { readonly network: unknown };

export interface FaultState {
  /** Some fault has a budget above 0. */
  readonly declared: boolean;
  readonly crash?: { readonly max: number; readonly pids: readonly string[] };
  readonly restart?: { readonly max: number; readonly pids: readonly string[] };
  readonly drop?: { readonly max: number; readonly tags?: ReadonlySet<string> };
  readonly duplicate?: { readonly max: number; readonly tags?: ReadonlySet<string> };
  readonly partition?: { readonly max: number; readonly cuts: readonly (readonly string[])[] };
  /** The fault fields of the initial state. */
  readonly initial: Readonly<Record<string, unknown>>;
  isDown(g: AnyGlobal, pid: string): boolean;
  /** A message from `from` to `to` cannot cross the current partition. */
  blocked(g: AnyGlobal, from: string, to: string): boolean;
  /** How many faults led to this state. */
  used(g: AnyGlobal): number;
  /** Per kind, the most faults of that kind seen on one path. */
  readonly peaks: Record<string, number>;
  readonly warnings: readonly string[];
}

const MAX_PARTITIONED = 16;

/** Checks the declared faults against the protocol and prepares what the actions need. */
export function normalizeFaults(model: FaultModel, def: ProtocolDef<any, Record<string, Role<any, any>>>, byRole: Readonly<Record<string, readonly string[]>>): FaultState {
  const roleNames = Object.keys(byRole);
  const warnings: string[] = [];
  const rolesOf = (kind: 'crash' | 'restart', roles: readonly string[] | undefined, dflt: readonly string[]): string[] => {
    (roles ?? []).forEach((r, i) => {
      if (!roleNames.includes(r)) {
        throw new UnplacedConfigError('MC112', `faults.${kind}.roles names role '${r}', which the protocol does not have (roles: ${roleNames.join(', ')})`, ['faults', kind, 'roles', i],
          `use one of ${roleNames.join(', ')}`);
      }
      if (byRole[r].length === 0) warnings.push(`faults.${kind}: role ${r} has no processes, so none of it can ${kind}`);
    });
    return (roles ?? dflt).flatMap((r) => byRole[r]);
  };
  const tags = (def.messages as { tags?: readonly string[] }).tags;
  const tagsOf = (kind: 'drop' | 'duplicate', messages: readonly string[] | undefined): ReadonlySet<string> | undefined => {
    if (messages === undefined) return undefined;
    messages.forEach((m, i) => {
      if (!tags?.includes(m)) {
        throw new UnplacedConfigError('MC112', `faults.${kind}.messages names '${m}', which is not a message of the protocol (messages: ${tags?.join(', ') ?? 'not a t.variant'})`,
          ['faults', kind, 'messages', i], tags ? `use one of ${tags.join(', ')}` : 'declare the messages with t.variant({ Tag: {...} }) to select them by tag');
      }
    });
    return new Set(messages);
  };

  const on = <K extends keyof FaultModel>(k: K): NonNullable<FaultModel[K]> | undefined => (model[k] && model[k]!.max > 0 ? model[k]! : undefined);
  const crashDecl = on('crash');
  const restartDecl = on('restart');
  const crash = crashDecl && { max: crashDecl.max, pids: rolesOf('crash', crashDecl.roles, roleNames) };
  if (restartDecl && !crash) {
    throw new UnplacedConfigError('MC112', 'faults.restart needs faults.crash: only a crashed process can restart', ['faults', 'restart'],
      'add crash: { max: N, roles: [...] } beside restart');
  }
  const restart = restartDecl && { max: restartDecl.max, pids: rolesOf('restart', restartDecl.roles, crashDecl?.roles ?? roleNames) };
  for (const pid of restart?.pids ?? []) {
    if (!crash!.pids.includes(pid)) {
      const r = roleNames.find((x) => byRole[x].includes(pid))!;
      throw new UnplacedConfigError('MC112', `faults.restart applies to role ${r}, which faults.crash does not let crash`, ['faults', 'restart', 'roles'],
        `add ${r} to crash.roles, or remove it from restart.roles`);
    }
  }
  const dropDecl = on('drop');
  const dupDecl = on('duplicate');
  const partDecl = on('partition');
  const all = roleNames.flatMap((r) => byRole[r]);
  if (partDecl && all.length > MAX_PARTITIONED) {
    throw new UnplacedConfigError('MC112', `faults.partition: ${all.length} processes have too many ways to be cut in two (at most ${MAX_PARTITIONED} processes)`, ['faults', 'partition'],
      'use fewer processes with partitions');
  }
  if (partDecl && all.length < 2) warnings.push('faults.partition: a partition needs at least 2 processes, so none can happen');

  const initial: Record<string, unknown> = {};
  if (crash) initial.down = [];
  if (partDecl) initial.partition = [];
  const budgets = Object.entries({ crash, restart, drop: dropDecl, duplicate: dupDecl, partition: partDecl }).filter(([, v]) => v !== undefined) as [string, { max: number }][];
  if (budgets.length) initial.faults = Object.fromEntries(budgets.map(([k]) => [k, 0]));
  const budgetNames = budgets.map(([k]) => k);

  return {
    declared: budgets.length > 0,
    crash,
    restart,
    drop: dropDecl && { max: dropDecl.max, tags: tagsOf('drop', dropDecl.messages) },
    duplicate: dupDecl && { max: dupDecl.max, tags: tagsOf('duplicate', dupDecl.messages) },
    partition: partDecl && { max: partDecl.max, cuts: cutsOf(all) },
    initial,
    isDown: crash ? (g, pid) => (g.down as readonly string[]).includes(pid) : () => false,
    blocked: partDecl
      ? (g, from, to) => {
          const side = g.partition as readonly string[];
          return side.length > 0 && side.includes(from) !== side.includes(to);
        }
      : () => false,
    used: (g) => {
      let n = 0;
      for (const k of budgetNames) n += g.faults[k] as number;
      return n;
    },
    peaks: Object.fromEntries(budgetNames.map((k) => [k, 0])),
    warnings,
  };
}

/** Every way to cut the processes in two non-empty groups, as the group holding the first process. */
function cutsOf(all: readonly string[]): string[][] {
  const out: string[][] = [];
  const rest = all.slice(1);
  for (let mask = 0; mask < 2 ** rest.length - 1; mask++) out.push([all[0], ...rest.filter((_, i) => Math.floor(mask / 2 ** i) % 2 === 1)]);
  return out;
}

/** The state fields the faults need: crashed processes, the partition, the budgets used. */
export function faultFields(f: FaultState, Pid: EnumType<string>): Record<string, Type<any>> {
  const fields: Record<string, Type<any>> = {};
  if (f.crash) fields.down = t.set(Pid);
  if (f.partition) fields.partition = t.set(Pid);
  const budgets: Record<string, Type<any>> = {};
  for (const k of ['crash', 'restart', 'drop', 'duplicate', 'partition'] as const) {
    const decl = f[k];
    if (decl) budgets[k] = t.int(0, decl.max);
  }
  if (Object.keys(budgets).length) fields.faults = t.record(budgets);
  return fields;
}

export interface FaultContext {
  readonly def: ProtocolDef<any, Record<string, Role<any, any>>>;
  readonly net: Network;
  readonly ctx: Context;
  readonly roleOf: ReadonlyMap<string, string>;
  readonly timerMap?: MapType<string, readonly string[]>;
  initLocal(pid: string): unknown;
  initTimers(pid: string): readonly string[];
  /** The successor after process `pid` of role `r` ran with the context's sends and timer ops. */
  after(g: AnyGlobal, r: string, pid: string, l: unknown, network: unknown, armed?: readonly string[]): AnyGlobal;
}

/** One compiled action per declared fault kind (and `heal` with partitions), in a fixed order. */
export function faultActions(f: FaultState, fc: FaultContext): CompiledAction<AnyGlobal>[] {
  const out: CompiledAction<AnyGlobal>[] = [];
  const spend = (g: AnyGlobal, kind: string): Record<string, number> => {
    const n = (g.faults[kind] as number) + 1;
    if (n > f.peaks[kind]) f.peaks[kind] = n;
    return { ...g.faults, [kind]: n };
  };
  const action = (name: string, expand: CompiledAction<AnyGlobal>['expand']): CompiledAction<AnyGlobal> => {
    const a: CompiledAction<AnyGlobal> = { name, current: undefined, expand };
    out.push(a);
    return a;
  };

  if (f.crash) {
    const { max, pids } = f.crash;
    const labels = pids.map((pid): Label => ({ action: 'crash', params: {}, process: pid, fault: 'crash' }));
    const a = action('crash', (g, emit) => {
      if (g.faults.crash >= max) return;
      for (const label of labels) {
        const pid = label.process!;
        if ((g.down as readonly string[]).includes(pid)) continue;
        a.current = label;
        // A crashed process's timers are gone; its local state stays as it was (history variables
        // and properties may read it) and is reset to its durable part if it restarts.
        const timers = fc.timerMap ? { timers: fc.timerMap.with(g.timers, pid, []) } : {};
        emit(label, { ...g, ...timers, down: [...(g.down as readonly string[]), pid], faults: spend(g, 'crash') });
      }
    });
  }
  if (f.restart) {
    const { max, pids } = f.restart;
    const labels = pids.map((pid): Label => ({ action: 'restart', params: {}, process: pid, fault: 'restart' }));
    const a = action('restart', (g, emit) => {
      if (g.faults.restart >= max) return;
      for (const label of labels) {
        const pid = label.process!;
        const down = g.down as readonly string[];
        if (!down.includes(pid)) continue;
        a.current = label;
        const r = fc.roleOf.get(pid)!;
        const rd = fc.def.roles[r].def;
        const fresh = fc.initLocal(pid);
        const old = g[r][pid] as Record<string, unknown>;
        const durable = rd.durable ?? [];
        const recovered = durable.length ? { ...(fresh as object), ...Object.fromEntries(durable.map((k) => [k, old[k]])) } : fresh;
        const base = { ...g, down: down.filter((x) => x !== pid), faults: spend(g, 'restart') };
        const hook = rd.onRestart;
        const armed = fc.initTimers(pid);
        fc.ctx.reset(pid, '').runAll((l: unknown, _x: undefined, c) => (hook ? (hook(l, c) ?? l) : l), recovered, undefined, {
          take: (l) => emit(label, fc.after(base, r, pid, l, g.network, armed)),
        });
      }
    });
  }
  for (const kind of ['drop', 'duplicate'] as const) {
    const decl = f[kind];
    if (!decl) continue;
    const { max, tags } = decl;
    const each = kind === 'drop' ? fc.net.forEachDroppable : fc.net.forEachDuplicable;
    const a = action(kind, (g, emit) => {
      if (g.faults[kind] >= max) return;
      each.call(fc.net, g.network, (e, network) => {
        if (tags && !tags.has((e.msg as { type: string }).type)) return;
        const label: Label = { action: kind, params: { from: e.from, to: e.to, msg: e.msg }, process: e.to, message: e.msg, fault: kind };
        a.current = label;
        emit(label, { ...g, network, faults: spend(g, kind) });
      });
    });
  }
  if (f.partition) {
    const { max, cuts } = f.partition;
    const all = [...fc.roleOf.keys()];
    const labels = cuts.map((side): Label => ({ action: 'partition', params: { groups: [side, all.filter((p) => !side.includes(p))] }, fault: 'partition' }));
    const a = action('partition', (g, emit) => {
      if ((g.partition as readonly string[]).length > 0 || g.faults.partition >= max) return;
      for (let i = 0; i < cuts.length; i++) {
        a.current = labels[i];
        emit(labels[i], { ...g, partition: cuts[i], faults: spend(g, 'partition') });
      }
    });
    const heal: Label = { action: 'heal', params: {}, fault: 'heal' };
    action('heal', (g, emit) => {
      if ((g.partition as readonly string[]).length > 0) emit(heal, { ...g, partition: [] });
    });
  }
  return out;
}
