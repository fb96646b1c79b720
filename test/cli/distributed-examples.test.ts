// The examples in examples/distributed/ run as the schedulers would run them: run-shard.sh with the
// index variables a SLURM array, a Kubernetes Indexed Job and a CI matrix set, several processes at
// once, then `check --merge`. The manifests are checked for what the shards rely on.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const EX = join(process.cwd(), 'examples', 'distributed');

function sh(args: readonly string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done, fail) => {
    const p = spawn('sh', args, { cwd: process.cwd(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += String(d)));
    p.stderr.on('data', (d) => (err += String(d)));
    p.on('error', fail);
    p.on('close', (code) => done({ code: code ?? -1, out, err }));
  });
}

const merge = (dir: string) => sh(['-c', `npx check --merge ${dir} --reporter json`], {});

describe('examples/distributed', () => {
  it('run-shard.sh as a SLURM array of 3 exhaustive shards: merged, the counts are the single run\'s and the violation is found', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tsmc-slurm-')), 'run-1');
    const shards = await Promise.all([1, 2, 3].map((i) => sh([join(EX, 'run-shard.sh'), 'specs/peterson-turn-first.yaml', 'exhaustive', out, '--no-typecheck'], { SLURM_ARRAY_TASK_ID: String(i), SLURM_ARRAY_TASK_COUNT: '3' })));
    for (const s of shards) expect(s.code, s.err).toBe(0);
    const m = await merge(out);
    expect(m.code, m.err).toBe(12);
    const j = JSON.parse(m.out) as { stats: { distinct: number; generated: number }; properties: { name: string; verdict: string; steps?: number }[]; regressions: string[] };
    expect(j.stats).toMatchObject({ distinct: 50, generated: 97 });
    expect(j.properties.find((p) => p.name === 'mutex')).toMatchObject({ verdict: 'violated', steps: 8 });
    expect(j.regressions).toEqual([]);
  }, 120_000);

  it('run-shard.sh as a Kubernetes Indexed Job (JOB_COMPLETION_INDEX from 0) of 2 swarm shards: merged, the violation found', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tsmc-k8s-')), 'swarm');
    const shards = await Promise.all([0, 1].map((k) => sh([join(EX, 'run-shard.sh'), 'specs/paxos-ignore-accepted.yaml', 'simulate', out, '--no-typecheck'], { JOB_COMPLETION_INDEX: String(k), SHARD_COUNT: '2', SEED: '7', RUNS: '600' })));
    for (const s of shards) expect(s.code, s.err).toBe(0);
    const indexes = [1, 2].map((i) => (JSON.parse(readFileSync(join(out, `report-${i}.json`), 'utf8')) as { shard: { index: number } }).shard.index);
    expect(indexes).toEqual([1, 2]);
    const m = await merge(out);
    expect(m.code, m.err).toBe(12);
    expect((JSON.parse(m.out) as { simulation: { runs: number } }).simulation.runs).toBe(600);
  }, 120_000);

  it('run-shard.sh without a shard index or with a wrong mode says so (exit 151)', async () => {
    const env = { SHARD_INDEX: '', JOB_COMPLETION_INDEX: '', SLURM_ARRAY_TASK_ID: '' };
    const none = await sh([join(EX, 'run-shard.sh'), 'specs/twophase.yaml', 'exhaustive', tmpdir()], env);
    expect(none.code).toBe(151);
    expect(none.err).toContain('no shard index');
    const mode = await sh([join(EX, 'run-shard.sh'), 'specs/twophase.yaml', 'bfs', tmpdir()], { ...env, SHARD_INDEX: '1', SHARD_COUNT: '1' });
    expect(mode.code).toBe(151);
  }, 30_000);

  it('the GitHub Actions workflow: a matrix entry per shard, reports uploaded, a merge job that always runs', () => {
    const wf = parse(readFileSync(join(EX, 'github-actions.yml'), 'utf8')) as {
      env: Record<string, unknown>;
      jobs: { shard: { strategy: { matrix: { shard: number[] } }; steps: { uses?: string; run?: string }[] }; merge: { needs: string; if: string; steps: { uses?: string; run?: string }[] } };
    };
    const count = Number(wf.env.SHARD_COUNT);
    expect(wf.jobs.shard.strategy.matrix.shard).toEqual(Array.from({ length: count }, (_, k) => k + 1));
    expect(wf.jobs.shard.steps.some((s) => s.run?.includes('run-shard.sh'))).toBe(true);
    expect(wf.jobs.shard.steps.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true);
    expect(wf.jobs.merge.needs).toBe('shard');
    expect(wf.jobs.merge.if).toBe('always()');
    expect(wf.jobs.merge.steps.some((s) => s.run?.includes('npx check --merge'))).toBe(true);
  });

  it('the Kubernetes Indexed Job runs every shard at once on a shared volume; SLURM runs an unthrottled array', () => {
    const docs = parseAllDocuments(readFileSync(join(EX, 'kubernetes-indexed-job.yaml'), 'utf8')).map((d) => d.toJS() as Record<string, any>);
    const job = docs.find((d) => d.kind === 'Job')!;
    expect(job.spec.completionMode).toBe('Indexed');
    expect(job.spec.parallelism).toBe(job.spec.completions);
    const c = job.spec.template.spec.containers[0];
    expect(c.command.join(' ')).toContain('run-shard.sh');
    expect(c.env.find((e: { name: string }) => e.name === 'SHARD_COUNT').value).toBe(String(job.spec.completions));
    expect(docs.find((d) => d.kind === 'PersistentVolumeClaim')!.spec.accessModes).toEqual(['ReadWriteMany']);
    const slurm = readFileSync(join(EX, 'slurm-array.sh'), 'utf8');
    expect(slurm).toMatch(/^#SBATCH --array=1-\d+$/m);
    expect(slurm).not.toMatch(/--array=.*%/);
  });
});
