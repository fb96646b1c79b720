// At-most-once remote procedure calls (Birrell and Nelson, "Implementing Remote Procedure Calls",
// 1984; the at-most-once semantics of MIT 6.824's labs). A client calls the server with a request id
// (its name and a sequence number) and retries on a timer until the reply arrives, so a request may
// reach the server several times: lost and retried, retried while still on its way, or duplicated by
// the network. The server executes a request only the first time: it keeps a *reply cache* of the
// last request id it executed for each client, and answers a repeat from the cache.
//
// Safety checked: every request takes effect at most once (the server's history variable `effects`
// counts executions per request id; it stands for the world the operation changes, so it survives
// a server crash).
//
// Bug variants:
//   no-cache        the server executes every request it receives: a retry or a duplicate executes
//                   twice.
//   volatile-cache  the reply cache is kept in memory only (not `durable`): after a server crash and
//                   restart, a retry of a request executed before the crash executes again.
//
// Model bounds: `clients` clients (2) with `requests` calls each (1), one after the other; each call
// is retried at most `retries` times (2); the timers are asynchronous (a retry may go out while the
// request or its reply is still on its way). Faults come from the model files.
import { defineProtocol, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'rpc',
  description: 'at-most-once RPC: request ids, a reply cache, client retries',
  params: {
    clients: param(t.int(1, 3), 2),
    requests: param(t.int(1, 3), 1),
    retries: param(t.int(0, 3), 2),
    variant: param(t.enum('correct', 'no-cache', 'volatile-cache'), 'correct'),
  },
  build: ({ clients, requests, retries, variant }) => {
    const Client = t.enum(...Array.from({ length: clients }, (_, i) => `client${i + 1}`));
    const Seq = t.int(1, requests);
    const Msg = t.variant({
      Request: { seq: Seq }, // client -> server: execute request (from, seq)
      Reply: { seq: Seq }, //   server -> client: request (to, seq) was executed
    });
    const ClientState = t.record({
      /** The sequence number of its current call (0 before the first). */
      seq: t.int(0, requests),
      /** Its current call was answered. */
      answered: t.bool(),
      /** Retries left for the current call. */
      retries: t.int(0, retries),
    });
    /** How many times each request executed: 0, 1, or 2 for "more than once". */
    const Count = t.int(0, 2);
    const Effects = t.map(Client, t.array(Count, requests));
    const Server = t.record({
      /** The reply cache: the last request each client had executed (0: none). */
      cache: t.map(Client, t.int(0, requests)),
      /** History variable: executions per request id. */
      effects: Effects,
    });
    const none = Object.fromEntries(Client.values.map((c) => [c, 0]));

    return protocol({
      messages: Msg,
      roles: {
        client: role(Msg, ClientState, {
          count: clients,
          init: { seq: 0, answered: true, retries },
          actions: {
            // Start the next call once the previous one was answered.
            call: (s, ctx) => {
              if (!s.answered || s.seq === requests) return null;
              ctx.send('server1', { type: 'Request', seq: s.seq + 1 });
              ctx.setTimer('retry');
              return { seq: s.seq + 1, answered: false, retries };
            },
          },
          on: {
            Reply: (s, m, ctx) => {
              if (m.seq !== s.seq || s.answered) return s; // a repeat, or an answer to an older call
              ctx.cancelTimer('retry');
              return { ...s, answered: true };
            },
          },
          timers: {
            // No reply yet: send the same request again (same id).
            retry: (s, ctx) => {
              if (s.answered || s.retries === 0) return s;
              ctx.send('server1', { type: 'Request', seq: s.seq });
              if (s.retries > 1) ctx.setTimer('retry');
              return { ...s, retries: s.retries - 1 };
            },
          },
        }),
        server: role(Msg, Server, {
          count: 1,
          init: { cache: none, effects: Object.fromEntries(Client.values.map((c) => [c, Array.from({ length: requests }, () => 0)])) },
          durable: variant === 'volatile-cache' ? ['effects'] : ['cache', 'effects'],
          on: {
            Request: (s, m, ctx) => {
              const c = ctx.from as (typeof Client.values)[number];
              if (variant !== 'no-cache' && s.cache[c] >= m.seq) {
                // Executed already: answer the last one from the cache; an older one is ignored.
                if (s.cache[c] === m.seq) ctx.send(c, { type: 'Reply', seq: m.seq });
                return s;
              }
              const counts = s.effects[c];
              const effects = Effects.with(s.effects, c, counts.with(m.seq - 1, Math.min(counts[m.seq - 1] + 1, 2)));
              ctx.send(c, { type: 'Reply', seq: m.seq });
              return { cache: { ...s.cache, [c]: m.seq }, effects };
            },
          },
        }),
      },
      invariants: {
        atMostOnce: {
          holds: (g) => Object.values(g.server.server1.effects).every((counts) => counts.every((n) => n <= 1)),
          says: 'every request takes effect at most once',
        },
      },
      terminal: {
        holds: (g) => Object.values(g.client).every((c) => c.seq === requests && c.answered),
        says: 'every call was answered',
      },
    });
  },
});
