// Suzuki and Kasami's token-based mutual exclusion (I. Suzuki and T. Kasami, "A Distributed Mutual
// Exclusion Algorithm", ACM TOCS 3(4), 1985). A single token carries the right to enter; a process
// without it broadcasts a numbered request, and the holder passes the token on.
//
//   process i:  RN[j]: the highest request number heard from j (RN[i]: its own)
//   token:      LN[j]: the number of j's last request served; Q: the processes waiting for it
//
//     request:  holding the (idle) token: critical section at once. Otherwise RN[i] := RN[i] + 1;
//               send Request(RN[i]) to every other process
//     on Request(n) from j:  RN[j] := max(RN[j], n);
//               if it holds the token, is not in its critical section and RN[j] = LN[j] + 1
//               (j's request is outstanding): send Token(LN, Q) to j
//     on Token(LN, Q):  hold it; critical section
//     exit:     LN[i] := RN[i]; append to Q every j not in it with RN[j] = LN[j] + 1;
//               if Q is not empty, send Token(LN, tail of Q) to the head of Q
//
// Safety: the token is unique (held by one process or in flight), so at most one process is in
// its critical section. Liveness: every request is eventually granted, under weak fairness of
// delivery and exit (requesting is not forced).
//
// Bug variant `rn-overwrite`: RN[j] := n instead of max(RN[j], n). An old Request of j that arrives
// late (the network is unordered) takes RN[j] back, so the holder believes j's newer request was
// already served and keeps the token: j waits for ever.
//
// Model bounds: `procs` processes (3), each requesting its critical section `requests` times (2:
// the bug needs a second request). Request numbers are at most `requests`, so the type holds them
// all and nothing is cut.
import { type Infer, defineProtocol, forEach, inFlight, leadsTo, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'suzuki-kasami',
  description: "Suzuki and Kasami's broadcast token algorithm with request numbers",
  params: {
    procs: param(t.int(2, 4), 3),
    requests: param(t.int(1, 3), 2),
    variant: param(t.enum('correct', 'rn-overwrite'), 'correct'),
  },
  build: ({ procs, requests, variant }) => {
    const Proc = t.enum(...Array.from({ length: procs }, (_, i) => `process${i + 1}`));
    type Proc = (typeof Proc.values)[number];
    const N = t.int(0, requests);
    const Numbers = t.array(N, procs);
    const Token = t.record({ ln: Numbers, q: t.seq(Proc, procs) });
    type Token = Infer<typeof Token>;
    const Msg = t.variant({
      Request: { n: N }, //                   "this is my request number n"
      Token: { ln: Numbers, q: t.seq(Proc, procs) }, // the token itself
    });
    const Local = t.record({
      state: t.enum('idle', 'wanting', 'cs'),
      rn: Numbers,
      /** The token, when it holds it. */
      token: t.nullable(Token),
      /** How many times it has been in its critical section. */
      done: t.int(0, requests),
    });
    type Local = Infer<typeof Local>;
    /** What the liveness properties read of the global state. */
    type G = { readonly process: Readonly<Record<string, Local>> };
    const ix = (p: string) => Number(p.slice('process'.length)) - 1;
    const outstanding = (rn: readonly number[], ln: readonly number[], j: number) => rn[j] === ln[j] + 1;

    return protocol({
      messages: Msg,
      roles: {
        process: role(Msg, Local, {
          count: procs,
          init: (_self, index) => ({ state: 'idle', rn: Array(procs).fill(0), token: index === 0 ? { ln: Array(procs).fill(0), q: [] } : null, done: 0 }),
          actions: {
            request: (s, ctx): Local | null => {
              if (s.state !== 'idle' || s.done === requests) return null;
              if (s.token !== null) return { ...s, state: 'cs' };
              const n = s.rn[ctx.index] + 1;
              ctx.broadcast('process', { type: 'Request', n }, { self: false });
              return { ...s, state: 'wanting', rn: s.rn.with(ctx.index, n) };
            },
            exit: (s, ctx): Local | null => {
              if (s.state !== 'cs' || s.token === null) return null;
              const ln = s.token.ln.with(ctx.index, s.rn[ctx.index]);
              const q = [...s.token.q, ...Proc.values.filter((j, k) => k !== ctx.index && !s.token!.q.includes(j) && outstanding(s.rn, ln, k))];
              const done = s.done + 1;
              if (q.length === 0) return { ...s, state: 'idle', token: { ln, q }, done };
              ctx.send(q[0], { type: 'Token', ln, q: q.slice(1) });
              return { ...s, state: 'idle', token: null, done };
            },
          },
          on: {
            Request: (s, m, ctx): Local => {
              const j = ix(ctx.from);
              const rn = s.rn.with(j, variant === 'rn-overwrite' ? m.n : Math.max(s.rn[j], m.n));
              if (s.token !== null && s.state === 'idle' && outstanding(rn, s.token.ln, j)) {
                ctx.send(ctx.from, { type: 'Token', ln: s.token.ln, q: s.token.q });
                return { ...s, rn, token: null };
              }
              return { ...s, rn };
            },
            Token: (s, m): Local => ({ ...s, state: s.state === 'wanting' ? 'cs' : s.state, token: { ln: m.ln, q: m.q } }),
          },
        }),
      },
      invariants: {
        oneToken: {
          holds: (g) => Object.values(g.process).filter((p) => p.token !== null).length + inFlight(g).filter((e) => (e.msg as { type: string }).type === 'Token').length === 1,
          says: 'there is exactly one token (held or in flight)',
        },
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
