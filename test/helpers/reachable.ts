// A naive reference explorer: plain BFS over a model's actions, deduplicating by canonical encoding.
import type { Model } from '../../checker/core/spec.ts';
import { expandAll } from '../../checker/explore/search.ts';
import { canonical } from '../../checker/trace/rebuild.ts';

/** Every reachable state of the model, in canonical (decoded) form. */
export function reachable(model: Model, limit = 200_000): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  let level: unknown[] = [];
  const add = (s: unknown): void => {
    const c = canonical(model, s);
    const key = `${c.hi}:${c.lo}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c.state);
    level.push(c.state);
    if (out.length > limit) throw new Error(`more than ${limit} states`);
  };
  for (const s of model.init) add(s);
  while (level.length) {
    const cur = level;
    level = [];
    for (const s of cur) expandAll(model, model.actions, s, (_label, next) => add(next));
  }
  return out;
}
