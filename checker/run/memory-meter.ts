import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// The peak memory of one model's check. The process's own peak (maxRSS) is exact, but in folder mode
// it may come from an earlier model; then the peak is what was sampled while this model ran (the
// search yields to the event loop between slices, so the sampler runs about every 100 ms).

export interface MemoryPeak {
  readonly bytes: number;
  /** True when the process reached its peak while this model ran (the figure is then exact);
   *  false when it is a sampled peak, a lower bound on this model's. */
  readonly exact: boolean;
}

let gc: (() => void) | undefined;

/** A full garbage collection, so what an earlier model left behind is given back before the next
 *  one is measured (node exposes gc() only to code compiled after the flag is set). */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

export class MemoryMeter {
  private readonly maxAtStart = process.resourceUsage().maxRSS;
  private sampled = process.memoryUsage.rss();
  private readonly timer = setInterval(() => this.sample(), 100);

  constructor() {
    this.timer.unref();
  }

  private sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.sampled) this.sampled = rss;
  }

  /** Stops sampling and gives the peak. */
  stop(): MemoryPeak {
    clearInterval(this.timer);
    this.sample();
    const max = process.resourceUsage().maxRSS;
    return max > this.maxAtStart ? { bytes: max * 1024, exact: true } : { bytes: this.sampled, exact: false };
  }
}
