// `replay trace.json --step`: a trace one step per Enter in a terminal, with what changed; `s`
// shows the whole state, `b` goes back a step, `q` quits. Reads lines, so it works with piped input.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { diff, showChanges } from '../core/diff.ts';
import type { Model } from '../core/spec.ts';
import type { PathStep } from '../trace/rebuild.ts';
import { showWhole } from './text.ts';

const HELP = '[Enter] next step  [b] back  [s] whole state  [q] quit';

export async function stepThrough(model: Model, path: readonly PathStep[], input: Readable, output: Writable): Promise<void> {
  const n = path.length - 1;
  const write = (s: string): void => void output.write(`${s}\n`);
  const show = (i: number): void => {
    const st = path[i];
    write(`step ${i}/${n}: ${st.label ? model.showLabel(st.label) : 'init'}`);
    const lines = i === 0 ? showWhole(model, st.state) : showChanges(diff(model.type, path[i - 1].state, st.state));
    if (lines.length === 0) write('    (no change)');
    for (const l of lines) write(`    ${l}`);
  };
  write(HELP);
  let i = 0;
  show(0);
  const rl = createInterface({ input, terminal: false });
  for await (const raw of rl) {
    const cmd = raw.trim().toLowerCase();
    if (cmd === 'q') break;
    if (cmd === 's') {
      write(`whole state after step ${i}:`);
      for (const l of showWhole(model, path[i].state)) write(`    ${l}`);
      continue;
    }
    if (cmd === 'b') {
      if (i > 0) show(--i);
      else write('(at the initial state)');
      continue;
    }
    if (cmd === '') {
      if (i < n) show(++i);
      else write(`end of the trace (${n} steps): [b] back  [s] whole state  [q] quit`);
      continue;
    }
    write(HELP);
  }
  rl.close();
}
