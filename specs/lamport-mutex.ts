// Lamport's distributed mutual exclusion (L. Lamport, "Time, Clocks, and the Ordering of Events in a
// Distributed System", CACM 21(7), 1978, section 3). Every process keeps a Lamport clock and a queue
// of requests ordered by (timestamp, process id), and assumes that the messages between two
// processes arrive in the order they were sent.
//
//   process i:
//     request:  clock := clock + 1; put (clock, i) in its queue; send Request(clock) to every other
//     on Request(t) from j:  clock := max(clock, t); put (t, j) in its queue; send Ack to j
//     on Ack from j:         count j as acknowledged
//     enter:    when its request is the first of its queue (by timestamp, then process id) and every
//               other process has acknowledged it: critical section
//     exit:     remove its request from its queue; send Release to every other; forget the acks
//     on Release from j:     remove j's request from its queue
//
// Lamport's second condition, "a message from every other process timestamped later than the
// request", is written as in Merz's TLA+ formulation of the algorithm: an Ack from every other
// process (the Ack is sent after the request arrived, so it is later). Only requests need
// timestamps: a process's clock ticks when it requests and moves past every request it receives, so
// a request sent after another was received is ordered after it, and the k-th request of a run
// carries a timestamp <= k. With `procs` processes making `requests` requests each, every timestamp
// is <= procs * requests: the type says so and no behaviour is cut.
//
// Why FIFO: once i holds j's Ack, i trusts that any earlier request of j is already in its queue
// (it was sent before the Ack, on the same channel), and that a Release of j removes j's old request
// and not a newer one. On an unordered network (`network: unordered`) j's Request can be overtaken
// by j's Ack: i enters, believing nobody asked before it, and j, whose request is earlier, enters
// too.
//
// Safety: at most one process is in its critical section. Liveness (FIFO): every request is
// eventually granted, under weak fairness of delivery, enter and exit.
//
// Model bounds: `procs` processes (3), each requesting its critical section `requests` times.
import { type Infer, defineProtocol, forEach, leadsTo, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'lamport-mutex',
  description: "Lamport's 1978 mutual exclusion with logical clocks, request queues, acknowledgements and releases",
  params: {
    procs: param(t.int(2, 4), 3),
    requests: param(t.int(1, 3), 1),
  },
  build: ({ procs, requests }) => {
    const Proc = t.enum(...Array.from({ length: procs }, (_, i) => `process${i + 1}`));
    type Proc = (typeof Proc.values)[number];
    const Clock = t.int(0, procs * requests);
    const Msg = t.variant({
      Request: { ts: Clock }, // "I request the critical section at time ts"
      Ack: {}, //               "your request is in my queue"
      Release: {}, //           "remove my request"
    });
    /** The request queue: the timestamp of each process's pending request (null: none). */
    const Queue = t.map(Proc, t.nullable(Clock));
    const Local = t.record({
      state: t.enum('idle', 'wanting', 'cs'),
      clock: Clock,
      queue: Queue,
      /** The processes that acknowledged its current request. */
      acked: t.set(Proc),
      /** How many times it has been in its critical section. */
      done: t.int(0, requests),
    });
    type Local = Infer<typeof Local>;
    /** What the liveness properties read of the global state. */
    type G = { readonly process: Readonly<Record<string, Local>> };
    const id = (p: string) => Number(p.slice('process'.length));
    const empty = Object.fromEntries(Proc.values.map((p) => [p, null])) as Infer<typeof Queue>;
    /** Does request (t, i) come before request (u, j)? */
    const before = (t: number, i: string, u: number, j: string) => t < u || (t === u && id(i) < id(j));

    /** Its request is the first of its queue, and every other process acknowledged it. */
    const mayEnter = (s: Local, self: Proc): boolean => {
      const mine = s.queue[self];
      if (s.state !== 'wanting' || mine === null || s.acked.length < procs - 1) return false;
      return Proc.values.every((j) => {
        const theirs = s.queue[j];
        return j === self || theirs === null || before(mine, self, theirs, j);
      });
    };

    return protocol({
      messages: Msg,
      roles: {
        process: role(Msg, Local, {
          count: procs,
          init: { state: 'idle', clock: 0, queue: empty, acked: [], done: 0 },
          actions: {
            request: (s, ctx) => {
              if (s.state !== 'idle' || s.done === requests) return null;
              const clock = s.clock + 1;
              ctx.broadcast('process', { type: 'Request', ts: clock }, { self: false });
              return { ...s, state: 'wanting', clock, queue: Queue.with(s.queue, ctx.self as Proc, clock) };
            },
            enter: (s, ctx) => mayEnter(s, ctx.self as Proc) && { ...s, state: 'cs' },
            exit: (s, ctx) => {
              if (s.state !== 'cs') return null;
              ctx.broadcast('process', { type: 'Release' }, { self: false });
              return { ...s, state: 'idle', queue: Queue.with(s.queue, ctx.self as Proc, null), acked: [], done: s.done + 1 };
            },
          },
          on: {
            Request: (s, m, ctx) => {
              const j = ctx.from as Proc;
              ctx.send(j, { type: 'Ack' });
              return { ...s, clock: Math.max(s.clock, m.ts), queue: Queue.with(s.queue, j, m.ts) };
            },
            Ack: (s, _m, ctx) => ({ ...s, acked: [...s.acked, ctx.from as Proc] }),
            Release: (s, _m, ctx) => ({ ...s, queue: Queue.with(s.queue, ctx.from as Proc, null) }),
          },
        }),
      },
      invariants: {
        mutex: {
          holds: (g) => Object.values(g.process).filter((p) => p.state === 'cs').length <= 1,
          says: 'at most one process is in its critical section',
        },
      },
      terminal: {
        holds: (g) => Object.values(g.process).every((p) => p.state === 'idle' && p.done === requests),
        says: 'every process made all its requests and left its critical section',
      },
      properties: {
        granted: forEach({ p: Proc }, ({ p }) =>
          leadsTo<G>((g) => g.process[p].state === 'wanting', (g) => g.process[p].state === 'cs', `${p}, once it requests, enters its critical section`)),
      },
      fairness: { deliver: 'weak', enter: 'weak', exit: 'weak' },
    });
  },
});
