// `replay trace.json...`: re-executes saved traces against the current spec and prints their steps.
import { parseArgs } from 'node:util';
import { EXIT } from '../run/exit-codes.ts';
import { formatPath } from '../report/text.ts';
import { replayTrace } from '../trace/replay.ts';

const USAGE = `usage: replay <trace.json>... [--quiet]

  Re-executes each step of a saved counterexample against the current spec and model, prints the
  steps, and names the first step that no longer matches (exit 10).

options:
  -q, --quiet   print only the conclusion
  -h, --help    this help`;

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { quiet: { type: 'boolean', short: 'q' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    process.stderr.write(`replay: ${(e as Error).message}\n\n${USAGE}\n`);
    return EXIT.config;
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (args.positionals.length === 0) {
    process.stderr.write(`replay: no trace file given\n\n${USAGE}\n`);
    return EXIT.config;
  }
  let worst = EXIT.ok as number;
  try {
    for (const file of args.positionals) {
      const o = await replayTrace(file);
      const out: string[] = [file];
      if (o.trace) {
        const { kind, name } = o.trace.property;
        out.push(`  ${o.trace.model.name}: ${kind === name ? kind : `${kind} ${name}`}`);
      }
      if (!args.values.quiet && o.model && o.path.length) out.push(...formatPath(o.model, o.path, '  ', o.problem ? 'steps that still replay' : 'steps'));
      if (o.problem) out.push(`  ${o.exitCode === EXIT.regression ? 'DIVERGED' : 'ERROR'}  ${o.problem.split('\n').join('\n  ')}`);
      else out.push(`  ok  ${o.summary}`);
      (o.problem ? process.stderr : process.stdout).write(`${out.join('\n')}\n`);
      worst = Math.max(worst, o.exitCode);
    }
  } catch (e) {
    process.stderr.write(`replay: internal error (a bug in the checker, please report it):\n${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  }
  return worst;
}
