// The benchmark's Markdown tables: our rows, then the peers on TwoPhase with the ratios.
import type { OurRun } from './ours.ts';
import type { FloorRun } from './floor.ts';
import type { PeerRun } from './peers.ts';

export const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const secs = (n: number | undefined): string => (n === undefined ? '' : n < 10 ? n.toFixed(2) : n.toFixed(1));
const mib = (b: number | undefined): string => (b === undefined ? '' : `${int(b / 2 ** 20)} MiB`);
/** a / b as "3.2x", or "" when either is missing. */
export const ratio = (a: number | undefined, b: number | undefined): string => (a && b ? `${(a / b).toFixed(2)}x` : '');

export const OURS_HEADER = [
  '| model | workers | distinct | generated | depth | search s | wall s | distinct/s | generated/s | bytes/state | peak memory | notes |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
];

export function ourLine(run: OurRun): string {
  const { row, workers, report: r } = run;
  if (run.skipped) return `| ${row.name} | ${workers} | ${run.skipped} |  |  |  |  |  |  |  |  |  |`;
  if (!r) return `| ${row.name} | ${workers} | FAILED: ${run.failure ?? 'no report'} |  |  |  |  |  |  |  |  |  |`;
  // States per second of the search alone (the liveness analysis is in the notes).
  const notes = [
    ...r.verdicts.filter((v) => v.kind === 'temporal' || v.verdict !== 'holds').map((v) => `${v.name} ${v.verdict}`),
    ...(r.livenessSeconds !== undefined ? [`liveness analysis ${secs(r.livenessSeconds)} s`] : []),
    ...(run.failure ? [`FAILED: ${run.failure}`] : []),
  ];
  const bps = r.visitedSetBytes !== undefined && r.distinct >= 100_000 ? (r.visitedSetBytes / r.distinct).toFixed(1) : '';
  return `| ${row.name} | ${workers} | ${int(r.distinct)} | ${int(r.generated)} | ${r.depth} | ${secs(r.seconds)} | ${secs(run.wallSeconds)} | ${int(r.distinct / Math.max(r.seconds, 1e-3))} | ${int(r.generated / Math.max(r.seconds, 1e-3))} | ${bps} | ${mib(run.peakBytes)} | ${notes.join('; ')} |`;
}

export const PEERS_HEADER = [
  '| model | states | the spec alone, s | ours, 1 worker, wall s | ours, 2 workers, wall s | Spin s (pan) | ours/Spin | TLC s | TLC/ours | Spin, TLC peak memory |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];

/** One TwoPhase size: our wall times (1 and 2 workers) against Spin's verifier and TLC's whole run. */
export function peerLine(name: string, states: number, floor: FloorRun | undefined, one: OurRun | undefined, two: OurRun | undefined, spin: PeerRun | undefined, tlc: PeerRun | undefined): string {
  const ok = (r: OurRun | undefined) => (r && !r.failure && !r.skipped ? r.wallSeconds : undefined);
  const peer = (p: PeerRun | undefined) => (!p ? 'not run' : p.skipped ? `skipped: ${p.skipped}` : p.failure ? `FAILED: ${p.failure}` : secs(p.wallSeconds));
  const peerOk = (p: PeerRun | undefined) => (p && !p.skipped && !p.failure ? p.wallSeconds : undefined);
  const ours1 = ok(one);
  const ours2 = ok(two);
  const best = ours2 !== undefined && ours1 !== undefined ? Math.min(ours1, ours2) : ours1;
  const ourCell = (r: OurRun | undefined, v: number | undefined) => (v !== undefined ? secs(v) : r?.skipped ? 'n/a' : r?.failure ? 'FAILED' : '');
  const floorCell = !floor ? 'not run' : floor.failure ? `FAILED: ${floor.failure}` : secs(floor.seconds);
  return `| ${name} | ${int(states)} | ${floorCell} | ${ourCell(one, ours1)} | ${ourCell(two, ours2)} | ${peer(spin)} | ${ratio(best, peerOk(spin))} | ${peer(tlc)} | ${ratio(peerOk(tlc), best)} | ${[spin, tlc].map((p) => mib(p?.peakBytes) || '-').join(', ')} |`;
}
