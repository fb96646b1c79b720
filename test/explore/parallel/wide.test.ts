// A state with more new successors than the workers' shared table has room for between two looks at
// its load: the search starts again on one worker and says so. (It used to be reported as a spec
// error blaming the action.)
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (args: string[]) => spawnSync(process.execPath, ['bin/check.js', 'test/fixtures/parallel/wide.yaml', '--no-typecheck', '--no-traces', ...args], { encoding: 'utf8' });

describe('a state too wide for the shared table', () => {
  it('runs on one worker, with the counts of one worker and a note saying why', () => {
    const one = run([]);
    const two = run(['--workers', '2']);
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    const counts = (out: string) => /states [\d,]+ distinct \/ [\d,]+ generated, depth \d+/.exec(out)?.[0];
    expect(counts(two.stdout)).toBe(counts(one.stdout));
    expect(counts(one.stdout)).toBe('states 140,001 distinct / 140,001 generated, depth 2');
    expect(two.stdout).toMatch(/note: ran on one worker: a state had more new successors than the shared table had room for/);
    expect(two.stdout).not.toMatch(/spec error/);
  }, 60_000);
});
