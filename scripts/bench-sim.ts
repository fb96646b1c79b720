// Benchmark of random simulation (not a timed test): steps per second on Paxos and TwoPhase-7,
// fixed seeds, best of three rounds (the machine is shared, so the best round is the least noisy).
//   npm run bench:sim
import { loadModelFile } from '../checker/config/load.ts';
import { resolveModel } from '../checker/config/resolve.ts';
import { simulate } from '../checker/sim/simulate.ts';

const RUNS = [
  { file: 'specs/paxos.yaml', runs: 20_000, depth: 100 },
  { file: 'specs/twophase-7.yaml', runs: 20_000, depth: 100 },
];

for (const r of RUNS) {
  const { model } = await resolveModel(loadModelFile(r.file));
  let best = 0;
  let last;
  for (let round = 0; round < 3; round++) {
    last = simulate(model, { seed: 1, runs: r.runs, depth: r.depth, deadlock: false });
    best = Math.max(best, last.steps / last.seconds);
  }
  console.log(`${r.file}: ${last!.runs} runs, ${last!.steps} steps, ${last!.distinct} distinct states met; best ${Math.round(best).toLocaleString('en-US')} steps/s`);
}
