// Peterson's mutual-exclusion algorithm for two processes (G. L. Peterson, "Myths about the mutual
// exclusion problem", 1981). Shared memory: a flag per process and one `turn` variable.
//
//   process i (the other one is j = 1 - i):
//     ncs:     noncritical section; eventually try to enter
//     setFlag: flag[i] := true          -- "I want to enter"
//     setTurn: turn := j                -- "but you go first"
//     wait:    await !(flag[j] && turn = j)
//     cs:      critical section; leave by  flag[i] := false
//
// Every step does at most one read or one write of shared memory, so the search sees every real
// interleaving. A process blocked at `wait` has no step (its `enter` is disabled) rather than
// spinning in place; a deadlock would then be a state where both processes are blocked, which
// Peterson's algorithm never reaches. Processes go round forever, so there are no final states.
//
// The bug variant `turn-first` swaps the two writes (turn, then flag): a process can give way,
// the other one sees flag[i] still false and walks in, and then the first sees turn = i and walks
// in too.
import { type Infer, action, defineSpec, forEach, leadsTo, param, system, t } from '../checker/index.ts';

export default defineSpec({
  name: 'peterson',
  description: "Peterson's mutual exclusion for two processes",
  params: {
    /** `turn-first`: write `turn` before `flag` (the classic mistake) -> mutual exclusion fails. */
    variant: param(t.enum('correct', 'turn-first'), 'correct'),
  },
  build: ({ variant }) => {
    const Proc = t.int(0, 1);
    const Pc = t.enum('ncs', 'setFlag', 'setTurn', 'wait', 'cs');
    const State = t.record({
      flag: t.array(t.bool(), 2),
      turn: Proc,
      /** The program counter of each process: the statement it executes next. */
      pc: t.array(Pc, 2),
    });
    type S = Infer<typeof State>;
    type Stmt = Infer<typeof Pc>;

    const other = (i: number) => 1 - i;
    // The order of the entry protocol: which statement follows which.
    const next: Record<'ncs' | 'setFlag' | 'setTurn', Stmt> =
      variant === 'correct'
        ? { ncs: 'setFlag', setFlag: 'setTurn', setTurn: 'wait' }
        : { ncs: 'setTurn', setTurn: 'setFlag', setFlag: 'wait' };
    const goto = (s: S, i: number, pc: Stmt): S => ({ ...s, pc: s.pc.with(i, pc) });

    return system(State, {
      init: { flag: [false, false], turn: 0, pc: ['ncs', 'ncs'] },
      actions: {
        // Leave the noncritical section and start the entry protocol (no shared access).
        request: action({ i: Proc }, (s, { i }) => s.pc[i] === 'ncs' && goto(s, i, next.ncs)),
        setFlag: action({ i: Proc }, (s, { i }) =>
          s.pc[i] === 'setFlag' && { ...goto(s, i, next.setFlag), flag: s.flag.with(i, true) }),
        setTurn: action({ i: Proc }, (s, { i }) =>
          s.pc[i] === 'setTurn' && { ...goto(s, i, next.setTurn), turn: other(i) }),
        // The busy-wait, as one atomic test of both shared variables (as in Peterson's paper).
        enter: action({ i: Proc }, (s, { i }) => {
          const j = other(i);
          return s.pc[i] === 'wait' && !(s.flag[j] && s.turn === j) && goto(s, i, 'cs');
        }),
        // Leave the critical section: the exit protocol is one write.
        exit: action({ i: Proc }, (s, { i }) => s.pc[i] === 'cs' && { ...goto(s, i, 'ncs'), flag: s.flag.with(i, false) }),
      },
      invariants: {
        mutex: {
          holds: (s) => !(s.pc[0] === 'cs' && s.pc[1] === 'cs'),
          says: 'at most one process is in its critical section',
        },
      },
      properties: {
        // Starvation freedom: a process that has left its noncritical section eventually enters.
        starvation: forEach({ i: Proc }, ({ i }) =>
          leadsTo((s) => s.pc[i] !== 'ncs' && s.pc[i] !== 'cs', (s) => s.pc[i] === 'cs', `process ${i}, once it tries, enters its critical section`)),
      },
      // Every step of the protocol is weakly fair (per process); `request` is not: a process may
      // stay in its noncritical section for ever.
      fairness: { setFlag: 'weak', setTurn: 'weak', enter: 'weak', exit: 'weak' },
      steps: {
        turnOnlyOnSetTurn: {
          holds: (before, after, step) => before.turn === after.turn || step.action === 'setTurn',
          says: 'turn changes only on a setTurn step',
        },
      },
    });
  },
});
