// Lamport's logical clocks (L. Lamport, "Time, Clocks, and the Ordering of Events in a Distributed
// System", CACM 21(7), 1978). Each process keeps a counter C and timestamps its events with it:
//
//   local event:       C := C + 1
//   send m to q:       C := C + 1; send (m, C)
//   on receive (m, t): C := max(C, t) + 1
//
// Property checked, the clock condition: if event a happened before event b (a -> b: a precedes b
// at the same process, or a is the send of a message whose receive is b, or a chain of these), then
// C(a) < C(b). It is checked with history variables that only the property reads: each process keeps
// `before[j]`, the largest timestamp of an event of process j that happened before its last event,
// and each message carries the causal past of its send event (the same vector, with the send event
// itself). A process's last event must be later than all of them: `before[j] < C` for every j. Since
// the timestamps of one process increase, the largest timestamp of each process in the causal past is
// enough to check every pair a -> b.
//
// Bug variant `no-max`: the receiver forgets max(local, msg) + 1 and ticks its own clock
// (C := C + 1). A message sent at a high timestamp is then received at a lower one.
//
// Model bounds: `procs` processes (3), each sending to any other; clocks up to `maxClock` (3), at
// most `localEvents` local events per process (1: a local event only moves the clock on, as a send
// does). A step that would take a clock past the bound is disabled (a receive leaves its message in
// flight), so the proof holds for every run in which no clock exceeds `maxClock` and no process
// takes more local events: "proven for clocks up to 3".
import { type Infer, defineProtocol, local, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'lamport-clocks',
  description: "Lamport's logical clocks and the clock condition",
  params: {
    procs: param(t.int(2, 4), 3),
    maxClock: param(t.int(1, 6), 3),
    localEvents: param(t.int(0, 3), 1),
    variant: param(t.enum('correct', 'no-max'), 'correct'),
  },
  build: ({ procs, maxClock, localEvents, variant }) => {
    const Proc = t.enum(...Array.from({ length: procs }, (_, i) => `process${i + 1}`));
    const Clock = t.int(0, maxClock);
    /** History variable: per process, the largest timestamp of its events in a causal past (0: none). */
    const Past = t.array(Clock, procs);
    const Msg = t.variant({ Msg: { ts: Clock, past: Past } });
    const Local = t.record({ clock: Clock, locals: t.int(0, localEvents), before: Past });
    type Local = Infer<typeof Local>;
    type Past = Infer<typeof Past>;

    const max = (a: Past, b: Past): Past => a.map((x, j) => Math.max(x, b[j]));
    /** The causal past of the next event of process i: before, and i's own last event. */
    const pastOf = (s: Local, i: number): Past => s.before.with(i, Math.max(s.before[i], s.clock));
    /** Process i takes an event with timestamp `clock`, after the events of `past`. */
    const event = (s: Local, i: number, clock: number, past: Past = pastOf(s, i)): Local | null => (clock > maxClock ? null : { ...s, clock, before: past });

    return protocol({
      messages: Msg,
      roles: {
        process: role(Msg, Local, {
          count: procs,
          init: { clock: 0, locals: 0, before: Array.from({ length: procs }, () => 0) },
          actions: {
            localEvent: (s, ctx) => {
              const next = s.locals < localEvents && event(s, ctx.index, s.clock + 1);
              return next && { ...next, locals: s.locals + 1 };
            },
            send: local({ to: Proc }, (s, { to }, ctx) => {
              if (to === ctx.self) return null;
              const next = event(s, ctx.index, s.clock + 1);
              if (next === null) return null;
              ctx.send(to, { type: 'Msg', ts: next.clock, past: pastOf(next, ctx.index) });
              return next;
            }),
          },
          on: {
            Msg: (s, m, ctx) => {
              const clock = variant === 'no-max' ? s.clock + 1 : Math.max(s.clock, m.ts) + 1;
              return event(s, ctx.index, clock, max(pastOf(s, ctx.index), m.past));
            },
          },
        }),
      },
      invariants: {
        clockCondition: {
          holds: (g) => Object.values(g.process).every((p) => p.before.every((c) => c < p.clock || c === 0)),
          says: 'clock condition: every event that happened before a process\'s last event has a smaller timestamp',
        },
      },
    });
  },
});
