// Partial-order reduction: each proviso on a small protocol where dropping it would lose a verdict,
// and what the check command says when POR cannot apply.
import { describe, expect, it } from 'vitest';
import { defineProtocol, local, protocol, role, t } from '../../checker/index.ts';
import { checkModel } from '../../checker/run/check-model.ts';
import { fullAndReduced } from '../helpers/por-compare.ts';

const Msg = t.record({ type: t.enum('go'), v: t.int(0, 1) });
const Local = t.record({ x: t.int(0, 3), y: t.int(0, 1) });
type L = { readonly x: number; readonly y: number };

/** Two processes that each raise y and lower it again, in two local steps; an invariant says they
 *  are never both up. Only the interleaving p1 up, p2 up shows the violation. */
const toggles = defineProtocol({
  name: 'toggles',
  build: () =>
    protocol({
      messages: Msg,
      roles: {
        p: role(Msg, Local, {
          count: 2,
          init: { x: 0, y: 0 },
          on: { go: (s: L) => s },
          actions: { step: local({}, (s: L) => (s.x >= 2 ? null : { x: s.x + 1, y: s.x === 0 ? 1 : 0 })) },
        }),
      },
      invariants: { notBothUp: (g) => !(g.p.p1.y === 1 && g.p.p2.y === 1) },
    }),
}).instantiate({});

/** Steps that touch no field the invariant reads are reduced: 3 independent counters. */
const counters = defineProtocol({
  name: 'counters',
  build: () =>
    protocol({
      messages: Msg,
      roles: {
        c: role(Msg, Local, {
          count: 3,
          init: { x: 0, y: 0 },
          on: { go: (s: L) => s },
          actions: { inc: local({}, (s: L) => (s.x < 3 ? { ...s, x: s.x + 1 } : null)) },
        }),
      },
      invariants: { quiet: (g) => g.c.c1.y === 0 },
    }),
}).instantiate({});

/** p1 first does a local step, while p2 may send it a message that makes it fail: the message
 *  can arrive before p1 moves, so p1's step alone is not persistent. */
const late = defineProtocol({
  name: 'late',
  build: () =>
    protocol({
      messages: Msg,
      roles: {
        a: role(Msg, Local, {
          count: 1,
          init: { x: 0, y: 0 },
          on: { go: (s: L) => (s.x === 0 ? { ...s, y: 1 } : s) },
          actions: { work: local({}, (s: L) => (s.x === 0 ? { ...s, x: 1 } : null)) },
        }),
        b: role(Msg, Local, {
          count: 1,
          init: { x: 0, y: 0 },
          on: { go: (s: L) => s },
          actions: {
            poke: local({}, (s: L, _p, ctx) => {
              if (s.x !== 0) return null;
              ctx.send('a1', { type: 'go', v: 0 });
              return { ...s, x: 1 };
            }),
          },
        }),
      },
      invariants: { neverEarly: (g) => g.a.a1.y === 0 },
    }),
}).instantiate({});

describe('partial-order reduction', () => {
  it('keeps a violation that needs two visible steps interleaved (visibility)', async () => {
    const { full, reduced } = await fullAndReduced(toggles, { strategy: 'bfs', deadlock: false });
    expect(full.verdicts.notBothUp).toBe('violated');
    expect(reduced.verdicts.notBothUp).toBe('violated');
  });

  it('follows one process at a time where steps are invisible and commute', async () => {
    const { full, reduced, reduction } = await fullAndReduced(counters, { strategy: 'bfs', deadlock: true });
    expect(full.distinct).toBe(64);
    expect(reduced.distinct).toBe(10);
    expect(reduction).toMatchObject({ active: true, restarts: 0 });
    expect(reduced.verdicts).toEqual(full.verdicts);
  });

  it('keeps a violation that needs a message to overtake a local step (persistence)', async () => {
    for (const strategy of ['bfs', 'dfs'] as const) {
      const { full, reduced } = await fullAndReduced(late, { strategy, deadlock: false });
      expect(full.verdicts.neverEarly).toBe('violated');
      expect(reduced.verdicts.neverEarly).toBe('violated');
    }
  });

  it('check --por: reduced counts, the same verdict, the counts pinned without it not comparable', async () => {
    const o = await checkModel('specs/heartbeat.yaml', { overrides: { reduction: 'por' }, tracesDir: null });
    expect(o.result?.distinct).toBe(349);
    expect(o.verdicts.map((v) => [v.name, v.verdict])).toEqual([['accuracy', 'violated']]);
    expect(o.reduction).toMatchObject({ kind: 'por', active: true });
    expect(o.regressions).toEqual([]);
    expect(o.notComparable?.join('\n')).toMatch(/states: expected 1,728, got 349: not comparable, partial-order reduction is on/);
  });

  it('check --por on a model with temporal properties: refused (MC145)', async () => {
    const o = await checkModel('specs/chang-roberts.yaml', { overrides: { reduction: 'por' }, tracesDir: null });
    expect(o.error?.kind).toBe('config');
    expect(o.error?.message).toMatch(/error MC145: partial-order reduction \(--por\) does not preserve temporal properties, and chang-roberts checks elected/);
  });

  it('check --por where it cannot apply: the full search, and why', async () => {
    const o = await checkModel('specs/heartbeat-crash.yaml', { overrides: { reduction: 'por' }, tracesDir: null });
    expect(o.reduction).toMatchObject({ active: false, reason: 'the model declares faults, whose steps depend on every other step' });
    expect(o.result?.distinct).toBe(6912);
    expect(o.regressions).toEqual([]);
  });
});
