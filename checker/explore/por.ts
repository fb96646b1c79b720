// Partial-order reduction for protocols (`search.reduction: por`, `check --por`): in a state where
// the steps of a set of processes commute with everything the others can do before one of them
// moves, only those steps are followed (an ample set); the others' steps are taken from the next
// states.
//
// Why it is sound (ample sets, Peled; Clarke, Grumberg, Peled: conditions C0-C3). Terms: a step
// (transition) is a label with one of its outcomes: a local action, timer or delivery of process p.
// Its enabledness and effect are a function of p's local state L_p, p's armed timers T_p and, for a
// delivery, the message (handlers see nothing else). It changes only L_p, T_p and the network (it
// removes its own message, adds what it sends). POR is off with faults (a crash, drop or partition
// step reads and writes what every process's steps read), with step properties (they read labels),
// state constraints and depth bounds (they cut edges, which breaks commutation), and is refused
// with temporal properties (MC140). ample(s) = every enabled step of a set P of processes, each with
// an enabled step in s.
//  - Independence. Steps of processes p != q commute and neither enables nor disables the other:
//    they touch disjoint local states and timers, and only add to the network or remove their own
//    message (addressed to their own process). Bag operations commute; on FIFO channels, p taking the
//    head of x->p and q appending to q->y commute even when it is the same channel (it is non-empty).
//  - C0: ample(s) is empty only when no step is enabled (all steps are then emitted and the
//    deadlock check sees no successor exactly when the full search would).
//  - C1 (persistence): along any path from s on which no step of ample(s) runs, no step of a process
//    of P may run (those are the steps dependent on ample(s)). Others cannot change L_p or T_p, so
//    the only new steps of p in P they can enable are deliveries of messages they send to p. On FIFO
//    channels a message sent on a channel x->p that is non-empty in s queues behind its head, which
//    only p can take, so it enables no new step before p moves. So P is persistent when no process
//    outside P that can move before P does sends to a process of P over a channel that is empty in s
//    (any channel, in a bag). "Can move before P": the processes outside P with an enabled step in
//    s, and, transitively, every process outside P one of those may send to (a process none of whose
//    steps is enabled stays so until a message reaches it; by induction along the path, processes of
//    P take no step, so they send nothing). P starts as one process and takes in every process with
//    an enabled step that can lead to such a sender, until it is persistent. "May send to":
//    the relation `sends` of sender -> receiver pairs seen in every step run so far (every enabled
//    step of every expanded state is run, ample or not). A synchronous timer fires only where
//    nothing else can; where one is enabled the state is expanded in full, and along a path where
//    the ample steps stay enabled none can fire.
//  - C2 (visibility): the invariants are arbitrary code, so which parts of the state they read is
//    recorded while they run (por-reads.ts): a process's local-state field, its whole local state,
//    the network, the timers. A step of ample(s) must change no part in that set `reads` (compared
//    by value on s; its effect is the same wherever p has not moved, which is where the proof uses
//    it: there no process of P has moved). Deadlocks need no visibility: a state without successors is reached exactly.
//  - C3 (cycle proviso): a state whose candidate ample set leads to a state already expanded (in
//    BFS, a state whose ordinal is not above the current one; otherwise any state already seen) is
//    expanded in full. On a cycle of reduced edges, the state expanded last leads to one expanded
//    before it, so every cycle has a fully expanded state.
//  The relations `sends` and `reads` are learned while searching. A run that reduced some state
//  and then learns a new pair or part is restarted from scratch with what it learned (por-search.ts;
//  at most one restart per process pair and part). When a run ends without learning anything, the
//  relations cover every step run and every invariant evaluated in the reduced graph, and that is
//  enough: (1) by the usual reordering argument (a shortest full path to a state u either contains
//  a step of ample(s), which moves to the front, or does not, and then any step of ample(s) can be
//  put in front of it), every full path reaches, in the reduced graph, a state that agrees with u on
//  every part in `reads`; the argument needs C1 only on that path, and by induction on the first
//  step of a full path whose sends lie outside `sends`, that step itself is run in the reduced graph
//  (it has the same inputs there), so no such step exists. (2) An invariant on u runs the same code
//  path as on that reduced state, since every value it reads there is in `reads` and equal: same
//  verdict. Exceptions in handlers and successors outside the declared type are found too, since
//  the step that causes them runs in the reduced graph with the same inputs.
//  Capacity: a send beyond the network's capacity is an error of the model, not a state. If the
//  reduced search hits none, it is exactly the reduced search of the same protocol on an unbounded
//  network, whose behaviours include the bounded one's: its verdicts hold for the bounded protocol,
//  but an overflow the full search would have reported can go unreported (said in the README).
//  Counterexamples are real paths, shortest within the reduced graph; the checker shrinks them.
import { isDeepStrictEqual } from 'node:util';
import type { Label, Model } from '../core/spec.ts';
import type { ProtocolStructure } from '../protocol/independence.ts';
import type { ReadSet } from './por-reads.ts';
import { expandAll } from './search.ts';

/** Thrown out of a search that reduced with a relation it has since learned to be incomplete. */
export class PorRestart extends Error {
  constructor(readonly why: string) {
    super(`partial-order reduction restarts: ${why}`);
    this.name = 'PorRestart';
  }
}

/** Which process may send to which, as seen so far: per sender, a bit mask of receivers (processes
 *  are numbered in declaration order; POR applies to protocols of at most MAX_PROCESSES processes). */
export class SendSet {
  readonly index = new Map<string, number>();
  readonly to: Int32Array;
  version = 0;
  constructor(readonly processes: readonly string[]) {
    processes.forEach((p, i) => this.index.set(p, i));
    this.to = new Int32Array(processes.length);
  }
  add(from: string, to: string): void {
    const f = this.index.get(from)!;
    const bit = 1 << this.index.get(to)!;
    if ((this.to[f] & bit) !== 0) return;
    this.to[f] |= bit;
    this.version++;
  }
}

export const MAX_PROCESSES = 30;

/** Plugs into the search (SearchOptions.reducer): expands a state into an ample set's successors. */
export interface Reducer {
  expand(s: unknown, ord: number, emit: (label: Label, next: unknown) => void, tally: { action: number }, seen: (next: unknown) => number): void;
}

type G = Record<string, any>;

export class AmpleReducer implements Reducer {
  /** States expanded with fewer successors than the full search would follow. */
  reduced = 0;
  private readonly labels: Label[] = [];
  private readonly nexts: unknown[] = [];
  private readonly acts: number[] = [];
  private readonly owner: number[] = [];
  private n = 0;
  private readsVersion: number;
  private sendsVersion: number;
  private readonly counts: number[];
  private tally: { action: number } = { action: -1 };
  private readonly collect = (label: Label, next: unknown): void => {
    const i = this.n++;
    this.labels[i] = label;
    this.nexts[i] = next;
    this.acts[i] = this.tally.action;
    this.owner[i] = label.process === undefined ? -1 : (this.sends.index.get(label.process) ?? -1);
    for (const e of this.structure.sentNow()) this.sends.add(e.from, e.to);
  };

  constructor(
    private readonly model: Model,
    private readonly structure: ProtocolStructure,
    private readonly reads: ReadSet,
    private readonly sends: SendSet,
    /** States are expanded in ordinal order (BFS on the default queue). */
    private readonly ordinalOrder: boolean,
  ) {
    this.readsVersion = reads.version;
    this.sendsVersion = sends.version;
    this.counts = new Array<number>(structure.processes.length).fill(0);
  }

  expand(s: unknown, ord: number, emit: (label: Label, next: unknown) => void, tally: { action: number }, seen: (next: unknown) => number): void {
    this.tally = tally;
    this.n = 0;
    expandAll(this.model, this.model.actions, s, this.collect, tally);
    if (this.reads.version !== this.readsVersion || this.sends.version !== this.sendsVersion) {
      if (this.reduced !== 0) throw new PorRestart(this.reads.version !== this.readsVersion ? 'an invariant read a new part of the state' : 'a process sent to a new receiver');
      this.readsVersion = this.reads.version;
      this.sendsVersion = this.sends.version;
    }
    const set = this.choose(s as G, ord, seen);
    for (let i = 0; i < this.n; i++) {
      if (set !== 0 && (set & (1 << this.owner[i])) === 0) continue;
      tally.action = this.acts[i];
      emit(this.labels[i], this.nexts[i]);
    }
    // Let go of the successors.
    for (let i = 0; i < this.n; i++) this.nexts[i] = undefined;
  }

  /** The processes (a bit mask) whose steps form the ample set, or 0 to follow every step. */
  private choose(s: G, ord: number, seen: (next: unknown) => number): number {
    const counts = this.counts;
    counts.fill(0);
    let active = 0;
    for (let i = 0; i < this.n; i++) {
      const o = this.owner[i];
      const label = this.labels[i];
      if (o < 0 || label.fault !== undefined || this.structure.isSynchronousTimer(label)) return 0;
      counts[o]++;
      active |= 1 << o;
    }
    if ((active & (active - 1)) === 0) return 0;
    // One candidate set per process: the process and whatever must join it for persistence.
    const tried: number[] = [];
    const sizes: number[] = [];
    for (let p = 0; p < counts.length; p++) {
      if (counts[p] === 0) continue;
      const set = this.persistent(s, p, active);
      if (set === active || tried.includes(set)) continue;
      let size = 0;
      for (let q = 0; q < counts.length; q++) if ((set & (1 << q)) !== 0) size += counts[q];
      tried.push(set);
      sizes.push(size);
    }
    const order = tried.map((_, i) => i).sort((x, y) => sizes[x] - sizes[y] || x - y);
    for (const k of order) {
      const set = tried[k];
      if (!this.invisible(s, set) || this.closesCycle(ord, set, seen)) continue;
      this.reduced++;
      return set;
    }
    return 0;
  }

  /** C1: the smallest set of processes with enabled steps, containing p, such that no process that
   *  can move before one of them sends to one of them on a channel that is empty in s. */
  private persistent(s: G, p: number, active: number): number {
    const to = this.sends.to;
    const n = to.length;
    let set = 1 << p;
    for (;;) {
      // The processes outside the set that can move before it does: those with an enabled step,
      // and whoever they may send to, transitively.
      let reach = active & ~set;
      let grow = reach;
      while (grow !== 0) {
        let next = 0;
        for (let r = 0; r < n; r++) if ((grow & (1 << r)) !== 0) next |= to[r];
        grow = next & ~set & ~reach;
        reach |= grow;
      }
      // Those that may send to the set over a channel that is empty in s.
      let senders = 0;
      for (let r = 0; r < n; r++) {
        if ((reach & (1 << r)) === 0 || (to[r] & set) === 0) continue;
        if (this.structure.network !== 'fifo' || this.emptyTo(s, r, to[r] & set)) senders |= 1 << r;
      }
      if (senders === 0) return set;
      // Every active process that can lead to such a sender joins the set.
      let back = senders;
      for (let changed = true; changed; ) {
        changed = false;
        for (let r = 0; r < n; r++) {
          if ((reach & (1 << r)) !== 0 && (back & (1 << r)) === 0 && (to[r] & back) !== 0) {
            back |= 1 << r;
            changed = true;
          }
        }
      }
      const join = back & active & ~set;
      if (join === 0) return active;
      set |= join;
    }
  }

  /** Whether some channel from r to a process of `targets` is empty in s (FIFO networks). */
  private emptyTo(s: G, r: number, targets: number): boolean {
    const { processes } = this.structure;
    for (let a = 0; a < processes.length; a++) {
      if ((targets & (1 << a)) !== 0 && !this.structure.channelBusy(s, processes[r], processes[a])) return true;
    }
    return false;
  }

  /** C2: no step of the set changes a part of the state an invariant has read. */
  private invisible(s: G, set: number): boolean {
    const network = this.reads.has('network');
    const timers = this.reads.has('timers');
    for (let i = 0; i < this.n; i++) {
      if ((set & (1 << this.owner[i])) === 0) continue;
      const pid = this.structure.processes[this.owner[i]];
      const role = this.structure.roleOf.get(pid)!;
      const read = this.reads.ofProcess(pid);
      const next = this.nexts[i] as G;
      if (network && next.network !== s.network) return false;
      if (timers && !isDeepStrictEqual(next.timers?.[pid], s.timers?.[pid])) return false;
      if (read === undefined) continue;
      const before = s[role][pid];
      const after = next[role][pid];
      if (read.all) {
        if (!isDeepStrictEqual(before, after)) return false;
        continue;
      }
      for (const f of read.fields) if (!isDeepStrictEqual(before?.[f], after?.[f])) return false;
    }
    return true;
  }

  /** C3: some step of the set leads to a state already expanded (or, out of ordinal order, seen). */
  private closesCycle(ord: number, set: number, seen: (next: unknown) => number): boolean {
    for (let i = 0; i < this.n; i++) {
      if ((set & (1 << this.owner[i])) === 0) continue;
      const at = seen(this.nexts[i]);
      if (at !== -1 && (at < 0 || !this.ordinalOrder || at <= ord)) return true;
    }
    return false;
  }
}
