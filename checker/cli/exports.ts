// Writing the extra outputs of `check` and `replay`: ITF traces and the DOT state graph.
import { writeFileSync } from 'node:fs';
import { displayPath } from '../config/load.ts';
import { SpecError } from '../core/errors.ts';
import type { Model } from '../core/spec.ts';
import type { ModelOutcome } from '../run/check-model.ts';
import { GraphTooLarge, stateGraph, toDot } from '../trace/dot.ts';
import { toItf } from '../trace/itf.ts';
import type { PathStep } from '../trace/rebuild.ts';

/** The file for one counterexample: `file` itself when there is one, else `<file>` with the property before `.itf.json`. */
function itfName(file: string, property: string, several: boolean): string {
  if (!several) return file;
  const m = /^(.*?)(\.itf\.json|\.json)?$/.exec(file)!;
  return `${m[1]}-${property}${m[2] ?? '.itf.json'}`;
}

/** Writes every counterexample of a check as ITF; returns the lines to print. */
export function writeOutcomeItf(o: ModelOutcome, file: string): string[] {
  const withTrace = o.verdicts.filter((v) => v.trace);
  if (!o.resolved || withTrace.length === 0) return [`  itf: no counterexample to write`];
  return withTrace.map((v) => {
    const out = itfName(file, v.name, withTrace.length > 1);
    writeItf(o.resolved!.model, v.trace!.path, out, displayPath(o.resolved!.config.spec.module), `counterexample for ${v.kind} ${v.name} of ${o.resolved!.config.name}`, v.trace!.loopStart);
    return `  itf: ${out}`;
  });
}

export function writeItf(model: Model, path: readonly PathStep[], file: string, source: string, description: string, loop?: number): void {
  writeFileSync(file, `${JSON.stringify(toItf(model, path, { source, description, ...(loop !== undefined ? { loop } : {}) }), null, 2)}\n`);
}

/** Writes the state graph; returns a line to print and whether it was refused. */
export function writeDot(o: ModelOutcome, file: string): { line: string; refused: boolean } {
  if (!o.resolved) return { line: 'check: --dot: no model to draw', refused: true };
  try {
    const g = stateGraph(o.resolved.model, { invariants: o.config?.check.invariants });
    writeFileSync(file, toDot(g, o.resolved.config.name));
    return { line: `  dot: ${file} (${g.nodeCount()} states, ${g.edgeCount()} steps; render with: dot -Tsvg ${file} -o graph.svg)`, refused: false };
  } catch (e) {
    if (e instanceof GraphTooLarge) return { line: `check: --dot refused: ${e.message}`, refused: true };
    if (e instanceof SpecError) return { line: `check: --dot: spec error: ${e.message}`, refused: true };
    throw e;
  }
}
