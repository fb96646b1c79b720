// Ctrl-C, SIGTERM and SIGHUP: the run reports what it explored and found, writes the traces, exits 128+n.
// Not on a terminal, a progress line now and then shows the run is alive (here every second).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs check on a long model; once a progress line shows the search is running, sends `signal`. */
function interrupted(signal: NodeJS.Signals, traces: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bin/check.js', 'test/fixtures/reliability/long.yaml', '--no-typecheck', '--progress', '1', '--traces', traces]);
    let out = '';
    let err = '';
    let sent = false;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      if (!sent && /long\.yaml: [\d.]+[kM]? states/.test(err)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('close', (code) => done({ code, out, err }));
  });
}

describe('interruption', () => {
  it('SIGINT: what was explored, the verdicts so far, the trace of the violation found, exit 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-sig-'));
    const r = await interrupted('SIGINT', dir);
    expect(r.code).toBe(130);
    expect(r.err).toMatch(/long\.yaml: [\d.]+[kM]? states, [\d.]+[kM]? gen, [\d.]+[kM]?\/s, frontier [\d.]+[kM]?, depth \d+, \d+ s\n/);
    expect(r.err).toMatch(/check: interrupted by SIGINT\n$/);
    expect(r.out).toMatch(/states [\d,]+ distinct \/ [\d,]+ generated/);
    expect(r.out).toMatch(/\?\? {4}TypeOK/);
    expect(r.out).toMatch(/FAIL {2}Consistent .*\(counterexample: 3 steps\)/);
    expect(r.out).toMatch(/not proven: interrupted after [\d,]+ states \(depth \d+\); properties not violated so far are unknown\./);
    expect(readdirSync(join(dir, 'long'))).toEqual([expect.stringMatching(/^Consistent-[0-9a-f]{4}\.json$/)]);
  }, 120_000);

  it('SIGTERM exits 143 and SIGHUP 129, each with the report', async () => {
    for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      const r = await interrupted(signal, mkdtempSync(join(tmpdir(), 'tsmc-sig-')));
      expect(r.code).toBe(code);
      expect(r.out).toMatch(/not proven: interrupted after/);
      expect(r.err).toContain(`check: interrupted by ${signal}`);
    }
  }, 120_000);

  it('SIGINT during --simulate: the walks so far, the violations found, exit 130 (not a hang until all runs are done)', async () => {
    const r = await new Promise<{ code: number | null; out: string; err: string }>((done) => {
      const args = ['bin/check.js', 'test/fixtures/reliability/long.yaml', '--no-typecheck', '--no-traces', '--simulate', '--seed', '7', '--runs', '1000000000', '--depth', '50'];
      const child = spawn(process.execPath, args);
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      setTimeout(() => child.kill('SIGINT'), 3000);
      child.on('close', (code) => done({ code, out, err }));
    });
    expect(r.code).toBe(130);
    expect(r.err).toMatch(/check: interrupted by SIGINT\n$/);
    expect(r.out).toMatch(/\(interrupted\)/);
  }, 120_000);
});
