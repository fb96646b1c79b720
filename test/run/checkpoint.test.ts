import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { ChunkedQueue, ChunkedStack } from '../../checker/explore/frontier.ts';
import { CompactFpSet } from '../../checker/explore/compact-fp-set.ts';
import { OpenAddressingFpSet } from '../../checker/explore/fp-set.ts';
import { search, searchInterruptible, type SearchOptions, type SearchRun, type Strategy } from '../../checker/explore/search.ts';
import { createSpill } from '../../checker/explore/spill.ts';
import { Checkpointer, checkpointIdentity, identityDifferences, loadCheckpoint, type CheckpointIdentity } from '../../checker/run/checkpoint.ts';
import { searchSummary as summary } from '../helpers/search-summary.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckpt-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function load(file: string) {
  const config = loadModelFile(file);
  const resolved = await resolveModel(config);
  return { config, resolved, model: resolved.model };
}



const cases: [string, Strategy][] = [
  ['specs/3pc-partition.yaml', 'bfs'], // faults: violations wait for the end of their level (pending)
  ['specs/paxos-accept-below-promise.yaml', 'bfs'],
  ['specs/suzuki-kasami-rn-overwrite.yaml', 'dfs'],
  ['specs/bakery-no-choosing.yaml', 'bfs'],
];

describe('a search stopped and resumed from its checkpoint', () => {
  for (const [file, strategy] of cases) {
    it(`${file} (${strategy}): the same counts, verdicts and counterexamples as a run never stopped, wherever it stops`, async () => {
      const { config, resolved, model } = await load(file);
      const options: SearchOptions = { strategy, deadlock: config.check.deadlock, invariants: config.check.invariants, steps: config.check.steps };
      const identity = checkpointIdentity(config, resolved, { strategy, constraints: [] });
      const whole = summary(model, search(model, options));
      const stoppedAt: number[] = [];
      let foundBefore = 0;
      // Where to stop: on what the search has done (never on the clock, so the test cannot flake):
      // early, just after the first violation was found, and late; resumed in memory or spilled.
      type Counters = ReturnType<SearchRun['save']>;
      const early = (c: Counters) => c.store.size >= whole.distinct / 10;
      const found = (c: Counters) => c.counters.violations.length + c.counters.pending.length > 0;
      const late = (c: Counters) => c.store.size >= (whole.distinct * 4) / 5;
      for (const [when, spill] of [[early, false], [found, true], [late, false], [early, true]] as const) {
        if (when === found && whole.violations.length === 0) continue;
        const cp = new Checkpointer({ dir, every: 1e9, resume: false }, identity, model);
        let run: SearchRun | undefined;
        const first = await searchInterruptible(model, options, () => when(run!.save()), 1, { ...cp.hooks, started: (r) => { run = r; cp.hooks.started?.(r); } });
        if (first.status !== 'interrupted') continue;
        stoppedAt.push(cp.saved!.states);
        const resumed = spill ? createSpill(16 * 1024, strategy) : undefined;
        try {
          const store = resumed?.store ?? new CompactFpSet();
          const frontier = resumed?.frontier ?? (strategy === 'dfs' ? new ChunkedStack() : new ChunkedQueue());
          const { counters } = loadCheckpoint(dir, identity, model, store, frontier);
          foundBefore += counters.violations.length + counters.pending.length;
          expect(summary(model, search(model, { ...options, store, frontier, resume: counters }))).toEqual(whole);
        } finally {
          resumed?.close();
        }
      }
      // At least one stop happened in the middle of the search.
      expect(stoppedAt.length).toBeGreaterThan(0);
      // And in at least one, violations found before the stop were carried over.
      if (whole.violations.length) expect(foundBefore).toBeGreaterThan(0);
      expect(readdirSync(dir).sort()).toEqual(['checkpoint.json', expect.stringMatching(/^frontier-\d+\.bin$/), expect.stringMatching(/^store-\d+\.bin$/)]);
    }, 120_000);
  }
});

describe('what a checkpoint belongs to', () => {
  it('names every difference: spec content, params, options', async () => {
    const { config, resolved } = await load('specs/paxos-accept-below-promise.yaml');
    const a = checkpointIdentity(config, resolved, { strategy: 'bfs', constraints: [] });
    expect(identityDifferences(a, a)).toEqual([]);
    const b: CheckpointIdentity = { ...a, specHash: 'f'.repeat(64), params: { ...(a.params as object), acceptors: 5 }, options: { ...a.options, strategy: 'dfs', maxDepth: 9 } };
    const diff = identityDifferences(a, b);
    expect(diff).toHaveLength(4);
    expect(diff[0]).toMatch(/^the spec specs\/paxos.ts changed since the checkpoint \(its content hash was [0-9a-f]{12}, now ffffffffffff\)$/);
    expect(diff[1]).toMatch(/^params was .*"acceptors":3.*, now .*"acceptors":5/);
    expect(diff.slice(2)).toEqual(['strategy was "bfs", now "dfs"', 'maxDepth was null, now 9']);
    // A symmetric run stores orbit representatives: resuming it without symmetry (or the other way
    // round) would mix two kinds of states.
    const sym = checkpointIdentity({ ...config, search: { ...config.search, symmetry: ['acceptor'] } }, resolved, { strategy: 'bfs', constraints: [] });
    expect(identityDifferences(a, sym)).toEqual(['search.symmetry was [], now ["acceptor"]']);
  });

  it('a resume with another identity is MC150 and reads nothing', async () => {
    const { config, resolved, model } = await load('specs/bakery-no-choosing.yaml');
    const identity = checkpointIdentity(config, resolved, { strategy: 'bfs', constraints: [] });
    const cp = new Checkpointer({ dir, every: 1e9, resume: false }, identity, model);
    let run: SearchRun | undefined;
    await searchInterruptible(model, { strategy: 'bfs', deadlock: true }, () => true, 1, { ...cp.hooks, started: (r) => (run = r) });
    cp.save(run!, 'periodic');
    const store = new OpenAddressingFpSet();
    const other = { ...identity, options: { ...identity.options, stopAtFirst: true } };
    expect(() => loadCheckpoint(dir, other, model, store, new ChunkedQueue())).toThrow(/MC150|belongs to a different run: stopAtFirst was false, now true/);
    expect(store.size).toBe(0);
    try {
      loadCheckpoint(dir, other, model, store, new ChunkedQueue());
    } catch (e) {
      expect((e as { code: string }).code).toBe('MC150');
    }
    expect(() => loadCheckpoint(join(dir, 'nothing'), identity, model, new OpenAddressingFpSet(), new ChunkedQueue())).toThrow(/no checkpoint to resume in .*nothing: the folder does not exist/);
  });
});
