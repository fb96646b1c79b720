// One tiny benchmark row end to end (a `check` process on TwoPhase-5), and the Promela TwoPhase
// under Spin at 3 and 5 RMs (TLC's counts), when Spin and gcc are installed. Nothing is timed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilities, runOurs } from '../../scripts/bench/ours.ts';
import { runSpin } from '../../scripts/bench/peers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const hasSpin = !spawnSync('spin', ['-V']).error && !spawnSync('gcc', ['--version']).error;

describe('bench smoke', () => {
  it('runs a row through check and asserts its count', () => {
    const caps = capabilities(ROOT);
    const row = { name: 'twophase-5', model: 'specs/twophase-5.yaml', expect: 8832, workers: [1] };
    const run = runOurs(ROOT, row, 1, caps);
    expect(run.failure).toBeUndefined();
    expect(run.report).toMatchObject({ distinct: 8832, generated: 58146, depth: 16, exitCode: 0 });
    expect(run.report?.visitedSetBytes).toBeGreaterThan(0);
    expect(run.report?.peakMemoryBytes).toBeGreaterThan(0);
    expect(run.wallSeconds).toBeGreaterThan(0);
    expect(run.peakBytes).toBeGreaterThan(0);
    const wrong = runOurs(ROOT, { ...row, expect: 8833 }, 1, caps);
    expect(wrong.failure).toBe('8832 distinct states, expected 8833');
  }, 60_000);

  it("the set-heavy model has TLC's count on Paxos.tla (3 acceptors, 2 values, ballots 0..1)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-bench-test-'));
    try {
      const model = join(dir, 'paxos-sets-1.yaml');
      writeFileSync(model, `spec: ${join(ROOT, 'bench', 'paxos-sets.ts')}\nparams: { maxBallot: 1 }\ncheck: { invariants: [agreement, votesProposed], deadlock: false }\n`);
      const run = runOurs(ROOT, { name: 'paxos-sets-1', model, expect: 3921, workers: [1] }, 1, capabilities(ROOT));
      expect(run.failure).toBeUndefined();
      expect(run.report?.verdicts.map((v) => v.verdict)).toEqual(['holds', 'holds']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.skipIf(!hasSpin)("Spin stores exactly TLC's states for the Promela TwoPhase", () => {
    expect(runSpin(ROOT, 3, 288)).toMatchObject({ distinct: 288, generated: 1146 });
    expect(runSpin(ROOT, 3, 288).failure).toBeUndefined();
    const five = runSpin(ROOT, 5, 8832);
    expect(five).toMatchObject({ distinct: 8832, generated: 58146 });
    expect(five.failure).toBeUndefined();
    expect(runSpin(ROOT, 3, 289).failure).toBe('Spin stored 288 states, expected 289');
  }, 60_000);
});
