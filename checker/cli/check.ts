// `check model.yaml` checks one model; `check specs/` (a folder or several files) checks every model
// against its `expect:` block (regression mode). Wiring only: the work is in run/ and report/.
import { readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../core/errors.ts';
import { parseSize } from '../core/size.ts';
import { collectGarbage } from '../run/memory-meter.ts';
import { checkModel, type ModelOutcome, type Overrides } from '../run/check-model.ts';
import type { CheckpointSettings } from '../run/checkpoint.ts';
import { EXIT } from '../run/exit-codes.ts';
import { typecheckOnce } from '../run/typecheck.ts';
import { formatOutcome } from '../report/text.ts';
// The HTML page, the ITF and Graphviz exports, the JSON and JUnit reporters and the regression
// table are imported when a run asks for them: a plain run does not pay for loading them.
import { progressLine, type StatusLine, statusLine } from '../report/progress.ts';
import type { Progress } from '../explore/search.ts';
import { displayPath } from '../config/load.ts';
import { mergeMain } from './merge.ts';
import { MAX_SHARDS, parseShard } from '../run/shard.ts';

const USAGE = `usage: check <model.yaml | folder>... [options]

  One model file: check it and print what was proven or a counterexample.
  A folder or several files: regression mode, every model against its expect: block.

options:
  --strategy bfs|dfs    search order (default: the model's, else bfs)
  --max-states N        stop at N distinct states (N >= 1; exit 152 when more exist)
  --max-depth N         do not expand states deeper than N
  --stop-at-first       stop at the first violation
  --check-spec          re-run every action on every state to catch impure or nondeterministic specs
  --workers N|auto      threads for the BFS (auto: one per core; default: the model's, else 1);
                        same counts, verdicts and counterexamples for any number
  --por                 partial-order reduction for protocols (search.reduction: por): same verdicts, fewer states
  --simulate            random simulation instead of the exhaustive search (verdicts: violated or unknown)
  --runs N              simulation: how many random runs (default 1000)
  --depth N             simulation: most steps per run (default 100)
  --seed S              simulation: the seed (0..4294967295) that repeats a run (default: fresh, printed)
  --time T              simulation: stop after T seconds
  --shard I/N           run shard I of N (1 <= I <= N) and report for --merge: with --simulate a seeded,
                        diversified share of the runs (needs --seed); else a hash-partitioned share of
                        the exhaustive BFS, exchanging states through --exchange DIR
  --exchange DIR        exhaustive shards: a folder every shard can read and write (a shared filesystem)
  --shard-wait SECONDS  exhaustive shards: how long to wait at a level for the others (default 3600)
  --merge               the positionals are shard reports (--reporter json files, or folders of them):
                        combine them into one verdict
  --itf FILE            also write each counterexample in the Informal Trace Format (Apalache, Quint)
  --dot FILE            also write the state graph for Graphviz (small models: at most 500 states)
  --html FILE           also write the report as one self-contained HTML page (counterexamples as diagrams)
  --reporter text|json|junit  output format (default text; junit: JUnit XML for CI)
  --traces DIR          where counterexamples are written (default traces/)
  --no-traces           write no trace files
  --memory SIZE         memory for the visited set and frontier (2GiB, 500MB); beyond it they spill to disk
  --checkpoint [DIR]    save the search to DIR (default checkpoints/<model>/) now and then and on Ctrl-C
  --checkpoint-every SECONDS  seconds between checkpoints (default 300)
  --resume DIR          continue the search saved in DIR (same model, spec and options), checkpointing on
  --step-timeout SECONDS  a state's actions and properties running longer are a spec error (default 10)
  --progress SECONDS    when not on a terminal, a progress line every SECONDS (default 60; 0: none)
  --no-typecheck        do not type-check the spec modules first (the TypeScript compiler's strict mode)
  -h, --help            this help

exit codes: 0 all hold, 10 regression (differs from expect:), 11 deadlock, 12 safety violated,
13 liveness violated, 150 spec error, 151 config error, 152 state or memory limit, 255 internal error`;

export class UsageError extends Error {}

/** An integer flag value of at least `min` (the model file's own minimum for the same key). */
function intFlag(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} takes ${min === 0 ? 'a non-negative' : 'a positive'} integer, not ${JSON.stringify(v)}`);
  }
  return n;
}

/** `--memory SIZE`: bytes. */
function memoryFlag(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = parseSize(v);
  if (n === undefined) throw new UsageError(`--memory takes a size such as 2GiB or 500MB, not ${JSON.stringify(v)}`);
  return n;
}

/** `--checkpoint` without a folder (last, or before another option or a model file) gets the default one. */
function optionalCheckpointDir(argv: readonly string[]): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    out.push(a);
    const next = argv[i + 1];
    if (a === '--checkpoint' && (next === undefined || next.startsWith('-') || /\.ya?ml$/i.test(next))) out.push('');
  });
  return out;
}

/** `--checkpoint [DIR]`, `--checkpoint-every SECONDS` and `--resume DIR`: one model file, an exhaustive search. */
function checkpointFlags(v: Record<string, string | boolean | undefined>, files: readonly string[], regression: boolean, o: Overrides): CheckpointSettings | undefined {
  const every = intFlag('checkpoint-every', v['checkpoint-every'] as string | undefined, 1);
  const dir = v.checkpoint as string | undefined;
  const resume = v.resume as string | undefined;
  if (dir === undefined && resume === undefined) {
    if (every !== undefined) throw new UsageError('--checkpoint-every goes with --checkpoint or --resume');
    return undefined;
  }
  if (dir !== undefined && resume !== undefined && dir !== '' && resolve(dir) !== resolve(resume)) throw new UsageError('--resume DIR goes on checkpointing into DIR: give --checkpoint no other folder');
  if (regression || files.length !== 1) throw new UsageError(`--${resume !== undefined ? 'resume' : 'checkpoint'} goes with one model file`);
  if (o.simulate) throw new UsageError(`--${resume !== undefined ? 'resume' : 'checkpoint'} goes with the exhaustive search, not --simulate`);
  if (resume === '') throw new UsageError('--resume takes the folder of a checkpoint');
  const folder = resume ?? (dir || join('checkpoints', basename(files[0]).replace(/\.ya?ml$/i, '')));
  return { dir: folder, every: every ?? 300, resume: resume !== undefined };
}

/** `--simulate` and its settings; settings without `--simulate` are a mistake. */
function simulateOverrides(v: Record<string, string | boolean | undefined>): Overrides['simulate'] {
  const runs = intFlag('runs', v.runs as string | undefined, 0);
  const depth = intFlag('depth', v.depth as string | undefined, 0);
  const seed = intFlag('seed', v.seed as string | undefined, 0);
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

/** `--shard i/n` and `--exchange DIR`. */
function shardOverrides(shardText: string | undefined, exchange: string | undefined, shardWait: number | undefined): Pick<Overrides, 'shard' | 'exchange' | 'shardWait'> {
  if (shardText === undefined) {
    if (exchange !== undefined || shardWait !== undefined) throw new UsageError(`--${exchange !== undefined ? 'exchange' : 'shard-wait'} goes with --shard I/N`);
    return {};
  }
  const shard = parseShard(shardText);
  if (!shard) throw new UsageError(`--shard takes I/N with 1 <= I <= N <= ${MAX_SHARDS} (shard I of N), not ${JSON.stringify(shardText)}`);
  return { shard, ...(exchange !== undefined ? { exchange } : {}), ...(shardWait !== undefined ? { shardWait } : {}) };
}

/** Model files under the given paths: folders are searched (recursively) for .yaml / .yml files.
 *  A folder that cannot be read is added to `problems` and skipped; a model file that cannot be
 *  read (a broken link, a link loop) is listed, so that loading it gives its coded error; a link
 *  back to a folder already searched is not followed again. */
export function modelFiles(paths: readonly string[], problems: ConfigError[] = []): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (dir: string): void => {
    let names: string[];
    try {
      const real = realpathSync(dir);
      if (seen.has(real)) return;
      seen.add(real);
      names = readdirSync(dir).sort();
    } catch (e) {
      problems.push(new ConfigError('MC100', `folder ${dir} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); skipped`, { file: dir }));
      return;
    }
    for (const name of names) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(dir, name);
      const yaml = /\.ya?ml$/.test(name);
      let isDir: boolean;
      try {
        isDir = statSync(p).isDirectory();
      } catch (e) {
        if (yaml) out.push(p);
        else problems.push(new ConfigError('MC100', `${p} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); skipped`, { file: p }));
        continue;
      }
      if (isDir) walk(p);
      else if (yaml) out.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new ConfigError('MC100', `no such model file or folder: ${p}`, { file: p }, 'give the path of a .yaml model file, or of a folder of them');
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
      args: optionalCheckpointDir(argv),
      allowPositionals: true,
      options: {
        strategy: { type: 'string' },
        'max-states': { type: 'string' },
        'max-depth': { type: 'string' },
        'stop-at-first': { type: 'boolean' },
        'check-spec': { type: 'boolean' },
        por: { type: 'boolean' },
        simulate: { type: 'boolean' },
        runs: { type: 'string' },
        depth: { type: 'string' },
        seed: { type: 'string' },
        time: { type: 'string' },
        shard: { type: 'string' },
        exchange: { type: 'string' },
        'shard-wait': { type: 'string' },
        merge: { type: 'boolean' },
        html: { type: 'string' },
        itf: { type: 'string' },
        dot: { type: 'string' },
        reporter: { type: 'string' },
        traces: { type: 'string' },
        'no-traces': { type: 'boolean' },
        'no-typecheck': { type: 'boolean' },
        progress: { type: 'string' },
        'step-timeout': { type: 'string' },
        memory: { type: 'string' },
        checkpoint: { type: 'string' },
        'checkpoint-every': { type: 'string' },
        resume: { type: 'string' },
        workers: { type: 'string' },
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
    if (v.merge) {
      const others = (['shard', 'exchange', 'shard-wait', 'simulate', 'runs', 'depth', 'seed', 'time', 'strategy', 'max-states', 'max-depth', 'html', 'itf', 'dot'] as const).filter((o) => v[o] !== undefined);
      if (others.length) throw new UsageError(`--merge does not take --${others[0]}`);
      if (v.reporter === 'junit') throw new UsageError('--merge prints text or --reporter json');
      return mergeMain(positionals, { json: v.reporter === 'json' });
    }
    if (positionals.length === 0) throw new UsageError('no model file or folder given');
    if (v.strategy !== undefined && v.strategy !== 'bfs' && v.strategy !== 'dfs') throw new UsageError(`--strategy is bfs or dfs, not ${v.strategy}`);
    if (v.reporter !== undefined && !['text', 'json', 'junit'].includes(v.reporter)) throw new UsageError(`--reporter is text, json or junit, not ${v.reporter}`);
    const overrides: Overrides = {
      strategy: v.strategy as Overrides['strategy'],
      maxStates: intFlag('max-states', v['max-states'], 1),
      maxDepth: intFlag('max-depth', v['max-depth'], 0),
      stopAtFirst: v['stop-at-first'] || undefined,
      checkSpec: v['check-spec'] || undefined,
      reduction: v.por ? 'por' : undefined,
      stepTimeout: intFlag('step-timeout', v['step-timeout'], 1),
      memory: memoryFlag(v.memory),
      simulate: simulateOverrides(v),
      workers: v.workers === 'auto' ? 'auto' : intFlag('workers', v.workers, 1),
      ...shardOverrides(v.shard, v.exchange, intFlag('shard-wait', v['shard-wait'], 1)),
    };
    const regression = positionals.length > 1 || positionals.some((p) => statSync(p, { throwIfNoEntry: false })?.isDirectory());
    const problems: ConfigError[] = [];
    const files = modelFiles(positionals, problems);
    if (files.length === 0 && problems.length === 0) throw new UsageError(`no .yaml model files in ${positionals.join(', ')}`);
    const checkpoint = checkpointFlags(v, files, regression, overrides);
    for (const o of ['html', 'itf', 'dot', 'shard'] as const) if (v[o] !== undefined && regression) throw new UsageError(`--${o} goes with one model file`);
    if (v.shard !== undefined && v.dot !== undefined) throw new UsageError('--dot draws the whole state graph: it does not go with --shard');
    const json = v.reporter === 'json';
    const junit = v.reporter === 'junit';
    const quiet = json || junit;
    const tracesDir = v['no-traces'] ? null : (v.traces ?? 'traces');
    const typecheck = v['no-typecheck'] ? undefined : typecheckOnce();
    const status: StatusLine | undefined = process.stderr.isTTY && !quiet ? statusLine(process.stderr) : undefined;
    // Not on a terminal (a CI log): a progress line now and then shows the run is alive.
    const every = (intFlag('progress', v.progress, 0) ?? 60) * 1000;
    let lastLine = Date.now();
    const logProgress = (file: string) => (p: Progress): void => {
      if (every === 0 || Date.now() - lastLine < every) return;
      lastLine = Date.now();
      process.stderr.write(`${displayPath(resolve(file))}: ${progressLine(p)}\n`);
    };
    const signals = interruption();

    try {
      const outcomes: ModelOutcome[] = problems.map((e) => ({ file: e.where.file ?? '', verdicts: [], exitCode: EXIT.config, error: { kind: 'config', message: e.format() }, regressions: ['config error'] }));
      if (!quiet) for (const o of outcomes) process.stderr.write(`${formatOutcome(o)}\n${regression ? '\n' : ''}`);
      let dotRefused = false;
      for (const [k, file] of files.entries()) {
        if (signals.caught) break;
        // What the previous model left is given back first, so this model's peak memory is its own.
        if (k > 0) collectGarbage();
        status?.update(`checking ${file}`);
        let outcome = await checkModel(file, {
          overrides,
          tracesDir,
          typecheck,
          onProgress: status ? (p) => status.update(`${file}: ${progressLine(p)}`) : quiet ? undefined : logProgress(file),
          onStatus: status && ((text) => status.update(`${file}: ${text}`)),
          shouldStop: () => signals.caught !== undefined,
          checkpoint,
        });
        status?.clear();
        if (regression) outcome = unexpectedViolations(outcome);
        outcomes.push(outcome);
        if (!regression && !quiet) (outcome.error ? process.stderr : process.stdout).write(`${formatOutcome(outcome)}\n`);
        if (v.html !== undefined) {
          const { reportPage } = await import('../report/html/trace-page.ts');
          writeFileSync(v.html, reportPage(outcome));
          if (!quiet) process.stdout.write(`  report: ${v.html}\n`);
        }
        if (v.itf !== undefined) {
          const { writeOutcomeItf } = await import('./exports.ts');
          const lines = writeOutcomeItf(outcome, v.itf);
          if (!quiet) process.stdout.write(`${lines.join('\n')}\n`);
        }
        if (v.dot !== undefined) {
          const { writeDot } = await import('./exports.ts');
          const { line, refused } = writeDot(outcome, v.dot);
          (refused ? process.stderr : process.stdout).write(`${line}\n`);
          if (refused) dotRefused = true;
        }
        if (regression && !quiet) process.stdout.write(`${formatOutcome(outcome, { showTraces: false })}\n\n`);
      }
      if (signals.caught) {
        const left = files.length - outcomes.length + problems.length;
        process.stderr.write(`check: interrupted by ${signals.caught}${left > 0 ? `; ${left} model file${left === 1 ? '' : 's'} not checked` : ''}\n`);
      }
      const single = outcomes[0] && (singleExit(outcomes[0]) === EXIT.ok && dotRefused ? EXIT.config : singleExit(outcomes[0]));
      const code = signals.caught ? SIGNAL_EXIT[signals.caught] : regression ? regressionExit(outcomes) : single;
      if (outcomes.length === 0) return code;
      if (junit) process.stdout.write((await import('../report/junit.ts')).junitXML(outcomes));
      else if (json) {
        const { outcomeJSON, regressionJSON } = await import('../report/json.ts');
        process.stdout.write(`${JSON.stringify(regression ? regressionJSON(outcomes, code) : outcomeJSON(outcomes[0]), null, 2)}\n`);
      } else if (regression) process.stdout.write(`${(await import('../report/regression.ts')).formatRegressionTable(outcomes)}\n`);
      return code;
    } finally {
      signals.release();
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.format()}\n`);
      return EXIT.config;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`check: ${e.message}\n\n${USAGE}\n`);
      return EXIT.config;
    }
    process.stderr.write(`check: internal error (a bug in the checker, please report it):\n${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  }
}

const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
type Caught = keyof typeof SIGNAL_EXIT;

/** Ctrl-C, SIGTERM and SIGHUP stop the search at its next slice (a tenth of a second), and the run
 *  reports what it found; a second signal ends the process at once. */
function interruption(): { caught?: Caught; release(): void } {
  const state: { caught?: Caught; release(): void } = {
    release: () => {
      for (const sig of Object.keys(SIGNAL_EXIT)) process.off(sig, handler);
    },
  };
  const handler = (sig: Caught): void => {
    if (state.caught) process.exit(SIGNAL_EXIT[sig]);
    state.caught = sig;
  };
  for (const sig of Object.keys(SIGNAL_EXIT)) process.on(sig, handler);
  return state;
}

/** One model: its own exit code; a difference from its `expect:` when everything else passed is 10. */
export function singleExit(o: ModelOutcome): number {
  return o.exitCode === EXIT.ok && o.regressions.length > 0 ? EXIT.regression : o.exitCode;
}

/** Regression mode: a violation in a model without `expect:` is not "as expected". */
function unexpectedViolations(o: ModelOutcome): ModelOutcome {
  if (o.config?.expect || o.error) return o;
  const violated = o.verdicts.filter((v) => v.verdict === 'violated').map((v) => v.name);
  if (violated.length === 0) return o;
  return { ...o, regressions: violated.map((n) => `${n}: violated, and the model has no expect: block (add expect: { ${n}: violated } if that is intended)`) };
}

/** Regression mode: config errors first, then spec errors, then any difference from expect:. */
export function regressionExit(outcomes: readonly ModelOutcome[]): number {
  if (outcomes.some((o) => o.error?.kind === 'config')) return EXIT.config;
  if (outcomes.some((o) => o.error?.kind === 'spec')) return EXIT.spec;
  if (outcomes.some((o) => o.regressions.length > 0)) return EXIT.regression;
  return EXIT.ok;
}
