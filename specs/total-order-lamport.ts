// Total-order broadcast with Lamport timestamps (L. Lamport, "Time, Clocks, and the Ordering of Events
// in a Distributed System", CACM 21(7), 1978: the state-machine approach of its section on mutual
// exclusion; see also Défago, Schiper and Urbán's survey, 2004, "communication history" algorithms).
// There is no sequencer: messages are ordered by (timestamp, sender), and a process delivers a message
// once it knows no message with a smaller timestamp can still reach it.
//
//   broadcast m:            C := C + 1; put (m, C, self) in the queue; send Msg(C) to every other
//   on Msg(t) from j:       C := max(C, t) + 1; put (m, t, j) in the queue; send Ack(C) to every other
//   on Ack(t) from j:       remember t as the latest timestamp heard from j
//   deliver the head (m, t, j) of the queue (smallest (t, j) first) when every other process k has
//   sent something stamped after it: (latest[k], k) > (t, j), or k = j (m itself came from j)
//
// Over FIFO channels a message stamped (t', k) > (t, j) from k means every message k sends later is
// stamped later still, so nothing can come before the head any more.
//
// Safety checked, total order: of any two processes, one has delivered a prefix of what the other
// delivered. Liveness: every broadcast message is eventually delivered by every process (weak
// fairness of delivery and of the deliver step). Both hold over FIFO channels; on an unordered network
// an Ack overtakes the Msg its sender broadcast earlier, and a process delivers its head too early:
// total order is violated.
//
// Model bounds: `procs` processes (3), of which the first `broadcasters` (2) broadcast one message
// each (a message is named by its sender); all of them receive, acknowledge and deliver. (With 3
// broadcasters the state space passes 400,000 states: every Msg is acknowledged to every process.) Clocks stay within procs * procs (a clock ticks only at the procs broadcasts and the
// procs * (procs - 1) receipts of Msg in the whole run); a clock past the declared range would be a
// spec error, never a silent cut. Every run is finite.
import { type Infer, defineProtocol, forEach, leadsTo, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'total-order-lamport',
  description: 'total-order broadcast ordered by Lamport timestamps (no sequencer)',
  params: {
    procs: param(t.int(2, 4), 3),
    /** Processes 1..broadcasters broadcast a message; the others only receive and acknowledge. */
    broadcasters: param(t.int(1, 4), 2),
  },
  build: ({ procs, broadcasters }) => {
    const Proc = t.int(1, procs);
    const Clock = t.int(0, procs * procs);
    const Msg = t.variant({ Msg: { ts: Clock }, Ack: { ts: Clock } });
    /** A queued message: its timestamp and sender (the message is named by its sender). */
    const Queued = t.record({ ts: Clock, from: Proc });
    type Queued = Infer<typeof Queued>;
    const Local = t.record({
      clock: Clock,
      sent: t.bool(),
      queue: t.set(Queued),
      /** The latest timestamp heard from each process (index 0 for process1). */
      latest: t.array(Clock, procs),
      /** History: the senders of the messages delivered, in order. */
      delivered: t.seq(Proc, procs),
    });
    type Local = Infer<typeof Local>;
    type G = { readonly process: Readonly<Record<string, Local>> };

    const ids = Array.from({ length: procs }, (_, i) => i + 1);
    const before = (a: Queued, b: Queued) => a.ts < b.ts || (a.ts === b.ts && a.from < b.from);
    const head = (q: readonly Queued[]) => q.reduce<Queued | null>((h, m) => (h === null || before(m, h) ? m : h), null);
    const heard = (s: Local, k: number, m: Queued) => k === m.from || before(m, { ts: s.latest[k - 1], from: k });
    const isPrefix = (a: readonly number[], b: readonly number[]) => a.length <= b.length && a.every((x, i) => x === b[i]);

    return protocol({
      messages: Msg,
      roles: {
        process: role(Msg, Local, {
          count: procs,
          init: { clock: 0, sent: false, queue: [], latest: Array.from({ length: procs }, () => 0), delivered: [] },
          actions: {
            broadcast: (s, ctx) => {
              if (s.sent || ctx.index >= broadcasters) return null;
              const ts = s.clock + 1;
              ctx.broadcast('process', { type: 'Msg', ts }, { self: false });
              return { ...s, clock: ts, sent: true, queue: [...s.queue, { ts, from: ctx.index + 1 }] };
            },
            deliverHead: (s, ctx) => {
              const m = head(s.queue);
              const self = ctx.index + 1;
              if (m === null || !ids.every((k) => k === self || heard(s, k, m))) return null;
              return { ...s, queue: s.queue.filter((x) => x !== m), delivered: [...s.delivered, m.from] };
            },
          },
          on: {
            Msg: (s, m, ctx) => {
              const from = Number(ctx.from.slice('process'.length));
              const clock = Math.max(s.clock, m.ts) + 1;
              ctx.broadcast('process', { type: 'Ack', ts: clock }, { self: false });
              return { ...s, clock, queue: [...s.queue, { ts: m.ts, from }], latest: s.latest.with(from - 1, Math.max(s.latest[from - 1], m.ts)) };
            },
            Ack: (s, m, ctx) => {
              const from = Number(ctx.from.slice('process'.length));
              return { ...s, latest: s.latest.with(from - 1, Math.max(s.latest[from - 1], m.ts)) };
            },
          },
        }),
      },
      invariants: {
        totalOrder: {
          holds: (g) => {
            const ds = Object.values(g.process).map((p) => p.delivered);
            return ds.every((a) => ds.every((b) => isPrefix(a, b) || isPrefix(b, a)));
          },
          says: 'total order: of any two processes, one has delivered a prefix of what the other delivered',
        },
      },
      properties: {
        delivered: forEach({ i: t.int(1, broadcasters) }, ({ i }) =>
          leadsTo(
            (g: G) => g.process[`process${i}`].sent,
            (g: G) => Object.values(g.process).every((p) => p.delivered.includes(i)),
            `the message of process${i}, once broadcast, is delivered by every process`,
          )),
      },
      fairness: { deliver: 'weak', 'process.deliverHead': 'weak' },
      terminal: {
        holds: (g) => Object.values(g.process).every((p, i) => (p.sent || i >= broadcasters) && p.delivered.length === broadcasters),
        says: 'every process has broadcast, and delivered every message',
      },
    });
  },
});
