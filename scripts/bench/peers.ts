// The peers, side by side on TwoPhase with the same number of resource managers, when installed:
// Spin (compiled C, exact DFS, one core) on bench/peers/twophase.pml, and TLC (one worker) on
// bench/peers/TwoPhase.tla. Both must store exactly the row's states, or the row fails.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GNU_TIME } from './ours.ts';
import { parseSpin, parseTimeLine, parseTlc } from './parse.ts';

export interface PeerRun {
  readonly peer: 'spin' | 'tlc';
  readonly skipped?: string;
  readonly failure?: string;
  readonly distinct?: number;
  readonly generated?: number;
  /** The search as the peer reports it (Spin's "elapsed time"). */
  readonly seconds?: number;
  /** The peer's process (Spin: the compiled verifier, not spin -a and gcc). */
  readonly wallSeconds?: number;
  readonly peakBytes?: number;
  readonly note?: string;
}

function onPath(cmd: string, args: readonly string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return !r.error;
}

function timedRun(cmd: string, args: readonly string[], cwd: string): { out: string; wallSeconds: number; peakBytes?: number; status: number | null } {
  const timed = existsSync(GNU_TIME);
  const started = performance.now();
  const p = timed
    ? spawnSync(GNU_TIME, ['-f', 'BENCH-TIME %e %U %S %M', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallSeconds = (performance.now() - started) / 1000;
  const t = parseTimeLine(p.stderr ?? '');
  return { out: `${p.stdout ?? ''}\n${p.stderr ?? ''}`, wallSeconds, status: p.status, ...(t ? { peakBytes: t.maxRssBytes } : {}) };
}

/** Spin on TwoPhase with `rms` resource managers: spin -a, gcc, then the verifier, timed alone. */
export function runSpin(root: string, rms: number, expect: number): PeerRun {
  if (!onPath('spin', ['-V']) || !onPath('gcc', ['--version'])) return { peer: 'spin', skipped: 'Spin not installed (apt-get install spin gcc)' };
  const dir = mkdtempSync(join(tmpdir(), 'tsmc-bench-spin-'));
  try {
    const pml = resolve(root, 'bench', 'peers', 'twophase.pml');
    const gen = spawnSync('spin', [`-DN=${rms}`, '-a', pml], { cwd: dir, encoding: 'utf8' });
    if (gen.status !== 0) return { peer: 'spin', failure: `spin -a: ${(gen.stdout + gen.stderr).trim().slice(0, 200)}` };
    // Exact search: full state storage (no bitstate, no compression), no partial-order reduction.
    const cc = spawnSync('gcc', ['-O2', '-DSAFETY', '-DNOREDUCE', '-DMEMLIM=16384', '-o', 'pan', 'pan.c'], { cwd: dir, encoding: 'utf8' });
    if (cc.status !== 0) return { peer: 'spin', failure: `gcc: ${(cc.stdout + cc.stderr).trim().slice(0, 200)}` };
    // A hash table of at least twice the states; depth far above TwoPhase's (3 steps per RM).
    const w = Math.max(18, Math.ceil(Math.log2(expect * 2)));
    const run = timedRun('./pan', ['-m100000', `-w${w}`], dir);
    const r = parseSpin(run.out);
    if (!r) return { peer: 'spin', failure: `no result from pan: ${run.out.trim().slice(-200)}` };
    const base = { peer: 'spin' as const, distinct: r.stored, generated: r.transitions, seconds: r.seconds, wallSeconds: run.wallSeconds, ...(run.peakBytes ? { peakBytes: run.peakBytes } : {}) };
    if (r.errors) return { ...base, failure: `pan found ${r.errors} error(s)` };
    if (r.stored !== expect) return { ...base, failure: `Spin stored ${r.stored} states, expected ${expect}` };
    return base;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where TLC is: $TLC (the tlc.sh script), else ../shared/tools/tlc/tlc.sh beside the repository. */
export function tlcScript(root: string): string | undefined {
  const candidates = [process.env.TLC, resolve(root, '..', 'shared', 'tools', 'tlc', 'tlc.sh')].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p));
}

/** TLC, one worker, on TwoPhase with `rms` resource managers; the whole run, JVM start included. */
export function runTlc(root: string, rms: number, expect: number): PeerRun {
  const script = tlcScript(root);
  if (!script) return { peer: 'tlc', skipped: 'TLC not found (set TLC to its tlc.sh)' };
  if (!onPath('java', ['-version'])) return { peer: 'tlc', skipped: 'TLC needs a Java runtime (java not on PATH)' };
  const dir = mkdtempSync(join(tmpdir(), 'tsmc-bench-tlc-'));
  try {
    copyFileSync(resolve(root, 'bench', 'peers', 'TwoPhase.tla'), join(dir, 'TwoPhase.tla'));
    const rm = Array.from({ length: rms }, (_, i) => `r${i + 1}`).join(', ');
    writeFileSync(join(dir, 'TwoPhase.cfg'), `CONSTANT RM = {${rm}}\nINIT Init\nNEXT Next\nINVARIANT TypeOK Consistent\n`);
    const run = timedRun(script, ['-workers', '1', '-metadir', join(dir, 'meta'), '-config', 'TwoPhase.cfg', 'TwoPhase.tla'], dir);
    const r = parseTlc(run.out);
    if (!r) return { peer: 'tlc', wallSeconds: run.wallSeconds, failure: `no result from TLC: ${run.out.trim().split('\n').slice(-3).join(' ')}` };
    const base = { peer: 'tlc' as const, distinct: r.distinct, generated: r.generated, wallSeconds: run.wallSeconds, ...(run.peakBytes ? { peakBytes: run.peakBytes } : {}) };
    if (r.error) return { ...base, failure: 'TLC reported an error' };
    if (r.distinct !== expect) return { ...base, failure: `TLC found ${r.distinct} distinct states, expected ${expect}` };
    return base;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
