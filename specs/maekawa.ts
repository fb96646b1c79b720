// Maekawa's quorum-based mutual exclusion (M. Maekawa, "A sqrt(N) Algorithm for Mutual Exclusion
// in Decentralized Systems", ACM TOCS 3(2), 1985). Each process i has a quorum Q(i) (a "request
// set"); any two quorums intersect. A process enters once every member of its quorum has voted for
// it, and each process gives its vote to one request at a time, so two processes never both hold
// a full quorum. Here 3 processes with Q(1) = {1, 2}, Q(2) = {2, 3}, Q(3) = {3, 1}; every process is
// both a requester and a voter (a message to itself goes through the network like any other).
//
//   requester i:
//     request:   ts := highest + 1; send Request(ts) to every member of Q(i)
//     on Locked from v:   count v's vote
//     enter:     every member of Q(i) voted for it: critical section
//     exit:      send Release to every member of Q(i)
//   voter v:
//     on Request(t) from j:  if its vote is free, vote for j (send Locked); else queue j
//     on Release:            give its vote to the first queued request (by (timestamp, id)), if any
//
// The basic algorithm deadlocks: 1, 2 and 3 request at once, voter 1 votes for 3, voter 2 for 1 and
// voter 3 for 2, and each waits for the vote held by another. The full algorithm (`variant:
// inquire`) breaks such cycles with priorities, (timestamp, process id):
//
//   voter v, on Request(t) from j while its vote is with k:
//               queue j; if j's request goes before k's and before every queued request, send
//               Inquire to k (unless one is outstanding) and Failed to the queued requests j now
//               goes before; otherwise send Failed to j
//   requester i, on Failed:        note that it failed; Relinquish every vote it was inquired for
//   requester i, on Inquire from v: in its critical section: ignore it (the Release will answer).
//               Having failed: give v's vote back (Relinquish). Otherwise keep the inquiry until a
//               Failed arrives or it enters
//
// Inquire and Failed carry the timestamp of the request they are about, so a late one about an
// earlier request is ignored; an Inquire that overtook the Locked it is about waits in the network
// until the Locked has arrived (the handler leaves it in flight). (Without that wait, an Inquire
// ignored because it came first leaves its voter waiting for an answer for ever: a deadlock the
// checker finds in 15 steps.)
//   voter v, on Relinquish from k:  queue k again; give its vote to the first queued request
//
// Safety: at most one process is in its critical section. With `inquire`: no deadlock, and every
// request is eventually granted under weak fairness of delivery, enter and exit.
//
// Model bounds: 3 processes, each requesting its critical section `requests` times (1). Timestamps
// are sequence numbers as in Ricart-Agrawala (highest + 1, the clock moving only on requests), so
// the k-th request of a run has a timestamp <= k <= 3 * requests: the type holds them all and
// nothing is cut.
import { type Infer, defineProtocol, forEach, leadsTo, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'maekawa',
  description: "Maekawa's quorum mutual exclusion, basic and with INQUIRE / RELINQUISH",
  params: {
    requests: param(t.int(1, 2), 1),
    variant: param(t.enum('basic', 'inquire'), 'inquire'),
  },
  build: ({ requests, variant }) => {
    const procs = 3;
    const Proc = t.enum('process1', 'process2', 'process3');
    type Proc = (typeof Proc.values)[number];
    const quorum = (index: number): Proc[] => [Proc.values[index], Proc.values[(index + 1) % procs]];
    const Ts = t.int(0, procs * requests);
    const Msg = t.variant({
      Request: { ts: Ts }, // requester -> voter
      Locked: {}, //          voter -> requester: "you have my vote"
      Release: {}, //         requester -> voter: "I left, take your vote back"
      Inquire: { ts: Ts }, // voter -> requester holding its vote: "a request before yours (ts) came"
      Failed: { ts: Ts }, //  voter -> requester: "a request before yours (ts) holds or wants my vote"
      Relinquish: {}, //      requester -> voter: "take your vote back, I cannot enter now"
    });
    /** The pending request of each process as the voter knows it (null: none). */
    const Queue = t.map(Proc, t.nullable(Ts));
    const Local = t.record({
      // requester
      state: t.enum('idle', 'wanting', 'cs'),
      highest: Ts,
      ts: Ts,
      votes: t.set(Proc),
      failed: t.bool(),
      /** The voters whose Inquire it keeps unanswered. */
      inquiries: t.set(Proc),
      done: t.int(0, requests),
      // voter
      votedFor: t.nullable(Proc),
      /** The timestamp of the request it voted for. */
      votedTs: Ts,
      queue: Queue,
      /** An Inquire to the process it voted for is outstanding. */
      inquired: t.bool(),
    });
    type Local = Infer<typeof Local>;
    /** What the liveness properties read of the global state. */
    type G = { readonly process: Readonly<Record<string, Local>> };
    const id = (p: string) => Number(p.slice('process'.length));
    const none = Object.fromEntries(Proc.values.map((p) => [p, null])) as Infer<typeof Queue>;
    /** Does request (t, i) go before request (u, j)? */
    const before = (t: number, i: string, u: number, j: string) => t < u || (t === u && id(i) < id(j));
    /** The first queued request, by (timestamp, id). */
    const head = (q: Infer<typeof Queue>): Proc | null => {
      let best: Proc | null = null;
      for (const p of Proc.values) {
        const ts = q[p];
        if (ts !== null && (best === null || before(ts, p, q[best]!, best))) best = p;
      }
      return best;
    };
    /** The voter gives its vote to the first queued request, or keeps it free. */
    const voteNext = (s: Local, send: (to: string) => void): Local => {
      const h = head(s.queue);
      if (h === null) return { ...s, votedFor: null, votedTs: 0, inquired: false };
      send(h);
      return { ...s, votedFor: h, votedTs: s.queue[h]!, queue: Queue.with(s.queue, h, null), inquired: false };
    };

    return protocol({
      messages: Msg,
      roles: {
        process: role(Msg, Local, {
          count: procs,
          init: { state: 'idle', highest: 0, ts: 0, votes: [], failed: false, inquiries: [], done: 0, votedFor: null, votedTs: 0, queue: none, inquired: false },
          actions: {
            request: (s, ctx) => {
              if (s.state !== 'idle' || s.done === requests) return null;
              const ts = s.highest + 1;
              ctx.multicast(quorum(ctx.index), { type: 'Request', ts });
              return { ...s, state: 'wanting', highest: ts, ts, votes: [], failed: false, inquiries: [] };
            },
            enter: (s) => s.state === 'wanting' && s.votes.length === 2 && { ...s, state: 'cs', inquiries: [] },
            exit: (s, ctx) => {
              if (s.state !== 'cs') return null;
              ctx.multicast(quorum(ctx.index), { type: 'Release' });
              return { ...s, state: 'idle', votes: [], done: s.done + 1 };
            },
          },
          on: {
            // --- voter ---
            Request: (s, m, ctx): Local => {
              const j = ctx.from as Proc;
              const seen = { ...s, highest: Math.max(s.highest, m.ts) };
              if (s.votedFor === null) {
                ctx.send(j, { type: 'Locked' });
                return { ...seen, votedFor: j, votedTs: m.ts };
              }
              const queued = { ...seen, queue: Queue.with(s.queue, j, m.ts) };
              if (variant === 'basic') return queued;
              const first = Proc.values.every((p) => p === j || s.queue[p] === null || before(m.ts, j, s.queue[p]!, p));
              if (!first || !before(m.ts, j, s.votedTs, s.votedFor)) {
                ctx.send(j, { type: 'Failed', ts: m.ts });
                return queued;
              }
              for (const p of Proc.values) if (p !== j && s.queue[p] !== null) ctx.send(p, { type: 'Failed', ts: s.queue[p]! });
              if (s.inquired) return queued;
              ctx.send(s.votedFor, { type: 'Inquire', ts: s.votedTs });
              return { ...queued, inquired: true };
            },
            Release: (s, _m, ctx) => voteNext(s, (to) => ctx.send(to, { type: 'Locked' })),
            Relinquish: (s, _m, ctx) => {
              const back = { ...s, queue: Queue.with(s.queue, ctx.from as Proc, s.votedTs) };
              return voteNext(back, (to) => ctx.send(to, { type: 'Locked' }));
            },
            // --- requester ---
            Locked: (s, _m, ctx) => ({ ...s, votes: [...s.votes, ctx.from as Proc] }),
            Failed: (s, m, ctx) => {
              if (s.state !== 'wanting' || m.ts !== s.ts) return s; // about an earlier request
              ctx.multicast(s.inquiries, { type: 'Relinquish' });
              return { ...s, failed: true, votes: s.votes.filter((v) => !s.inquiries.includes(v)), inquiries: [] };
            },
            Inquire: (s, m, ctx) => {
              const v = ctx.from as Proc;
              if (s.state !== 'wanting' || m.ts !== s.ts) return s; // in the critical section, or about an earlier request
              if (!s.votes.includes(v)) return null; // v's Locked is still on its way: take this after it
              if (!s.failed) return { ...s, inquiries: [...s.inquiries, v] };
              ctx.send(v, { type: 'Relinquish' });
              return { ...s, votes: s.votes.filter((x) => x !== v) };
            },
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
      fairness: { deliver: 'weak', enter: 'weak', exit: 'weak' },
    });
  },
});
