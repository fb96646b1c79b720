// search.workers / --workers: the same outcome as one worker, a note when the search cannot run on
// several, interruption and the step timeout still work, and bad values are refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkModel } from '../../checker/run/check-model.ts';
import { searchParallel } from '../../checker/explore/parallel/engine.ts';
import { spin } from '../fixtures/reliability/specs.ts';
import { check } from '../helpers/cli.ts';

const dir = mkdtempSync(join(process.cwd(), '.workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('workers', () => {
  it('--workers 2 on a regression folder: everything as expected, states as with one', async () => {
    const r = await check('specs/peterson.yaml', 'specs/2pc.yaml', 'specs/chang-roberts-forward-smaller.yaml', '--workers', '2', '--no-traces');
    expect(r.code).toBe(0);
  }, 60_000);

  it('reports how many workers ran; a small model runs on one', async () => {
    const o = await checkModel('specs/twophase.yaml', { overrides: { workers: 2 }, tracesDir: null });
    expect(o.regressions).toEqual([]);
    expect(o.settings?.workers).toEqual({ requested: 2, threads: 1 });
    const r = await check('specs/twophase.yaml', '--workers', 'auto', '--no-traces');
    expect(r.out).toMatch(/workers: 1 of \d+/);
  }, 60_000);

  it('DFS, temporal properties and symmetry run on one worker, with a note saying why; a state limit runs on several', async () => {
    const dfs = await check('specs/peterson.yaml', '--workers', '2', '--strategy', 'dfs', '--no-traces');
    expect(dfs.out).toMatch(/note: ran on one worker: depth-first search runs on one worker/);
    const live = await checkModel('specs/peterson-unfair.yaml', { overrides: { workers: 3 }, tracesDir: null });
    expect(live.settings?.workers?.note).toMatch(/temporal properties/);
    expect(live.regressions).toEqual([]);
    const sym = await checkModel('specs/twophase-5-symmetry.yaml', { overrides: { workers: 2 }, tracesDir: null });
    expect(sym.settings?.workers?.note).toBe('ran on one worker: symmetry reduction runs on one worker');
    expect(sym.regressions).toEqual([]);
    const limited = await check('specs/twophase.yaml', '--workers', '2', '--max-states', '10', '--no-traces');
    expect(limited.code).toBe(152);
    expect(limited.out).toMatch(/states 10 distinct/);
    expect(limited.out).not.toMatch(/note:/);
  }, 60_000);

  it('search.workers in the model file: a count or auto; anything else is a config error', async () => {
    const file = join(dir, 'w.yaml');
    const spec = fileURLToPath(new URL('../../specs/peterson.ts', import.meta.url));
    writeFileSync(file, `spec: ${spec}\nsearch: { workers: 2 }\nexpect: { mutex: holds, states: 34 }\n`);
    expect((await checkModel(file, { tracesDir: null })).regressions).toEqual([]);
    writeFileSync(file, `spec: ${spec}\nsearch: { workers: 0 }\n`);
    expect((await checkModel(file, { tracesDir: null })).error?.message).toMatch(/workers/);
    const bad = await check('specs/peterson.yaml', '--workers', 'many');
    expect(bad.code).toBe(151);
    expect(bad.err).toMatch(/--workers takes a positive integer/);
  }, 60_000);

  it('an interruption ends the parallel search with what it found', async () => {
    const o = await checkModel('specs/lamport-clocks.yaml', { overrides: { workers: 2 }, tracesDir: null, shouldStop: () => true });
    expect(o.settings?.workers).toEqual({ requested: 2, threads: 1 });
    expect(o.result?.status).toBe('interrupted');
    expect(o.exitCode).toBe(130);
  }, 60_000);

  it('the step timeout stops an action looping for ever in a worker thread, and names it', async () => {
    const module = fileURLToPath(new URL('../fixtures/reliability/specs.ts', import.meta.url));
    const model = spin.instantiate({ where: 'action' });
    const out = await searchParallel(model, { module, export: 'spin', params: { where: 'action' } }, { strategy: 'bfs', deadlock: true, stepTimeoutMs: 1000 }, { workers: 2, spawnAt: 0, waitForThreads: true, blockStates: 1 });
    expect(out.threads).toBe(2);
    expect(out.result?.status).toBe('spec-error');
    expect(out.result?.specError?.error.message).toMatch(/action inc ran for more than 1 s/);
    expect(out.result?.specError?.error.detail.state).toBe('{x: 1}');
    expect(out.result?.violations.map((v) => v.property)).toEqual(['small']);
  }, 60_000);
});
