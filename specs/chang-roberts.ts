// Chang and Roberts' ring election (E. Chang and R. Roberts, "An improved algorithm for decentralized
// extrema-finding in circular configurations of processes", CACM 22(5), 1979; after LeLann 1977).
// Processes with distinct ids sit on a unidirectional ring; each sends only to its successor.
//
//   wake up (any process, spontaneously, if not yet participating):
//       participant := true; send Elect(id) to the successor
//   on Elect(j):
//       j > id:  participant := true; forward Elect(j)       -- a bigger candidate passes
//       j < id:  if not participant: participant := true; send Elect(id)
//                else discard it                              -- a smaller candidate dies here
//       j = id:  my id went round the ring: I am the leader; send Elected(id)
//   on Elected(j):
//       leader := j; if j != id: forward Elected(j)
//
// Safety checked: at most one process considers itself the leader, and a leader has the maximum id
// (every process that knows a leader knows the maximum). Liveness: a leader is eventually elected
// and every process learns it, under weak fairness of delivery and of waking up.
//
// Bug variant `forward-smaller`: a participant forwards a smaller id instead of discarding it. The
// smaller id then goes round the ring back to its owner, which declares itself leader too.
//
// Model bounds: `procs` processes (3 or 4), ids a permutation of 1..procs fixed by `ring` (listed
// in ring order, each process sending to the next one). Every process sends at most one Elect of its
// own and forwards each id at most once, so every run is finite and the proofs cover every run.
import { type Infer, defineProtocol, eventually, param, protocol, role, t } from '../checker/index.ts';

/** Rings by the ids in ring order: process k has id ring[k - 1] and sends to process k + 1. */
const RINGS = { '132': [1, 3, 2], '312': [3, 1, 2], '2413': [2, 4, 1, 3], '1234': [1, 2, 3, 4], '4321': [4, 3, 2, 1] } as const;

export default defineProtocol({
  name: 'chang-roberts',
  description: 'Chang and Roberts: leader election on a unidirectional ring',
  params: {
    ring: param(t.enum('132', '312', '2413', '1234', '4321'), '2413'),
    variant: param(t.enum('correct', 'forward-smaller'), 'correct'),
  },
  build: ({ ring, variant }) => {
    const ids = RINGS[ring];
    const n = ids.length;
    const Id = t.int(1, n);
    const Msg = t.variant({ Elect: { id: Id }, Elected: { id: Id } });
    const Local = t.record({
      id: Id,
      participant: t.bool(),
      /** The leader this process knows (0: none yet). */
      leader: t.int(0, n),
    });
    type Local = Infer<typeof Local>;
    const next = (index: number) => `process${((index + 1) % n) + 1}`;
    /** Every process knows a leader. */
    const allKnow = (g: { readonly process: Readonly<Record<string, Local>> }) => Object.values(g.process).every((p) => p.leader !== 0);

    return protocol({
      messages: Msg,
      roles: {
        process: role(Msg, Local, {
          count: n,
          init: (_self, index) => ({ id: ids[index], participant: false, leader: 0 }),
          actions: {
            wakeUp: (s, ctx) => !s.participant && (ctx.send(next(ctx.index), { type: 'Elect', id: s.id }), { ...s, participant: true }),
          },
          on: {
            Elect: (s, m, ctx) => {
              if (m.id > s.id || (m.id < s.id && s.participant && variant === 'forward-smaller')) {
                ctx.send(next(ctx.index), { type: 'Elect', id: m.id });
                return { ...s, participant: true };
              }
              if (m.id < s.id) {
                if (s.participant) return s; // a smaller candidate dies here
                ctx.send(next(ctx.index), { type: 'Elect', id: s.id });
                return { ...s, participant: true };
              }
              ctx.send(next(ctx.index), { type: 'Elected', id: s.id }); // my id went round: I am the leader
              return { ...s, leader: s.id };
            },
            Elected: (s, m, ctx) => {
              if (m.id !== s.id) ctx.send(next(ctx.index), { type: 'Elected', id: m.id });
              return { ...s, leader: m.id };
            },
          },
        }),
      },
      invariants: {
        oneLeader: {
          holds: (g) => Object.values(g.process).filter((p) => p.leader === p.id).length <= 1,
          says: 'at most one process considers itself the leader',
        },
        leaderIsMax: {
          holds: (g) => Object.values(g.process).every((p) => p.leader === 0 || p.leader === n),
          says: 'a known leader is the process with the maximum id',
        },
      },
      properties: {
        elected: eventually(allKnow, 'a leader is elected and every process knows it'),
      },
      fairness: { deliver: 'weak', 'process.wakeUp': 'weak' },
      terminal: {
        holds: allKnow,
        says: 'every process knows the leader',
      },
    });
  },
});
