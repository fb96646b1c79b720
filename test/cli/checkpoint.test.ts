// --checkpoint and --resume through the real command: a run killed (SIGKILL after a checkpoint) or
// interrupted (SIGINT) and then resumed ends with the counts, verdicts and counterexample of a run
// never stopped; a resume that does not match is a coded error.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MODEL = 'specs/paxos-ignore-accepted.yaml';

function run(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/check.js', MODEL, '--no-typecheck', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Starts a checkpointing run and stops it with `signal` once `ready` says so. */
function stopped(args: string[], signal: NodeJS.Signals, ready: (err: string) => boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bin/check.js', MODEL, '--no-typecheck', '--progress', '1', ...args]);
    let out = '';
    let err = '';
    let sent = false;
    const poll = setInterval(() => {
      if (!sent && ready(err)) {
        sent = true;
        child.kill(signal);
      }
    }, 20);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code, sig) => {
      clearInterval(poll);
      done({ code, signal: sig, out, err });
    });
  });
}

const counts = (out: string) => /states [\d,]+ distinct \/ [\d,]+ generated, depth \d+/.exec(out)?.[0];

describe('checkpoint and resume', () => {
  const reference = run(['--no-traces']);

  it('the run never stopped: the reference', () => {
    expect(reference.code).toBe(12);
    expect(counts(reference.out)).toBe('states 364,249 distinct / 1,377,946 generated, depth 31');
  });

  it('killed (SIGKILL) after a checkpoint, resumed from it: the same counts, verdicts and counterexample', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tsmc-ck-')), 'ck');
    const traces = mkdtempSync(join(tmpdir(), 'tsmc-ck-traces-'));
    const killed = await stopped(['--checkpoint', dir, '--checkpoint-every', '1', '--traces', traces], 'SIGKILL', () => existsSync(join(dir, 'checkpoint.json')));
    expect(killed.signal).toBe('SIGKILL');
    const saved = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8'));
    expect(saved.reason).toBe('periodic');
    expect(saved.store.states).toBeLessThan(364_249);
    const resumed = run(['--resume', dir, '--traces', traces]);
    expect(resumed.code).toBe(12);
    expect(counts(resumed.out)).toBe(counts(reference.out));
    expect(resumed.out).toMatch(/FAIL {2}agreement .*\(counterexample: 14 steps\)/);
    expect(resumed.out).toMatch(/ok {4}validity/);
    expect(resumed.out).toContain(`resumed from the checkpoint in ${dir} (saved periodically)`);
    expect(readdirSync(join(traces, 'paxos-ignore-accepted'))).toEqual([expect.stringMatching(/^agreement-[0-9a-f]{4}\.json$/)]);
  }, 180_000);

  it('interrupted (SIGINT): saves a checkpoint, says how to continue, and the resumed run ends as the reference', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tsmc-ck-')), 'ck');
    const first = await stopped(['--checkpoint', dir, '--no-traces'], 'SIGINT', (err) => /states, /.test(err));
    expect(first.code).toBe(130);
    expect(first.out).toMatch(new RegExp(`checkpoint: saved when interrupted in ${dir} \\([\\d,]+ states\\)`));
    expect(first.out).toContain(`continue with: npx check ${MODEL} --resume ${dir}`);
    const resumed = run(['--resume', dir, '--no-traces']);
    expect(resumed.code).toBe(12);
    expect(counts(resumed.out)).toBe(counts(reference.out));
    expect(resumed.out).toContain('(saved when interrupted)');
  }, 180_000);

  it('a resume with other options, without a checkpoint, or with temporal properties is a coded error', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tsmc-ck-')), 'ck');
    await stopped(['--checkpoint', dir, '--no-traces'], 'SIGINT', (err) => /states, /.test(err));
    const other = run(['--resume', dir, '--strategy', 'dfs', '--max-depth', '3']);
    expect(other.code).toBe(151);
    expect(other.err).toContain(`error MC150: the checkpoint in ${dir} belongs to a different run: strategy was "bfs", now "dfs"; maxDepth was null, now 3`);
    const none = run(['--resume', join(dir, 'nothing')]);
    expect(none.code).toBe(151);
    expect(none.err).toContain('error MC151: no checkpoint to resume in');
    const temporal = spawnSync(process.execPath, ['bin/check.js', 'specs/peterson.yaml', '--no-typecheck', '--checkpoint', dir], { encoding: 'utf8' });
    expect(temporal.status).toBe(151);
    expect(temporal.stderr).toContain('error MC152: checkpoints do not cover temporal properties yet');
    const many = spawnSync(process.execPath, ['bin/check.js', 'specs/', '--no-typecheck', '--checkpoint'], { encoding: 'utf8' });
    expect(many.status).toBe(151);
    expect(many.stderr).toContain('--checkpoint goes with one model file');
  }, 180_000);
});
