// The text report: what was proven, in words a student can hand in, and readable counterexamples.
import { displayPath as rel } from '../config/load.ts';
import { diff, showChanges } from '../core/diff.ts';
import { MapType, RecordType } from '../core/types.ts';
import type { Model } from '../core/spec.ts';
import type { ModelOutcome, PropertyVerdict } from '../run/check-model.ts';
import type { PathStep } from '../trace/rebuild.ts';
import { coverageLines, faultsHeader, faultsPhrase } from './faults.ts';
import { num, rate } from './numbers.ts';
import { simulationLines } from './simulation.ts';
import { OP_WORD } from '../core/temporal.ts';

export { num, rate } from './numbers.ts';

function paramsText(params: Readonly<Record<string, unknown>>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`).join(', ');
}

const KIND_WORD: Record<PropertyVerdict['kind'], string> = { invariant: 'always', step: 'every step', deadlock: 'never stuck', temporal: 'temporal' };

function steps(n: number): string {
  return n === 1 ? '1 step' : `${n} steps`;
}

function kindWord(v: PropertyVerdict): string {
  return v.op ? OP_WORD[v.op] : KIND_WORD[v.kind];
}

/** `(counterexample: 8 steps)`, `(lasso: 5 steps + loop of 3)`, `(witness: 2 steps)`, `(unknown: why)`. */
function verdictExtra(v: PropertyVerdict): string {
  const t = v.trace;
  if (v.verdict === 'unknown') return v.note ? `  (unknown: ${v.note})` : '';
  if (t && t.loopStart !== undefined) {
    const loop = t.path.length - 1 - t.loopStart;
    return loop > 0 ? `  (lasso: ${steps(t.loopStart)} + loop of ${loop})` : `  (lasso: ${steps(t.loopStart)}, then stutters for ever)`;
  }
  if (t && v.op === 'sometimes') return `  (witness: ${steps(t.path.length - 1)})`;
  if (t) {
    const faults = t.path.filter((p) => p.label?.fault !== undefined).length;
    const shrunk = v.shrunkFrom !== undefined ? `, shrunk from ${v.shrunkFrom}` : '';
    return `  (counterexample: ${steps(t.path.length - 1)}${faults ? `, ${faults} of them fault${faults === 1 ? '' : 's'}` : ''}${shrunk})`;
  }
  if (v.note) return `  (${v.note})`;
  return '';
}

function listWords(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** The full report of one model. */
export function formatOutcome(o: ModelOutcome, opts: { showTraces?: boolean } = {}): string {
  const out: string[] = [];
  const cfg = o.config;
  const r = o.result;
  const title = cfg ? `${cfg.name}  (${rel(cfg.file)})` : rel(o.file);
  out.push(title);
  if (o.error && !r && !o.simulation) {
    out.push(indent(o.error.message, '  '));
    return out.join('\n');
  }
  const resolved = o.resolved!;
  const strategy = o.settings?.strategy === 'simulate' ? 'random simulation' : (o.settings?.strategy ?? cfg!.search.strategy).toUpperCase();
  const net = resolved.config.network ? `, ${resolved.config.network} network` : '';
  const ps = paramsText(resolved.params);
  const faults = faultsHeader(resolved.config.faults);
  const sym = r?.symmetry ? `, symmetry: ${r.symmetry.names.join(', ')}` : '';
  out.push(`  ${resolved.definition.name}${ps ? ` (${ps})` : ''}${net}${faults ? `; faults: ${faults}` : ''}, ${strategy}${sym}`);
  if (r) {
    const perSec = r.seconds > 0 ? r.distinct / r.seconds : 0;
    const genSec = r.seconds > 0 ? r.generated / r.seconds : 0;
    out.push(`  states ${num(r.distinct)} distinct / ${num(r.generated)} generated, depth ${r.depth}, ${r.seconds.toFixed(2)} s, ${rate(perSec)} distinct/s, ${rate(genSec)} generated/s`);
    const w = o.settings?.workers;
    if (w) out.push(w.note ? `  note: ${w.note}` : `  workers: ${w.threads} of ${w.requested}${w.threads < w.requested ? ' (the levels were too small for more)' : ''}`);
  }
  if (o.shard) out.push(`  shard ${o.shard.index}/${o.shard.count} of a ${o.shard.mode === 'simulate' ? 'swarm simulation' : 'hash-partitioned exhaustive BFS'}: check --merge combines the shards' --reporter json reports`);
  // Violations found before a spec error stopped the search come first: they are real.
  out.push(...verdictLines(o));
  for (const line of o.traceErrors ?? []) out.push(`  ${line}`);
  if (o.simulation) out.push(...simulationLines(o.simulation));
  if (o.error) {
    out.push(indent(o.error.message, '  '));
    if (o.error.path) out.push(...formatPath(resolved.model, o.error.path, '    ', 'path to the state where it happened'));
  } else if (r) {
    out.push(...coverageLines(resolved.model, r, resolved.config.faults));
    if (o.liveness) out.push(...livenessLines(o));
    out.push(...provenLines(o));
  }
  if (!o.error) for (const line of o.regressions) out.push(`  REGRESSION  ${line}`);
  for (const line of o.notComparable ?? []) out.push(`  not comparable  ${line}`);
  if (opts.showTraces !== false) {
    for (const v of o.verdicts) {
      if (!v.trace) continue;
      out.push('');
      const what = v.op === 'sometimes' ? 'witness' : v.trace.loopStart !== undefined ? 'lasso counterexample' : 'counterexample';
      out.push(...formatPath(resolved.model, v.trace.path, '  ', `${what} for ${v.name} (${steps(v.trace.path.length - 1)}${v.shrunkFrom !== undefined ? `, shrunk from ${v.shrunkFrom}` : ''})`, v.trace.loopStart));
    }
  }
  return out.join('\n');
}


function verdictLines(o: ModelOutcome): string[] {
  const out: string[] = [];
  const width = Math.max(8, ...o.verdicts.map((v) => v.name.length));
  for (const v of o.verdicts) {
    const mark = v.verdict === 'holds' ? 'ok  ' : v.verdict === 'violated' ? 'FAIL' : '??  ';
    const says = v.says ? `${kindWord(v)}: ${v.says}` : kindWord(v);
    const extra = verdictExtra(v);
    out.push(`  ${mark}  ${v.name.padEnd(width)}  ${says}${extra}`);
    if (v.trace?.file) {
      out.push(`        trace: ${rel(v.trace.file)}`);
      out.push(`        reproduce: npx replay ${shellQuote(rel(v.trace.file))}`);
    }
  }
  return out;
}

/** A path as a shell reads it: as is when plain, else in single quotes. */
export function shellQuote(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

function provenLines(o: ModelOutcome): string[] {
  const r = o.result!;
  const resolved = o.resolved!;
  const held = o.verdicts.filter((v) => v.verdict === 'holds').map((v) => (v.kind === 'deadlock' ? 'deadlock freedom' : v.name));
  const lines: string[] = [];
  const ps = paramsText(resolved.params);
  const under = resolved.definition.kind === 'protocol' ? ` ${faultsPhrase(resolved.config.faults)}` : '';
  const scope = `${ps ? `${resolved.definition.name} with ${ps}` : resolved.definition.name}${under}`;
  if (o.verdicts.length === 0) {
    lines.push(`  nothing checked: the model checks no property (no invariant, no step property, deadlock: false); ${num(r.distinct)} states were explored.`);
  } else if (r.status === 'complete' && held.length) {
    const verb = held.length === 1 ? 'holds' : 'hold';
    const how = (o.settings?.strategy ?? 'bfs').toUpperCase();
    if (r.constrained) {
      const cs = o.settings?.constraints ?? [];
      const depth = r.depthBounded ? ` and depth ${o.settings?.maxDepth}` : '';
      lines.push(`  proven for states within ${cs.length === 1 ? 'constraint' : 'constraints'} ${listWords(cs)}${depth}: ${listWords(held)} ${verb} in the ${num(r.distinct)} states of ${scope} (successors outside were generated and checked against the invariants, but not kept or expanded).`);
    } else if (r.depthBounded) {
      const dfsCaveat = o.settings?.strategy === 'dfs' ? '; DFS does not explore again a state it first reached by a longer path, so use BFS to cover every state within the bound' : '';
      lines.push(`  proven (bounded): ${listWords(held)} ${verb} in the ${num(r.distinct)} states of ${scope} within depth ${o.settings?.maxDepth} (deeper states were not explored${dfsCaveat}).`);
    } else {
      // With symmetry each state explored stands for every permutation of it.
      const states = r.symmetry ? `reachable states of ${scope} (exhaustive ${how}; ${num(r.distinct)} explored up to symmetry of ${listWords(r.symmetry.names)})` : `${num(r.distinct)} reachable states of ${scope} (exhaustive ${how})`;
      lines.push(`  proven: ${listWords(held)} ${verb} in all ${states}.`);
    }
  } else if (r.status === 'memory-limit') {
    const budget = resolved.config.search.memory === undefined ? ' Give the visited set and the frontier a memory budget beyond which they spill to disk (search.memory: 2GiB in the model file, or --memory 2GiB), or bound' : ' Lower search.memory (or --memory), or bound';
    lines.push(`  not proven: the search stopped when memory ran short (80% of this machine's, at ${num(r.distinct)} states); properties not violated so far are unknown.${budget} the model (maxStates, maxDepth, smaller parameters).${o.checkpoint ? '' : ' With --checkpoint DIR such a run can be continued (--resume DIR) instead of started again.'}`);
  } else if (r.status === 'state-limit') {
    lines.push(`  not proven: the search stopped at the state limit (${num(r.distinct)} states); properties not violated so far are unknown.`);
  } else if (r.status === 'interrupted') {
    lines.push(`  not proven: interrupted after ${num(r.distinct)} states (depth ${r.depth}); properties not violated so far are unknown.`);
  } else if (r.status === 'stopped') {
    lines.push('  stopped at the first violation (stopAtFirst): the other properties are unknown.');
  }
  if (o.checkpoint) lines.push(...checkpointLines(o.checkpoint, r.status));
  if (o.spill) {
    const sp = o.spill;
    const went = sp.storeDiskBytes > 0 || sp.frontierChunks > 0
      ? `the visited set ${sp.storeDiskBytes > 0 ? `spilled ${num(sp.storeDiskBytes / 2 ** 20)} MB to disk (${sp.merges} merge${sp.merges === 1 ? '' : 's'})` : 'stayed in memory'}, the frontier ${sp.frontierChunks > 0 ? `${sp.frontierChunks} chunk${sp.frontierChunks === 1 ? '' : 's'} to disk` : 'stayed in memory'}`
      : 'nothing went to disk';
    lines.push(`  memory budget ${num(sp.budget / 2 ** 20)} MB for the visited set and the frontier: ${went}`);
  }
  const red = o.reduction;
  if (red?.active) {
    const restarts = red.restarts ? ` (after ${red.restarts} restart${red.restarts === 1 ? '' : 's'}, as it learned who sends to whom and what the invariants read)` : '';
    lines.push(`  partial-order reduction: ${num(red.reducedStates)} of the ${num(r.distinct)} states followed one process's steps only${restarts}; the counts are the reduced graph's.`);
  } else if (red) lines.push(`  partial-order reduction off: ${red.reason}; this was the full search.`);
  const peak = o.memory ?? { bytes: process.resourceUsage().maxRSS * 1024, exact: true };
  // In folder mode the process's peak may be an earlier model's: then this model's is a sampled one.
  const peakText = peak.exact ? `peak ${num(peak.bytes / 2 ** 20)} MB` : `peak about ${num(peak.bytes / 2 ** 20)} MB (sampled)`;
  // Bytes per state mean something once the table's fixed start-up size no longer dominates.
  const perState = r.distinct >= 100_000 ? ` (${(r.storeBytes / r.distinct).toFixed(1)} B/state)` : '';
  lines.push(`  memory: ${peakText}, visited set ${num(r.storeBytes / 2 ** 20)} MB${perState}; ${r.collisionProbability === 0 ? 'fingerprints exact (every state fits in 7 bytes: no collision possible)' : `fingerprint collision probability ${r.collisionProbability.toExponential(1)}`}`);
  return lines;
}

function checkpointLines(c: NonNullable<ModelOutcome['checkpoint']>, status: string): string[] {
  const out: string[] = [];
  if (c.resumedFrom) out.push(`  resumed from the checkpoint in ${c.dir} (saved ${c.resumedFrom === 'periodic' ? 'periodically' : c.resumedFrom === 'interrupted' ? 'when interrupted' : 'when memory ran short'}); the counts include the run before it`);
  if (c.saved) {
    const when = c.saved.reason === 'periodic' ? 'last saved' : c.saved.reason === 'interrupted' ? 'saved when interrupted' : 'saved when memory ran short';
    out.push(`  checkpoint: ${when} in ${c.dir} (${num(c.saved.states)} states)`);
  }
  if (status === 'interrupted' || status === 'memory-limit') out.push(`  continue with: ${c.resume}${status === 'memory-limit' && !/--memory/.test(c.resume) ? ' --memory 2GiB' : ''}`);
  return out;
}

function indent(s: string, pad: string): string {
  return s.split('\n').map((l) => pad + l).join('\n');
}

/** The fairness a run assumed, vacuous fairness, and the size of the state graph. */
function livenessLines(o: ModelOutcome): string[] {
  const l = o.liveness!;
  const lines: string[] = [];
  const fair = l.fairness;
  lines.push(`  fairness: ${fair.length ? fair.map((d) => `${d.kind} ${d.selector}${d.per === 'instance' ? '' : ` (per ${Array.isArray(d.per) ? d.per.join(', ') : d.per})`}`).join(', ') : 'none'}${fair.some((d) => d.per === 'instance') ? ' (per action instance unless said)' : ''}`);
  for (const v of l.vacuousFairness) lines.push(`  note: ${v}`);
  // Bytes per edge mean something once the chunks' fixed start-up size no longer dominates.
  const perEdge = l.edges >= 100_000 ? `, ${(l.graphBytes / l.edges).toFixed(1)} B/edge` : '';
  lines.push(`  liveness: state graph of ${num(l.edges)} edges (${num(l.graphBytes / 2 ** 20)} MB${perEdge}), analysed in ${l.seconds.toFixed(2)} s`);
  return lines;
}

/** A path, step by step: the action and only what changed in the state. A lasso ends with the
 *  line that says where its loop goes back to (or that it stutters for ever at its last state). */
export function formatPath(model: Model, path: readonly PathStep[], pad: string, title: string, loopStart?: number): string[] {
  const out = [`${pad}${title}:`];
  const w = String(path.length - 1).length;
  path.forEach((step, i) => {
    const head = `${pad}  ${String(i).padStart(w)}  `;
    if (step.label === null) {
      out.push(`${head}init`);
      for (const line of showWhole(model, step.state)) out.push(`${pad}  ${' '.repeat(w)}      ${line}`);
      return;
    }
    out.push(`${head}${model.showLabel(step.label)}`);
    const changes = showChanges(diff(model.type, path[i - 1].state, step.state));
    if (changes.length === 0) out.push(`${pad}  ${' '.repeat(w)}      (no change)`);
    for (const line of changes) out.push(`${pad}  ${' '.repeat(w)}      ${line}`);
  });
  if (loopStart !== undefined) {
    out.push(loopStart < path.length - 1 ? `${pad}  -- loop back to step ${loopStart} --` : `${pad}  -- stutters at step ${loopStart} for ever (no fair step is enabled there) --`);
  }
  return out;
}

/** A whole state, a line per field (and a line per entry of a map field, e.g. per process). */
export function showWhole(model: Model, s: unknown): string[] {
  const type = model.type;
  if (!(type instanceof RecordType)) return [type.show(s)];
  return type.keys.flatMap((k) => {
    const field = type.fields[k];
    const v = (s as any)[k];
    if (field instanceof MapType && !field.partial) {
      // Empty entries (a FIFO network's idle channels) are left out.
      const lines = field.keys().map((key) => `${k}.${key}: ${field.value.show(v[key])}`).filter((l) => !l.endsWith(': []'));
      return lines.length ? lines : [`${k}: (all empty)`];
    }
    return [`${k}: ${field.show(v)}`];
  });
}
