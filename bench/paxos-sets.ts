// Single-decree Paxos in the style of Lamport's Paxos.tla: no network model, the state is each
// acceptor's three registers and the set of every message ever sent (messages are never consumed,
// so a message can be "received" any number of times, in any order). Most of a state's bytes are
// that set of records: the benchmark's set-heavy model. Distinct-state counts equal TLC's on
// Paxos.tla with the same constants (3 acceptors, 2 values, majority quorums): 3,921 for ballots
// 0..1; see bench/README.md for the benchmark's sizes.
import { type Infer, action, defineSpec, param, system, t } from '../checker/index.ts';

export default defineSpec({
  name: 'paxos-sets',
  description: 'single-decree Paxos over a set of sent messages (Paxos.tla style)',
  params: {
    acceptors: param(t.int(1, 5), 3),
    values: param(t.int(1, 3), 2),
    maxBallot: param(t.int(0, 3), 2),
  },
  build: ({ acceptors, values, maxBallot }) => {
    const Acc = t.int(0, acceptors - 1);
    const Val = t.int(0, values - 1);
    const Bal = t.int(0, maxBallot);
    /** -1: none yet (no ballot joined, no vote cast). */
    const BalOrNone = t.int(-1, maxBallot);
    const ValOrNone = t.int(-1, values - 1);
    const Msg = t.variant({
      P1a: { bal: Bal },
      P1b: { acc: Acc, bal: Bal, mbal: BalOrNone, mval: ValOrNone },
      P2a: { bal: Bal, val: Val },
      P2b: { acc: Acc, bal: Bal, val: Val },
    });
    const State = t.record({
      maxBal: t.array(BalOrNone, acceptors),
      maxVBal: t.array(BalOrNone, acceptors),
      maxVal: t.array(ValOrNone, acceptors),
      msgs: t.set(Msg),
    });
    type S = Infer<typeof State>;
    type M = Infer<typeof Msg>;
    const accs = Acc.values as readonly number[];
    const vals = Val.values as readonly number[];
    const bals = Bal.values as readonly number[];
    // Every majority of the acceptors (any two intersect).
    const quorums: number[][] = [];
    for (let mask = 0; mask < 1 << acceptors; mask++) {
      const q = accs.filter((a) => mask & (1 << a));
      if (q.length === Math.floor(acceptors / 2) + 1) quorums.push(q);
    }
    const send = (s: S, m: M): S => ({ ...s, msgs: [...s.msgs, m] });
    /** Some quorum has sent its phase-1b messages for ballot b and they allow proposing v. */
    const safeToPropose = (s: S, b: number, v: number): boolean =>
      quorums.some((q) => {
        const oneB = s.msgs.filter((m): m is Extract<M, { type: 'P1b' }> => m.type === 'P1b' && m.bal === b && q.includes(m.acc));
        if (!q.every((a) => oneB.some((m) => m.acc === a))) return false;
        const voted = oneB.filter((m) => m.mbal >= 0);
        if (voted.length === 0) return true;
        const top = Math.max(...voted.map((m) => m.mbal));
        return voted.some((m) => m.mbal === top && m.mval === v);
      });
    /** Values a quorum of acceptors voted for in one ballot. */
    const chosen = (s: S): Set<number> => {
      const out = new Set<number>();
      for (const b of bals) {
        for (const v of vals) {
          const voters = new Set(s.msgs.filter((m) => m.type === 'P2b' && m.bal === b && m.val === v).map((m) => (m as { acc: number }).acc));
          if (quorums.some((q) => q.every((a) => voters.has(a)))) out.add(v);
        }
      }
      return out;
    };
    const none = accs.map(() => -1);

    return system(State, {
      init: { maxBal: none, maxVBal: none, maxVal: none, msgs: [] },
      actions: {
        phase1a: action({ b: Bal }, (s, { b }) => send(s, { type: 'P1a', bal: b })),
        phase1b: action({ a: Acc }, (s, { a }) =>
          s.msgs
            .filter((m): m is Extract<M, { type: 'P1a' }> => m.type === 'P1a' && m.bal > s.maxBal[a])
            .map((m) => send({ ...s, maxBal: s.maxBal.with(a, m.bal) }, { type: 'P1b', acc: a, bal: m.bal, mbal: s.maxVBal[a], mval: s.maxVal[a] }))),
        phase2a: action({ b: Bal, v: Val }, (s, { b, v }) =>
          !s.msgs.some((m) => m.type === 'P2a' && m.bal === b) && safeToPropose(s, b, v) && send(s, { type: 'P2a', bal: b, val: v })),
        phase2b: action({ a: Acc }, (s, { a }) =>
          s.msgs
            .filter((m): m is Extract<M, { type: 'P2a' }> => m.type === 'P2a' && m.bal >= s.maxBal[a])
            .map((m) => send(
              { ...s, maxBal: s.maxBal.with(a, m.bal), maxVBal: s.maxVBal.with(a, m.bal), maxVal: s.maxVal.with(a, m.val) },
              { type: 'P2b', acc: a, bal: m.bal, val: m.val },
            ))),
      },
      invariants: {
        agreement: { holds: (s) => chosen(s).size <= 1, says: 'at most one value is chosen' },
        votesProposed: {
          holds: (s) => s.msgs.every((m) => m.type !== 'P2b' || s.msgs.some((p) => p.type === 'P2a' && p.bal === m.bal && p.val === m.val)),
          says: 'an acceptor votes only for a proposed value',
        },
      },
    });
  },
});
