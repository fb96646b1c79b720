// Single-decree Paxos, as in Lamport's "Paxos Made Simple" (2001), written as processes that exchange
// messages. Proposers try to get a value chosen; acceptors vote. Each attempt is a numbered *ballot*
// and runs in two phases:
//
//   Phase 1a  A proposer picks a ballot b and sends Prepare(b) to a majority of the acceptors.
//   Phase 1b  An acceptor that has not promised a ballot >= b promises b: from now on it takes part
//             in no ballot below b. With the promise it reports the last vote it cast (the ballot
//             and value it last accepted), if any.
//   Phase 2a  With promises from a majority, the proposer picks the value of the highest-ballot vote
//             among those promises, or its own value if none of them ever voted, and sends
//             Accept(b, v) to the acceptors that promised.
//   Phase 2b  An acceptor that has not promised a ballot above b accepts: it votes for v in ballot b.
//
// A value is *chosen* once a majority of acceptors have voted for it in the same ballot. The safety
// properties checked are that at most one value is ever chosen (agreement), and that a chosen value
// is one some proposer proposed (validity). Why phase 2a must pick the highest reported vote: say v
// was chosen in a ballot c < b. Any two majorities share an acceptor, so some acceptor that promised
// b voted for v in c, and the highest vote reported is in a ballot >= c; by induction on the ballots,
// every vote in a ballot from c to b-1 is for v, so that highest vote is for v too.
//
// Liveness: `eventuallyChosen` (some value is eventually chosen) assumes weak fairness of each
// proposer's prepare and of the delivery of each message. With one proposer that waits for its
// replies (retry: nack) it holds. With proposers that retry on a timeout (retry: timeout) it fails
// even without any fault: the replies can always come just after the timeout, and the proposers
// abandon ballot after ballot, pre-empting each other (dueling proposers: the behaviour the FLP
// result says no asynchronous consensus protocol can rule out). Ballots are bounded by maxBallot, so
// the lasso ends with the proposers out of ballots and nothing chosen; with more ballots the same
// goes on longer. Beware the bound in the other direction: with retry: nack and two proposers the
// model satisfies eventuallyChosen only because the highest ballot cannot be pre-empted, while with
// unbounded ballots the two can duel for ever. Real systems elect a leader for this reason.
//
// Modelling choices that keep the state space small (370,765 states with the defaults):
//   - Ballots are 0..maxBallot; proposer i owns the ballots b with b mod proposers = i-1 (with two
//     proposers: proposer1 has 0, 2, ...; proposer2 has 1, 3, ...), so no two proposers share one.
//   - A proposer sends each phase to a majority only: Prepare to a majority of its choosing (the
//     action's parameter), Accept to the acceptors that promised. Lamport's paper does the same.
//   - An acceptor that refuses a Prepare or an Accept tells the proposer with a Nack (an
//     optimization the paper suggests right after stating the algorithm). A proposer abandons its
//     ballot only on a Nack, and then starts its next own ballot, until it runs out of ballots. No
//     message is lost here, so a Nack is the only reason a ballot can get stuck. (Retrying at any
//     moment, as on a timeout, also satisfies both properties, in an eight times larger state space.)
//   - Messages about an abandoned ballot are consumed and ignored.
//   - Acceptors keep a history variable `votes`, every vote they ever cast. Real acceptors need only
//     their last vote; the history exists so that "chosen" can be stated. (It plays the role of the
//     2b messages in Lamport's TLA+ spec Paxos.tla, so no learner process is modelled.)
//
// Faults come from the model file (paxos-faults.yaml, paxos-restart.yaml): acceptors may crash,
// messages may be lost or duplicated. An acceptor's promise and votes are on stable storage
// (`durable`), so an acceptor that restarts still keeps its promises.
//
// Three deliberately wrong variants show what the checks of the algorithm are for; in each, two
// different values can be chosen:
//   accept-below-promise  an acceptor accepts Accept(b, v) even after promising a ballot above b.
//   ignore-accepted       a proposer always proposes its own value, ignoring the votes reported in
//                         the promises it collected.
//   forget-promise        an acceptor keeps its promise in volatile memory only: after a crash and
//                         restart it has forgotten it (needs the restart fault).
import { type Infer, defineProtocol, eventually, local, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'paxos',
  description: 'single-decree Paxos (Lamport, Paxos Made Simple): proposers and acceptors exchanging messages',
  params: {
    acceptors: param(t.int(1, 5), 3),
    proposers: param(t.int(1, 3), 2),
    values: param(t.int(1, 3), 2),
    /** The highest ballot: ballots 0..maxBallot are dealt out round-robin to the proposers. */
    maxBallot: param(t.int(0, 8), 3),
    variant: param(t.enum('correct', 'accept-below-promise', 'ignore-accepted', 'forget-promise'), 'correct'),
    /** When a proposer abandons its ballot: on a Nack only, or also on a timeout (at any moment
     *  while it waits for replies, as a proposer that cannot tell slow acceptors from dead ones). */
    retry: param(t.enum('nack', 'timeout'), 'nack'),
  },
  build: ({ acceptors, proposers, values, maxBallot, variant, retry }) => {
    // --- types -------------------------------------------------------------------------------------
    const AcceptorPid = t.enum(...Array.from({ length: acceptors }, (_, i) => `acceptor${i + 1}`));
    const Value = t.enum(...Array.from({ length: values }, (_, i) => `v${i + 1}`));
    const Ballot = t.int(0, maxBallot);
    /** A ballot, or -1 for "none yet" (as `maxBal = -1` in Paxos.tla). */
    const BallotOrNone = t.int(-1, maxBallot);
    /** A vote: an acceptor accepted value `val` in ballot `bal`. */
    const Vote = t.record({ bal: Ballot, val: Value });
    type Vote = Infer<typeof Vote>;

    const Msg = t.variant({
      Prepare: { bal: Ballot }, //                         phase 1a, proposer -> acceptor
      Promise: { bal: Ballot, last: t.nullable(Vote) }, //   phase 1b, acceptor -> proposer
      Accept: { bal: Ballot, val: Value }, //                phase 2a, proposer -> acceptor
      Nack: { bal: Ballot }, //                              "I promised a higher ballot than bal"
    });

    const Proposer = t.record({
      /** The value it proposes when it is free to choose (its input; it never changes). */
      input: Value,
      /** Its current ballot; -1 before it starts. */
      ballot: BallotOrNone,
      /** idle: not started yet; preparing: phase 1 of `ballot`; accepting: it has sent phase 2a of
       *  `ballot`; preempted: an acceptor refused `ballot`, so it may start its next one. */
      phase: t.enum('idle', 'preparing', 'accepting', 'preempted'),
      /** Phase 1: the acceptors that promised `ballot`, and the highest-ballot vote they reported. */
      promises: t.set(AcceptorPid),
      highest: t.nullable(Vote),
    });
    type Proposer = Infer<typeof Proposer>;

    const Acceptor = t.record({
      /** The highest ballot it promised (maxBal in Paxos.tla); it takes part in no lower one. */
      promised: BallotOrNone,
      /** Its last vote (maxVBal and maxVal), reported with its promises. */
      last: t.nullable(Vote),
      /** History variable: every vote it ever cast. Only the properties read it. */
      votes: t.set(Vote),
    });
    type Acceptor = Infer<typeof Acceptor>;

    // --- helpers -------------------------------------------------------------------------------------
    const majority = Math.floor(acceptors / 2) + 1;
    /** The smallest majorities of acceptors, by name (`acceptor1+acceptor2`, ...): where a proposer
     *  may send its Prepare. Any two of them share an acceptor, which is what Paxos relies on. */
    const subsets = (from: readonly string[], k: number): string[][] =>
      k === 0 ? [[]] : from.flatMap((x, i) => subsets(from.slice(i + 1), k - 1).map((rest) => [x, ...rest]));
    const quorums = new Map(subsets(AcceptorPid.values, majority).map((q) => [q.join('+'), q]));
    const Quorum = t.enum(...quorums.keys());

    /** Proposer i (counting from 0) owns ballots i, i + proposers, i + 2*proposers, ... */
    const nextBallot = (s: Proposer, i: number): number => (s.ballot < 0 ? i : s.ballot + proposers);
    /** Of two votes (or none), the one with the higher ballot. */
    const higher = (a: Vote | null, b: Vote | null): Vote | null => (a === null ? b : b === null || a.bal >= b.bal ? a : b);
    const hasVote = (votes: readonly Vote[], v: Vote): boolean => votes.some((w) => w.bal === v.bal && w.val === v.val);

    /** The values chosen in some ballot: a majority of acceptors voted for the same (ballot, value). */
    const chosen = (acc: Readonly<Record<string, Acceptor>>): string[] => {
      const all = Object.values(acc);
      const out = new Set<string>();
      for (const a of all) {
        for (const v of a.votes) if (all.filter((x) => hasVote(x.votes, v)).length >= majority) out.add(v.val);
      }
      return [...out];
    };

    return protocol({
      messages: Msg,
      // Each ballot has at most a majority of messages in flight (Prepares, then Promises or Nacks,
      // then Accepts, then Nacks), and there are maxBallot + 1 ballots.
      capacity: (maxBallot + 1) * majority,
      roles: {
        proposer: role(Msg, Proposer, {
          count: proposers,
          init: (_self, i) => ({ input: Value.values[i % values], ballot: -1, phase: 'idle', promises: [], highest: null }),
          actions: {
            // Phase 1a: start the first ballot, or the next one after being pre-empted.
            prepare: local({ quorum: Quorum }, (s, { quorum }, ctx) => {
              if (s.phase !== 'idle' && s.phase !== 'preempted') return null;
              const b = nextBallot(s, ctx.peers('proposer').indexOf(ctx.self));
              if (b > maxBallot) return null; // out of ballots: this proposer gives up
              for (const a of quorums.get(quorum)!) ctx.send(a, { type: 'Prepare', bal: b });
              return { ...s, ballot: b, phase: 'preparing', promises: [], highest: null };
            }),
            // The replies are late: give up this ballot, as on a timeout (only with retry: timeout).
            ...(retry === 'timeout' ? { abandon: (s: Proposer) => (s.phase === 'preparing' || s.phase === 'accepting') && { ...s, phase: 'preempted' as const, promises: [], highest: null } } : {}),
          },
          on: {
            // Phase 1b arrives: count the promise; with a majority, go on to phase 2a.
            Promise: (s, m, ctx) => {
              if (s.phase !== 'preparing' || m.bal !== s.ballot) return s; // about an abandoned ballot
              if (s.promises.includes(ctx.from)) return s; // (cannot happen: one Prepare per acceptor)
              const promises = [...s.promises, ctx.from];
              const highest = higher(s.highest, m.last);
              if (promises.length < majority) return { ...s, promises, highest };
              // The heart of Paxos: a value may already be chosen in a lower ballot, and if so it is
              // the value of the highest vote reported by this majority. The bug variant ignores it.
              const val = highest !== null && variant !== 'ignore-accepted' ? highest.val : s.input;
              for (const a of promises) ctx.send(a, { type: 'Accept', bal: s.ballot, val });
              return { ...s, phase: 'accepting', promises: [], highest: null };
            },
            // An acceptor promised a higher ballot: abandon this one.
            Nack: (s, m) => {
              if (m.bal !== s.ballot || s.phase === 'preempted') return s; // already abandoned
              return { ...s, phase: 'preempted', promises: [], highest: null };
            },
          },
        }),
        acceptor: role(Msg, Acceptor, {
          count: acceptors,
          init: { promised: -1, last: null, votes: [] },
          // What survives a crash. `votes` is a history variable, not the acceptor's memory: it
          // records what happened, so it is never forgotten.
          durable: variant === 'forget-promise' ? ['last', 'votes'] : ['promised', 'last', 'votes'],
          on: {
            // Phase 1a arrives: promise a ballot above any promised so far, else refuse it.
            Prepare: (s, m, ctx) => {
              if (m.bal <= s.promised) {
                ctx.send(ctx.from, { type: 'Nack', bal: m.bal });
                return s;
              }
              ctx.send(ctx.from, { type: 'Promise', bal: m.bal, last: s.last });
              return { ...s, promised: m.bal };
            },
            // Phase 2a arrives: vote unless a higher ballot was promised. The bug variant forgets
            // that check, and so breaks the promise it made in phase 1b.
            Accept: (s, m, ctx) => {
              if (m.bal < s.promised && variant !== 'accept-below-promise') {
                ctx.send(ctx.from, { type: 'Nack', bal: m.bal });
                return s;
              }
              const vote = { bal: m.bal, val: m.val };
              return { promised: Math.max(s.promised, m.bal), last: vote, votes: hasVote(s.votes, vote) ? s.votes : [...s.votes, vote] };
            },
          },
        }),
      },
      invariants: {
        agreement: {
          holds: (g) => chosen(g.acceptor).length <= 1,
          says: 'at most one value is chosen (voted for by a majority of acceptors in one ballot)',
        },
        validity: {
          holds: (g) => {
            const inputs = Object.values(g.proposer).map((p) => p.input);
            return chosen(g.acceptor).every((v) => inputs.includes(v));
          },
          says: 'a chosen value is the input of some proposer',
        },
      },
      properties: {
        // (In a protocol, name the part of the global state a temporal property reads.)
        eventuallyChosen: eventually((g: { readonly acceptor: Readonly<Record<string, Acceptor>> }) => chosen(g.acceptor).length > 0, 'some value is chosen'),
      },
      // A proposer that can start a ballot eventually does; a message in flight is eventually delivered.
      fairness: { 'proposer.prepare': 'weak', deliver: 'weak' },
    });
  },
});
