// The state graph of a small model for Graphviz: a node per reachable state (shown in full), an
// edge per step (its label). Built with @dagrejs/graphlib; refused above a size limit, because a
// picture of more states is unreadable and Graphviz struggles with it.
import { Graph } from '@dagrejs/graphlib';
import type { Model } from '../core/spec.ts';
import { NO_PARENT } from '../explore/fp-set.ts';
import { holdsInvariant, search } from '../explore/search.ts';

/** Most states drawn. */
export const DOT_STATE_LIMIT = 500;

export class GraphTooLarge extends Error {}

export interface DotOptions {
  readonly limit?: number;
  /** Invariants whose violating states are drawn red. */
  readonly invariants?: readonly string[];
}

/** The reachable state graph, from the one search loop (its observer sees every expanded state and
 *  every step out of it); throws GraphTooLarge above the limit. */
export function stateGraph(model: Model, options: DotOptions = {}): Graph {
  const limit = options.limit ?? DOT_STATE_LIMIT;
  const g = new Graph({ directed: true, multigraph: true });
  const invs = model.invariants.filter((p) => !options.invariants || options.invariants.includes(p.name));
  let from = '';
  const r = search(model, {
    strategy: 'bfs',
    deadlock: false,
    invariants: [],
    steps: [],
    maxStates: limit,
    observer: {
      expand(ord, state) {
        from = `s${ord}`;
        const bad = invs.filter((p) => !holdsInvariant(model, p, state)).map((p) => p.name);
        g.setNode(from, { label: model.type.show(state), bad });
      },
      edge(to, label) {
        const name = model.showLabel(label);
        g.setEdge(from, `s${to}`, { label: name }, name);
      },
    },
  });
  if (r.specError) throw r.specError.error;
  if (r.status === 'state-limit') throw new GraphTooLarge(`the model has more than ${limit} reachable states; --dot draws at most ${limit} (make the model smaller, e.g. with fewer processes or lower bounds)`);
  for (let ord = 0; ord < r.distinct; ord++) {
    const node = g.node(`s${ord}`) as { label: string; bad: string[] };
    g.setNode(`s${ord}`, { ...node, init: r.store.parentOf(ord) === NO_PARENT });
  }
  return g;
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The graph in Graphviz's DOT language. */
export function toDot(g: Graph, name: string): string {
  const out = [`digraph ${quote(name)} {`, '  rankdir=TB;', '  node [shape=box, fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  for (const id of g.nodes()) {
    const n = g.node(id) as { label: string; init: boolean; bad: string[] };
    const style = [n.init ? 'penwidth=2' : '', n.bad.length ? 'color=red, fontcolor=red' : ''].filter(Boolean).join(', ');
    const label = n.bad.length ? `${n.label}\nviolates ${n.bad.join(', ')}` : n.label;
    out.push(`  ${id} [label=${quote(label)}${style ? `, ${style}` : ''}];`);
  }
  for (const e of g.edges()) out.push(`  ${e.v} -> ${e.w} [label=${quote((g.edge(e) as { label: string }).label)}];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
