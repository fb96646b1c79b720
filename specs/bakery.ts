// Lamport's bakery algorithm (L. Lamport, "A new solution of Dijkstra's concurrent programming
// problem", CACM 1974): N processes, each takes a numbered ticket and the smallest ticket goes
// first; ties are broken by process id. Shared memory: choosing[i] and number[i], written only by
// process i and read by the others.
//
//   process i:
//     ncs:           noncritical section; eventually try to enter
//     setChoosing:   choosing[i] := true
//     readMax:       for each j != i: max := Max(max, number[j])     -- one read per step
//     writeTicket:   number[i] := 1 + max
//     clearChoosing: choosing[i] := false
//     for each j != i:
//       waitChoosing: await !choosing[j]
//       waitNumber:   await number[j] = 0 or (number[i], i) < (number[j], j)
//     cs:            critical section; leave by  number[i] := 0
//
// Every step does at most one read or one write of shared memory. `j` and `max` are the local
// variables of each process; they are reset to 0 when not in use so that states which differ only
// in dead local values are not counted twice. A process blocked at an `await` has no step.
//
// Tickets grow without bound in the real algorithm. This model bounds them by `maxTicket`: the
// `writeTicket` step is disabled when 1 + max would exceed the bound, so runs in which tickets keep
// growing are cut off there. Such a state may have no successor at all (the others then wait on
// the blocked process), which is the bound and not a deadlock of the algorithm: those states are
// declared `terminal`, and any other state without a successor is still reported as a deadlock.
//
// The bug variant `no-choosing` drops the `choosing` flag (no setChoosing, clearChoosing or
// waitChoosing). Two processes can then read the same maximum; the one with the larger id writes
// its ticket first, sees the other's number still 0 and enters; the other then writes the same
// ticket, wins the tie on its smaller id and enters as well.
import { type Infer, action, defineSpec, forEach, leadsTo, param, system, t } from '../checker/index.ts';

export default defineSpec({
  name: 'bakery',
  description: "Lamport's bakery algorithm for N processes",
  params: {
    procs: param(t.int(2, 5), 3),
    /** The largest ticket a process may take (bounds the model, see above). The default 3 lets three
     *  processes hold the distinct tickets 1, 2, 3 at once (with 1 every ticket is 1 and only the tie-break on ids is used). */
    maxTicket: param(t.int(1, 8), 3),
    /** `no-choosing`: do not wait for choosing[j] to be false -> mutual exclusion fails. */
    variant: param(t.enum('correct', 'no-choosing'), 'correct'),
  },
  build: ({ procs, maxTicket, variant }) => {
    const Proc = t.int(0, procs - 1);
    const Ticket = t.int(0, maxTicket);
    const Pc = t.enum('ncs', 'setChoosing', 'readMax', 'writeTicket', 'clearChoosing', 'waitChoosing', 'waitNumber', 'cs');
    const Local = t.record({ pc: Pc, j: Proc, max: Ticket });
    const State = t.record({
      choosing: t.array(t.bool(), procs),
      number: t.array(Ticket, procs),
      /** The local variables of each process: program counter, loop index, maximum read so far. */
      local: t.array(Local, procs),
    });
    type S = Infer<typeof State>;
    type L = Infer<typeof Local>;

    /** The same initial value for every process. */
    const perProc = <T>(v: T): T[] => Array.from({ length: procs }, () => v);
    const useChoosing = variant === 'correct';
    /** The first process other than i, and the next one after j (procs when the loop is done). */
    const firstOther = (i: number) => (i === 0 ? 1 : 0);
    const nextOther = (i: number, j: number) => (j + 1 === i ? j + 2 : j + 1);
    /** (a, i) < (b, j) in lexicographic order: the smaller ticket goes first, then the smaller id. */
    const goesFirst = (a: number, i: number, b: number, j: number) => a < b || (a === b && i < j);
    /** Process i's state with some of its local variables changed. */
    const set = (s: S, i: number, l: Partial<L>): S => ({ ...s, local: s.local.with(i, { ...s.local[i], ...l }) });

    /** The ticket bound of the model stops a process for ever (see above). */
    const atBound = (s: S) => s.local.some((l) => l.pc === 'writeTicket' && l.max + 1 > maxTicket);
    /** Past the noncritical section and not yet in the critical section. */
    const trying = (s: S, i: number) => s.local[i].pc !== 'ncs' && s.local[i].pc !== 'cs';

    /** A process in its noncritical section, with its loop variables at rest. */
    const idle: L = { pc: 'ncs', j: 0, max: 0 };

    return system(State, {
      init: {
        choosing: perProc(false),
        number: perProc(0),
        local: perProc(idle),
      },
      actions: {
        // Leave the noncritical section and start the entry protocol (no shared access).
        request: action({ i: Proc }, (s, { i }) =>
          s.local[i].pc === 'ncs' && set(s, i, { pc: useChoosing ? 'setChoosing' : 'readMax', j: firstOther(i) })),
        setChoosing: action({ i: Proc }, (s, { i }) =>
          s.local[i].pc === 'setChoosing' && { ...set(s, i, { pc: 'readMax' }), choosing: s.choosing.with(i, true) }),
        // One iteration of the loop that computes the largest ticket held by the others.
        readMax: action({ i: Proc }, (s, { i }) => {
          const { pc, j, max } = s.local[i];
          if (pc !== 'readMax') return null;
          const m = Math.max(max, s.number[j]);
          const k = nextOther(i, j);
          return k < procs ? set(s, i, { j: k, max: m }) : set(s, i, { pc: 'writeTicket', j: 0, max: m });
        }),
        // Take the ticket. Disabled when it would exceed the bound of the model.
        writeTicket: action({ i: Proc }, (s, { i }) => {
          const { pc, max } = s.local[i];
          if (pc !== 'writeTicket' || max + 1 > maxTicket) return null;
          const after = set(s, i, { pc: useChoosing ? 'clearChoosing' : 'waitNumber', j: firstOther(i), max: 0 });
          return { ...after, number: s.number.with(i, max + 1) };
        }),
        clearChoosing: action({ i: Proc }, (s, { i }) =>
          s.local[i].pc === 'clearChoosing' && { ...set(s, i, { pc: 'waitChoosing' }), choosing: s.choosing.with(i, false) }),
        // await !choosing[j]: j is not in the middle of taking a ticket.
        waitChoosing: action({ i: Proc }, (s, { i }) => {
          const { pc, j } = s.local[i];
          return pc === 'waitChoosing' && !s.choosing[j] && set(s, i, { pc: 'waitNumber' });
        }),
        // await that j has no ticket or comes after i; then go on to the next j, or enter.
        waitNumber: action({ i: Proc }, (s, { i }) => {
          const { pc, j } = s.local[i];
          if (pc !== 'waitNumber') return null;
          if (s.number[j] !== 0 && !goesFirst(s.number[i], i, s.number[j], j)) return null;
          const k = nextOther(i, j);
          return k < procs ? set(s, i, { pc: useChoosing ? 'waitChoosing' : 'waitNumber', j: k }) : set(s, i, { pc: 'cs', j: 0 });
        }),
        // Leave the critical section: the exit protocol is one write.
        exit: action({ i: Proc }, (s, { i }) =>
          s.local[i].pc === 'cs' && { ...set(s, i, { pc: 'ncs' }), number: s.number.with(i, 0) }),
      },
      invariants: {
        mutex: {
          holds: (s) => s.local.filter((l) => l.pc === 'cs').length <= 1,
          says: 'at most one process is in its critical section',
        },
      },
      // Starvation freedom, within the bound of the model: once the ticket bound stops a process it
      // stops it for ever (and may stop the others), which is the model's limit and not a
      // starvation, so a behaviour that reaches it meets the property.
      properties: {
        starvation: forEach({ i: Proc }, ({ i }) =>
          leadsTo((s) => trying(s, i), (s) => s.local[i].pc === 'cs' || atBound(s), `process ${i}, once it tries, enters its critical section (unless the ticket bound is hit)`)),
      },
      // Every step but leaving the noncritical section is weakly fair, for each process.
      fairness: { setChoosing: 'weak', readMax: 'weak', writeTicket: 'weak', clearChoosing: 'weak', waitChoosing: 'weak', waitNumber: 'weak', exit: 'weak' },
      // The states where the ticket bound, not the algorithm, stops a process (see above).
      terminal: {
        holds: atBound,
        says: 'a process would need a ticket above maxTicket, the bound of the model',
      },
    });
  },
});
