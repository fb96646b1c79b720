// The state graph of a small model for Graphviz: a node per reachable state (shown in full), an
// edge per step (its label). Built with @dagrejs/graphlib; refused above a size limit, because a
// picture of more states is unreadable and Graphviz struggles with it.
import { Graph } from '@dagrejs/graphlib';
import type { Model } from '../core/spec.ts';
import { expandAll } from '../explore/search.ts';
import { canonical } from './rebuild.ts';

/** Most states drawn. */
export const DOT_STATE_LIMIT = 500;

export class GraphTooLarge extends Error {}

export interface DotOptions {
  readonly limit?: number;
  /** Invariants whose violating states are drawn red. */
  readonly invariants?: readonly string[];
}

/** The reachable state graph, breadth-first; throws GraphTooLarge above the limit. */
export function stateGraph(model: Model, options: DotOptions = {}): Graph {
  const limit = options.limit ?? DOT_STATE_LIMIT;
  const g = new Graph({ directed: true, multigraph: true });
  const idOf = (hi: number, lo: number): string => `s${(hi >>> 0).toString(16).padStart(8, '0')}${(lo >>> 0).toString(16).padStart(8, '0')}`;
  const invs = model.invariants.filter((p) => !options.invariants || options.invariants.includes(p.name));
  const queue: { id: string; state: unknown }[] = [];
  const add = (state: unknown, init: boolean): string => {
    const c = canonical(model, state);
    const id = idOf(c.hi, c.lo);
    if (!g.hasNode(id)) {
      if (g.nodeCount() >= limit) throw new GraphTooLarge(`the model has more than ${limit} reachable states; --dot draws at most ${limit} (make the model smaller, e.g. with fewer processes or lower bounds)`);
      const bad = invs.filter((p) => !p.holds(c.state)).map((p) => p.name);
      g.setNode(id, { label: model.type.show(c.state), init, bad });
      queue.push({ id, state: c.state });
    }
    return id;
  };
  for (const s of model.init) add(s, true);
  for (let i = 0; i < queue.length; i++) {
    const { id, state } = queue[i];
    const steps: { name: string; next: unknown }[] = [];
    expandAll(model, model.actions, state, (label, next) => steps.push({ name: model.showLabel(label), next }));
    for (const { name, next } of steps) g.setEdge(id, add(next, false), { label: name }, name);
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
