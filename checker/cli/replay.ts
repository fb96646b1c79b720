// `replay trace.json...`: re-executes saved traces against the current spec and prints their steps.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tracePage } from '../report/html/trace-page.ts';
import { stepThrough } from '../report/step-through.ts';
import { writeItf } from './exports.ts';
import { EXIT } from '../run/exit-codes.ts';
import { formatPath } from '../report/text.ts';
import { replayTrace } from '../trace/replay.ts';

const USAGE = `usage: replay <trace.json>... [--quiet] | replay <trace.json> --html out.html | --step

  Re-executes each step of a saved counterexample against the current spec and model, prints the
  steps, and names the first step that no longer matches (exit 10).

options:
  -q, --quiet   print only the conclusion
  --html FILE   also write the trace as a space-time diagram: one self-contained HTML page
  --itf FILE    also write the trace in the Informal Trace Format (Apalache, Quint)
  --step        step through the trace in the terminal: Enter for the next step, s for the whole state
  -h, --help    this help`;

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { quiet: { type: 'boolean', short: 'q' }, html: { type: 'string' }, itf: { type: 'string' }, step: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
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
  if ((args.values.html !== undefined || args.values.itf !== undefined || args.values.step) && args.positionals.length > 1) {
    process.stderr.write(`replay: --html, --itf and --step take one trace file\n\n${USAGE}\n`);
    return EXIT.config;
  }
  let worst = EXIT.ok as number;
  try {
    for (const file of args.positionals) {
      const o = await replayTrace(file);
      const out: string[] = [file];
      if (o.trace) out.push(`  ${o.trace.model.name}: ${o.trace.property.kind} ${o.trace.property.name}`);
      if (!args.values.quiet && o.model && o.path.length) out.push(...formatPath(o.model, o.path, '  ', o.problem ? 'steps that still replay' : 'steps', o.problem ? undefined : o.trace?.loopStart));
      if (o.problem) out.push(`  ${o.exitCode === EXIT.regression ? 'DIVERGED' : 'ERROR'}  ${o.problem.split('\n').join('\n  ')}`);
      else out.push(`  ok  ${o.summary}`);
      if (args.values.step && o.model && o.path.length) {
        await stepThrough(o.model, o.path, process.stdin, process.stdout);
        out.splice(2, out.length - 3);
      }
      if (args.values.html !== undefined && o.model && o.trace && o.path.length) {
        writeFileSync(args.values.html, tracePage(file, o.model, o.trace, o.path, o.exitCode === EXIT.ok, o.problem));
        out.push(`  diagram: ${args.values.html}`);
      }
      if (args.values.itf !== undefined && o.model && o.trace && o.path.length) {
        const loop = o.trace.loopStart ?? (o.trace as { loop?: unknown }).loop;
        writeItf(o.model, o.path, args.values.itf, o.trace.model.spec, `${o.trace.property.kind} ${o.trace.property.name} of ${o.trace.model.name}`, typeof loop === 'number' ? loop : undefined);
        out.push(`  itf: ${args.values.itf}`);
      }
      (o.problem ? process.stderr : process.stdout).write(`${out.join('\n')}\n`);
      worst = Math.max(worst, o.exitCode);
    }
  } catch (e) {
    process.stderr.write(`replay: internal error (a bug in the checker, please report it):\n${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  }
  return worst;
}
