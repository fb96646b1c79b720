// The shard/merge path as a cluster runs it: n separate `check --shard i/n` processes (here on one
// machine, sharing a folder), each writing its JSON report, then `check --merge` on the reports.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../helpers/cli.ts';

const BIN = join(process.cwd(), 'bin', 'check.js');

function run(args: readonly string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += String(d)));
    p.stderr.on('data', (d) => (err += String(d)));
    p.on('error', fail);
    p.on('close', (code) => done({ code: code ?? -1, out, err }));
  });
}

describe('shards as separate processes, merged', () => {
  it('3 exhaustive shard processes on a bug variant: merged counts equal the single run, the counterexample is rebuilt across shards and replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-shards-'));
    const model = join(process.cwd(), 'specs/peterson-turn-first.yaml');
    const shards = await Promise.all([1, 2, 3].map((i) => run([model, '--shard', `${i}/3`, '--exchange', join(dir, 'exchange'), '--reporter', 'json', '--no-typecheck'], dir)));
    shards.forEach((s, k) => writeFileSync(join(dir, `report-${k + 1}.json`), s.out));
    for (const s of shards) expect([0, 12], s.err).toContain(s.code);
    const merged = await run(['--merge', dir, '--reporter', 'json'], dir);
    expect(merged.code, merged.err).toBe(12);
    const m = JSON.parse(merged.out) as { stats: { distinct: number; generated: number; depth: number }; properties: { name: string; verdict: string; steps?: number; trace?: string }[] };
    expect(m.stats).toMatchObject({ distinct: 50, generated: 97, depth: 10 });
    const mutex = m.properties.find((p) => p.name === 'mutex')!;
    expect(mutex).toMatchObject({ verdict: 'violated', steps: 8 });
    const replayed = await new Promise<number>((done) => spawn(process.execPath, [join(process.cwd(), 'bin', 'replay.js'), mutex.trace!], { cwd: dir, stdio: 'ignore' }).on('close', (c) => done(c ?? -1)));
    expect(replayed).toBe(0);
    // Merged elsewhere (as a CI merge job with the shards' artifacts): the kept trace is written back
    // from the report, where the shard wrote it relative to its folder, and replays there.
    const elsewhere = mkdtempSync(join(tmpdir(), 'tsmc-merge-'));
    const again = await run(['--merge', join(dir, 'report-1.json'), join(dir, 'report-2.json'), join(dir, 'report-3.json')], elsewhere);
    expect(again.code).toBe(12);
    expect(existsSync(join(elsewhere, mutex.trace!))).toBe(true);
    const replayedThere = await new Promise<number>((done) => spawn(process.execPath, [join(process.cwd(), 'bin', 'replay.js'), mutex.trace!], { cwd: elsewhere, stdio: 'ignore' }).on('close', (c) => done(c ?? -1)));
    expect(replayedThere).toBe(0);
    const text = await run(['--merge', join(dir, 'report-1.json'), join(dir, 'report-2.json'), join(dir, 'report-3.json')], dir);
    expect(text.out).toContain('states 50 distinct / 97 generated, depth 10 (summed over the shards)');
    expect(text.out).toMatch(/FAIL\s+mutex/);
  }, 120_000);

  it('2 swarm simulation processes: merged, a property not violated stays unknown, never holds (so expect: holds is a difference, exit 10)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-swarm-'));
    const model = join(process.cwd(), 'specs/twophase.yaml');
    const shards = await Promise.all([1, 2].map((i) => run([model, '--simulate', '--runs', '200', '--seed', '9', '--shard', `${i}/2`, '--reporter', 'json', '--no-typecheck'], dir)));
    shards.forEach((s, k) => writeFileSync(join(dir, `r${k + 1}.json`), s.out));
    const seeds = shards.map((s) => (JSON.parse(s.out) as { simulation: { seed: number } }).simulation.seed);
    expect(seeds[0]).toBe(9);
    expect(seeds[1]).not.toBe(9);
    const merged = await run(['--merge', join(dir, 'r1.json'), join(dir, 'r2.json')], dir);
    expect(merged.code, merged.err).toBe(10);
    expect(merged.out).toContain('REGRESSION  Consistent: expected holds, got unknown (a simulation never proves a property)');
    expect(merged.out).toContain('simulation: 200 runs');
    expect(merged.out).toMatch(/\?\?\s+Consistent .*not violated in 200 random runs over 2 shards/);
    const missing = await run(['--merge', join(dir, 'r1.json')], dir);
    expect(missing.code).toBe(151);
    expect(missing.out).toContain('MC403: shard 2/2 missing');
    expect(readFileSync(join(dir, 'r1.json'), 'utf8')).toContain('"shard"');
  }, 120_000);

  it('bad shard flags are usage errors (exit 151)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-shardflags-'));
    const model = join(process.cwd(), 'specs/twophase.yaml');
    const bad = await run([model, '--shard', '3/2', '--no-typecheck'], dir);
    expect(bad.code).toBe(151);
    expect(bad.err).toContain('--shard takes I/N');
    const lone = await run([model, '--exchange', dir, '--no-typecheck'], dir);
    expect(lone.code).toBe(151);
    expect(lone.err).toContain('--exchange goes with --shard');
    const nothing = await run(['--merge', join(dir, 'none.json')], dir);
    expect(nothing.code).toBe(151);
    expect(nothing.err).toContain('MC402');
  }, 60_000);

  it('flags that do not go with --merge or --shard are refused (exit 151)', async () => {
    const runs = await check('--merge', tmpdir(), '--runs', '3');
    expect(runs.code).toBe(151);
    expect(runs.err).toContain('--merge does not take --runs');
    const junit = await check('--merge', tmpdir(), '--reporter', 'junit');
    expect(junit.err).toContain('--merge prints text or --reporter json');
    const dot = await check('specs/twophase.yaml', '--shard', '1/2', '--dot', join(tmpdir(), 'g.dot'));
    expect(dot.code).toBe(151);
    expect(dot.err).toContain('--dot draws the whole state graph');
    const folder = await check('specs/', '--shard', '1/2');
    expect(folder.err).toContain('--shard goes with one model file');
    const wait = await check('specs/twophase.yaml', '--shard-wait', '5');
    expect(wait.err).toContain('--shard-wait goes with --shard I/N');
  });

  it('Ctrl-C while a shard waits for the others: it reports (exit 130, verdicts unknown) and leaves a stop marker for those that go on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-shardint-'));
    const exchange = join(dir, 'x');
    const p = spawn(process.execPath, [BIN, join(process.cwd(), 'specs/twophase.yaml'), '--shard', '1/2', '--exchange', exchange, '--reporter', 'json', '--no-typecheck'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += String(d)));
    const closed = new Promise<number>((done) => p.on('close', (code) => done(code ?? -1)));
    for (let k = 0; k < 600 && !existsSync(join(exchange, 'level-0', 'done-1.json')); k++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(join(exchange, 'level-0', 'done-1.json'))).toBe(true);
    p.kill('SIGINT');
    expect(await closed).toBe(130);
    const j = JSON.parse(out) as { status: string; properties: { verdict: string }[] };
    expect(j.status).toBe('interrupted');
    expect(j.properties.every((x) => x.verdict === 'unknown')).toBe(true);
    expect(JSON.parse(readFileSync(join(exchange, 'level-1', 'done-1.json'), 'utf8'))).toMatchObject({ status: 'stop', reason: 'shard 1/2 was interrupted' });
  }, 60_000);
});
