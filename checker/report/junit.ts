// The JUnit XML reporter, for CI systems that show test results: one test suite per model, one test
// case per property, plus one for the model's `expect:` block.
import { relative } from 'node:path';
import type { ModelOutcome } from '../run/check-model.ts';

/** Escapes text for an XML attribute or element; characters XML 1.0 cannot hold at all (control
 *  characters, lone surrogates) are shown as \\uXXXX so the document stays well-formed. */
export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function suite(o: ModelOutcome): string {
  const name = esc(o.config?.name ?? relative(process.cwd(), o.file));
  const time = (o.result?.seconds ?? 0).toFixed(3);
  const cases: string[] = [];
  if (o.error) {
    cases.push(`    <testcase name="load and search" classname="${name}"><error message="${esc(o.error.kind)} error">${esc(o.error.message)}</error></testcase>`);
  }
  for (const v of o.verdicts) {
    const want = o.config?.expect?.verdicts[v.name];
    const body =
      v.verdict === 'holds' ? ''
      : v.verdict === 'violated'
        ? `<failure message="${esc(`${v.name} violated${want === 'violated' ? ' (as expected)' : ''}`)}">${esc(v.trace?.file ? `trace: ${relative(process.cwd(), v.trace.file)}` : '')}</failure>`
        : '<skipped message="not decided: the search stopped early"/>';
    // A violation the model expects is not a failed test: it is what the model says.
    const shown = v.verdict === 'violated' && want === 'violated' ? '' : body;
    const title = v.kind === 'deadlock' ? 'deadlock freedom' : `${v.kind} ${v.name}`;
    cases.push(`    <testcase name="${esc(title)}" classname="${name}">${shown}</testcase>`);
  }
  if (o.config?.expect) {
    const failure = o.regressions.length ? `<failure message="differs from expect:">${esc(o.regressions.join('\n'))}</failure>` : '';
    cases.push(`    <testcase name="expect" classname="${name}">${failure}</testcase>`);
  }
  const failures = cases.filter((c) => c.includes('<failure')).length;
  const errors = cases.filter((c) => c.includes('<error')).length;
  const skipped = cases.filter((c) => c.includes('<skipped')).length;
  return `  <testsuite name="${name}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}">\n${cases.join('\n')}\n  </testsuite>`;
}

export function junitXML(outcomes: readonly ModelOutcome[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="check">\n${outcomes.map(suite).join('\n')}\n</testsuites>\n`;
}
