// Causal broadcast (K. Birman, A. Schiper and P. Stephenson, "Lightweight Causal and Atomic Group
// Multicast", ACM TOCS 9(3), 1991). Each process i keeps a vector VC: VC[j] is the number of
// broadcasts of process j it has delivered.
//
//   broadcast m:            VC[i] := VC[i] + 1; send (m, VC) to every other process; deliver m
//   on receive (m, VT) from j:
//       hold it back until  VT[j] = VC[j] + 1            (the next broadcast of j)
//                     and   VT[k] <= VC[k] for k != j   (everything j had delivered before)
//       then deliver m:     VC[j] := VC[j] + 1
//
// The hold-back queue is the network: a message that may not be delivered yet stays in flight (its
// handler returns null), and is delivered once its causal predecessors are.
//
// Safety checked, causal delivery: if the broadcast of m1 happened before the broadcast of m2
// (VT(m1) < VT(m2)), every process that delivers m2 has delivered m1 before. Each process logs the
// messages it delivers with their timestamps (a history variable). Liveness: every broadcast is
// eventually delivered by every process, under weak fairness of delivery.
//
// Bug variant `on-arrival`: a process delivers a message as soon as it arrives (merging its vector
// with the message's). process1 broadcasts m1; process2 delivers it, then broadcasts m2; m2 reaches
// process3 before m1 and is delivered first.
//
// Model bounds: `procs` processes (3), each broadcasting at most `broadcasts` messages (1). Every run
// is finite, so the proofs cover every run.
import { type Infer, defineProtocol, forEach, leadsTo, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'causal-broadcast',
  description: 'Birman-Schiper-Stephenson causal broadcast with vector timestamps',
  params: {
    procs: param(t.int(2, 4), 3),
    broadcasts: param(t.int(1, 3), 1),
    variant: param(t.enum('correct', 'on-arrival'), 'correct'),
  },
  build: ({ procs, broadcasts, variant }) => {
    const Proc = t.int(0, procs - 1);
    const Vector = t.array(t.int(0, broadcasts), procs);
    type Vector = Infer<typeof Vector>;
    /** A delivered message: its broadcaster (index) and its vector timestamp. */
    const Delivered = t.record({ from: Proc, vt: Vector });
    type Delivered = Infer<typeof Delivered>;
    const Msg = t.variant({ Bcast: { vt: Vector } });
    const Local = t.record({
      vc: Vector,
      /** History: the messages delivered, in order (own broadcasts included). */
      delivered: t.seq(Delivered, procs * broadcasts),
    });
    type Local = Infer<typeof Local>;
    type G = { readonly process: Readonly<Record<string, Local>> };

    const less = (a: Vector, b: Vector) => a.every((x, j) => x <= b[j]) && a.some((x, j) => x < b[j]);
    const same = (a: Delivered, b: Delivered) => a.from === b.from && a.vt[a.from] === b.vt[b.from];
    const indexOf = (pid: string) => Number(pid.slice('process'.length)) - 1;
    /** Every message broadcast so far: each broadcaster delivers its own at once. */
    const broadcastsOf = (g: G): Delivered[] =>
      Object.values(g.process).flatMap((p, i) => p.delivered.filter((d) => d.from === i));

    return protocol({
      messages: Msg,
      roles: {
        process: role(Msg, Local, {
          count: procs,
          init: { vc: Array.from({ length: procs }, () => 0), delivered: [] },
          actions: {
            broadcast: (s, ctx) => {
              const i = ctx.index;
              if (s.vc[i] === broadcasts) return null;
              const vt = s.vc.with(i, s.vc[i] + 1);
              ctx.broadcast('process', { type: 'Bcast', vt }, { self: false });
              return { vc: vt, delivered: [...s.delivered, { from: i, vt }] };
            },
          },
          on: {
            Bcast: (s, m, ctx) => {
              const j = indexOf(ctx.from);
              if (variant === 'on-arrival') {
                return { vc: s.vc.map((x, k) => Math.max(x, m.vt[k])), delivered: [...s.delivered, { from: j, vt: m.vt }] };
              }
              const deliverable = m.vt[j] === s.vc[j] + 1 && m.vt.every((x, k) => k === j || x <= s.vc[k]);
              if (!deliverable) return null; // held back
              return { vc: s.vc.with(j, s.vc[j] + 1), delivered: [...s.delivered, { from: j, vt: m.vt }] };
            },
          },
        }),
      },
      invariants: {
        causalDelivery: {
          holds: (g) => {
            const all = broadcastsOf(g);
            return Object.values(g.process).every((p) =>
              p.delivered.every((m2, b) => all.every((m1) => !less(m1.vt, m2.vt) || p.delivered.slice(0, b).some((d) => same(d, m1)))));
          },
          says: 'causal delivery: a message is delivered only after every message whose broadcast happened before its own',
        },
      },
      properties: {
        delivered: forEach({ i: Proc, k: t.int(1, broadcasts) }, ({ i, k }) =>
          leadsTo(
            (g: G) => Object.values(g.process)[i].vc[i] >= k,
            (g: G) => Object.values(g.process).every((p) => p.delivered.some((d) => d.from === i && d.vt[i] === k)),
            `broadcast ${k} of process${i + 1} is delivered by every process`,
          )),
      },
      fairness: { deliver: 'weak' },
      terminal: {
        holds: (g) => {
          const all = broadcastsOf(g);
          return Object.values(g.process).every((p) => p.vc.every((x) => x === broadcasts) && p.delivered.length === all.length);
        },
        says: 'every process has broadcast and delivered everything',
      },
    });
  },
});
