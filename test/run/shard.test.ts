// Shards (check --shard i/n) and their merge (check --merge), run in one process: the shards of an
// exhaustive run wait for each other at every level through the exchange folder, so they run
// concurrently here as promises. Every merged count must equal the single process's exactly.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel, type ModelOutcome } from '../../checker/run/check-model.ts';
import { outcomeJSON } from '../../checker/report/json.ts';
import { mergeReports, type ShardReport } from '../../checker/run/merge.ts';
import { parseShard, swarmShare } from '../../checker/run/shard.ts';
import { replayTrace } from '../../checker/trace/replay.ts';
import { ConfigError } from '../../checker/core/errors.ts';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { ownerOf } from '../../checker/explore/shard/shard-store.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'tsmc-shard-'));

async function exhaustiveShards(file: string, count: number, traces: string): Promise<ModelOutcome[]> {
  const exchange = join(fresh(), 'x');
  return Promise.all(Array.from({ length: count }, (_, k) => checkModel(file, { tracesDir: traces, overrides: { shard: { index: k + 1, count }, exchange } })));
}

const reports = (outcomes: readonly ModelOutcome[]): ShardReport[] => outcomes.map((o, k) => ({ file: `shard-${k + 1}.json`, json: outcomeJSON(o) }));
const safety = (o: ModelOutcome) => o.verdicts.filter((v) => v.kind !== 'temporal').map((v) => [v.name, v.verdict]);

describe('exhaustive shards: hash-partitioned BFS with files as the only exchange', () => {
  const models = ['specs/twophase.yaml', 'specs/twophase-5.yaml', 'specs/peterson-turn-first.yaml', 'specs/2pc.yaml', 'specs/2pc-timeout-abort.yaml', 'specs/rpc-no-cache.yaml', 'specs/twophase-5-symmetry.yaml', 'specs/twophase-commit-alone-symmetry.yaml'];
  for (const file of models) {
    it(`${file}: the shards' counts sum to the single process's, for 1, 2, 3 and 5 shards, and the verdicts agree`, async () => {
      const traces = fresh();
      const single = await checkModel(file, { tracesDir: traces });
      expect(single.error).toBeUndefined();
      for (const count of [1, 2, 3, 5]) {
        const shards = await exhaustiveShards(file, count, traces);
        for (const s of shards) expect(s.error, s.error?.message).toBeUndefined();
        const m = mergeReports(reports(shards));
        expect(m.complete).toBe(true);
        expect(m.stats).toMatchObject({ distinct: single.result!.distinct, generated: single.result!.generated, depth: single.result!.depth, depthBounded: false, constrained: false });
        expect(m.properties.filter((p) => p.kind !== 'temporal').map((p) => [p.name, p.verdict])).toEqual(safety(single));
        if (count > 1) expect(shards.every((s) => s.result!.distinct < single.result!.distinct)).toBe(true);
        for (const p of m.properties.filter((x) => x.verdict === 'violated')) {
          // Shortest, as the single BFS's, and with as few faults; the trace replays.
          const one = single.verdicts.find((v) => v.name === p.name)!;
          expect(p.steps).toBe(one.trace!.path.length - 1);
          expect(p.faults).toBe(one.trace!.path.filter((s) => s.label?.fault !== undefined).length);
          const r = await replayTrace(join(process.cwd(), p.trace!));
          expect(r.summary).toMatch(/as recorded$/);
        }
      }
    }, 120_000);
  }

  it('a depth bound is kept per level: the same bounded counts, and the merged verdicts are bounded too', async () => {
    const traces = fresh();
    const bounded = { maxDepth: 4 };
    const single = await checkModel('specs/twophase-5.yaml', { tracesDir: traces, overrides: bounded });
    const exchange = join(fresh(), 'x');
    const shards = await Promise.all([1, 2, 3].map((index) => checkModel('specs/twophase-5.yaml', { tracesDir: traces, overrides: { ...bounded, shard: { index, count: 3 }, exchange } })));
    const m = mergeReports(reports(shards));
    expect(m.stats).toMatchObject({ distinct: single.result!.distinct, generated: single.result!.generated, depth: 4, depthBounded: true });
  }, 60_000);

  it('temporal properties are unknown (no shard sees the whole graph), never holds', async () => {
    const shards = await exhaustiveShards('specs/peterson.yaml', 2, fresh());
    const m = mergeReports(reports(shards));
    const temporal = m.properties.filter((p) => p.kind === 'temporal');
    expect(temporal.length).toBeGreaterThan(0);
    expect(temporal.every((p) => p.verdict === 'unknown' && /whole state graph/.test(p.note ?? ''))).toBe(true);
    expect(m.properties.find((p) => p.name === 'mutex')?.verdict).toBe('holds');
  }, 60_000);

  it('a missing shard makes every verdict unknown and names the shard (MC403); a violation found still stands', async () => {
    const shards = await exhaustiveShards('specs/peterson-turn-first.yaml', 3, fresh());
    const all = reports(shards);
    const without = mergeReports([all[0], all[2]]);
    expect(without.missing).toEqual([2]);
    expect(without.errors[0]).toMatch(/MC403: shard 2\/3 missing/);
    expect(without.properties.find((p) => p.name === 'deadlock')).toMatchObject({ verdict: 'unknown', note: 'shard 2/3 missing' });
    expect(without.stats!.distinct).toBeLessThan(50);
    const violating = all.filter((r) => (r.json.properties as { verdict: string }[]).some((p) => p.verdict === 'violated'));
    expect(mergeReports(violating).properties.find((p) => p.name === 'mutex')?.verdict).toBe('violated');
  }, 60_000);

  it('refuses a reused exchange folder (MC407), a shard without --exchange (MC406) and --strategy dfs (MC406)', async () => {
    const exchange = join(fresh(), 'x');
    await exhaustiveShards('specs/twophase.yaml', 1, fresh()).then(async () => {
      const again = await checkModel('specs/twophase.yaml', { tracesDir: null, overrides: { shard: { index: 1, count: 1 }, exchange: join(exchange, '..', 'y') } });
      expect(again.error).toBeUndefined();
      const reused = await checkModel('specs/twophase.yaml', { tracesDir: null, overrides: { shard: { index: 1, count: 1 }, exchange: join(exchange, '..', 'y') } });
      expect(reused.error?.message).toMatch(/MC407/);
    });
    const none = await checkModel('specs/twophase.yaml', { tracesDir: null, overrides: { shard: { index: 1, count: 2 } } });
    expect(none.error?.message).toMatch(/MC406.*--exchange/);
    const dfs = await checkModel('specs/twophase.yaml', { tracesDir: null, overrides: { shard: { index: 1, count: 2 }, exchange, strategy: 'dfs' } });
    expect(dfs.error?.message).toMatch(/MC406.*dfs/);
  }, 60_000);

  it('a shard whose peers never come gives up after --shard-wait: its verdicts are unknown, and it says which shard it waited for', async () => {
    const exchange = join(fresh(), 'x');
    const o = await checkModel('specs/twophase.yaml', { tracesDir: null, overrides: { shard: { index: 1, count: 2 }, exchange, shardWait: 1 } });
    expect(o.result?.status).toBe('interrupted');
    expect(o.verdicts.find((v) => v.name === 'Consistent')).toMatchObject({ verdict: 'unknown', note: expect.stringMatching(/shard 2\/2 did not finish level 0 within 1 s/) });
    const m = mergeReports(reports([o]));
    expect(m.properties.find((p) => p.name === 'Consistent')?.verdict).toBe('unknown');
  }, 30_000);

  it('the merged run is compared with expect: (counts and verdicts), as a single run is', async () => {
    const shards = await exhaustiveShards('specs/twophase.yaml', 2, fresh());
    const all = reports(shards);
    expect(mergeReports(all)).toMatchObject({ regressions: [], exitCode: 0 });
    const wrong = all.map((r) => ({ ...r, json: { ...r.json, expect: { Consistent: 'violated', states: 289 } } }));
    const m = mergeReports(wrong);
    expect(m.regressions).toEqual(['Consistent: expected violated, got holds', 'states: expected 289, got 288']);
    expect(m.exitCode).toBe(10);
  }, 30_000);

  it('a spec error in one shard stops the others at that level; the merge reports it (exit 150)', async () => {
    const shards = await exhaustiveShards('test/fixtures/reliability/throwing-invariant.yaml', 2, fresh());
    const failedShard = shards.find((o) => o.error);
    expect(failedShard?.exitCode).toBe(150);
    expect(failedShard?.error?.message).toMatch(/invariant boom threw/);
    const other = shards.find((o) => !o.error)!;
    expect(other.result?.status).toBe('interrupted');
    expect(other.verdicts.find((v) => v.name === 'boom')?.note).toMatch(/stopped because shard \d\/2 ended: spec-error/);
    const m = mergeReports(reports(shards));
    expect(m.exitCode).toBe(150);
    expect(m.complete).toBe(false);
    expect(m.errors.join('\n')).toMatch(/invariant boom threw/);
  }, 30_000);

  it('an exchange folder that cannot be used is a coded error (MC408), not a crash', async () => {
    const file = join(fresh(), 'a-file');
    writeFileSync(file, 'x');
    const o = await checkModel('specs/twophase.yaml', { tracesDir: null, overrides: { shard: { index: 1, count: 2 }, exchange: join(file, 'x') } });
    expect(o.exitCode).toBe(151);
    expect(o.error?.message).toMatch(/MC408: the exchange folder .* cannot be used: ENOTDIR/);
  });

  it('owners spread fingerprints over the shards', () => {
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 4000; k++) counts[ownerOf(Math.imul(k, 0x9e3779b1) >>> 0, 4)]++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });
});

describe('simulation shards: a swarm of seeded, diversified random searches', () => {
  it('parses i/n (1-based) and refuses anything else', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1', '-1/2', '1/2/3']) expect(parseShard(bad)).toBeUndefined();
  });

  it('shard 1 is the plain run; the others get their own seed, a depth bound within [depth/4, depth] and positive action weights; the runs are split', async () => {
    const model = (await resolveModel(loadModelFile('specs/paxos.yaml'))).model;
    const shares = [1, 2, 3, 4].map((index) => swarmShare(model, { index, count: 4 }, 7, 1001, 100));
    expect(shares[0]).toEqual({ seed: 7, runs: 251, depth: 100 });
    expect(shares.map((s) => s.runs).reduce((a, b) => a + b)).toBe(1001);
    expect(new Set(shares.map((s) => s.seed)).size).toBe(4);
    for (const s of shares.slice(1)) {
      expect(s.depth).toBeGreaterThanOrEqual(25);
      expect(s.depth).toBeLessThanOrEqual(100);
      expect(s.weights).toHaveLength(model.actions.length);
      expect(s.weights!.every((w) => w >= 0.125 && w <= 8)).toBe(true);
    }
    // Derived from the base seed: another base seed, other shard seeds.
    expect(swarmShare(model, { index: 2, count: 4 }, 8, 1001, 100).seed).not.toBe(shares[1].seed);
  });

  it('--shard 1/1 repeats the unsharded simulation exactly', async () => {
    const plain = await checkModel('specs/paxos-ignore-accepted.yaml', { tracesDir: null, overrides: { simulate: { runs: 200, seed: 3 } } });
    const one = await checkModel('specs/paxos-ignore-accepted.yaml', { tracesDir: null, overrides: { simulate: { runs: 200, seed: 3 }, shard: { index: 1, count: 1 } } });
    expect(one.simulation!.steps).toBe(plain.simulation!.steps);
    expect(one.simulation!.distinct).toBe(plain.simulation!.distinct);
    expect(one.verdicts.map((v) => [v.name, v.verdict])).toEqual(plain.verdicts.map((v) => [v.name, v.verdict]));
  });

  it('merged: a violation found by any shard wins with the shortest trace; otherwise unknown, never holds', async () => {
    const traces = fresh();
    const run = (file: string, index: number) => checkModel(file, { tracesDir: traces, overrides: { simulate: { runs: 300, seed: 11 }, shard: { index, count: 3 } } });
    const buggy = await Promise.all([1, 2, 3].map((i) => run('specs/paxos-ignore-accepted.yaml', i)));
    const m = mergeReports(reports(buggy));
    expect(m.simulation!.runs).toBe(300);
    const agreement = m.properties.find((p) => p.name === 'agreement')!;
    expect(agreement.verdict).toBe('violated');
    const lengths = buggy.map((o) => o.verdicts.find((v) => v.name === 'agreement')!).filter((v) => v.verdict === 'violated').map((v) => v.trace!.path.length - 1);
    expect(agreement.steps).toBe(Math.min(...lengths));
    expect(m.exitCode).toBe(12);
    const correct = await Promise.all([1, 2, 3].map((i) => run('specs/paxos.yaml', i)));
    const ok = mergeReports(reports(correct));
    expect(ok.properties.every((p) => p.verdict === 'unknown')).toBe(true);
    // paxos.yaml expects holds, which a simulation never gives: a difference, as with --simulate alone.
    expect(ok.regressions[0]).toMatch(/expected holds, got unknown \(a simulation never proves a property\)/);
    expect(ok.exitCode).toBe(10);
  }, 60_000);

  it('a swarm shard needs a base seed shared by every shard (MC401)', async () => {
    const o = await checkModel('specs/paxos.yaml', { tracesDir: null, overrides: { simulate: { runs: 10 }, shard: { index: 1, count: 2 } } });
    expect(o.error?.message).toMatch(/MC401/);
  });
});

describe('merge refuses reports that do not belong together', () => {
  it('another model, another shard count, the same shard twice, not a shard report', async () => {
    const sim = (file: string, index: number, count: number, seed = 5) => checkModel(file, { tracesDir: null, overrides: { simulate: { runs: 20, seed }, shard: { index, count } } });
    const a = reports([await sim('specs/paxos.yaml', 1, 2), await sim('specs/paxos.yaml', 2, 2)]);
    const other = reports([await sim('specs/twophase.yaml', 2, 2)]);
    const seed = reports([await sim('specs/paxos.yaml', 2, 2, 6)]);
    const three = reports([await sim('specs/paxos.yaml', 2, 3)]);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof ConfigError ? `${e.code}: ${e.message}` : String(e);
      }
      return 'no error';
    };
    expect(code(() => mergeReports([a[0], other[0]]))).toMatch(/^MC404: .*model twophase vs paxos/);
    expect(code(() => mergeReports([a[0], seed[0]]))).toMatch(/^MC404: .*settings/);
    expect(code(() => mergeReports([a[0], three[0]]))).toMatch(/^MC404: .*3 shards vs 2/);
    expect(code(() => mergeReports([a[0], a[0]]))).toMatch(/^MC405: shard 1\/2 is given twice/);
    expect(code(() => mergeReports([{ file: 'x.json', json: { model: 'x' } }]))).toMatch(/^MC402/);
    expect(mergeReports(a).missing).toEqual([]);
  }, 60_000);
});
