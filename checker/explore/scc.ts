// Strongly connected components by Tarjan's algorithm, iteratively (explicit stacks, so no
// recursion limit however long the paths), over a subset of the states of a state graph.

/** The graph as the algorithm reads it: edge ranges per vertex and edge targets. */
export interface Adjacency {
  start(v: number): number;
  end(v: number): number;
  target(e: number): number;
}

/** Scratch arrays shared by successive runs over subsets of the same graph (reset after each run). */
export class SccScratch {
  readonly index: Int32Array;
  readonly low: Int32Array;
  readonly onStack: Uint8Array;
  /** `mark[v] === token` puts v in the subset of the current run. */
  readonly mark: Int32Array;
  private token = 0;
  constructor(readonly n: number) {
    this.index = new Int32Array(n).fill(-1);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.mark = new Int32Array(n);
  }
  /** A fresh token: mark the subset's vertices with it. */
  nextToken(): number {
    return ++this.token;
  }
}

/** The SCCs of the subgraph induced by `nodes` (every vertex of which has `mark[v] === token`),
 *  each as a list of vertices. Components come out in reverse topological order. */
export function sccs(g: Adjacency, nodes: ArrayLike<number>, scratch: SccScratch, token: number): Int32Array[] {
  const { index, low, onStack, mark } = scratch;
  const out: Int32Array[] = [];
  const stack: number[] = [];
  const callV: number[] = [];
  const callE: number[] = [];
  let counter = 0;
  for (let r = 0; r < nodes.length; r++) {
    const root = nodes[r];
    if (index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    callV.push(root);
    callE.push(g.start(root));
    while (callV.length > 0) {
      const top = callV.length - 1;
      const v = callV[top];
      const e = callE[top];
      if (e < g.end(v)) {
        callE[top] = e + 1;
        const w = g.target(e);
        if (mark[w] !== token) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          callV.push(w);
          callE.push(g.start(w));
        } else if (onStack[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      callV.pop();
      callE.pop();
      if (low[v] === index[v]) {
        let k = stack.length - 1;
        while (stack[k] !== v) k--;
        const comp = Int32Array.from(stack.slice(k));
        for (let i = 0; i < comp.length; i++) onStack[comp[i]] = 0;
        stack.length = k;
        out.push(comp);
      }
      if (callV.length > 0) {
        const u = callV[callV.length - 1];
        if (low[v] < low[u]) low[u] = low[v];
      }
    }
  }
  for (let r = 0; r < nodes.length; r++) index[nodes[r]] = -1;
  return out;
}
