// The model file (YAML) as the checker reads it, after validation.
import type { FaultModel } from '../core/spec.ts';
import type { FairnessValue } from '../core/temporal.ts';

export type Verdict = 'holds' | 'violated';

/** Where a value sits in the YAML file, for error messages. */
export interface Location {
  readonly line: number;
  readonly col: number;
}

export interface ModelConfig {
  /** Absolute path of the YAML file. */
  readonly file: string;
  /** `name:` in the file, or the file's base name without `.yaml`. */
  readonly name: string;
  /** The spec module (absolute path) and which export of it (`default` unless `spec: ./x.ts#name`). */
  readonly spec: { readonly module: string; readonly export: string };
  /** Parameters as written in the YAML; checked against the spec's declared params by `resolveModel`. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Protocols only: how messages in flight are kept. */
  readonly network?: 'unordered' | 'fifo';
  /** Protocols only: the faults the checker may inject (`faults:`). */
  readonly faults?: FaultModel;
  readonly check: {
    /** Invariants to check; undefined means every invariant the spec declares. */
    readonly invariants?: readonly string[];
    /** Step properties to check; undefined means all. */
    readonly steps?: readonly string[];
    /** Temporal properties (or family names) to check; undefined means all. */
    readonly properties?: readonly string[];
    readonly deadlock: boolean;
  };
  /** Fairness over the spec's: 'none' drops it; entries add or replace (value 'none' removes one). */
  readonly fairness?: 'none' | Readonly<Record<string, FairnessValue | 'none'>>;
  readonly search: {
    readonly strategy: 'bfs' | 'dfs';
    readonly maxStates?: number;
    readonly maxDepth?: number;
    /** State constraints to apply; undefined means every constraint the spec declares. */
    readonly constraints?: readonly string[];
    /** Seconds one state's expansion may take before it is reported as a spec error. */
    readonly stepTimeout?: number;
    readonly stopAtFirst: boolean;
    readonly checkSpec: boolean;
    /** Bytes of memory for the visited set and the frontier, beyond which they spill to disk. */
    readonly memory?: number;
    /** Threads for the breadth-first search (`auto`: one per core); default 1. */
    readonly workers?: number | 'auto';
    /** `por`: partial-order reduction for protocols (checker/explore/por.ts); default `none`. */
    readonly reduction?: 'none' | 'por';
    /** Symmetric roles or declared domains (`search.symmetry`); absent: no symmetry reduction. */
    readonly symmetry?: readonly string[];
  };
  /** `simulate:` in the file: random simulation instead of the exhaustive search (see checker/sim/). */
  readonly simulate?: SimulateSettings;
  /** Used by regression mode. Property names (and `deadlock`) map to a verdict; `states` pins the distinct count. */
  readonly expect?: {
    readonly verdicts: Readonly<Record<string, Verdict>>;
    readonly states?: number;
    /** Pins the generated count (every successor computed, duplicates included, and the initial states). */
    readonly generated?: number;
    /** Pins the depth reached (initial states at depth 0). */
    readonly depth?: number;
  };
  /** Location of a key path in the file, e.g. ['check', 'invariants', 1]; falls back to the nearest parent.
   *  For a mapping entry, `at: 'key'` (the default) gives the key and `at: 'value'` its value. */
  locate(path: readonly (string | number)[], at?: 'key' | 'value'): Location | undefined;
}

/** Random simulation settings (`simulate:` in the model file, or `check --simulate --runs ...`). */
export interface SimulateSettings {
  readonly runs?: number;
  readonly depth?: number;
  readonly seed?: number;
  /** Seconds at most. */
  readonly time?: number;
}
