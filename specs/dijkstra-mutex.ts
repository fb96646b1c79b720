// Dijkstra's mutual exclusion for N processes (E. W. Dijkstra, "Solution of a problem in concurrent
// programming control", CACM 1965), the first solution for N processes. Shared memory: b[i] and
// c[i] per process (true when at rest) and k, the process that has the "turn".
//
//   process i:
//     ncs:  noncritical section; eventually (or never) try to enter, by  b[i] := false
//     Li1:  if k != i goto Li2 else goto Li4a
//     Li2:  c[i] := true
//     Li3a: temp := k
//     Li3b: if b[temp] goto Li3c else goto Li1       -- the holder of the turn is at rest
//     Li3c: k := i; goto Li1                          -- take the turn
//     Li4a: c[i] := false
//     Li4b: for each j != i: if not c[j] goto Li1     -- someone else is past Li4a: try again
//     cs:   critical section; leave by  c[i] := true
//     Li6:  b[i] := true; back to ncs
//
// Each step does one read or one write of shared memory. Every step but leaving the noncritical
// section is weakly fair (per process). The algorithm guarantees mutual exclusion and deadlock
// freedom (when some process tries, some process enters), but not starvation freedom: a process
// can lose the race at Li4b for ever while the others keep entering.
import { type Infer, action, defineSpec, forEach, leadsTo, param, system, t } from '../checker/index.ts';

export default defineSpec({
  name: 'dijkstra-mutex',
  description: "Dijkstra's 1965 mutual exclusion for N processes",
  params: { procs: param(t.int(2, 4), 3) },
  build: ({ procs }) => {
    const Proc = t.int(0, procs - 1);
    const Pc = t.enum('ncs', 'Li1', 'Li2', 'Li3a', 'Li3b', 'Li3c', 'Li4a', 'Li4b', 'cs', 'Li6');
    /** pc, and temp: the process read at Li3a, or the j of the loop at Li4b (0 when unused). */
    const Local = t.record({ pc: Pc, temp: Proc });
    const State = t.record({ b: t.array(t.bool(), procs), c: t.array(t.bool(), procs), k: Proc, local: t.array(Local, procs) });
    type S = Infer<typeof State>;
    type L = Infer<typeof Local>;
    const at = (s: S, i: number, pc: L['pc']) => s.local[i].pc === pc;
    const go = (s: S, i: number, pc: L['pc'], temp = 0): S => ({ ...s, local: s.local.with(i, { pc, temp }) });
    const firstOther = (i: number) => (i === 0 ? 1 : 0);
    const nextOther = (i: number, j: number) => (j + 1 === i ? j + 2 : j + 1);
    const rest = Array.from({ length: procs }, () => true);
    /** Trying to enter: past the noncritical section and not yet in the critical section. */
    const trying = (s: S, i: number) => !['ncs', 'cs', 'Li6'].includes(s.local[i].pc);

    return system(State, {
      init: { b: rest, c: rest, k: 0, local: Array.from({ length: procs }, (): L => ({ pc: 'ncs', temp: 0 })) },
      actions: {
        request: action({ i: Proc }, (s, { i }) => at(s, i, 'ncs') && { ...go(s, i, 'Li1'), b: s.b.with(i, false) }),
        Li1: action({ i: Proc }, (s, { i }) => at(s, i, 'Li1') && go(s, i, s.k !== i ? 'Li2' : 'Li4a')),
        Li2: action({ i: Proc }, (s, { i }) => at(s, i, 'Li2') && { ...go(s, i, 'Li3a'), c: s.c.with(i, true) }),
        Li3a: action({ i: Proc }, (s, { i }) => at(s, i, 'Li3a') && go(s, i, 'Li3b', s.k)),
        Li3b: action({ i: Proc }, (s, { i }) => at(s, i, 'Li3b') && go(s, i, s.b[s.local[i].temp] ? 'Li3c' : 'Li1')),
        Li3c: action({ i: Proc }, (s, { i }) => at(s, i, 'Li3c') && { ...go(s, i, 'Li1'), k: i }),
        Li4a: action({ i: Proc }, (s, { i }) => at(s, i, 'Li4a') && { ...go(s, i, 'Li4b', firstOther(i)), c: s.c.with(i, false) }),
        Li4b: action({ i: Proc }, (s, { i }) => {
          if (!at(s, i, 'Li4b')) return null;
          const j = s.local[i].temp;
          if (!s.c[j]) return go(s, i, 'Li1');
          const next = nextOther(i, j);
          return next < procs ? go(s, i, 'Li4b', next) : go(s, i, 'cs');
        }),
        exit: action({ i: Proc }, (s, { i }) => at(s, i, 'cs') && { ...go(s, i, 'Li6'), c: s.c.with(i, true) }),
        Li6: action({ i: Proc }, (s, { i }) => at(s, i, 'Li6') && { ...go(s, i, 'ncs'), b: s.b.with(i, true) }),
      },
      invariants: {
        mutex: { holds: (s) => s.local.filter((l) => l.pc === 'cs').length <= 1, says: 'at most one process is in its critical section' },
      },
      properties: {
        deadlockFreedom: leadsTo(
          (s) => s.local.some((_, i) => trying(s, i)),
          (s) => s.local.some((l) => l.pc === 'cs'),
          'when some process tries to enter, some process enters',
        ),
        starvation: forEach({ i: Proc }, ({ i }) =>
          leadsTo((s) => trying(s, i), (s) => at(s, i, 'cs'), `process ${i}, once it tries, enters its critical section`)),
      },
      fairness: { Li1: 'weak', Li2: 'weak', Li3a: 'weak', Li3b: 'weak', Li3c: 'weak', Li4a: 'weak', Li4b: 'weak', exit: 'weak', Li6: 'weak' },
    });
  },
});
