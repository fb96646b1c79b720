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
  readonly stack: Int32Array;
  readonly callV: Int32Array;
  readonly callE: Uint32Array;
  private token = 0;
  constructor(readonly n: number) {
    this.index = new Int32Array(n).fill(-1);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.mark = new Int32Array(n);
    this.stack = new Int32Array(n);
    this.callV = new Int32Array(n);
    this.callE = new Uint32Array(n);
  }
  /** A fresh token: mark the subset's vertices with it. */
  nextToken(): number {
    return ++this.token;
  }
}

/** Calls `onComponent` with each SCC of the subgraph induced by `nodes` (every vertex of which has
 *  `mark[v] === token`), in reverse topological order. The array it gets is a view that is only
 *  valid during the call: copy what must be kept. */
export function sccs(g: Adjacency, nodes: ArrayLike<number>, scratch: SccScratch, token: number, onComponent: (comp: Int32Array) => void): void {
  const { index, low, onStack, mark, stack, callV, callE } = scratch;
  let sp = 0;
  let cp = 0;
  let counter = 0;
  for (let r = 0; r < nodes.length; r++) {
    const root = nodes[r];
    if (index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    callV[cp] = root;
    callE[cp++] = g.start(root);
    while (cp > 0) {
      const top = cp - 1;
      const v = callV[top];
      const e = callE[top];
      if (e < g.end(v)) {
        callE[top] = e + 1;
        const w = g.target(e);
        if (mark[w] !== token) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callV[cp] = w;
          callE[cp++] = g.start(w);
        } else if (onStack[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      cp--;
      if (low[v] === index[v]) {
        let k = sp - 1;
        while (stack[k] !== v) k--;
        for (let i = k; i < sp; i++) onStack[stack[i]] = 0;
        const comp = stack.subarray(k, sp);
        sp = k;
        onComponent(comp);
      }
      if (cp > 0) {
        const u = callV[cp - 1];
        if (low[v] < low[u]) low[u] = low[v];
      }
    }
  }
  for (let r = 0; r < nodes.length; r++) index[nodes[r]] = -1;
}
