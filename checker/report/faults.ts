// How the fault model and the coverage of a run read in reports.
import type { FaultModel } from '../core/spec.ts';
import type { Model } from '../core/spec.ts';
import type { SearchResult } from '../explore/search.ts';
import { num } from './numbers.ts';

const NOUN: Record<keyof FaultModel, [string, string]> = {
  crash: ['crash', 'crashes'],
  restart: ['restart', 'restarts'],
  drop: ['lost message', 'lost messages'],
  duplicate: ['duplicated message', 'duplicated messages'],
  partition: ['partition', 'partitions'],
};

function declared(f: FaultModel | undefined): [keyof FaultModel, { max: number; roles?: readonly string[]; messages?: readonly string[] }][] {
  return (Object.keys(NOUN) as (keyof FaultModel)[]).filter((k) => (f?.[k]?.max ?? 0) > 0).map((k) => [k, f![k]!]);
}

function scope(d: { roles?: readonly string[]; messages?: readonly string[] }): string {
  const only = d.roles ?? d.messages;
  return only?.length ? ` (${only.join(', ')})` : '';
}

/** `crash<=1 (acceptor), drop<=2`: the fault model in the run's header; undefined without faults. */
export function faultsHeader(f: FaultModel | undefined): string | undefined {
  const ds = declared(f);
  return ds.length ? ds.map(([k, d]) => `${k}<=${d.max}${scope(d)}`).join(', ') : undefined;
}

/** `under at most 1 crash (acceptor) and 2 lost messages`, or `with no faults` for a protocol. */
export function faultsPhrase(f: FaultModel | undefined): string {
  const ds = declared(f);
  if (!ds.length) return 'with no faults';
  const parts = ds.map(([k, d]) => `${d.max} ${NOUN[k][d.max === 1 ? 0 : 1]}${scope(d)}`);
  const list = parts.length <= 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `under at most ${list}`;
}

/** Coverage: fault steps explored per kind (and the most on one path), actions never enabled,
 *  and what the model declares that cannot happen. */
export function coverageLines(model: Model, r: SearchResult, faults: FaultModel | undefined): string[] {
  const out: string[] = [];
  for (const w of model.warnings ?? []) out.push(`  warning: ${w}`);
  const steps = new Map(model.actions.map((a, i) => [a.name, r.actionSteps[i] ?? 0]));
  const ds = declared(faults);
  if (ds.length) {
    const parts = ds.map(([k]) => `${k} ${num(steps.get(k) ?? 0)} steps (at most ${model.faultPeaks?.[k] ?? 0} on a path)`);
    out.push(`  faults explored: ${parts.join(', ')}`);
    const never = ds.filter(([k]) => (steps.get(k) ?? 0) === 0).map(([k]) => k);
    if (never.length) out.push(`  warning: declared but never possible: ${never.join(', ')} (no step of it was enabled in any reachable state)`);
  }
  const idle = model.actions.filter((a, i) => (r.actionSteps[i] ?? 0) === 0 && !(a.name in NOUN) && a.name !== 'heal').map((a) => a.name);
  if (idle.length && r.distinct > 0) out.push(`  never enabled: ${idle.join(', ')}${r.status === 'complete' && !r.depthBounded ? '' : ' (in the part explored)'}`);
  return out;
}
