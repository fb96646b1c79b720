// A one-line status on a terminal, rewritten in place; nothing at all when output is not a terminal.
import type { Progress } from '../explore/search.ts';
import { num, rate } from './text.ts';

export interface StatusLine {
  update(text: string): void;
  clear(): void;
}

export function statusLine(stream: NodeJS.WriteStream): StatusLine {
  let shown = false;
  return {
    update(text) {
      const cols = stream.columns || 100;
      stream.write(`\r\x1b[2K${text.slice(0, cols - 1)}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

export function progressLine(p: Progress): string {
  const perSec = p.seconds > 0 ? p.distinct / p.seconds : 0;
  return `${num(p.distinct)} distinct, ${num(p.generated)} generated, ${rate(perSec)} states/s, frontier ${num(p.frontier)}, depth ${p.depth}, ${p.seconds.toFixed(0)} s`;
}
