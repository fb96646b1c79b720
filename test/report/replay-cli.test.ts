import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function run(bin: string, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [join('bin', `${bin}.js`), ...args], { encoding: 'utf8', input });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('replay --step, one step per Enter', { timeout: 30_000 }, () => {
  it('shows the initial state, then each step with what changed; s shows the whole state; b goes back', () => {
    const r = run('replay', ['traces/peterson-turn-first/mutex-abd3.json', '--step'], '\n\ns\nb\n\n\n\n\n\n\n\n\n');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[1]).toBe('step 0/8: init');
    expect(r.out).toContain('step 1/8: request(i=0)\n    pc[0]: ncs -> setTurn\nstep 2/8: request(i=1)');
    expect(r.out).toContain('whole state after step 2:\n    flag: [false, false]\n    turn: 0\n    pc: [setTurn, setTurn]');
    expect(r.out).toMatch(/whole state after step 2:[^]*\nstep 1\/8: request\(i=0\)/);
    expect(r.out).toContain('step 8/8:');
    expect(r.out).toContain('end of the trace (8 steps)');
    expect(r.out).toMatch(/ok {2}replayed 8 steps: mutex is violated at step 8, as recorded/);
  });

  it('q quits at once', () => {
    const r = run('replay', ['traces/peterson-turn-first/mutex-abd3.json', '--step'], 'q\n');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('step 1/8');
  });
});

describe('replay --html and check --html', { timeout: 30_000 }, () => {
  it('writes one page for a trace', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tsmc-html-')), 'p.html');
    const r = run('replay', ['traces/paxos-ignore-accepted/agreement-6ec5.json', '--html', out, '-q']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`diagram: ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('"lanes":["proposer1","proposer2","acceptor1","acceptor2","acceptor3"]');
  });

  it('--html with several traces is a usage error', () => {
    const r = run('replay', ['traces/peterson-turn-first/mutex-abd3.json', 'traces/peterson-turn-first/mutex-abd3.json', '--html', '/tmp/x.html']);
    expect(r.code).toBe(151);
  });

  it('check --html writes the hand-in report with the verdicts and each counterexample', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-html-'));
    const out = join(dir, 'r.html');
    const r = run('check', ['specs/peterson-turn-first.yaml', '--traces', dir, '--html', out]);
    expect(r.code).toBe(12);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('"verdict":"violated"');
    expect(html).toContain('"title":"Counterexample for mutex (8 steps)"');
    expect(html).toContain('"lanesFrom":"parameter i"');
  });
});
