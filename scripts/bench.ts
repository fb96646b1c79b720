// Benchmark (not a timed test): single-threaded exhaustive search of TwoPhase with 7, 8 and 9
// resource managers and of the Paxos model. Each run is a fresh process so peak memory is its own.
//   npm run bench                 all runs
//   npm run bench -- twophase-8   one run
import { spawnSync } from 'node:child_process';
import { arch, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { search } from '../checker/explore/search.ts';
import { LivenessRecorder, livenessVerdicts, selectProperties } from '../checker/run/liveness.ts';
import type { FaultModel, SpecDefinition } from '../checker/core/spec.ts';

interface Run {
  readonly name: string;
  readonly module: string;
  readonly params: Record<string, unknown>;
  readonly network?: 'unordered' | 'fifo';
  readonly faults?: FaultModel;
  /** Exact distinct-state count the run must give (TLC's, for TwoPhase). */
  readonly expect?: number;
  /** Temporal properties to check as well (the state graph is recorded; the spec's fairness). */
  readonly liveness?: readonly string[];
}

const RUNS: Run[] = [
  { name: 'twophase-7', module: '../specs/twophase.ts', params: { rms: 7, variant: 'correct' }, expect: 296_448 },
  { name: 'twophase-8', module: '../specs/twophase.ts', params: { rms: 8, variant: 'correct' }, expect: 1_745_408 },
  { name: 'twophase-9', module: '../specs/twophase.ts', params: { rms: 9, variant: 'correct' }, expect: 10_340_352 },
  { name: 'paxos', module: '../specs/paxos.ts', params: {}, network: 'unordered' },
  // Paxos under faults (specs/paxos-faults.yaml): fault steps and budgets in the state.
  {
    name: 'paxos-faults',
    module: '../specs/paxos.ts',
    params: { maxBallot: 1 },
    network: 'unordered',
    faults: { crash: { max: 1, roles: ['acceptor'] }, drop: { max: 2 }, duplicate: { max: 1 } },
    expect: 488_712,
  },
  // The same models with one temporal property: the search records the state graph, then the SCC
  // analysis runs; compare with the safety-only rows.
  { name: 'paxos-live', module: '../specs/paxos.ts', params: {}, network: 'unordered', liveness: ['eventuallyChosen'], expect: 370_765 },
  { name: 'dijkstra-4', module: '../specs/dijkstra-mutex.ts', params: { procs: 4 }, expect: 161_860 },
  { name: 'dijkstra-4-live', module: '../specs/dijkstra-mutex.ts', params: { procs: 4 }, liveness: ['deadlockFreedom'], expect: 161_860 },
  // The same TwoPhase without declared types (plain objects, JS Sets, Immutable.js): the generic encoder.
  { name: 'twophase-7-generic', module: '../test/fixtures/twophase-generic.ts', params: { rms: 7 }, expect: 296_448 },
];

async function one(run: Run): Promise<Record<string, unknown>> {
  const spec = (await import(run.module)).default as SpecDefinition;
  const params = Object.fromEntries(Object.entries(spec.params).map(([k, p]) => [k, run.params[k] ?? p.default]));
  const model = spec.instantiate(params, { network: run.network, faults: run.faults });
  const rec = run.liveness && new LivenessRecorder(model, selectProperties(model, run.liveness), model.fairness ?? []);
  const r = search(model, { strategy: 'bfs', deadlock: false, checkFirst: 0, observer: rec });
  if (run.expect !== undefined && r.distinct !== run.expect) throw new Error(`${run.name}: ${r.distinct} distinct states, expected ${run.expect}`);
  const live = rec && livenessVerdicts(rec, r);
  return {
    name: run.name,
    distinct: r.distinct,
    generated: r.generated,
    depth: r.depth,
    seconds: r.seconds + (live?.seconds ?? 0),
    liveness: live && `${live.verdicts.map((v) => `${v.name} ${v.verdict}`).join(', ')}; analysis ${live.seconds.toFixed(1)} s; ${(live.graphBytes / live.edges).toFixed(1)} B/edge`,
    bytesPerState: r.storeBytes / r.distinct,
    peakMiB: (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--one') {
    const run = RUNS.find((r) => r.name === argv[1])!;
    process.stdout.write(JSON.stringify(await one(run)));
    return;
  }
  const chosen = argv.length ? RUNS.filter((r) => argv.includes(r.name)) : RUNS;
  const self = fileURLToPath(import.meta.url);
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'} (${cpus().length} cores, ${arch()}), ${Math.round(totalmem() / 2 ** 30)} GiB; one thread`);
  console.log('');
  console.log('| model | distinct | generated | depth | seconds | distinct/s | generated/s | bytes/visited state | peak memory | liveness |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const run of chosen) {
    const p = spawnSync(process.execPath, ['--import', 'tsx', self, '--one', run.name], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (p.status !== 0) {
      console.log(`| ${run.name} | failed: ${(p.stderr || p.stdout).trim().split('\n').slice(-3).join(' ')} |`);
      continue;
    }
    const r = JSON.parse(p.stdout) as { name: string; distinct: number; generated: number; depth: number; seconds: number; bytesPerState: number; peakMiB: number; liveness?: string };
    console.log(
      `| ${r.name} | ${fmt(r.distinct)} | ${fmt(r.generated)} | ${r.depth} | ${r.seconds.toFixed(1)} | ${fmt(r.distinct / r.seconds)} | ${fmt(r.generated / r.seconds)} | ${r.bytesPerState.toFixed(1)} | ${fmt(r.peakMiB)} MiB | ${r.liveness ?? ''} |`,
    );
  }
}

await main();
