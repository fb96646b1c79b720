// Total-order broadcast with a sequencer (the fixed-sequencer scheme of Kaashoek and Tanenbaum's
// Amoeba group communication, 1989; X. Défago, A. Schiper and P. Urbán, "Total Order Broadcast and
// Multicast Algorithms: Taxonomy and Survey", ACM Computing Surveys 36(4), 2004).
//
//   process, to broadcast m:   send Data(m) to the sequencer
//   sequencer, on Data(m):     send Ordered(seq, m) to every process; seq := seq + 1
//   process, on Ordered(n, m): hold it back until n = next (the next number it expects),
//                              then deliver m; next := next + 1
//
// The hold-back queue is the network: an Ordered message that is not the next one stays in flight.
//
// Safety checked, total order: any two processes deliver the same messages in the same order (of
// two delivery sequences, one is a prefix of the other). Liveness: every broadcast message is
// eventually delivered by every process, under weak fairness of delivery. The sequencer is a single
// point of failure: when it crashes (`crash: { max: 1, roles: [sequencer] }`), a message sent to it
// is never ordered and never delivered (the liveness property is violated; safety still holds).
//
// Bug variant `no-holdback`: a process delivers an Ordered message on arrival, ignoring its number.
// Two Ordered messages overtake each other on the way to one process: it delivers them in the other
// order.
//
// Model bounds: `procs` processes (3) besides the sequencer, each broadcasting at most one message
// (the message is its sender: process i broadcasts m<i>). Every run is finite.
import { type Infer, defineProtocol, forEach, leadsTo, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'total-order',
  description: 'total-order broadcast with a fixed sequencer',
  params: {
    procs: param(t.int(2, 4), 3),
    variant: param(t.enum('correct', 'no-holdback'), 'correct'),
  },
  build: ({ procs, variant }) => {
    const Proc = t.int(1, procs);
    /** The message broadcast by process i is m<i>: it is identified by its sender. */
    const Payload = t.enum(...Array.from({ length: procs }, (_, i) => `m${i + 1}`));
    const Seq = t.int(0, procs);
    const Msg = t.variant({
      Data: { m: Payload }, //             process -> sequencer
      Ordered: { n: Seq, m: Payload }, //  sequencer -> every process
    });
    const Process = t.record({
      sent: t.bool(),
      /** The number of the next Ordered message to deliver. */
      next: Seq,
      /** History: the messages delivered, in order. */
      delivered: t.seq(Payload, procs),
    });
    type Process = Infer<typeof Process>;
    type G = { readonly process: Readonly<Record<string, Process>> };
    const isPrefix = (a: readonly string[], b: readonly string[]) => a.length <= b.length && a.every((x, k) => x === b[k]);

    return protocol({
      messages: Msg,
      roles: {
        sequencer: role(Msg, t.record({ seq: Seq }), {
          count: 1,
          init: { seq: 0 },
          on: {
            Data: (s, m, ctx) => (ctx.broadcast('process', { type: 'Ordered', n: s.seq, m: m.m }), { seq: s.seq + 1 }),
          },
        }),
        process: role(Msg, Process, {
          count: procs,
          init: { sent: false, next: 0, delivered: [] },
          actions: {
            broadcast: (s, ctx) => !s.sent && (ctx.send('sequencer1', { type: 'Data', m: Payload.values[ctx.index] }), { ...s, sent: true }),
          },
          on: {
            Ordered: (s, m) => {
              if (variant !== 'no-holdback' && m.n !== s.next) return null; // held back
              return { ...s, next: s.next + 1, delivered: [...s.delivered, m.m] };
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
        delivered: forEach({ i: Proc }, ({ i }) =>
          leadsTo(
            (g: G) => g.process[`process${i}`].sent,
            (g: G) => Object.values(g.process).every((p) => p.delivered.includes(Payload.values[i - 1])),
            `the message of process${i}, once broadcast, is delivered by every process`,
          )),
      },
      fairness: { deliver: 'weak' },
      terminal: {
        holds: (g) => Object.values(g.process).every((p) => p.sent && p.delivered.length === procs),
        says: 'every process has broadcast, and delivered every message',
      },
    });
  },
});
