// One benchmark row through `check` as a user runs it: `node bin/check.js <model> --reporter json`
// in a process of its own (start-up and the spec's type-check included), under GNU time when
// installed for the peak memory. What `npx check` runs, without npx's own lookup.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CheckReport, parseCheckJSON, parseTimeLine, withoutTimeLine } from './parse.ts';
import type { Row } from './rows.ts';

export const GNU_TIME = '/usr/bin/time';

export interface OurRun {
  readonly row: Row;
  readonly workers: number;
  readonly report?: CheckReport;
  /** Whole process, start-up included. */
  readonly wallSeconds?: number;
  readonly peakBytes?: number;
  /** Why the row was not run ("n/a: ..."), or why it failed. */
  readonly skipped?: string;
  readonly failure?: string;
}

/** What this checker supports that some rows need (rows that need more print "n/a"). */
export interface Capabilities {
  readonly workers: boolean;
  readonly symmetry: boolean;
}

export function capabilities(root: string): Capabilities {
  const help = spawnSync(process.execPath, [join(root, 'bin', 'check.js'), '--help'], { cwd: root, encoding: 'utf8' });
  const schema = readFileSync(join(root, 'checker', 'config', 'model.schema.json'), 'utf8');
  let symmetry = false;
  try {
    symmetry = JSON.parse(schema)?.properties?.search?.properties?.symmetry !== undefined;
  } catch {
    symmetry = false;
  }
  return { workers: /--workers\b/.test(help.stdout ?? ''), symmetry };
}

/** Runs one row with `workers` workers (said explicitly once check has --workers, whose default
 *  may be every core); checks its exit code, verdicts and state count. */
export function runOurs(root: string, row: Row, workers: number, caps: Capabilities): OurRun {
  if (workers > 1 && !caps.workers) return { row, workers, skipped: 'n/a: check has no --workers yet' };
  if (row.needs === 'symmetry' && !caps.symmetry) return { row, workers, skipped: 'n/a: the model-file key search.symmetry is not supported yet' };
  const args = [join(root, 'bin', 'check.js'), row.model, '--reporter', 'json', '--no-traces', '--progress', '0', ...(caps.workers ? ['--workers', String(workers)] : [])];
  const timed = existsSync(GNU_TIME);
  const [cmd, argv] = timed ? [GNU_TIME, ['-f', 'BENCH-TIME %e %U %S %M', process.execPath, ...args]] : [process.execPath, args];
  const started = performance.now();
  const p = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallSeconds = (performance.now() - started) / 1000;
  const time = parseTimeLine(p.stderr ?? '');
  let report: CheckReport;
  try {
    report = parseCheckJSON(p.stdout ?? '');
  } catch (e) {
    const err = withoutTimeLine(p.stderr ?? '').trim().split('\n').slice(-3).join(' ');
    return { row, workers, wallSeconds, failure: `${(e as Error).message}${err ? `; stderr: ${err}` : ''}` };
  }
  const peakBytes = time?.maxRssBytes ?? report.peakMemoryBytes;
  const base = { row, workers, report, wallSeconds, ...(peakBytes !== undefined ? { peakBytes } : {}) };
  const failure = checkReport(row, report);
  return failure ? { ...base, failure } : base;
}

/** Runs `check` on a model once, stopped at its first state, untimed: it fills the caches. */
export function warmUp(root: string, model: string): void {
  spawnSync(process.execPath, [join(root, 'bin', 'check.js'), model, '--max-states', '1', '--no-traces', '--reporter', 'json', '--progress', '0'], { cwd: root, encoding: 'utf8' });
}

/** Why a run's report is not what the row asserts (undefined when it is). */
export function checkReport(row: Row, r: CheckReport, reference?: CheckReport): string | undefined {
  if (r.error) return `${r.status}: ${r.error.split('\n')[0]}`;
  if (r.exitCode !== 0) return `exit code ${r.exitCode} (${r.regressions.join('; ') || r.verdicts.filter((v) => v.verdict !== 'holds').map((v) => `${v.name} ${v.verdict}`).join(', ')})`;
  if (r.status !== 'complete') return `search ${r.status}`;
  if (row.expect !== undefined && r.distinct !== row.expect) return `${r.distinct} distinct states, expected ${row.expect}`;
  if (r.expectedStates !== undefined && r.distinct !== r.expectedStates) return `${r.distinct} distinct states, the model file expects ${r.expectedStates}`;
  if (reference && !(r.distinct < reference.distinct)) return `${r.distinct} distinct states with the reduction, not fewer than ${reference.distinct} without`;
  return undefined;
}
