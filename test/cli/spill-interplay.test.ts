// Disk spill (--memory) and checkpoints (--checkpoint, --resume) next to the other ways of running a
// search: they work (same counts and verdicts) or are refused with a code, never silently wrong.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function check(args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['bin/check.js', '--no-typecheck', '--no-traces', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}
const counts = (out: string) => /states [\d,]+ distinct \/ [\d,]+ generated, depth \d+/.exec(out)?.[0];

describe('disk spill and checkpoints with the other search options', () => {
  it('--memory with --shard, or with partial-order reduction: refused (MC153)', () => {
    const ex = mkdtempSync(join(tmpdir(), 'tsmc-ex-'));
    const shard = check(['specs/twophase.yaml', '--memory', '1MiB', '--shard', '1/2', '--exchange', ex]);
    expect(shard.code).toBe(151);
    expect(shard.out).toMatch(/error MC153: --memory does not go with --shard/);
    const por = check(['specs/paxos.yaml', '--checkpoint', join(ex, 'ck'), '--por']);
    expect(por.code).toBe(151);
    expect(por.out).toMatch(/error MC153: --checkpoint does not go with --por/);
  });

  it('--memory with --workers 2: one worker, said so, the same counts', () => {
    const plain = check(['bench/twophase-7.yaml']);
    const spilled = check(['bench/twophase-7.yaml', '--memory', '1MiB', '--workers', '2']);
    expect(spilled.code).toBe(0);
    expect(counts(spilled.out)).toBe(counts(plain.out));
    expect(counts(plain.out)).toBe('states 296,448 distinct / 2,744,706 generated, depth 22');
    expect(spilled.out).toMatch(/ran on one worker: a visited set or frontier of its own/);
    expect(spilled.out).toMatch(/memory budget 1 MB for the visited set and the frontier: the visited set spilled \d+ MB to disk/);
  });

  it('--memory with symmetry: the same orbits and verdicts', () => {
    const plain = check(['specs/twophase-5-symmetry.yaml']);
    const spilled = check(['specs/twophase-5-symmetry.yaml', '--memory', '16KiB']);
    expect(plain.code).toBe(0);
    expect(spilled.code).toBe(0);
    expect(counts(spilled.out)).toBe(counts(plain.out));
    expect(spilled.out).toMatch(/states 314 distinct/);
  });

  it('a symmetric search interrupted (SIGINT) after a checkpoint and resumed: the same counts as one never stopped', async () => {
    const model = 'bench/paxos-symmetry.yaml';
    const reference = check([model]);
    expect(counts(reference.out)).toMatch(/^states 62,167 distinct/);
    const dir = join(mkdtempSync(join(tmpdir(), 'tsmc-ck-')), 'ck');
    const stopped = await new Promise<{ code: number | null }>((done) => {
      const child = spawn(process.execPath, ['bin/check.js', '--no-typecheck', '--no-traces', model, '--checkpoint', dir, '--checkpoint-every', '1']);
      const poll = setInterval(() => {
        if (existsSync(join(dir, 'checkpoint.json'))) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
      child.on('close', (code) => {
        clearInterval(poll);
        done({ code });
      });
    });
    // Interrupted (130), or finished before the signal arrived (0): either way the resume must agree.
    expect([0, 130]).toContain(stopped.code);
    if (stopped.code === 130) {
      const resumed = check([model, '--resume', dir]);
      expect(resumed.code).toBe(0);
      expect(counts(resumed.out)).toBe(counts(reference.out));
    }
  }, 120_000);

  it('--checkpoint with temporal properties: refused (MC152)', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tsmc-ck-')), 'ck');
    const r = check(['specs/2pc.yaml', '--checkpoint', dir]);
    expect(r.code).toBe(151);
    expect(r.out).toMatch(/error MC152: checkpoints do not cover temporal properties/);
  });
});
