// Benchmark (not a timed test): `check` on the model files of bench/ exactly as a user runs it, one
// process per row (start-up, the spec's type-check and the report included), with 1 and 2
// workers, and the peers (Spin, TLC) on TwoPhase side by side when they are installed. State
// counts are asserted; the exit code is 1 when a row fails or a count differs.
//   npm run bench                          every row
//   npm run bench -- twophase-8 paxos      some rows
//   npm run bench -- --no-tlc --no-spin    without the peers (also --no-peers)
import { execFileSync } from 'node:child_process';
import { arch, cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type OurRun, capabilities, checkReport, runOurs, warmUp } from './bench/ours.ts';
import { type FloorRun, runFloor } from './bench/floor.ts';
import { type PeerRun, runSpin, runTlc } from './bench/peers.ts';
import { selectRows } from './bench/rows.ts';
import { OURS_HEADER, PEERS_HEADER, ourLine, peerLine } from './bench/table.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function versionOf(cmd: string, args: string[], pattern: RegExp): string | undefined {
  try {
    const out = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return pattern.exec(out)?.[0];
  } catch (e) {
    const err = (e as { stderr?: string }).stderr;
    return err ? pattern.exec(err)?.[0] : undefined;
  }
}

function main(): number {
  const argv = process.argv.slice(2);
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const unknownFlag = [...flags].find((f) => !['--no-peers', '--no-spin', '--no-tlc'].includes(f));
  if (unknownFlag) {
    process.stderr.write(`bench: unknown option ${unknownFlag} (options: --no-peers, --no-spin, --no-tlc)\n`);
    return 2;
  }
  let rows;
  try {
    rows = selectRows(argv.filter((a) => !a.startsWith('--')));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  const spinOn = !flags.has('--no-peers') && !flags.has('--no-spin');
  const tlcOn = !flags.has('--no-peers') && !flags.has('--no-tlc');
  const caps = capabilities(ROOT);
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'} (${cpus().length} cores, ${arch()}), ${Math.round(totalmem() / 2 ** 30)} GiB; load average at start ${load}`);
  console.log(`check: ${caps.workers ? '--workers available' : 'no --workers yet'}; ${caps.symmetry ? 'search.symmetry available' : 'no search.symmetry yet'}`);
  // One untimed run of each model first (stopped at its first state), so the rows time what a
  // user's second run costs: the type-check's result and the compiled schema are cached then.
  for (const model of new Set(rows.map((r) => r.model))) warmUp(ROOT, model);
  console.log('each model was run once, untimed, before its rows (warm caches, as on a second run)');
  console.log('');
  console.log(OURS_HEADER.join('\n'));
  const runs: OurRun[] = [];
  let failed = false;
  for (const row of rows) {
    for (const workers of row.workers) {
      let run = runOurs(ROOT, row, workers, caps);
      if (row.reduces && run.report && !run.failure) {
        const ref = runs.find((r) => r.row.name === row.reduces && r.workers === workers)?.report;
        const why = ref && checkReport(row, run.report, ref);
        if (why) run = { ...run, failure: why };
      }
      if (run.failure) failed = true;
      runs.push(run);
      console.log(ourLine(run));
    }
  }

  const peerRows = rows.filter((r) => r.peersRms !== undefined && r.expect !== undefined);
  if (peerRows.length && (spinOn || tlcOn)) {
    const spinVersion = spinOn ? versionOf('spin', ['-V'], /Spin Version [\d.]+/) : undefined;
    const tlcVersion = tlcOn ? 'TLC, one worker' : undefined;
    console.log('');
    console.log('"The spec alone": the spec\'s actions on every reachable state and its invariants, nothing of the checker around them (scripts/bench/floor-run.ts): no engine on one core can go below it.');
    console.log(`Peers on TwoPhase (${[spinVersion && `${spinVersion}: compiled C, exact DFS (-DSAFETY -DNOREDUCE), one core, the verifier's run without spin -a and gcc`, tlcVersion && `${tlcVersion}, the whole run with the JVM's start`].filter(Boolean).join('; ')}). Ours: the whole \`check\` process. ours/Spin and TLC/ours use our faster of 1 and 2 workers.`);
    console.log('');
    console.log(PEERS_HEADER.join('\n'));
    for (const row of peerRows) {
      const rms = row.peersRms!;
      const spin: PeerRun | undefined = spinOn ? runSpin(ROOT, rms, row.expect!) : undefined;
      const tlc: PeerRun | undefined = tlcOn ? runTlc(ROOT, rms, row.expect!) : undefined;
      const floor: FloorRun = runFloor(ROOT, row);
      if (spin?.failure || tlc?.failure || floor.failure) failed = true;
      const mine = (w: number) => runs.find((r) => r.row === row && r.workers === w);
      console.log(peerLine(row.name, row.expect!, floor, mine(1), mine(2), spin, tlc));
    }
  }
  console.log('');
  console.log(`load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  return failed ? 1 : 0;
}

process.exitCode = main();
