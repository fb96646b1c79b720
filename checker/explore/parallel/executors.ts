// Who runs a level's phases: the main thread itself (small levels, while the worker threads start)
// or a pool of worker threads. Both answer the same commands (protocol.ts).
import { Worker } from 'node:worker_threads';
import { LevelWorker } from './level-worker.ts';
import type { Command, Reply, WorkerInit } from './protocol.ts';

export interface Executor {
  readonly size: number;
  /** Sends `cmd(i)` to every worker i and waits for every reply. */
  all(cmd: (i: number) => Command): Promise<Reply[]>;
  close(): Promise<void>;
}

/** Runs a command on a LevelWorker of the main thread, an expansion in slices with a turn of the
 *  event loop in between (so the coordinator's timer can see an interruption). */
async function runLocal(worker: LevelWorker, cmd: Command): Promise<Reply> {
  if (cmd.type !== 'expand' && cmd.type !== 'resume') return worker.handle(cmd)!;
  worker.begin(cmd);
  for (;;) {
    const r = worker.slice();
    if (r) return r;
    await new Promise<void>((done) => setImmediate(done));
  }
}

/** One LevelWorker in the main thread. */
export class LocalExecutor implements Executor {
  readonly size = 1;

  constructor(readonly worker: LevelWorker) {}

  async all(cmd: (i: number) => Command): Promise<Reply[]> {
    return [await runLocal(this.worker, cmd(0))];
  }

  async close(): Promise<void> {}
}

/** The main thread's LevelWorker (worker 0) and a pool of threads (workers 1..n). */
export class HybridExecutor implements Executor {
  constructor(private readonly local: LevelWorker, private readonly pool: ThreadPool) {}

  get size(): number {
    return this.pool.size + 1;
  }

  async all(cmd: (i: number) => Command): Promise<Reply[]> {
    const threads = this.pool.all((i) => cmd(i + 1));
    // Observed now: a thread failing while the main thread works is reported after it.
    threads.catch(() => undefined);
    const mine = await runLocal(this.local, cmd(0));
    return [mine, ...(await threads)];
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Worker threads, each with its own copy of the model (built from the model's source). */
export class ThreadPool implements Executor {
  private waiting: ((r: Reply) => void)[] = [];
  private failure: Error | undefined;

  private constructor(private readonly workers: Worker[]) {
    workers.forEach((w, i) => {
      w.on('message', (r: Reply) => {
        const k = this.waiting[i];
        if (k) {
          delete this.waiting[i];
          k(r);
        }
      });
      w.on('error', (e) => this.fail(new Error(`search worker ${i + 1} failed: ${e instanceof Error ? e.message : String(e)}`)));
      w.on('exit', (code) => {
        if (this.waiting[i]) this.fail(new Error(`search worker ${i + 1} exited (code ${code})`));
      });
    });
  }

  get size(): number {
    return this.workers.length;
  }

  private rejecters: ((e: Error) => void)[] = [];

  private fail(e: Error): void {
    this.failure ??= e;
    for (const r of this.rejecters) r(e);
    this.rejecters = [];
  }

  /** Starts `n` threads; `ready` resolves when all have built the model (rejects if one cannot). */
  static spawn(n: number, init: WorkerInit): ThreadPool {
    const url = new URL('./worker-boot.js', import.meta.url);
    const workers = Array.from({ length: n }, () => new Worker(url, { workerData: init }));
    const pool = new ThreadPool(workers);
    pool.ready = pool.all(() => undefined).then((replies) => {
      const bad = replies.find((r) => r.type === 'failed');
      if (bad && bad.type === 'failed') throw new Error(`a search worker could not build the model: ${bad.message}`);
    });
    // Observed here so that a pool closed before it was ready is no unhandled rejection.
    pool.ready.catch(() => undefined);
    return pool;
  }

  ready: Promise<void> = Promise.resolve();

  /** `cmd` undefined: only wait for the next message (the ready message at start). */
  all(cmd: (i: number) => Command | undefined): Promise<Reply[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Reply[]>((resolve, reject) => {
      const replies: Reply[] = new Array<Reply>(this.workers.length);
      let left = this.workers.length;
      this.rejecters.push(reject);
      this.workers.forEach((w, i) => {
        this.waiting[i] = (r) => {
          replies[i] = r;
          if (--left === 0) {
            this.rejecters = this.rejecters.filter((x) => x !== reject);
            resolve(replies);
          }
        };
        const c = cmd(i);
        if (c) w.postMessage(c);
      });
    });
  }

  async close(): Promise<void> {
    this.waiting = [];
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
