// Mutual exclusion with a central coordinator (the centralized algorithm of the textbooks:
// Tanenbaum and van Steen, "Distributed Systems", ch. 6; Coulouris et al., "Distributed Systems:
// Concepts and Design", section 15.2, "the central server algorithm"). One coordinator holds the
// permission to enter (a token) and hands it out in the order requests arrive.
//
//   process:      request:  send Request to the coordinator; wait
//                 on Grant: critical section
//                 exit:     leave it; send Release to the coordinator
//   coordinator:  on Request from p: if nobody holds the permission, Grant p; else queue p
//                 on Release:        Grant the head of the queue, if any; else keep the permission
//
// Safety: at most one process is in its critical section (the coordinator grants only when the
// permission is back). Liveness: every request is eventually granted, under weak fairness of every
// delivery and of `exit` (a process does not stay in its critical section for ever); requesting is
// not forced. The coordinator is a single point of failure: if it crashes (the model file's
// `crash`), the processes waiting for a Grant wait for ever: liveness is violated, and the run ends
// in a deadlock.
//
// Model bounds: `procs` processes (3) and one coordinator; each process requests its critical section
// `requests` times (2). No counter grows: the queue holds each process at most once.
import { type Infer, defineProtocol, forEach, leadsTo, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'central-mutex',
  description: 'mutual exclusion by a central coordinator that grants the permission in request order',
  params: {
    procs: param(t.int(1, 4), 3),
    requests: param(t.int(1, 3), 2),
  },
  build: ({ procs, requests }) => {
    const Proc = t.enum(...Array.from({ length: procs }, (_, i) => `process${i + 1}`));
    type Proc = (typeof Proc.values)[number];
    const Msg = t.variant({
      Request: {}, // process -> coordinator: "may I enter?"
      Grant: {}, //   coordinator -> process: "enter"
      Release: {}, // process -> coordinator: "I left"
    });
    const Coordinator = t.record({
      /** The process that has the permission (null: the coordinator has it). */
      holder: t.nullable(Proc),
      /** The waiting processes, in the order their requests arrived. */
      queue: t.seq(Proc, procs),
    });
    const Local = t.record({
      state: t.enum('idle', 'wanting', 'cs'),
      /** How many times it has been in its critical section. */
      done: t.int(0, requests),
    });
    type Local = Infer<typeof Local>;
    /** What the liveness properties read of the global state. */
    type G = { readonly process: Readonly<Record<string, Local>> };

    return protocol({
      messages: Msg,
      roles: {
        coordinator: role(Msg, Coordinator, {
          count: 1,
          init: { holder: null, queue: [] },
          on: {
            Request: (s, _m, ctx) => {
              const p = ctx.from as Proc;
              if (s.holder !== null) return { ...s, queue: [...s.queue, p] };
              ctx.send(p, { type: 'Grant' });
              return { ...s, holder: p };
            },
            Release: (s, _m, ctx) => {
              if (s.queue.length === 0) return { ...s, holder: null };
              const [next, ...rest] = s.queue;
              ctx.send(next, { type: 'Grant' });
              return { holder: next, queue: rest };
            },
          },
        }),
        process: role(Msg, Local, {
          count: procs,
          init: { state: 'idle', done: 0 },
          actions: {
            request: (s, ctx) => {
              if (s.state !== 'idle' || s.done === requests) return null;
              ctx.send('coordinator1', { type: 'Request' });
              return { ...s, state: 'wanting' };
            },
            exit: (s, ctx) => {
              if (s.state !== 'cs') return null;
              ctx.send('coordinator1', { type: 'Release' });
              return { state: 'idle', done: s.done + 1 };
            },
          },
          on: {
            Grant: (s): Local => ({ ...s, state: 'cs' }),
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
      fairness: { deliver: 'weak', exit: 'weak' },
    });
  },
});
