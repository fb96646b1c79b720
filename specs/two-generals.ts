// The two generals problem (Akkoyunlu, Ekanadham and Huber, 1975; Gray, "Notes on Data Base
// Operating Systems", 1978, as the coordinated attack problem). Two generals must both attack or
// both stay, and can talk only through messengers who may be caught. No protocol solves it: take a
// run where both attack and the fewest messages got through, and lose its last message; the sender
// of that message cannot tell the difference, so it still attacks, and the receiver, with less
// information, must decide otherwise or else the last message was not needed.
//
// The protocol modelled: general1 sends the order (message 0); each message n < k received is
// acknowledged with message n + 1, back to its sender: k rounds of acknowledgements, k + 1 messages.
// Each general attacks at its deadline if it has received the last message the protocol sends it,
// and stays otherwise. "Both attack or neither" is refuted for every k under one lost message, and the
// counterexample loses the last message: losing an earlier one stops the exchange, and then neither
// general attacks.
//
// The deadline is a synchronous timer (`synchronous: true`): it fires only once no messenger can
// arrive any more, so a general decides on everything it can ever hear, and the only way to disagree
// is a lost message. Model bounds: 2 generals, k from the parameter, one drop (in the model files).
import { defineProtocol, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'two-generals',
  description: 'the two generals: k rounds of acknowledgements over a lossy link',
  params: {
    /** Rounds of acknowledgements after the order. */
    k: param(t.int(0, 6), 1),
  },
  build: ({ k }) => {
    const Msg = t.variant({ Messenger: { n: t.int(0, k) } });
    const General = t.record({
      /** general1 has sent the order. */
      ordered: t.bool(),
      /** The highest message received (-1: none). */
      heard: t.int(-1, k),
      decision: t.enum('undecided', 'attack', 'stay'),
    });
    /** The last message the protocol sends to general `i` (0 or 1), or -1 when it sends none. */
    const lastTo = (i: number): number => {
      let n = k;
      while (n >= 0 && n % 2 !== (i === 1 ? 0 : 1)) n--;
      return n;
    };
    const other = (self: string): string => (self === 'general1' ? 'general2' : 'general1');

    return protocol({
      messages: Msg,
      roles: {
        general: role(Msg, General, {
          count: 2,
          init: { ordered: false, heard: -1, decision: 'undecided' },
          initTimers: ['deadline'],
          actions: {
            // general1 sends the order to attack.
            order: (s, ctx) => ctx.index === 0 && !s.ordered && s.decision === 'undecided' && (ctx.send('general2', { type: 'Messenger', n: 0 }), { ...s, ordered: true }),
          },
          on: {
            Messenger: (s, m, ctx) => {
              if (s.decision !== 'undecided') return s; // too late
              if (m.n < k) ctx.send(other(ctx.self), { type: 'Messenger', n: m.n + 1 });
              return { ...s, heard: m.n };
            },
          },
          timers: {
            // The deadline: attack if the last message for me arrived (general1 also needs to have
            // given the order; with k = 0 it hears nothing back).
            deadline: { synchronous: true, fire: (s, ctx) => {
              const attack = s.heard >= lastTo(ctx.index) && (ctx.index === 1 || s.ordered);
              return { ...s, decision: attack ? 'attack' : 'stay' };
            } },
          },
        }),
      },
      invariants: {
        agreement: {
          holds: (g) => {
            const ds = Object.values(g.general).map((x) => x.decision);
            return !(ds.includes('attack') && ds.includes('stay'));
          },
          says: 'both generals attack or neither does',
        },
      },
      terminal: { holds: (g) => Object.values(g.general).every((x) => x.decision !== 'undecided'), says: 'both generals decided' },
    });
  },
});
