// Ricart and Agrawala's distributed mutual exclusion (G. Ricart and A. K. Agrawala, "An Optimal
// Algorithm for Mutual Exclusion in Computer Networks", CACM 24(1), 1981). No shared memory: a
// process enters its critical section once every other process has replied to its request.
//
//   process i:
//     request:  ts := highest + 1; requesting := true; send Request(ts) to every other process
//     on Request(t) from j:
//               highest := max(highest, t)
//               if in the critical section, or requesting with (ts, i) < (t, j):  defer j
//               else                                                              send Reply to j
//     on Reply from j:  count j as replied
//     enter:    when every other process replied: critical section
//     exit:     leave the critical section; send Reply to every deferred process
//
// Requests are ordered by (timestamp, process id): the id breaks ties between equal timestamps, so
// any two requests are ordered the same way by everyone, and of two conflicting requests exactly
// one defers to the other. Safety: at most one process is in its critical section. Liveness: every
// request is eventually granted, under weak fairness of every delivery and of `enter` and `exit`
// (requesting is not forced: a process may stay in its noncritical section).
//
// The timestamps are the paper's sequence numbers (`Our_Sequence_Number := Highest + 1`, the
// clock moves only on requests), so the k-th request of a run carries a number <= k: with
// `procs` processes making `requests` requests each, every timestamp is <= procs * requests. The
// type says so and no behaviour is cut.
//
// Bug variants:
//   no-tiebreak  compare timestamps only, replying on a tie: two requests with equal timestamps
//                (sent concurrently, each before hearing of the other) both get every reply, and
//                both processes enter: mutual exclusion is violated.
//   tie-defers   compare timestamps only, deferring on a tie: each of the two defers to the other
//                and both wait for ever: a deadlock.
// A lost Reply (the model file's `drop`) starves its requester: liveness is violated.
//
// Model bounds: `procs` processes (3), each requesting its critical section `requests` times (1 by
// default: every conflict between requests already happens there; 2 in the larger model).
import { type Infer, defineProtocol, forEach, leadsTo, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'ricart-agrawala',
  description: "Ricart and Agrawala's mutual exclusion by request and reply messages",
  params: {
    procs: param(t.int(2, 4), 3),
    requests: param(t.int(1, 3), 1),
    variant: param(t.enum('correct', 'no-tiebreak', 'tie-defers'), 'correct'),
  },
  build: ({ procs, requests, variant }) => {
    const Proc = t.enum(...Array.from({ length: procs }, (_, i) => `process${i + 1}`));
    type Proc = (typeof Proc.values)[number];
    const Ts = t.int(0, procs * requests);
    const Msg = t.variant({
      Request: { ts: Ts }, // "may I enter?", with the request's timestamp
      Reply: {}, //           "go ahead, as far as I am concerned"
    });
    const Local = t.record({
      /** idle: noncritical section; wanting: requested, waiting for replies; cs: critical section. */
      state: t.enum('idle', 'wanting', 'cs'),
      /** The highest timestamp seen so far (sent or received). */
      highest: Ts,
      /** The timestamp of its current request. */
      ts: Ts,
      /** The processes that replied to the current request. */
      replied: t.set(Proc),
      /** The processes whose request it deferred (they get a Reply on exit). */
      deferred: t.set(Proc),
      /** How many times it has been in its critical section. */
      done: t.int(0, requests),
    });
    type Local = Infer<typeof Local>;
    /** What the liveness properties read of the global state. */
    type G = { readonly process: Readonly<Record<string, Local>> };
    const id = (p: string) => Number(p.slice('process'.length));

    /** Does the current request of `me` go before request (t, j)? */
    const before = (s: Local, me: string, t: number, j: string): boolean => {
      if (s.ts !== t) return s.ts < t;
      if (variant === 'no-tiebreak') return false;
      if (variant === 'tie-defers') return true;
      return id(me) < id(j);
    };

    return protocol({
      messages: Msg,
      roles: {
        process: role(Msg, Local, {
          count: procs,
          init: { state: 'idle', highest: 0, ts: 0, replied: [], deferred: [], done: 0 },
          actions: {
            request: (s, ctx) => {
              if (s.state !== 'idle' || s.done === requests) return null;
              const ts = s.highest + 1;
              ctx.broadcast('process', { type: 'Request', ts }, { self: false });
              return { ...s, state: 'wanting', highest: ts, ts, replied: [] };
            },
            enter: (s) => s.state === 'wanting' && s.replied.length === procs - 1 && { ...s, state: 'cs' },
            exit: (s, ctx) => {
              if (s.state !== 'cs') return null;
              ctx.multicast(s.deferred, { type: 'Reply' });
              return { ...s, state: 'idle', deferred: [], done: s.done + 1 };
            },
          },
          on: {
            Request: (s, m, ctx) => {
              const highest = Math.max(s.highest, m.ts);
              const defer = s.state === 'cs' || (s.state === 'wanting' && before(s, ctx.self, m.ts, ctx.from));
              if (defer) return { ...s, highest, deferred: [...s.deferred, ctx.from as Proc] };
              ctx.send(ctx.from, { type: 'Reply' });
              return { ...s, highest };
            },
            Reply: (s, _m, ctx) => ({ ...s, replied: [...s.replied, ctx.from as Proc] }),
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
