// Three-phase commit with its termination protocol (Skeen, "Nonblocking Commit Protocols", SIGMOD
// 1981; Skeen and Stonebraker, "A Formal Model of Crash Recovery in a Distributed System", 1983;
// Bernstein, Hadzilacos and Goodman, "Concurrency Control and Recovery in Database Systems", 7.5).
//
// Two-phase commit blocks when the coordinator crashes while a participant is uncertain (voted yes,
// no decision). Three-phase commit adds a state between: a participant is *prepared to commit* (p)
// only once every participant voted yes, so no participant can commit while another is still
// uncertain (w). States of a participant: q (initial), w (voted yes), p, c (committed), a (aborted).
//
//   1  The coordinator sends Prepare; each participant votes yes (-> w) or no (-> a).
//   2  With every vote yes it sends PreCommit; a participant moves to p and acknowledges.
//   3  With every Ack it sends Commit (-> c). Any no vote: it sends Abort (-> a).
// The coordinator sends PreCommit and its decision one participant at a time, so a crash may come
// between two of these sends.
//
// Timeouts (a site that hears nothing has crashed): the coordinator waiting for votes aborts;
// waiting for Acks it commits (the silent ones crashed after voting yes); a participant in q aborts.
// A participant in w or p runs the termination protocol: the lowest live participant (found by
// probing the lower ones one at a time, lowest first; one that does not answer has crashed, and an
// answer with a decision is adopted) becomes the backup coordinator, asks every participant its state, and applies Skeen's termination rule:
//   some participant aborted -> abort;  some committed -> commit;
//   some in p -> send PreCommit to all, wait for the Acks, then commit;  all in w -> abort.
// If the backup crashes too, the next live one takes over, with the same rule.
//
// Safety checked: atomicity (no participant commits while another aborts, crashed ones included:
// their last state counts) and commit validity. Under crash-stop (coordinator and a participant may
// crash) atomicity holds and 3PC does not block: every live participant decides (deadlock freedom).
// Under a partition it fails, the classic result: the coordinator's side has a participant in p and
// commits on timeout, while the other side, all in w, elects its own backup and aborts.
//
// Bug variant `local-rule`: no termination protocol; a participant that times out decides from its
// own state alone (p -> commit, w -> abort). A coordinator crash between two PreCommits breaks it.
//
// The timeouts are synchronous (`synchronous: true`): they fire only when nothing else can
// happen, i.e. the awaited site crashed or a partition cut it off; 3PC assumes exactly that (with
// asynchronous timeouts it fails without any fault). Model bounds: one coordinator and
// `participants` participants (3), one transaction; faults come from the model files.
import { type Infer, defineProtocol, local, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: '3pc',
  description: 'three-phase commit with timeouts and the termination protocol (Skeen)',
  params: {
    participants: param(t.int(2, 4), 3),
    variant: param(t.enum('correct', 'local-rule'), 'correct'),
  },
  build: ({ participants, variant }) => {
    const Participant = t.enum(...Array.from({ length: participants }, (_, i) => `participant${i + 1}`));
    type Participant = (typeof Participant.values)[number];
    const St = t.enum('q', 'w', 'p', 'a', 'c');
    type St = (typeof St.values)[number];
    const Msg = t.variant({
      Prepare: {}, //                    coordinator -> participant
      Vote: { yes: t.bool() }, //        participant -> coordinator
      PreCommit: {}, //                  coordinator or backup -> participant
      Ack: {}, //                        participant -> coordinator or backup
      Commit: {}, //                     the decision
      Abort: {},
      Probe: {}, //                      termination: "are you alive, what is your state?"
      ProbeReply: { st: St },
      StateReq: {}, //                   termination: the backup asks every participant its state
      StateRep: { st: St },
    });
    const Coordinator = t.record({
      phase: t.enum('q', 'w', 'p', 'c', 'a'),
      yes: t.set(Participant),
      acks: t.set(Participant),
      /** The participants not yet sent this phase's message (PreCommit, or the decision): the
       *  coordinator sends them one at a time, so a crash can come in the middle. */
      untold: t.set(Participant),
    });
    const ParticipantState = t.record({
      st: St,
      /** History variable: it voted yes. */
      votedYes: t.bool(),
      /** Termination: waiting for the coordinator (normal), probing the lower participants, waiting
       *  for a lower one to act as backup (deferring), or acting as backup (collecting states, then
       *  precommitting). */
      mode: t.enum('normal', 'probing', 'deferring', 'collecting', 'precommitting'),
      /** As backup: the states reported. */
      seen: t.set(St),
      /** Termination: the lower participants found crashed (they did not answer a Probe). */
      dead: t.set(Participant),
    });
    type P = Infer<typeof ParticipantState>;
    const decided = (st: St): boolean => st === 'a' || st === 'c';

    return protocol({
      messages: Msg,
      // Messages to a crashed participant stay in flight, and a termination round sends to everyone.
      capacity: 32,
      roles: {
        coordinator: role(Msg, Coordinator, {
          count: 1,
          init: { phase: 'q', yes: [], acks: [], untold: [] },
          actions: {
            start: (s, ctx) => s.phase === 'q' && (ctx.broadcast('participant', { type: 'Prepare' }), ctx.setTimer('timeout'), { ...s, phase: 'w' }),
            tell: local({ p: Participant }, (s, { p }, ctx) => {
              if (!s.untold.includes(p)) return null;
              ctx.send(p, { type: s.phase === 'p' ? 'PreCommit' : s.phase === 'c' ? 'Commit' : 'Abort' });
              return { ...s, untold: s.untold.filter((x: Participant) => x !== p) };
            }),
          },
          on: {
            Vote: (s, m, ctx) => {
              if (s.phase !== 'w') return s;
              if (!m.yes) return (ctx.cancelTimer('timeout'), { ...s, phase: 'a', untold: Participant.values });
              const yes = [...s.yes, ctx.from as Participant];
              if (yes.length < participants) return { ...s, yes };
              return { ...s, yes, phase: 'p', untold: Participant.values };
            },
            Ack: (s, _m, ctx) => {
              if (s.phase !== 'p' || s.acks.includes(ctx.from as Participant)) return s;
              const acks = [...s.acks, ctx.from as Participant];
              if (acks.length < participants) return { ...s, acks };
              ctx.cancelTimer('timeout');
              return { ...s, acks, phase: 'c', untold: Participant.values };
            },
          },
          timers: {
            // Waiting for votes: a participant crashed, abort. Waiting for Acks: the silent ones
            // crashed after voting yes, commit.
            timeout: { synchronous: true, fire: (s, ctx) => {
              if (s.phase === 'w') return { ...s, phase: 'a', untold: Participant.values };
              if (s.phase === 'p') return { ...s, phase: 'c', untold: Participant.values };
              return s;
            } },
          },
        }),
        participant: role(Msg, ParticipantState, {
          count: participants,
          init: { st: 'q', votedYes: false, mode: 'normal', seen: [], dead: [] },
          initTimers: ['timeout'],
          on: {
            Prepare: (s, _m, ctx) => {
              if (s.st === 'a' && !s.votedYes) return (ctx.send(ctx.from, { type: 'Vote', yes: false }), s); // gave up waiting
              if (s.st !== 'q') return s;
              const yes = ctx.pick([true, false]);
              ctx.send(ctx.from, { type: 'Vote', yes });
              if (!yes) return (ctx.cancelTimer('timeout'), { ...s, st: 'a' });
              return { ...s, st: 'w', votedYes: true };
            },
            PreCommit: (s, _m, ctx) => {
              if (s.st !== 'w' && s.st !== 'p') return s;
              ctx.send(ctx.from, { type: 'Ack' });
              return { ...s, st: 'p' };
            },
            Ack: (s) => s, // a backup waits for the Acks by timeout
            Commit: (s, _m, ctx) => (decided(s.st) ? s : (ctx.cancelTimer('timeout'), { ...s, st: 'c' })),
            Abort: (s, _m, ctx) => (decided(s.st) ? s : (ctx.cancelTimer('timeout'), { ...s, st: 'a' })),
            Probe: (s, _m, ctx) => (ctx.send(ctx.from, { type: 'ProbeReply', st: s.st }), s),
            ProbeReply: (s, m, ctx) => {
              if (decided(s.st)) return s;
              if (decided(m.st)) return (ctx.cancelTimer('timeout'), { ...s, st: m.st }); // adopt the decision
              return s.mode === 'probing' ? { ...s, mode: 'deferring' } : s; // a lower one is alive
            },
            StateReq: (s, _m, ctx) => {
              ctx.send(ctx.from, { type: 'StateRep', st: s.st });
              return decided(s.st) || s.mode === 'collecting' || s.mode === 'precommitting' ? s : { ...s, mode: 'deferring' };
            },
            StateRep: (s, m) => (s.mode === 'collecting' && !s.seen.includes(m.st) ? { ...s, seen: [...s.seen, m.st] } : s),
          },
          timers: {
            timeout: { synchronous: true, fire: (s, ctx) => {
              if (decided(s.st)) return s;
              if (s.st === 'q') return { ...s, st: 'a' }; // no Prepare came: abort on its own
              if (variant === 'local-rule') return { ...s, st: s.st === 'p' ? 'c' : 'a' }; // the bug: no termination protocol
              ctx.setTimer('timeout');
              const becomeBackup = (dead: readonly Participant[]): P => {
                for (const o of ctx.others('participant')) if (!dead.includes(o as Participant)) ctx.send(o, { type: 'StateReq' });
                return { ...s, mode: 'collecting', seen: [], dead };
              };
              /** Probe the lowest lower participant not known to have crashed; none left: be the backup. */
              const probeNext = (dead: readonly Participant[]): P => {
                const next = Participant.values.slice(0, ctx.index).find((x) => !dead.includes(x));
                if (next === undefined) return becomeBackup(dead);
                ctx.send(next, { type: 'Probe' });
                return { ...s, mode: 'probing', dead };
              };
              switch (s.mode) {
                case 'normal':
                case 'deferring': // the coordinator (or the backup) is gone: find the lowest live participant
                  return probeNext(s.dead);
                case 'probing': { // no answer: the probed one crashed
                  const gone = Participant.values.slice(0, ctx.index).find((x) => !s.dead.includes(x))!;
                  return probeNext([...s.dead, gone]);
                }
                case 'collecting': {
                  // Skeen's termination rule over its own state and those reported.
                  const all = [...s.seen, s.st];
                  const decide = (st: 'a' | 'c') => {
                    ctx.cancelTimer('timeout');
                    ctx.broadcast('participant', { type: st === 'c' ? 'Commit' : 'Abort' }, { self: false });
                    return { ...s, st, mode: 'normal' as const, seen: [] };
                  };
                  if (all.includes('a')) return decide('a');
                  if (all.includes('c')) return decide('c');
                  if (!all.includes('p')) return decide('a'); // every one uncertain: none can have committed
                  ctx.broadcast('participant', { type: 'PreCommit' }, { self: false });
                  return { ...s, st: 'p', mode: 'precommitting', seen: [] };
                }
                case 'precommitting': {
                  ctx.cancelTimer('timeout');
                  ctx.broadcast('participant', { type: 'Commit' }, { self: false });
                  return { ...s, st: 'c', mode: 'normal', seen: [] };
                }
              }
            } },
          },
        }),
      },
      invariants: {
        atomicity: {
          holds: (g) => {
            const sts = Object.values(g.participant).map((p) => p.st);
            return !(sts.includes('c') && sts.includes('a'));
          },
          says: 'no participant commits while another aborts',
        },
        commitValidity: {
          holds: (g) => {
            const ps = Object.values(g.participant);
            return !ps.some((p) => p.st === 'c') || ps.every((p) => p.votedYes);
          },
          says: 'a participant commits only if every participant voted yes',
        },
      },
      terminal: {
        holds: (g) => Object.entries(g.participant).every(([pid, p]) => decided(p.st) || (g.down ?? []).includes(pid)),
        says: 'every live participant has decided',
      },
    });
  },
});
