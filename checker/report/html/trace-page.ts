// `replay trace.json --html out.html` and `check model.yaml --html report.html`: pages built from a
// replayed trace, or from a whole check with each counterexample as its diagram.
import { displayPath } from '../../config/load.ts';
import type { Model } from '../../core/spec.ts';
import type { ModelOutcome } from '../../run/check-model.ts';
import type { TraceFile } from '../../trace/format.ts';
import type { PathStep } from '../../trace/rebuild.ts';
import { diagramData, type DiagramData } from '../diagram-data.ts';
import { coverageLines, faultsHeader } from '../faults.ts';
import { renderPage, type ReportData } from './page.ts';

const KIND_WORD: Record<string, string> = { invariant: 'always', step: 'every step', deadlock: 'never stuck', liveness: 'eventually' };

/** The diagram of a saved trace, replayed against the current spec. */
export function traceDiagram(model: Model, trace: TraceFile, path: readonly PathStep[], violated: boolean): DiagramData {
  const loop = trace.loopStart ?? (trace as { loop?: unknown }).loop;
  return diagramData(model, path, {
    title: `${trace.model.name}: ${trace.property.kind} ${trace.property.name}`,
    property: trace.property,
    violated,
    ...(typeof loop === 'number' && loop >= 0 && loop < path.length ? { loop } : {}),
  });
}

export function tracePage(file: string, model: Model, trace: TraceFile, path: readonly PathStep[], violated: boolean, problem?: string): string {
  const params = Object.entries(trace.model.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
  const sub = `${file} · ${trace.model.spec}${params ? ` (${params})` : ''}${trace.model.network ? ` · ${trace.model.network} network` : ''}${trace.seed !== null ? ` · seed ${trace.seed}` : ''}${problem ? ` · replay: ${problem.split('\n')[0]}` : ''}`;
  return renderPage(`${trace.model.name}: ${trace.property.name}`, sub, { diagrams: [traceDiagram(model, trace, path, violated)] });
}

/** The hand-in report of a check: model, parameters, faults, verdicts with their sentences, counts, counterexamples. */
export function reportPage(o: ModelOutcome): string {
  const cfg = o.config;
  const resolved = o.resolved;
  const facts: string[] = [];
  facts.push(`model file: ${displayPath(o.file)}`);
  if (cfg) facts.push(`spec: ${displayPath(cfg.spec.module)}${cfg.spec.export !== 'default' ? `#${cfg.spec.export}` : ''}${resolved ? ` (${resolved.definition.name})` : ''}`);
  if (resolved) {
    const ps = Object.entries(resolved.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
    facts.push(`parameters: ${ps || '(none)'}`);
  }
  if (cfg?.network) facts.push(`network: ${cfg.network}`);
  facts.push(`faults: ${(cfg && faultsHeader(cfg.faults)) || 'none'}`);
  const r = o.result;
  const s = o.simulation;
  if (r) {
    facts.push(`search: ${(o.settings?.strategy ?? 'bfs').toUpperCase()}${o.settings?.maxDepth !== undefined ? `, depth bound ${o.settings.maxDepth}` : ''}${o.settings?.maxStates !== undefined ? `, state limit ${o.settings.maxStates}` : ''}`);
    facts.push(`states: ${r.distinct.toLocaleString('en-US')} distinct / ${r.generated.toLocaleString('en-US')} generated, depth ${r.depth}, ${r.seconds.toFixed(2)} s (${r.status})`);
    if (resolved) facts.push(...coverageLines(resolved.model, r, cfg?.faults).map((l) => l.trim()));
  }
  if (s) {
    facts.push(`random simulation: ${s.runs.toLocaleString('en-US')} runs, ${s.steps.toLocaleString('en-US')} steps, seed ${s.seed}, ${s.distinct.toLocaleString('en-US')} distinct states met, deepest run ${s.depth} steps`);
    facts.push(`actions never taken: ${s.neverTaken.length ? s.neverTaken.join(', ') : 'none (every action was taken)'}`);
    facts.push(`repeat: ${s.repeat}`);
  }
  if (o.error) facts.push(`error: ${o.error.message}`);
  const verdicts = o.verdicts.map((v) => ({
    name: v.name,
    verdict: v.verdict,
    sentence: `${KIND_WORD[v.kind] ?? v.kind}${v.says ? `: ${v.says}` : ''}${v.trace ? ` (counterexample: ${v.trace.path.length - 1} steps${v.shrunkFrom !== undefined ? `, shrunk from ${v.shrunkFrom}` : ''})` : ''}${v.note ? ` (unknown: ${v.note})` : ''}`,
  }));
  const held = o.verdicts.filter((v) => v.verdict === 'holds').map((v) => v.name);
  let conclusion: string | undefined;
  let conclusionKind: ReportData['conclusionKind'] = '';
  if (r?.status === 'complete' && held.length) {
    conclusion = r.depthBounded
      ? `proven (bounded): ${held.join(', ')} within depth ${o.settings?.maxDepth}, ${r.distinct.toLocaleString('en-US')} states`
      : `proven: ${held.join(', ')} in all ${r.distinct.toLocaleString('en-US')} reachable states (exhaustive ${(o.settings?.strategy ?? 'bfs').toUpperCase()})`;
    conclusionKind = 'ok';
  } else if (s) {
    conclusion = 'not proven: a random simulation samples runs; a property it did not violate is unknown.';
    conclusionKind = 'unknown';
  } else if (r && r.status !== 'complete') {
    conclusion = `not proven: the search stopped (${r.status}) at ${r.distinct.toLocaleString('en-US')} states; properties not violated are unknown.`;
    conclusionKind = 'unknown';
  }
  const diagrams: DiagramData[] = [];
  if (resolved) {
    for (const v of o.verdicts) {
      if (!v.trace) continue;
      diagrams.push(diagramData(resolved.model, v.trace.path, {
        title: `Counterexample for ${v.name} (${v.trace.path.length - 1} steps)`,
        property: { name: v.name, kind: v.kind, ...(v.says ? { says: v.says } : {}) },
        violated: true,
        ...(v.trace.loopStart !== undefined ? { loop: v.trace.loopStart } : {}),
      }));
    }
  }
  const title = `${cfg?.name ?? displayPath(o.file)}: model-checking report`;
  return renderPage(title, `tsmc · ${new Date().toISOString().slice(0, 10)}`, { report: { facts, verdicts, conclusion, conclusionKind }, diagrams });
}
