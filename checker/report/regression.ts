// The summary table of regression mode: one row per model, and what changed.
import { relative } from 'node:path';
import type { ModelOutcome } from '../run/check-model.ts';
import { num } from './text.ts';

function resultWord(o: ModelOutcome): string {
  if (o.error) return `${o.error.kind} error`;
  const failed = o.verdicts.filter((v) => v.verdict === 'violated').map((v) => v.name);
  if (failed.length) return `violated: ${failed.join(', ')}`;
  if (o.verdicts.some((v) => v.verdict === 'unknown')) return `unknown (${o.result?.status ?? 'stopped'})`;
  if (o.result?.constrained) return `all hold within ${o.settings?.constraints?.join(', ')}`;
  return o.result?.depthBounded ? `all hold to depth ${o.settings?.maxDepth}` : 'all hold';
}

export function formatRegressionTable(outcomes: readonly ModelOutcome[]): string {
  const rows = outcomes.map((o) => [
    relative(process.cwd(), o.file),
    resultWord(o),
    o.result ? num(o.result.distinct) : '-',
    o.result ? `${o.result.seconds.toFixed(2)} s` : '-',
    o.regressions.length ? 'REGRESSION' : o.config?.expect ? 'as expected' : 'no expect:',
  ]);
  const head = ['model', 'result', 'states', 'time', 'vs expect'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const bad = outcomes.filter((o) => o.regressions.length);
  out.push('');
  out.push(`${outcomes.length} models: ${outcomes.length - bad.length} as expected, ${bad.length} regression${bad.length === 1 ? '' : 's'}`);
  for (const o of bad) for (const r of o.regressions) out.push(`  ${relative(process.cwd(), o.file)}: ${r}`);
  return out.join('\n');
}
