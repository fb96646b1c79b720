// A one-line status on a terminal, rewritten in place; nothing at all when output is not a terminal.
import type { Progress } from '../explore/search.ts';

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

/** Three significant digits: 371k, 1.40M, 27.0k, 512. */
function short(n: number): string {
  const [v, unit] = n >= 1e9 ? [n / 1e9, 'G'] : n >= 1e6 ? [n / 1e6, 'M'] : n >= 1e3 ? [n / 1e3, 'k'] : [n, ''];
  return `${unit ? v.toPrecision(3) : Math.round(v)}${unit}`;
}

/** Short enough for an 80-column terminal after the model's path. */
export function progressLine(p: Progress): string {
  const perSec = p.seconds > 0 ? p.distinct / p.seconds : 0;
  return `${short(p.distinct)} states, ${short(p.generated)} gen, ${short(perSec)}/s, frontier ${short(p.frontier)}, depth ${p.depth}, ${p.seconds.toFixed(0)} s`;
}
