// Parsing what the benchmark's runs print: `check --reporter json`, GNU time's last line, Spin's
// pan and TLC. Pure functions, pinned by test/bench/parse.test.ts.

/** What one `check` run reported (`--reporter json`, one model file). */
export interface CheckReport {
  readonly exitCode: number;
  readonly status: string;
  readonly distinct: number;
  readonly generated: number;
  readonly depth: number;
  /** The search alone, as the report says. */
  readonly seconds: number;
  /** The liveness analysis after the search, when the model has temporal properties. */
  readonly livenessSeconds?: number;
  readonly visitedSetBytes?: number;
  readonly peakMemoryBytes?: number;
  readonly verdicts: readonly { readonly name: string; readonly kind: string; readonly verdict: string }[];
  readonly expectedStates?: number;
  readonly regressions: readonly string[];
  readonly error?: string;
}

/** The JSON report of `check --reporter json` on one model file; throws when it is not one. */
export function parseCheckJSON(text: string): CheckReport {
  let j: any;
  try {
    j = JSON.parse(text);
  } catch {
    throw new Error(`not a JSON report: ${text.trim().slice(0, 200) || '(no output)'}`);
  }
  if (typeof j !== 'object' || j === null || typeof j.exitCode !== 'number') throw new Error('not a JSON report of one model file');
  const s = j.stats ?? {};
  return {
    exitCode: j.exitCode,
    status: String(j.status),
    distinct: s.distinct ?? 0,
    generated: s.generated ?? 0,
    depth: s.depth ?? 0,
    seconds: s.seconds ?? 0,
    ...(typeof s.livenessSeconds === 'number' ? { livenessSeconds: s.livenessSeconds } : {}),
    ...(typeof s.visitedSetBytes === 'number' ? { visitedSetBytes: s.visitedSetBytes } : {}),
    ...(typeof s.peakMemoryBytes === 'number' ? { peakMemoryBytes: s.peakMemoryBytes } : {}),
    verdicts: (j.properties ?? []).map((p: { name: string; kind: string; verdict: string }) => ({ name: p.name, kind: String(p.kind), verdict: p.verdict })),
    ...(typeof j.expect?.states === 'number' ? { expectedStates: j.expect.states } : {}),
    regressions: j.regressions ?? [],
    ...(j.error ? { error: String(j.error) } : {}),
  };
}

/** GNU time's `-f` line the benchmark asks for (`BENCH-TIME <wall> <user> <sys> <max RSS KB>`),
 *  the last one in stderr; undefined when absent (no /usr/bin/time). */
export function parseTimeLine(stderr: string): { wall: number; user: number; sys: number; maxRssBytes: number } | undefined {
  const lines = stderr.split('\n').filter((l) => l.startsWith('BENCH-TIME '));
  const last = lines[lines.length - 1];
  if (!last) return undefined;
  const [wall, user, sys, kb] = last.slice('BENCH-TIME '.length).trim().split(/\s+/).map(Number);
  if (![wall, user, sys, kb].every(Number.isFinite)) return undefined;
  return { wall, user, sys, maxRssBytes: kb * 1024 };
}

/** stderr without the GNU time line (what the run itself wrote). */
export function withoutTimeLine(stderr: string): string {
  return stderr.split('\n').filter((l) => !l.startsWith('BENCH-TIME ')).join('\n');
}

const int = (s: string) => Number(s.replace(/,/g, ''));

/** Spin's pan output: stored states, transitions, errors, elapsed seconds. */
export function parseSpin(text: string): { stored: number; transitions: number; errors: number; seconds: number; depth: number } | undefined {
  const stored = /^\s*(\d+) states, stored/m.exec(text);
  const transitions = /^\s*(\d+) transitions \(= stored\+matched\)/m.exec(text);
  const errors = /errors: (\d+)/.exec(text);
  const elapsed = /pan: elapsed time ([\d.e+-]+) seconds/.exec(text);
  const depth = /depth reached (\d+)/.exec(text);
  if (!stored || !errors) return undefined;
  return {
    stored: int(stored[1]),
    transitions: transitions ? int(transitions[1]) : 0,
    errors: int(errors[1]),
    seconds: elapsed ? Number(elapsed[1]) : 0,
    depth: depth ? int(depth[1]) : 0,
  };
}

/** TLC's final lines: generated and distinct states, depth, and whether an error was found. */
export function parseTlc(text: string): { distinct: number; generated: number; depth: number; error: boolean } | undefined {
  const counts = /([\d,]+) states generated, ([\d,]+) distinct states found, 0 states left on queue/.exec(text);
  if (!counts) return undefined;
  const depth = /The depth of the complete state graph search is (\d+)/.exec(text);
  return {
    generated: int(counts[1]),
    distinct: int(counts[2]),
    depth: depth ? int(depth[1]) : 0,
    error: /^Error: /m.test(text) || /is violated/.test(text),
  };
}
