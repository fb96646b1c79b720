// `check model.yaml` checks one model; `check specs/` (a folder or several files) checks every model
// against its `expect:` block (regression mode). Wiring only: the work is in run/ and report/.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkModel, type ModelOutcome, type Overrides } from '../run/check-model.ts';
import { EXIT } from '../run/exit-codes.ts';
import { formatOutcome } from '../report/text.ts';
import { reportPage } from '../report/html/trace-page.ts';
import { writeDot, writeOutcomeItf } from './exports.ts';
import { outcomeJSON, regressionJSON } from '../report/json.ts';
import { junitXML } from '../report/junit.ts';
import { formatRegressionTable } from '../report/regression.ts';
import { progressLine, type StatusLine, statusLine } from '../report/progress.ts';

const USAGE = `usage: check <model.yaml | folder>... [options]

  One model file: check it and print what was proven or a counterexample.
  A folder or several files: regression mode, every model against its expect: block.

options:
  --strategy bfs|dfs    search order (default: the model's, else bfs)
  --max-states N        stop after N distinct states (exit 152)
  --max-depth N         do not expand states deeper than N
  --stop-at-first       stop at the first violation
  --check-spec          re-run every action on frozen inputs to catch impure or nondeterministic specs
  --simulate            random simulation instead of the exhaustive search (verdicts: violated or unknown)
  --runs N              simulation: how many random runs (default 1000)
  --depth N             simulation: most steps per run (default 100)
  --seed S              simulation: the seed (0..4294967295) that repeats a run (default: fresh, printed)
  --time T              simulation: stop after T seconds
  --itf FILE            also write each counterexample in the Informal Trace Format (Apalache, Quint)
  --dot FILE            also write the state graph for Graphviz (small models: at most 500 states)
  --html FILE           also write the report as one self-contained HTML page (counterexamples as diagrams)
  --reporter text|json|junit  output format (default text; junit: JUnit XML for CI)
  --traces DIR          where counterexamples are written (default traces/)
  --no-traces           write no trace files
  -h, --help            this help

exit codes: 0 all hold, 10 regression (differs from expect:), 11 deadlock, 12 safety violated,
13 liveness violated, 150 spec error, 151 config error, 152 state or memory limit, 255 internal error`;

export class UsageError extends Error {}

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} takes a non-negative integer, not ${JSON.stringify(v)}`);
  return n;
}

/** `--simulate` and its settings; settings without `--simulate` are a mistake. */
function simulateOverrides(v: Record<string, string | boolean | undefined>): Overrides['simulate'] {
  const runs = positiveInt('runs', v.runs as string | undefined);
  const depth = positiveInt('depth', v.depth as string | undefined);
  const seed = positiveInt('seed', v.seed as string | undefined);
  const timeText = v.time as string | undefined;
  const time = timeText === undefined ? undefined : Number(timeText);
  if (time !== undefined && !(time > 0)) throw new UsageError(`--time takes a positive number of seconds, not ${JSON.stringify(timeText)}`);
  if (runs === 0 || depth === 0) throw new UsageError(`--${runs === 0 ? 'runs' : 'depth'} must be at least 1`);
  if (seed !== undefined && seed > 0xffffffff) throw new UsageError(`--seed is at most 4294967295, not ${seed}`);
  const any = runs !== undefined || depth !== undefined || seed !== undefined || time !== undefined;
  if (!v.simulate) {
    if (any) throw new UsageError('--runs, --depth, --seed and --time go with --simulate');
    return undefined;
  }
  return { ...(runs !== undefined ? { runs } : {}), ...(depth !== undefined ? { depth } : {}), ...(seed !== undefined ? { seed } : {}), ...(time !== undefined ? { time } : {}) };
}

/** Model files under the given paths: folders are searched (recursively) for .yaml / .yml files. */
export function modelFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UsageError(`${p}: no such file or folder`);
    }
    if (st.isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        strategy: { type: 'string' },
        'max-states': { type: 'string' },
        'max-depth': { type: 'string' },
        'stop-at-first': { type: 'boolean' },
        'check-spec': { type: 'boolean' },
        simulate: { type: 'boolean' },
        runs: { type: 'string' },
        depth: { type: 'string' },
        seed: { type: 'string' },
        time: { type: 'string' },
        html: { type: 'string' },
        itf: { type: 'string' },
        dot: { type: 'string' },
        reporter: { type: 'string' },
        traces: { type: 'string' },
        'no-traces': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`check: ${(e as Error).message}\n\n${USAGE}\n`);
    return EXIT.config;
  }
  const { values: v, positionals } = args;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  try {
    if (positionals.length === 0) throw new UsageError('no model file or folder given');
    if (v.strategy !== undefined && v.strategy !== 'bfs' && v.strategy !== 'dfs') throw new UsageError(`--strategy is bfs or dfs, not ${v.strategy}`);
    if (v.reporter !== undefined && !['text', 'json', 'junit'].includes(v.reporter)) throw new UsageError(`--reporter is text, json or junit, not ${v.reporter}`);
    const overrides: Overrides = {
      strategy: v.strategy as Overrides['strategy'],
      maxStates: positiveInt('max-states', v['max-states']),
      maxDepth: positiveInt('max-depth', v['max-depth']),
      stopAtFirst: v['stop-at-first'] || undefined,
      checkSpec: v['check-spec'] || undefined,
      simulate: simulateOverrides(v),
    };
    const regression = positionals.length > 1 || positionals.some((p) => statSync(p, { throwIfNoEntry: false })?.isDirectory());
    const files = modelFiles(positionals);
    if (files.length === 0) throw new UsageError(`no .yaml model files in ${positionals.join(', ')}`);
    for (const o of ['html', 'itf', 'dot'] as const) if (v[o] !== undefined && regression) throw new UsageError(`--${o} goes with one model file`);
    const json = v.reporter === 'json';
    const junit = v.reporter === 'junit';
    const quiet = json || junit;
    const tracesDir = v['no-traces'] ? null : (v.traces ?? 'traces');
    const status: StatusLine | undefined = process.stderr.isTTY && !quiet ? statusLine(process.stderr) : undefined;

    const outcomes: ModelOutcome[] = [];
    let dotRefused = false;
    for (const file of files) {
      status?.update(`checking ${file}`);
      const outcome = await checkModel(file, {
        overrides,
        tracesDir,
        onProgress: status && ((p) => status.update(`${file}: ${progressLine(p)}`)),
        onStatus: status && ((text) => status.update(`${file}: ${text}`)),
      });
      status?.clear();
      outcomes.push(outcome);
      if (!regression && !quiet) (outcome.error ? process.stderr : process.stdout).write(`${formatOutcome(outcome)}\n`);
      if (v.html !== undefined) {
        writeFileSync(v.html, reportPage(outcome));
        if (!quiet) process.stdout.write(`  report: ${v.html}\n`);
      }
      if (v.itf !== undefined) {
        const lines = writeOutcomeItf(outcome, v.itf);
        if (!quiet) process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (v.dot !== undefined) {
        const { line, refused } = writeDot(outcome, v.dot);
        (refused ? process.stderr : process.stdout).write(`${line}\n`);
        if (refused) dotRefused = true;
      }
      if (regression && !quiet) process.stdout.write(`${formatOutcome(outcome, { showTraces: false })}\n\n`);
    }
    const code = regression ? regressionExit(outcomes) : outcomes[0].exitCode === EXIT.ok && dotRefused ? EXIT.config : outcomes[0].exitCode;
    if (junit) process.stdout.write(junitXML(outcomes));
    else if (json) process.stdout.write(`${JSON.stringify(regression ? regressionJSON(outcomes, code) : outcomeJSON(outcomes[0]), null, 2)}\n`);
    else if (regression) process.stdout.write(`${formatRegressionTable(outcomes)}\n`);
    return code;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`check: ${e.message}\n\n${USAGE}\n`);
      return EXIT.config;
    }
    process.stderr.write(`check: internal error (a bug in the checker, please report it):\n${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  }
}

/** Regression mode: config errors first, then spec errors, then any difference from expect:. */
export function regressionExit(outcomes: readonly ModelOutcome[]): number {
  if (outcomes.some((o) => o.error?.kind === 'config')) return EXIT.config;
  if (outcomes.some((o) => o.error?.kind === 'spec')) return EXIT.spec;
  if (outcomes.some((o) => o.regressions.length > 0)) return EXIT.regression;
  return EXIT.ok;
}
