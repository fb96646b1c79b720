// Vector clocks (C. Fidge, "Timestamps in Message-Passing Systems That Preserve the Partial
// Ordering", 1988; F. Mattern, "Virtual Time and Global States of Distributed Systems", 1989).
// Each process i keeps a vector V with one entry per process:
//
//   local event:       V[i] := V[i] + 1
//   send m to q:       V[i] := V[i] + 1; send (m, V)
//   on receive (m, W): V := max(V, W) pointwise; V[i] := V[i] + 1
//
// Property checked, the strong clock condition: for any two events a and b, a happened before b
// (a -> b) if and only if V(a) < V(b) (every entry <=, and the vectors differ). The happened-before
// relation is a history variable: each process keeps the set of events in the causal past of its
// next event, each message carries the causal past of its send, and each event is logged with its
// vector and its own causal past. The invariant compares the two relations over every pair of
// logged events, both ways: a vector clock orders exactly the causally ordered events, and leaves
// concurrent events unordered.
//
// Bug variant `no-increment`: the receiver merges the vectors without incrementing its own entry. A
// receive then has the same vector as the send it follows (when the receiver had seen nothing
// newer), and V(send) < V(receive) fails although send -> receive.
//
// Model bounds: `procs` processes (3), each taking at most `events` events (a local event, a send
// or a receive; 2 in the model: enough for a chain process1 -> process2 -> process3 across three
// processes, and for concurrent events). A process at its bound takes no more steps (a message to it
// stays in flight), so the proof holds for every run of at most that many events per process.
// (3 events per process: 806,640 states, about a minute here.)
import { type Infer, defineProtocol, local, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'vector-clocks',
  description: 'vector clocks and the strong clock condition',
  params: {
    procs: param(t.int(2, 4), 3),
    events: param(t.int(1, 4), 3),
    variant: param(t.enum('correct', 'no-increment'), 'correct'),
  },
  build: ({ procs, events, variant }) => {
    const Proc = t.enum(...Array.from({ length: procs }, (_, i) => `process${i + 1}`));
    /** Event k (from 1) of process i is `p<i>e<k>`. */
    const EventId = t.enum(...Array.from({ length: procs * events }, (_, x) => `p${Math.floor(x / events) + 1}e${(x % events) + 1}`));
    type EventId = (typeof EventId.values)[number];
    const Vector = t.array(t.int(0, events), procs);
    type Vector = Infer<typeof Vector>;
    /** History variables: the events in a causal past. */
    const Past = t.set(EventId);
    type Past = Infer<typeof Past>;
    /** A logged event: its vector timestamp and the events that happened before it. */
    const Logged = t.record({ v: Vector, past: Past });
    const Msg = t.variant({ Msg: { v: Vector, past: Past } });
    const Local = t.record({
      v: Vector,
      /** History: the causal past of this process's next event (its own events included). */
      past: Past,
      /** History: this process's events, in order. */
      log: t.seq(Logged, events),
    });
    type Local = Infer<typeof Local>;

    const idOf = (i: number, k: number) => EventId.values[i * events + k];
    /** Process i takes an event with timestamp v, after the events in `past`. */
    const event = (s: Local, i: number, v: Vector, past: Past): Local | null => {
      if (s.log.length === events) return null;
      const id = idOf(i, s.log.length);
      return { v, past: [...past, id], log: [...s.log, { v, past }] };
    };
    const tick = (v: Vector, i: number) => v.with(i, v[i] + 1);
    const union = (a: Past, b: Past): Past => [...a, ...b.filter((x) => !a.includes(x))];
    const less = (a: Vector, b: Vector) => a.every((x, j) => x <= b[j]) && a.some((x, j) => x < b[j]);

    return protocol({
      messages: Msg,
      roles: {
        process: role(Msg, Local, {
          count: procs,
          init: { v: Array.from({ length: procs }, () => 0), past: [], log: [] },
          actions: {
            localEvent: (s, ctx) => event(s, ctx.index, tick(s.v, ctx.index), s.past),
            send: local({ to: Proc }, (s, { to }, ctx) => {
              if (to === ctx.self) return null;
              const next = event(s, ctx.index, tick(s.v, ctx.index), s.past);
              if (next === null) return null;
              ctx.send(to, { type: 'Msg', v: next.v, past: next.past });
              return next;
            }),
          },
          on: {
            Msg: (s, m, ctx) => {
              const merged = s.v.map((x, j) => Math.max(x, m.v[j]));
              return event(s, ctx.index, variant === 'no-increment' ? merged : tick(merged, ctx.index), union(s.past, m.past));
            },
          },
        }),
      },
      invariants: {
        strongClockCondition: {
          holds: (g) => {
            const all: { id: EventId; v: Vector; past: Past }[] = [];
            Object.values(g.process).forEach((p, i) => p.log.forEach((e, k) => all.push({ id: idOf(i, k), v: e.v, past: e.past })));
            for (const a of all) for (const b of all) if (a !== b && b.past.includes(a.id) !== less(a.v, b.v)) return false;
            return true;
          },
          says: 'strong clock condition: a happened before b if and only if V(a) < V(b)',
        },
      },
    });
  },
});
