// Mutual exclusion by a token passed around a ring (Le Lann, "Distributed Systems: Towards a Formal
// Approach", IFIP Congress 1977; Tanenbaum and van Steen, "Distributed Systems", ch. 6). The
// processes form a logical ring; a single token circulates, and only its holder may enter its
// critical section.
//
//   process i (next: process i + 1, around the ring):
//     request:         want to enter (from the noncritical section)
//     on Token:        hold the token
//     enter:           holding the token and wanting: critical section
//     exit:            leave it; send Token to next
//     pass:            holding the token and not wanting: send Token to next
//
// Safety: there is exactly one token (held by one process, or in flight), hence at most one process
// in its critical section. Liveness: every process holds the token again and again, and every
// request is eventually granted, under weak fairness of delivery, enter, exit and pass (requesting
// is not forced). A lost token (the model file's `drop`) is gone for good: nobody enters again,
// and the ring ends in a deadlock once the processes have requested.
//
// Model bounds: `procs` processes (3 or 4). Nothing is counted, so the model is finite as it is:
// processes request again and again for ever.
import { type Infer, defineProtocol, forEach, inFlight, infinitelyOften, leadsTo, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'token-ring',
  description: 'mutual exclusion by one token circulating on a ring',
  params: { procs: param(t.int(2, 5), 3) },
  build: ({ procs }) => {
    const Proc = t.enum(...Array.from({ length: procs }, (_, i) => `process${i + 1}`));
    const Msg = t.variant({ Token: {} });
    const Local = t.record({
      state: t.enum('idle', 'wanting', 'cs'),
      token: t.bool(),
    });
    /** What the liveness properties read of the global state. */
    type G = { readonly process: Readonly<Record<string, Infer<typeof Local>>> };
    const next = (index: number) => `process${((index + 1) % procs) + 1}`;

    return protocol({
      messages: Msg,
      roles: {
        process: role(Msg, Local, {
          count: procs,
          init: (_self, index) => ({ state: 'idle', token: index === 0 }),
          actions: {
            request: (s) => s.state === 'idle' && { ...s, state: 'wanting' },
            enter: (s) => s.state === 'wanting' && s.token && { ...s, state: 'cs' },
            exit: (s, ctx) => s.state === 'cs' && (ctx.send(next(ctx.index), { type: 'Token' }), { state: 'idle', token: false }),
            pass: (s, ctx) => s.state === 'idle' && s.token && (ctx.send(next(ctx.index), { type: 'Token' }), { ...s, token: false }),
          },
          on: {
            Token: (s) => ({ ...s, token: true }),
          },
        }),
      },
      invariants: {
        oneToken: {
          holds: (g) => Object.values(g.process).filter((p) => p.token).length + inFlight(g).length === 1,
          says: 'there is exactly one token (held or in flight)',
        },
        mutex: {
          holds: (g) => Object.values(g.process).filter((p) => p.state === 'cs').length <= 1,
          says: 'at most one process is in its critical section',
        },
      },
      properties: {
        holdsToken: forEach({ p: Proc }, ({ p }) =>
          infinitelyOften<G>((g) => g.process[p].token, `${p} holds the token again and again`)),
        granted: forEach({ p: Proc }, ({ p }) =>
          leadsTo<G>((g) => g.process[p].state === 'wanting', (g) => g.process[p].state === 'cs', `${p}, once it requests, enters its critical section`)),
      },
      fairness: { deliver: 'weak', enter: 'weak', exit: 'weak', pass: 'weak' },
    });
  },
});
