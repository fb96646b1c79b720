// The bully algorithm (H. Garcia-Molina, "Elections in a Distributed Computing System", IEEE
// Transactions on Computers C-31(1), 1982), with a ping/timeout failure detector. Processes have
// distinct ids (process k has id k); the coordinator is the live process with the highest id.
//
//   failure detector:  a process pings its coordinator and arms the `suspect` timer; a Pong cancels it;
//                      when it fires, the coordinator is suspected: start an election
//   election at p:     send Election to every process with a higher id and arm the `answer` timer
//                      (with no higher process: p is the coordinator at once)
//   on Election from a lower process: reply Answer, and start an election of its own
//   on Answer:         a higher process is alive and takes over: wait for its Coordinator message
//   `answer` fires (no Answer came): p is the coordinator; send Coordinator(p) to every lower process
//   on Coordinator(k): k is the coordinator
//
// Safety checked: at most one live (not crashed) process considers itself the coordinator. That the
// model is not vacuous: some run elects a new coordinator after the first one crashed (`sometimes`).
//
// The algorithm assumes a synchronous system: a timeout fires only when the awaited reply can no
// longer come. With `timing: synchronous` both timers are synchronous timers (they fire only when no
// other step than faults is possible, README "Timers"), and with one crash of any process at any
// time there is never more than one coordinator. With `timing: asynchronous` a timer may fire at any
// later step: a slow but live coordinator is suspected, the suspecting process hears no Answer in
// time and declares itself coordinator beside the real one: two coordinators, with no fault at all.
//
// Model bounds: `procs` processes (3), process `procs` the coordinator at the start; each process
// pings at most `pings` times (1). Elections are bounded by the ids (each process starts at most
// one election per Election or timeout it handles, and only higher processes answer), so every run
// is finite and the proofs cover every run.
import { type Infer, crashed, defineProtocol, param, protocol, role, sometimes, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'bully',
  description: 'the bully election algorithm with a ping/timeout failure detector',
  params: {
    procs: param(t.int(2, 4), 3),
    pings: param(t.int(0, 2), 1),
    timing: param(t.enum('synchronous', 'asynchronous'), 'synchronous'),
  },
  build: ({ procs, pings, timing }) => {
    const Id = t.int(1, procs);
    const Msg = t.variant({
      Ping: {},
      Pong: {},
      Election: {},
      Answer: {},
      Coordinator: { id: Id },
    });
    const Local = t.record({
      /** The process it takes for the coordinator. */
      coordinator: Id,
      /** normal; probing: pinged the coordinator; electing: sent Election, waiting for an Answer;
       *  waiting: answered by a higher process, waiting for its Coordinator message. */
      phase: t.enum('normal', 'probing', 'electing', 'waiting'),
      pinged: t.int(0, pings),
    });
    type Local = Infer<typeof Local>;
    type Ctx = { readonly index: number; send(to: string, m: Infer<typeof Msg>): void; setTimer(n: string): void; cancelTimer(n: string): void };
    const pid = (id: number) => `process${id}`;

    /** p becomes the coordinator and tells every lower process. */
    const win = (s: Local, ctx: Ctx): Local => {
      const id = ctx.index + 1;
      for (let k = 1; k < id; k++) ctx.send(pid(k), { type: 'Coordinator', id });
      ctx.cancelTimer('suspect');
      ctx.cancelTimer('answer');
      return { ...s, coordinator: id, phase: 'normal' };
    };
    /** p starts an election: Election to every higher process, or it wins at once. */
    const elect = (s: Local, ctx: Ctx): Local => {
      const id = ctx.index + 1;
      if (id === procs) return win(s, ctx);
      for (let k = id + 1; k <= procs; k++) ctx.send(pid(k), { type: 'Election' });
      ctx.cancelTimer('suspect');
      ctx.setTimer('answer');
      return { ...s, phase: 'electing' };
    };
    const synchronous = timing === 'synchronous';
    type G = { readonly process: Readonly<Record<string, Local>>; readonly down?: readonly string[] };
    /** The live processes that consider themselves the coordinator. */
    const coordinators = (g: G) => {
      const down = crashed(g);
      return Object.entries(g.process).filter(([p, l]) => !down.includes(p) && pid(l.coordinator) === p).map(([p]) => p);
    };

    return protocol({
      messages: Msg,
      capacity: 24,
      roles: {
        process: role(Msg, Local, {
          count: procs,
          init: { coordinator: procs, phase: 'normal', pinged: 0 },
          actions: {
            ping: (s, ctx) => {
              if (s.phase !== 'normal' || s.coordinator === ctx.index + 1 || s.pinged === pings) return null;
              ctx.send(pid(s.coordinator), { type: 'Ping' });
              ctx.setTimer('suspect');
              return { ...s, phase: 'probing', pinged: s.pinged + 1 };
            },
          },
          on: {
            Ping: (s, _m, ctx) => (ctx.send(ctx.from, { type: 'Pong' }), s),
            Pong: (s, _m, ctx) => (s.phase === 'probing' ? (ctx.cancelTimer('suspect'), { ...s, phase: 'normal' }) : s),
            Election: (s, _m, ctx) => {
              ctx.send(ctx.from, { type: 'Answer' });
              return s.phase === 'electing' || s.phase === 'waiting' ? s : elect(s, ctx);
            },
            Answer: (s, _m, ctx) => (s.phase === 'electing' ? (ctx.cancelTimer('answer'), { ...s, phase: 'waiting' }) : s),
            Coordinator: (s, m, ctx) => {
              ctx.cancelTimer('suspect');
              ctx.cancelTimer('answer');
              return { ...s, coordinator: m.id, phase: 'normal' };
            },
          },
          timers: {
            suspect: { fire: (s, ctx) => (s.phase === 'probing' ? elect(s, ctx) : s), synchronous },
            answer: { fire: (s, ctx) => (s.phase === 'electing' ? win(s, ctx) : s), synchronous },
          },
        }),
      },
      invariants: {
        oneCoordinator: {
          holds: (g) => coordinators(g).length <= 1,
          says: 'at most one live process considers itself the coordinator',
        },
      },
      properties: {
        reelected: sometimes(
          (g: G) => crashed(g).includes(pid(procs)) && coordinators(g).length === 1,
          'some run elects a new coordinator after the first one crashed',
        ),
      },
    });
  },
});
