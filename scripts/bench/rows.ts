// The benchmark's rows: model files under bench/ (and specs/paxos.yaml as is), each run through
// `check` as a user runs it. Counts are asserted: TwoPhase's are TLC's and Spin's.

export interface Row {
  /** What `npm run bench -- <name>` selects. */
  readonly name: string;
  /** The model file, from the repository root. */
  readonly model: string;
  /** Distinct states the run must give (the model file's `expect: states` says the same). */
  readonly expect?: number;
  /** A row that compares a reduction with a row without it: its count must be smaller. */
  readonly reduces?: string;
  /** A model-file key the row needs (`search.symmetry`): "n/a" until the checker accepts it. */
  readonly needs?: 'symmetry';
  /** Worker counts to run (`--workers N` for N > 1: "n/a" until the checker has the flag). */
  readonly workers: readonly number[];
  /** TwoPhase with this many resource managers: Spin and TLC run on it too, when installed. */
  readonly peersRms?: number;
}

export const ROWS: readonly Row[] = [
  { name: 'twophase-7', model: 'bench/twophase-7.yaml', expect: 296_448, workers: [1, 2], peersRms: 7 },
  { name: 'twophase-8', model: 'bench/twophase-8.yaml', expect: 1_745_408, workers: [1, 2], peersRms: 8 },
  { name: 'twophase-9', model: 'bench/twophase-9.yaml', expect: 10_340_352, workers: [1, 2], peersRms: 9 },
  { name: 'twophase-9-symmetry', model: 'bench/twophase-9-symmetry.yaml', expect: 2_232, reduces: 'twophase-9', needs: 'symmetry', workers: [1] },
  { name: 'paxos', model: 'specs/paxos.yaml', expect: 370_765, workers: [1, 2] },
  { name: 'paxos-symmetry', model: 'bench/paxos-symmetry.yaml', expect: 62_167, reduces: 'paxos', needs: 'symmetry', workers: [1] },
  { name: 'paxos-live', model: 'bench/paxos-live.yaml', expect: 370_765, workers: [1] },
  { name: 'paxos-sets', model: 'bench/paxos-sets.yaml', expect: 362_361, workers: [1, 2] },
  { name: 'paxos-sets-4', model: 'bench/paxos-sets-4.yaml', expect: 2_135_473, workers: [1, 2] },
  { name: 'dijkstra-4', model: 'bench/dijkstra-4.yaml', expect: 161_860, workers: [1, 2] },
  { name: 'dijkstra-4-live', model: 'bench/dijkstra-4-live.yaml', expect: 161_860, workers: [1] },
  { name: 'twophase-7-generic', model: 'bench/twophase-7-generic.yaml', expect: 296_448, workers: [1] },
];

/** The rows named on the command line (all of them when none is). Unknown names are an error. */
export function selectRows(names: readonly string[], rows: readonly Row[] = ROWS): Row[] {
  const unknown = names.filter((n) => !rows.some((r) => r.name === n));
  if (unknown.length) throw new Error(`unknown row${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (rows: ${rows.map((r) => r.name).join(', ')})`);
  return names.length ? rows.filter((r) => names.includes(r.name)) : [...rows];
}
