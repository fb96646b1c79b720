import { describe, expect, it } from 'vitest';
import { defineSpec, system, t } from '../../checker/index.ts';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { ExplorerSession } from '../../checker/sim/explorer.ts';

describe('the explorer session', () => {
  it('lists the enabled steps, takes one, goes back, and reports a violated invariant', async () => {
    const model = (await resolveModel(loadModelFile('specs/peterson-turn-first.yaml'))).model;
    const s = new ExplorerSession(model, 1);
    expect(s.enabled().map((e) => e.label)).toEqual(['request(i=0)', 'request(i=1)']);
    for (const label of ['request(i=0)', 'request(i=1)', 'setTurn(i=0)', 'setTurn(i=1)', 'setFlag(i=1)', 'enter(i=1)', 'setFlag(i=0)', 'enter(i=0)']) {
      expect(s.step(s.enabled().find((e) => e.label === label)!.index)).toBe(true);
    }
    expect(s.violated()).toBe('mutex');
    expect(s.back()).toBe(true);
    expect(s.violated()).toBeUndefined();
    expect(s.path).toHaveLength(8);
    expect(s.step(99)).toBe(false);
  });

  it('random runs are seeded, stop where nothing is enabled, and reset picks an initial state', () => {
    const spec = defineSpec({
      name: 'two-starts',
      build: () => system(t.record({ n: t.int(0, 3) }), { init: [{ n: 0 }, { n: 2 }], actions: { inc: (s) => s.n < 3 && { n: s.n + 1 } } }),
    });
    const model = spec.instantiate({});
    const a = new ExplorerSession(model, 5);
    expect(a.random(10)).toBe(3);
    a.reset(1);
    expect(a.path).toEqual([{ label: null, state: { n: 2 } }]);
    expect(a.random(10)).toBe(1);
    expect(a.back() && a.back()).toBe(false);
  });
});
