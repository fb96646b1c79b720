// The text report's lines for a random simulation: what was run, how fast, what it covered, and
// the command that repeats it. Its verdicts are never "holds".
import type { SimulationSummary } from '../sim/run-sim.ts';

function num(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function count(n: number, word: string): string {
  return `${num(n)} ${word}${n === 1 ? '' : 's'}`;
}

export function simulationLines(s: SimulationSummary): string[] {
  const perSec = s.seconds > 0 ? s.steps / s.seconds : 0;
  const why = s.stoppedBy === 'time' ? ' (stopped by the time limit)' : s.stoppedBy === 'first' ? ' (stopped at the first violation)' : s.stoppedBy === 'interrupted' ? ' (interrupted)' : '';
  const lines = [
    `  simulation: ${count(s.runs, 'run')}${why}, ${count(s.steps, 'step')}, ${s.seconds.toFixed(2)} s, ${num(perSec)} steps/s, seed ${s.seed}`,
    `  met ${num(s.distinct)}${s.distinctCapped ? '+' : ''} distinct states, deepest run ${s.depth} steps (limit ${s.depthLimit}), ${count(s.stuckRuns, 'run')} ended with no step possible`,
  ];
  if (s.neverTaken.length) lines.push(`  actions never taken: ${s.neverTaken.join(', ')}`);
  lines.push(`  not proven: a simulation samples runs; a property not violated is unknown, never proven.`);
  lines.push(`  repeat: ${s.repeat}`);
  return lines;
}
