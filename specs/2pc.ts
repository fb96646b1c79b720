// Two-phase commit as a protocol of processes (Gray, "Notes on Data Base Operating Systems", 1978;
// Bernstein, Hadzilacos and Goodman, "Concurrency Control and Recovery in Database Systems", ch. 7).
// A coordinator asks the participants to prepare; each votes yes or no:
//
//   Phase 1  The coordinator sends Prepare to every participant. A participant votes: yes (it is now
//            *prepared*: it can no longer abort on its own) or no (it aborts at once).
//   Phase 2  With a yes from every participant the coordinator decides commit, on any no it decides
//            abort, and it tells the participants the decision, one message at a time.
//
// A participant that hears nothing before it votes aborts on its own (its vote will be no). A prepared
// participant that hears nothing runs the termination protocol: on its `decision` timer it asks the
// coordinator for the decision, and waits. If the coordinator crashed before telling it, it
// waits for ever: two-phase commit *blocks*. The model shows it as a deadlock (every live process is
// waiting; only the crashed coordinator could move things on).
//
// Safety checked: atomicity (no participant commits while another aborts) and commit validity (a
// participant commits only if every participant voted yes).
//
// Bug variant `timeout-abort`: a prepared participant whose timer fires aborts on its own instead of
// waiting. When the coordinator crashes after sending Commit to one participant, the others time out
// and abort: atomicity is violated.
//
// The timer is synchronous (`synchronous: true`): a timeout fires only when nothing else can happen,
// so it means the coordinator has crashed, not that it is slow. (With the checker's asynchronous
// timers the bug variant breaks atomicity without any crash, since a timer may fire while Commit is
// on its way.)
//
// Model bounds: one coordinator, `participants` participants (3 by default), one transaction; the
// coordinator may crash once (in the model file); participants do not crash.
import { type Infer, defineProtocol, eventually, forEach, local, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: '2pc',
  description: 'two-phase commit: a coordinator and participants exchanging messages, with a coordinator crash',
  params: {
    participants: param(t.int(1, 5), 3),
    variant: param(t.enum('correct', 'timeout-abort'), 'correct'),
  },
  build: ({ participants, variant }) => {
    const Participant = t.enum(...Array.from({ length: participants }, (_, i) => `participant${i + 1}`));
    const Msg = t.variant({
      Prepare: {}, //               coordinator -> participant: phase 1
      Vote: { yes: t.bool() }, //   participant -> coordinator
      Commit: {}, //                coordinator -> participant: the decision
      Abort: {},
      Ask: {}, //                   participant -> coordinator: "what was decided?" (termination protocol)
    });

    const Coordinator = t.record({
      /** init: not started; waiting: phase 1 sent, collecting votes; commit / abort: decided. */
      phase: t.enum('init', 'waiting', 'commit', 'abort'),
      /** The participants that voted yes so far. */
      yes: t.set(Participant),
      /** After the decision: the participants not told yet. */
      untold: t.set(Participant),
    });
    const ParticipantState = t.record({
      state: t.enum('working', 'prepared', 'committed', 'aborted'),
      /** History variable: its vote (only the properties read it). */
      voted: t.enum('none', 'yes', 'no'),
    });

    /** What the liveness property reads of the global state. */
    type G = { readonly participant: Readonly<Record<string, Infer<typeof ParticipantState>>> };

    return protocol({
      messages: Msg,
      roles: {
        coordinator: role(Msg, Coordinator, {
          count: 1,
          init: { phase: 'init', yes: [], untold: [] },
          actions: {
            // Phase 1: ask every participant to prepare.
            prepare: (s, ctx) => s.phase === 'init' && (ctx.broadcast('participant', { type: 'Prepare' }), { ...s, phase: 'waiting' }),
            // Phase 2: tell one participant the decision (a crash may come between two of these).
            notify: local({ p: Participant }, (s, { p }, ctx) => {
              if ((s.phase !== 'commit' && s.phase !== 'abort') || !s.untold.includes(p)) return null;
              ctx.send(p, { type: s.phase === 'commit' ? 'Commit' : 'Abort' });
              return { ...s, untold: s.untold.filter((x: string) => x !== p) };
            }),
          },
          on: {
            Vote: (s, m, ctx) => {
              if (s.phase !== 'waiting') return s; // a vote after an abort decision
              if (!m.yes) return { ...s, phase: 'abort', untold: Participant.values.filter((p) => p !== ctx.from) };
              const yes = [...s.yes, ctx.from as (typeof s.yes)[number]];
              return yes.length === participants ? { phase: 'commit', yes, untold: Participant.values } : { ...s, yes };
            },
            // Termination protocol: answer with the decision; before it, the decision will come anyway.
            Ask: (s, _m, ctx) => {
              if (s.phase === 'commit' || s.phase === 'abort') ctx.send(ctx.from, { type: s.phase === 'commit' ? 'Commit' : 'Abort' });
              return s;
            },
          },
        }),
        participant: role(Msg, ParticipantState, {
          count: participants,
          init: { state: 'working', voted: 'none' },
          on: {
            Prepare: (s, _m, ctx) => {
              // It gave up waiting for Prepare and aborted: its vote is no.
              if (s.state === 'aborted' && s.voted === 'none') return (ctx.send(ctx.from, { type: 'Vote', yes: false }), { ...s, voted: 'no' });
              if (s.state !== 'working') return s;
              const vote = ctx.pick(['yes', 'no'] as const);
              ctx.send(ctx.from, { type: 'Vote', yes: vote === 'yes' });
              if (vote === 'no') return { state: 'aborted', voted: 'no' };
              ctx.setTimer('decision');
              return { state: 'prepared', voted: 'yes' };
            },
            Commit: (s, _m, ctx) => (ctx.cancelTimer('decision'), { ...s, state: 'committed' }),
            Abort: (s, _m, ctx) => (ctx.cancelTimer('decision'), { ...s, state: 'aborted' }),
          },
          initTimers: ['decision'],
          timers: {
            // Nothing heard. Before voting a participant may abort on its own (the coordinator cannot
            // commit without its vote). Prepared, it must not: correct, it asks the coordinator and
            // waits; the bug variant aborts on its own.
            decision: { synchronous: true, fire: (s, ctx) => {
              if (s.state === 'working') return { ...s, state: 'aborted' };
              if (s.state !== 'prepared') return s;
              if (variant === 'timeout-abort') return { ...s, state: 'aborted' };
              ctx.send('coordinator1', { type: 'Ask' });
              return s;
            } },
          },
        }),
      },
      invariants: {
        atomicity: {
          holds: (g) => {
            const states = Object.values(g.participant).map((p) => p.state);
            return !(states.includes('committed') && states.includes('aborted'));
          },
          says: 'no participant commits while another aborts',
        },
        commitValidity: {
          holds: (g) => {
            const ps = Object.values(g.participant);
            return !ps.some((p) => p.state === 'committed') || ps.every((p) => p.voted === 'yes');
          },
          says: 'a participant commits only if every participant voted yes',
        },
      },
      // Liveness: every participant eventually learns the outcome. It holds without crashes under weak
      // fairness; with the coordinator allowed to crash it is violated: the blocking of 2PC, as a lasso.
      properties: {
        decides: forEach({ p: Participant }, ({ p }) =>
          eventually<G>((g) => g.participant[p].state === 'committed' || g.participant[p].state === 'aborted', `${p} eventually commits or aborts`)),
      },
      fairness: { '*': 'weak' },
      terminal: {
        holds: (g) => Object.values(g.participant).every((p) => p.state === 'committed' || p.state === 'aborted'),
        says: 'every participant has committed or aborted',
      },
    });
  },
});
