// Network semantics for protocols: how messages in flight are kept and which may be delivered next.
//   unordered: a bag (multiset) of envelopes; any one may be delivered next.
//   fifo:      a queue per channel (sender -> receiver); only the head of a channel may be delivered.
import { SpecError } from '../core/errors.ts';
import { SHARED_VALUES, t, type EnumType, type Type } from '../core/types.ts';

export type NetworkKind = 'unordered' | 'fifo';

export interface Envelope {
  readonly from: string;
  readonly to: string;
  readonly msg: unknown;
}

export interface Network {
  readonly kind: NetworkKind;
  readonly type: Type<any>;
  readonly empty: unknown;
  /** The network with the messages added. */
  addAll(net: unknown, sent: readonly Envelope[]): unknown;
  /** Calls `fn` with every message that may be delivered next and the network without it. */
  forEachDeliverable(net: unknown, fn: (e: Envelope, rest: unknown) => void): void;
  /** Calls `fn` with every message in flight that may be lost and the network without it: any
   *  message of the bag; on FIFO channels, a message at any position of its queue. */
  forEachDroppable(net: unknown, fn: (e: Envelope, rest: unknown) => void): void;
  /** Calls `fn` with every message in flight and the network with one more copy of it: in the bag;
   *  on FIFO channels, at the tail of its queue (it arrives after what was sent before it). */
  forEachDuplicable(net: unknown, fn: (e: Envelope, more: unknown) => void): void;
}

/** A copy of `xs` without the element at `i`. */
function without<T>(xs: readonly T[], i: number): T[] {
  const out = new Array<T>(xs.length - 1);
  for (let k = 0; k < i; k++) out[k] = xs[k];
  for (let k = i + 1; k < xs.length; k++) out[k - 1] = xs[k];
  return out;
}

function overflow(kind: string, capacity: number, e: Envelope, show: (m: unknown) => string): never {
  throw new SpecError('capacity', `more than ${capacity} messages in flight${kind ? ` ${kind}` : ''} when ${e.from} sends ${show(e.msg)} to ${e.to}`, {
    hint: 'raise `capacity` in the protocol definition, or bound the protocol so it sends fewer messages',
  });
}

export function networkFor(kind: NetworkKind, Pid: EnumType<string>, messages: Type<any>, capacity: number): Network {
  return kind === 'fifo' ? fifoNetwork(Pid, messages, capacity) : unorderedNetwork(Pid, messages, capacity);
}

function unorderedNetwork(Pid: EnumType<string>, messages: Type<any>, capacity: number): Network {
  const Env = t.record({ from: Pid, to: Pid, msg: messages }, { show: (e) => `${e.from} -> ${e.to}: ${messages.show(e.msg)}` });
  const type = t.bag(Env, capacity);
  const interned = Env.size <= SHARED_VALUES;
  return {
    kind: 'unordered',
    type,
    empty: [],
    addAll(net, sent) {
      if (sent.length === 0) return net;
      const bag = net as readonly Envelope[];
      if (bag.length + sent.length > capacity) overflow('', capacity, sent[0], (m) => messages.show(m));
      return bag.concat(sent);
    },
    forEachDeliverable(net, fn) {
      const bag = net as readonly Envelope[];
      for (let i = 0; i < bag.length; i++) {
        // Equal envelopes are adjacent in a decoded bag (decoded to one shared object when the
        // envelope domain is small); delivering either gives the same state.
        if (i > 0 && (bag[i] === bag[i - 1] || (!interned && Env.index(bag[i] as never) === Env.index(bag[i - 1] as never)))) continue;
        fn(bag[i], without(bag, i));
      }
    },
    forEachDroppable(net, fn) {
      this.forEachDeliverable(net, fn);
    },
    forEachDuplicable(net, fn) {
      const bag = net as readonly Envelope[];
      this.forEachDeliverable(net, (e) => {
        if (bag.length + 1 > capacity) overflow('', capacity, e, (m) => messages.show(m));
        fn(e, bag.concat([e]));
      });
    },
  };
}

/** A key equal for equal messages: the index in the message type when it is small, else the JSON. */
function keyOf(messages: Type<any>): (m: unknown) => number | string {
  return Number.isFinite(messages.size) ? (m) => messages.index(m as never) : (m) => JSON.stringify(messages.toJSON(m as never));
}

function fifoNetwork(Pid: EnumType<string>, messages: Type<any>, capacity: number): Network {
  const key = keyOf(messages);
  const channels: { name: string; from: string; to: string }[] = [];
  for (const from of Pid.values) for (const to of Pid.values) channels.push({ name: `${from}->${to}`, from, to });
  const Channel = t.enum(...channels.map((c) => c.name));
  const type = t.map(Channel, t.seq(messages, capacity));
  const empty = Object.fromEntries(channels.map((c) => [c.name, []]));
  type Queues = Readonly<Record<string, readonly unknown[]>>;
  return {
    kind: 'fifo',
    type,
    empty,
    addAll(net, sent) {
      if (sent.length === 0) return net;
      const out: Record<string, readonly unknown[]> = { ...(net as Queues) };
      for (const e of sent) {
        const name = `${e.from}->${e.to}`;
        const q = out[name] ?? [];
        if (q.length >= capacity) overflow(`on channel ${name}`, capacity, e, (m) => messages.show(m));
        out[name] = [...q, e.msg];
      }
      return out;
    },
    forEachDeliverable(net, fn) {
      const qs = net as Queues;
      for (const c of channels) {
        const q = qs[c.name];
        if (q.length === 0) continue;
        fn({ from: c.from, to: c.to, msg: q[0] }, { ...qs, [c.name]: q.slice(1) });
      }
    },
    forEachDroppable(net, fn) {
      const qs = net as Queues;
      for (const c of channels) {
        const q = qs[c.name];
        for (let i = 0; i < q.length; i++) {
          // Losing either of two equal neighbours leaves the same queue.
          if (i > 0 && key(q[i]) === key(q[i - 1])) continue;
          fn({ from: c.from, to: c.to, msg: q[i] }, { ...qs, [c.name]: without(q, i) });
        }
      }
    },
    forEachDuplicable(net, fn) {
      const qs = net as Queues;
      for (const c of channels) {
        const q = qs[c.name];
        const seen = new Set<number | string>();
        for (let i = 0; i < q.length; i++) {
          const k = key(q[i]);
          if (seen.has(k)) continue;
          seen.add(k);
          const e = { from: c.from, to: c.to, msg: q[i] };
          if (q.length >= capacity) overflow(`on channel ${c.name}`, capacity, e, (m) => messages.show(m));
          fn(e, { ...qs, [c.name]: [...q, q[i]] });
        }
      }
    },
  };
}

/** Every message in flight in a protocol's global state, whatever the network kind:
 *  `terminal: (g) => inFlight(g).length === 0`. */
export function inFlight(g: { readonly network: unknown }): Envelope[] {
  const net = g.network;
  if (Array.isArray(net)) return [...(net as readonly Envelope[])];
  const out: Envelope[] = [];
  for (const [channel, q] of Object.entries(net as Readonly<Record<string, readonly unknown[]>>)) {
    const [from, to] = channel.split('->');
    for (const msg of q) out.push({ from, to, msg });
  }
  return out;
}
