// `check --merge report.json... | folder`: reads the shards' JSON reports, merges them (run/merge.ts),
// restores the kept counterexample's trace file, and prints the verdict (text or JSON).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { EXIT } from '../run/exit-codes.ts';
import { mergeReports, type MergedReport, type ShardReport } from '../run/merge.ts';
import { TRACE_FORMAT } from '../trace/format.ts';

/** The reports named: files as given (each must be a shard report), folders searched recursively
 *  for .json files that are shard reports (other JSON, such as trace files, is passed over). */
export function readReports(paths: readonly string[]): ShardReport[] {
  const out: ShardReport[] = [];
  const parse = (file: string, strict: boolean): void => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      if (!strict) return;
      const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new ConfigError('MC402', `${file} cannot be read as a JSON report (${why})`, { file }, 'give the output of `check --shard i/n --reporter json`');
    }
    const ok = typeof json === 'object' && json !== null && !Array.isArray(json) && 'shard' in json;
    if (!ok && strict) throw new ConfigError('MC402', `${file} is not a shard report (no "shard" block)`, { file }, 'give the output of `check --shard i/n --reporter json`');
    if (ok) out.push({ file, json: json as Record<string, unknown> });
  };
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json')) parse(p, false);
    }
  };
  for (const p of paths) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) throw new ConfigError('MC402', `no such report file or folder: ${p}`, { file: p });
    if (st.isDirectory()) walk(p);
    else parse(p, true);
  }
  return out;
}

/** Writes back each kept counterexample's trace file (where the shard wrote it, relative to here)
 *  when it is not there, so `replay` works where the merge ran. It never overwrites a file, and
 *  writes only trace files (a report from elsewhere is not trusted to name any path). */
function restoreTraces(m: MergedReport): string[] {
  const written: string[] = [];
  for (const p of m.properties) {
    const data = p.traceData as { format?: unknown } | undefined;
    if (!p.trace || !p.trace.endsWith('.json') || data?.format !== TRACE_FORMAT || existsSync(p.trace)) continue;
    try {
      mkdirSync(dirname(p.trace), { recursive: true });
      writeFileSync(p.trace, `${JSON.stringify(p.traceData, null, 2)}\n`, { flag: 'wx' });
      written.push(p.trace);
    } catch {
      // Not fatal: the verdict stands and the report names the trace.
    }
  }
  return written;
}

const num = (n: number) => n.toLocaleString('en-US');

export function formatMerged(m: MergedReport): string {
  const kind = m.mode === 'simulate' ? 'swarm simulation' : 'hash-partitioned exhaustive BFS';
  const lines = [`${m.model}  (${m.file}), merged from ${m.shards.length} of ${m.count} shard${m.count === 1 ? '' : 's'}, ${kind}${m.symmetry?.length ? `, symmetry: ${m.symmetry.join(', ')}` : ''}`];
  for (const s of m.shards) {
    const counts = s.distinct !== undefined ? `${num(s.distinct)} distinct / ${num(s.generated ?? 0)} generated` : `${num(s.runs ?? 0)} runs, ${num(s.steps ?? 0)} steps${s.own.seed !== undefined ? `, seed ${String(s.own.seed)}, depth ${String(s.own.depth)}` : ''}`;
    lines.push(`  shard ${s.index}/${m.count}: ${s.status}, exit ${s.exitCode}, ${counts}  (${s.file})`);
  }
  for (const i of m.missing) lines.push(`  shard ${i}/${m.count}: MISSING`);
  if (m.stats) lines.push(`  states ${num(m.stats.distinct)} distinct / ${num(m.stats.generated)} generated, depth ${m.stats.depth} (summed over the shards); ${m.stats.collisionProbability === 0 ? 'fingerprints exact: no collision possible' : `fingerprint collision probability ${m.stats.collisionProbability.toExponential(1)}`}`);
  if (m.simulation) lines.push(`  simulation: ${num(m.simulation.runs)} runs, ${num(m.simulation.steps)} steps over the shards, base seed ${String(m.simulation.seed)}; at least ${num(m.simulation.distinctAtLeast)} distinct states met, deepest run ${m.simulation.depth} steps`);
  const width = Math.max(0, ...m.properties.map((p) => p.name.length));
  for (const p of m.properties) {
    const tag = p.verdict === 'holds' ? 'ok  ' : p.verdict === 'violated' ? 'FAIL' : '??  ';
    const extra = p.verdict === 'violated' ? `  (counterexample: ${p.steps} steps, shard ${p.shard}/${m.count})` : p.note ? `  (unknown: ${p.note})` : '';
    lines.push(`  ${tag}  ${p.name.padEnd(width)}  ${p.says ?? ''}${extra}`);
    if (p.verdict === 'violated' && p.trace) {
      lines.push(`        trace: ${p.trace}`);
      lines.push(`        reproduce: npx replay ${p.trace}`);
    }
  }
  for (const e of m.errors) lines.push(`  ${e}`);
  for (const r of m.regressions) lines.push(`  REGRESSION  ${r}`);
  const held = m.properties.filter((p) => p.verdict === 'holds').map((p) => p.name);
  if (m.mode === 'exhaustive' && m.complete && held.length === m.properties.length && held.length > 0 && m.stats) {
    const up = m.symmetry?.length ? ` (up to symmetry of ${m.symmetry.join(', ')})` : '';
    lines.push(`  proven: ${held.join(', ')} hold${held.length === 1 ? 's' : ''} in all ${num(m.stats.distinct)} reachable states${up} (exhaustive BFS over ${m.count} shards)${m.stats.depthBounded ? ', up to the depth bound' : ''}${m.stats.constrained ? ', within the state constraints' : ''}.`);
  } else if (m.mode === 'simulate') {
    lines.push('  not proven: a simulation samples runs; a property not violated is unknown, never proven.');
  }
  return lines.join('\n');
}

/** The merged report for machines. */
export function mergedJSON(m: MergedReport): Record<string, unknown> {
  return {
    merged: true,
    ...m,
    properties: m.properties.map(({ traceData: _, ...p }) => p),
  };
}

export function mergeMain(paths: readonly string[], options: { readonly json: boolean }): number {
  try {
    if (paths.length === 0) throw new ConfigError('MC402', 'check --merge needs the shard reports (files or a folder)', {});
    const merged = mergeReports(readReports(paths));
    restoreTraces(merged);
    process.stdout.write(options.json ? `${JSON.stringify(mergedJSON(merged), null, 2)}\n` : `${formatMerged(merged)}\n`);
    return merged.exitCode;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.format()}\n`);
      return EXIT.config;
    }
    throw e;
  }
}
