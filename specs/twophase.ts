// Two-phase commit, as Gray and Lamport's TwoPhase.tla (from "Consensus on Transaction Commit"):
// a transaction manager (TM), resource managers (RMs), and a set of messages that only grows.
// Distinct-state counts equal TLC's: 288 (3 RMs), 8,832 (5), 296,448 (7), 1,745,408 (8).
import { type Infer, action, defineSpec, param, system, t } from '../checker/index.ts';

export default defineSpec({
  name: 'twophase',
  description: 'two-phase commit (Gray & Lamport TwoPhase)',
  params: {
    rms: param(t.int(1, 16), 3),
    /** `rm-commits-alone`: a prepared RM commits without waiting for the TM's decision. */
    variant: param(t.enum('correct', 'rm-commits-alone'), 'correct'),
  },
  build: ({ rms, variant }) => {
    const RM = t.enum(...Array.from({ length: rms }, (_, i) => `r${i + 1}`));
    const Message = t.variant({ Prepared: { rm: RM }, Commit: {}, Abort: {} });
    const RmState = t.map(RM, t.enum('working', 'prepared', 'committed', 'aborted'));
    const State = t.record({
      rmState: RmState,
      tmState: t.enum('init', 'committed', 'aborted'),
      tmPrepared: t.set(RM),
      msgs: t.set(Message),
    });
    type S = Infer<typeof State>;
    const all = RM.values;
    // RmState.with(m, rm, v) is { ...m, [rm]: v }, several times faster.
    const setRm = (s: S, rm: string, v: S['rmState'][string]): S => ({ ...s, rmState: RmState.with(s.rmState, rm, v) });
    const hasMsg = (s: S, type: 'Commit' | 'Abort') => s.msgs.some((m) => m.type === type);

    return system(State, {
      // The resource managers are interchangeable: a model file may declare `search.symmetry: [RM]`.
      symmetry: { RM },
      init: {
        rmState: Object.fromEntries(all.map((rm) => [rm, 'working' as const])),
        tmState: 'init',
        tmPrepared: [],
        msgs: [],
      },
      actions: {
        TMCommit: (s) => s.tmState === 'init' && s.tmPrepared.length === rms && { ...s, tmState: 'committed', msgs: [...s.msgs, { type: 'Commit' }] },
        TMAbort: (s) => s.tmState === 'init' && { ...s, tmState: 'aborted', msgs: [...s.msgs, { type: 'Abort' }] },
        TMRcvPrepared: action({ rm: RM }, (s, { rm }) =>
          s.tmState === 'init' && s.msgs.some((m) => m.type === 'Prepared' && m.rm === rm) && { ...s, tmPrepared: [...s.tmPrepared, rm] }),
        RMPrepare: action({ rm: RM }, (s, { rm }) =>
          s.rmState[rm] === 'working' && { ...setRm(s, rm, 'prepared'), msgs: [...s.msgs, { type: 'Prepared', rm }] }),
        RMChooseToAbort: action({ rm: RM }, (s, { rm }) => s.rmState[rm] === 'working' && setRm(s, rm, 'aborted')),
        RMRcvCommitMsg: action({ rm: RM }, (s, { rm }) => hasMsg(s, 'Commit') && setRm(s, rm, 'committed')),
        RMRcvAbortMsg: action({ rm: RM }, (s, { rm }) => hasMsg(s, 'Abort') && setRm(s, rm, 'aborted')),
        ...(variant === 'rm-commits-alone'
          ? { RMCommitAlone: action({ rm: RM }, (s, { rm }) => s.rmState[rm] === 'prepared' && setRm(s, rm, 'committed')) }
          : {}),
      },
      invariants: {
        TypeOK: { holds: (s) => s.tmPrepared.every((rm) => all.includes(rm)), says: 'every variable has its declared type' },
        Consistent: {
          holds: (s) => !(all.some((r) => s.rmState[r] === 'aborted') && all.some((r) => s.rmState[r] === 'committed')),
          says: 'no resource manager commits while another aborts',
        },
      },
    });
  },
});
