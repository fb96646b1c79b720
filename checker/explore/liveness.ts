// Fair accepting cycles in an explored state graph, and the lasso that reaches one.
//
// Every temporal operator here reduces to one question on a product of the graph with a two-phase
// automaton: is there a path from an initial state that, at some state where the property may start
// failing (`switchable`), enters phase 1, and then stays in `allowed` states for ever along a fair
// cycle (visiting an `accepting` state again and again when given)?
//   eventually p          phase 1 from the start, allowed = not p
//   infinitelyOften p     switch anywhere, allowed = not p
//   eventuallyAlways p    switch anywhere, allowed = every state, accepting = not p
//   leadsTo p q           switch where p and not q, allowed = not q
// Behaviours may stutter: each state has an implicit self-loop that takes no action, so a state
// where no fair action is enabled is a fair cycle on its own.
//
// Fairness is judged on a cycle: weak fairness of a group holds on it when the group is taken on
// the cycle or disabled at one of its states; strong fairness when it is taken or disabled at all
// of its states. In each strongly connected component, states where a strongly fair group is
// enabled but never taken inside are removed and the components recomputed (the usual refinement);
// a component left is fair when every weakly fair group enabled at all its states is taken inside.
// The states of the fair components are exactly the states on fair cycles, so a shortest path to
// them is a shortest prefix.
import { sccs, SccScratch, type Adjacency } from './scc.ts';

export interface LiveGraph extends Adjacency {
  /** Number of states (ordinals 0 .. n-1). */
  readonly n: number;
  inst(e: number): number;
  readonly inits: readonly number[];
}

export interface Fairness {
  readonly groupCount: number;
  groupsOf(inst: number): readonly number[];
  isStrong(group: number): boolean;
}

export interface LassoQuery {
  /** true: phase 1 from the initial states (eventually); false: switch at `switchable` states. */
  readonly fromStart: boolean;
  allowed(v: number): boolean;
  switchable(v: number): boolean;
  accepting?(v: number): boolean;
}

/** A lasso: states[0] is initial, edges[i] goes from states[i] to states[i+1]; the last state equals
 *  states[loopStart] (a loop of no edge is stuttering for ever at the last state). */
export interface Lasso {
  readonly states: number[];
  readonly edges: number[];
  readonly loopStart: number;
}

export function findLasso(g: LiveGraph, fair: Fairness, q: LassoQuery): Lasso | undefined {
  const n = g.n;
  const scratch = new SccScratch(n);
  const compOf = new Int32Array(n).fill(-1);
  const comps: Int32Array[] = [];
  const work = new Analyzer(g, fair, q, scratch);

  let count = 0;
  for (let v = 0; v < n; v++) if (q.allowed(v)) count++;
  const nodes = new Int32Array(count);
  for (let v = 0, k = 0; v < n; v++) if (q.allowed(v)) nodes[k++] = v;
  let pending: ArrayLike<number>[] = [nodes];
  while (pending.length > 0) {
    const next: ArrayLike<number>[] = [];
    for (const set of pending) {
      const token = scratch.nextToken();
      for (let i = 0; i < set.length; i++) scratch.mark[set[i]] = token;
      sccs(g, set, scratch, token, (c) => {
        const r = work.analyze(c);
        if (r === 'fair') {
          for (let i = 0; i < c.length; i++) compOf[c[i]] = comps.length;
          comps.push(Int32Array.from(c));
        } else if (r !== 'unfair') next.push(r);
      });
    }
    pending = next;
  }
  if (comps.length === 0) return undefined;

  // Shortest path in the product to a phase-1 state of a fair component.
  const parent = new Int32Array(2 * n).fill(-2);
  const parentEdge = new Int32Array(2 * n).fill(-1);
  const queue = new Int32Array(2 * n);
  let head = 0;
  let tail = 0;
  let found = -1;
  const reach = (node: number, from: number, edge: number): void => {
    if (parent[node] !== -2) return;
    parent[node] = from;
    parentEdge[node] = edge;
    queue[tail++] = node;
    const v = node >> 1;
    if ((node & 1) === 0 && q.switchable(v) && q.allowed(v)) reach(node | 1, node, -1);
  };
  for (const v of g.inits) {
    if (q.fromStart) {
      if (q.allowed(v)) reach(2 * v + 1, -1, -1);
    } else reach(2 * v, -1, -1);
  }
  while (head < tail && found < 0) {
    const node = queue[head++];
    const v = node >> 1;
    const phase = node & 1;
    if (phase === 1 && compOf[v] >= 0) {
      found = node;
      break;
    }
    for (let e = g.start(v); e < g.end(v); e++) {
      const w = g.target(e);
      if (phase === 1 && !q.allowed(w)) continue;
      reach(2 * w + phase, node, e);
    }
  }
  if (found < 0) return undefined;
  const states: number[] = [];
  const edges: number[] = [];
  for (let node = found; node >= 0; node = parent[node]) {
    if (parentEdge[node] < 0 && parent[node] >= 0) continue; // the switch to phase 1: same state
    states.push(node >> 1);
    if (parent[node] >= 0) edges.push(parentEdge[node]);
  }
  states.reverse();
  edges.reverse();
  const entry = found >> 1;
  const loop = work.loopThrough(comps[compOf[entry]], entry);
  const loopStart = states.length - 1;
  for (let i = 0; i < loop.edges.length; i++) {
    edges.push(loop.edges[i]);
    states.push(g.target(loop.edges[i]));
  }
  return { states, edges, loopStart };
}

/** Groups enabled at v: those of its edges' action instances (self-loops are not edges). */
function enabledAt(g: LiveGraph, fair: Fairness, v: number, out: Set<number>): Set<number> {
  out.clear();
  for (let e = g.start(v); e < g.end(v); e++) for (const x of fair.groupsOf(g.inst(e))) out.add(x);
  return out;
}

class Analyzer {
  private readonly inC: Int32Array;
  private readonly takenMark: Int32Array;
  private readonly seenMark: Int32Array;
  private readonly count: Int32Array;
  /** Per group: the last state (stamp) where it was seen enabled. */
  private readonly atState: Int32Array;
  private stateTok = 0;
  private tok = 0;
  private readonly en = new Set<number>();

  constructor(
    private readonly g: LiveGraph,
    private readonly fair: Fairness,
    private readonly q: LassoQuery,
    scratch: SccScratch,
  ) {
    this.inC = new Int32Array(scratch.n);
    this.takenMark = new Int32Array(fair.groupCount);
    this.seenMark = new Int32Array(fair.groupCount);
    this.count = new Int32Array(fair.groupCount);
    this.atState = new Int32Array(fair.groupCount);
  }

  /** 'fair' (and accepting), 'unfair', or the states left once refinement removed some. */
  analyze(c: Int32Array): 'fair' | 'unfair' | number[] {
    const { g, fair } = this;
    const tok = ++this.tok;
    for (let i = 0; i < c.length; i++) this.inC[c[i]] = tok;
    let internal = 0;
    for (let i = 0; i < c.length; i++) {
      const v = c[i];
      for (let e = g.start(v); e < g.end(v); e++) {
        if (this.inC[g.target(e)] !== tok) continue;
        internal++;
        for (const x of fair.groupsOf(g.inst(e))) this.takenMark[x] = tok;
      }
    }
    if (internal === 0) {
      // One state, stuttering for ever: fair when no fair group is enabled there.
      if (enabledAt(g, fair, c[0], this.en).size > 0) return 'unfair';
      return this.accepts(c) ? 'fair' : 'unfair';
    }
    // One pass over the component's states: states where a strongly fair group is enabled but never
    // taken inside (to be removed), and for each weakly fair group not taken inside, at how many
    // states it is enabled.
    const bad: number[] = [];
    const touched: number[] = [];
    for (let i = 0; i < c.length; i++) {
      const v = c[i];
      const vt = ++this.stateTok;
      let isBad = false;
      for (let e = g.start(v); e < g.end(v); e++) {
        const gs = fair.groupsOf(g.inst(e));
        for (let k = 0; k < gs.length; k++) {
          const x = gs[k];
          if (this.atState[x] === vt || this.takenMark[x] === tok) continue;
          this.atState[x] = vt;
          if (fair.isStrong(x)) isBad = true;
          else {
            if (this.seenMark[x] !== tok) {
              this.seenMark[x] = tok;
              this.count[x] = 0;
              touched.push(x);
            }
            this.count[x]++;
          }
        }
      }
      if (isBad) bad.push(v);
    }
    if (bad.length > 0) {
      const rest: number[] = [];
      let b = 0;
      for (let i = 0; i < c.length; i++) {
        if (b < bad.length && bad[b] === c[i]) b++;
        else rest.push(c[i]);
      }
      return rest.length ? rest : 'unfair';
    }
    for (const x of touched) if (this.count[x] === c.length) return 'unfair';
    return this.accepts(c) ? 'fair' : 'unfair';
  }

  private accepts(c: Int32Array): boolean {
    const acc = this.q.accepting;
    if (!acc) return true;
    for (let i = 0; i < c.length; i++) if (acc.call(this.q, c[i])) return true;
    return false;
  }

  /** A short fair (and accepting) cycle from `entry` inside the fair component `c`: greedily
   *  goes to the nearest step or state that meets a fairness obligation still open, then back. */
  loopThrough(c: Int32Array, entry: number): { edges: number[] } {
    const { g, fair, q } = this;
    const tok = ++this.tok;
    for (let i = 0; i < c.length; i++) this.inC[c[i]] = tok;
    const mustTake = new Set<number>();
    const weakOpen = new Set<number>();
    for (let i = 0; i < c.length; i++) {
      for (const x of enabledAt(g, fair, c[i], this.en)) (fair.isStrong(x) ? mustTake : weakOpen).add(x);
    }
    let needAccept = q.accepting !== undefined;
    const visit = (v: number): void => {
      if (needAccept && q.accepting!(v)) needAccept = false;
      if (weakOpen.size === 0) return;
      const en = enabledAt(g, fair, v, this.en);
      for (const x of [...weakOpen]) if (!en.has(x)) weakOpen.delete(x);
    };
    const take = (e: number): void => {
      for (const x of fair.groupsOf(g.inst(e))) {
        mustTake.delete(x);
        weakOpen.delete(x);
      }
    };
    const meetsEdge = (e: number): boolean => fair.groupsOf(g.inst(e)).some((x) => mustTake.has(x) || weakOpen.has(x));
    const meetsState = (v: number): boolean => {
      if (needAccept && q.accepting!(v)) return true;
      if (weakOpen.size === 0) return false;
      const en = enabledAt(g, fair, v, this.en);
      for (const x of weakOpen) if (!en.has(x)) return true;
      return false;
    };
    const edges: number[] = [];
    let cur = entry;
    visit(cur);
    while (mustTake.size > 0 || weakOpen.size > 0 || needAccept) {
      const path = this.bfs(cur, tok, (e) => meetsEdge(e), (v) => meetsState(v));
      if (!path) throw new Error('internal: a fair component without a way to meet its fairness');
      for (const e of path) {
        edges.push(e);
        take(e);
        cur = g.target(e);
        visit(cur);
      }
    }
    if (cur !== entry) {
      const back = this.bfs(cur, tok, () => false, (v) => v === entry);
      if (!back) throw new Error('internal: a component that is not strongly connected');
      edges.push(...back);
    }
    return { edges };
  }

  /** Shortest edge path inside the component from `from` to the first edge `edgeGoal` accepts (that
   *  edge included) or the first state `stateGoal` accepts. */
  private bfs(from: number, tok: number, edgeGoal: (e: number) => boolean, stateGoal: (v: number) => boolean): number[] | undefined {
    const g = this.g;
    /** state -> [previous state, edge from it], for the states reached. */
    const prev = new Map<number, readonly [number, number]>([[from, [-1, -1]]]);
    const queue = [from];
    const pathTo = (v: number): number[] => {
      const out: number[] = [];
      for (let x = v; x !== from; ) {
        const [p, e] = prev.get(x)!;
        out.push(e);
        x = p;
      }
      return out.reverse();
    };
    for (let h = 0; h < queue.length; h++) {
      const v = queue[h];
      for (let e = g.start(v); e < g.end(v); e++) {
        const w = g.target(e);
        if (this.inC[w] !== tok) continue;
        if (edgeGoal(e)) return [...pathTo(v), e];
        if (prev.has(w)) continue;
        prev.set(w, [v, e]);
        if (stateGoal(w)) return pathTo(w);
        queue.push(w);
      }
    }
    return undefined;
  }
}

/** Whether a loop is fair: `enabled[i]` are the groups enabled at its i-th state, `taken` those of
 *  its steps (none for stuttering). Returns the first group it is unfair to, or undefined. */
export function loopUnfairTo(fair: Fairness, enabled: readonly ReadonlySet<number>[], taken: ReadonlySet<number>): number | undefined {
  const all = new Set<number>();
  for (const en of enabled) for (const x of en) all.add(x);
  for (const x of all) {
    if (taken.has(x)) continue;
    if (fair.isStrong(x)) return x;
    if (enabled.every((en) => en.has(x))) return x;
  }
  return undefined;
}
