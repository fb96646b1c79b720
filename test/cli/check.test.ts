import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function run(bin: 'check' | 'replay', ...args: string[]) {
  // The type-check is left to test/cli/typecheck.test.ts: a cold compiler run takes seconds.
  const flags = bin === 'check' ? ['--no-typecheck'] : [];
  const r = spawnSync(process.execPath, [join('bin', `${bin}.js`), ...args, ...flags], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const traces = () => mkdtempSync(join(tmpdir(), 'tsmc-cli-'));

describe('check, as a user runs it', () => {
  it('proves a model and says what was proven (exit 0)', () => {
    const r = run('check', 'test/fixtures/cli/ok.yaml', '--traces', traces());
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/states 16 distinct \/ 25 generated, depth 6/);
    expect(r.out).toMatch(/ok {4}small +always: the sum stays within bounds/);
    expect(r.out).toMatch(/proven: small and deadlock freedom hold in all 16 reachable states of counter with max=3 \(exhaustive BFS\)\./);
    expect(r.err).toBe('');
  });

  it('refutes a property, writes the trace, prints how to reproduce it (exit 12), and the trace replays', () => {
    const dir = traces();
    const r = run('check', 'test/fixtures/cli/corner.yaml', '--traces', dir);
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/FAIL {2}notCorner {2}always: the corner is never reached {2}\(counterexample: 4 steps\)/);
    const [file] = readdirSync(join(dir, 'corner'));
    expect(file).toMatch(/^notCorner-[0-9a-f]{4}\.json$/);
    expect(r.out).toContain(`reproduce: npx replay ${join(dir, 'corner', file)}`);
    expect(r.out).toMatch(/1 {2}incA\n +a: 0 -> 1/);
    const replay = run('replay', join(dir, 'corner', file));
    expect(replay.code).toBe(0);
    expect(replay.out).toMatch(/ok {2}replayed 4 steps: notCorner is violated at step 4, as recorded/);
  });

  it('gives a one-line coded error with file:line:col for a bad model file (exit 151)', () => {
    const r = run('check', 'test/fixtures/config/unknown-key.yaml');
    expect(r.code).toBe(151);
    expect(r.out + r.err).toMatch(/unknown-key\.yaml:4:3: error MC102: unknown key 'maxstates' in search/);
    expect(r.out + r.err).not.toMatch(/\n\s+at /);
  });

  it('regression mode: a folder of models, a summary table, exit 10 when a result differs from expect:', () => {
    const r = run('check', 'test/fixtures/cli', '--traces', traces());
    expect(r.code).toBe(10);
    expect(r.out).toMatch(/3 models: 2 as expected, 1 regression/);
    expect(r.out).toMatch(/wrong-expect\.yaml: states: expected 10, got 9/);
  });

  it('regression mode passes (exit 0) when every model meets its expect:, and speaks JSON', () => {
    const r = run('check', 'test/fixtures/cli/ok.yaml', 'test/fixtures/cli/corner.yaml', '--reporter', 'json', '--traces', traces());
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ exitCode: 0, models: 2, asExpected: 2 });
    expect(j.results[1].properties).toContainEqual(expect.objectContaining({ name: 'notCorner', verdict: 'violated', steps: 4 }));
  });

  it('speaks JUnit XML for CI systems: a wrong expect: is a failed test, an expected violation is not', () => {
    const r = run('check', 'test/fixtures/cli', '--reporter', 'junit', '--no-traces');
    expect(r.code).toBe(10);
    expect(r.out).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="check">/);
    expect(r.out).toContain('<testsuite name="wrong-expect" tests="3" failures="1" errors="0" skipped="0"');
    expect(r.out).toContain('<failure message="differs from expect:">states: expected 10, got 9</failure>');
    expect(r.out).toContain('<testcase name="invariant notCorner" classname="corner"></testcase>');
    const single = run('check', 'test/fixtures/cli/corner.yaml', '--reporter', 'junit', '--no-traces', '--max-states', '1000');
    expect(single.code).toBe(12);
    expect(single.out).toContain('<testcase name="invariant notCorner" classname="corner"></testcase>');
  });

  it('stops at the state limit with exit 152', () => {
    const r = run('check', 'test/fixtures/cli/ok.yaml', '--max-states', '5', '--no-traces');
    expect(r.code).toBe(152);
    expect(r.out).toMatch(/not proven: the search stopped at the state limit/);
  });

  it('rejects an unknown option (exit 151)', () => {
    const r = run('check', '--frobnicate', 'x.yaml');
    expect(r.code).toBe(151);
    expect(r.err).toMatch(/Unknown option '--frobnicate'/);
  });
});
