// What partial-order reduction (checker/explore/por.ts) needs to know about a compiled protocol: which
// process each step belongs to, where a process's local state and timers sit in the global state,
// what the step that is running sends, which steps are synchronous timers, and the network's kind.
// The soundness argument that uses these facts is at the top of por.ts.
import type { Label } from '../core/spec.ts';
import type { Envelope, NetworkKind } from './network.ts';

export interface ProtocolStructure {
  /** Every process, in declaration order. */
  readonly processes: readonly string[];
  /** The role (a field of the global state) holding each process's local state. */
  readonly roleOf: ReadonlyMap<string, string>;
  readonly network: NetworkKind;
  /** The model file declares faults: a fault step depends on every other step, so POR stays off. */
  readonly faults: boolean;
  /** Some role has timers (the global state has a `timers` field). */
  readonly timers: boolean;
  /** True for the label of a synchronous timer: it may fire only where nothing else can happen, so
   *  it depends on every step; a state where one is enabled is expanded in full. */
  isSynchronousTimer(label: Label): boolean;
  /** What the step being emitted right now sent (valid inside the emit callback only). */
  sentNow(): readonly Envelope[];
  /** FIFO networks: whether the channel from -> to holds a message in the global state `g`. */
  channelBusy(g: unknown, from: string, to: string): boolean;
}

interface StructureInput {
  readonly procs: readonly string[];
  readonly roleOf: ReadonlyMap<string, string>;
  readonly network: NetworkKind;
  readonly faults: boolean;
  readonly timers: boolean;
  readonly syncTimers: readonly { readonly role: string; readonly timer: string }[];
  readonly sent: () => readonly Envelope[];
}

export function protocolStructure(input: StructureInput): ProtocolStructure {
  const sync = new Set(input.syncTimers.map((s) => `${s.role}\u0000${s.timer}`));
  return {
    processes: input.procs,
    roleOf: input.roleOf,
    network: input.network,
    faults: input.faults,
    timers: input.timers,
    isSynchronousTimer: (label) =>
      sync.size !== 0 && label.action === 'timeout' && label.fault === undefined && label.process !== undefined && sync.has(`${input.roleOf.get(label.process)}\u0000${String(label.params.timer)}`),
    sentNow: input.sent,
    channelBusy: (g, from, to) => {
      if (input.network !== 'fifo') return false;
      const q = (g as { network: Readonly<Record<string, readonly unknown[]>> }).network[`${from}->${to}`];
      return q !== undefined && q.length !== 0;
    },
  };
}
