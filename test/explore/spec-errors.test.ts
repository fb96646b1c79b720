import { describe, expect, it } from 'vitest';
import { action, defineSpec, system, t } from '../../checker/index.ts';
import { search } from '../../checker/explore/search.ts';

const State = t.record({ n: t.int(0, 3), xs: t.seq(t.int(0, 3), 3) });
type S = { readonly n: number; readonly xs: readonly number[] };

function run(act: (s: S, p: { readonly p: number }) => unknown, invariant?: (s: S) => boolean) {
  const spec = defineSpec({
    name: 'buggy',
    build: () =>
      system(State, {
        init: { n: 0, xs: [] },
        actions: { step: action({ p: t.int(0, 1) }, act as never), tick: (s) => s.n < 3 && { ...s, n: s.n + 1 } },
        invariants: invariant ? { inv: invariant } : {},
      }),
  });
  const r = search(spec.instantiate({}), { strategy: 'bfs', deadlock: false });
  expect(r.status).toBe('spec-error');
  return r.specError!;
}

describe('spec mistakes are reported as spec errors naming the action, its parameters and the state', () => {
  it('an action that throws', () => {
    const e = run((s, { p }) => {
      if (s.n === 2 && p === 1) throw new Error('boom');
      return null;
    });
    expect(e.error.code).toBe('throw');
    expect(e.error.message).toBe('action step(p=1) threw Error: boom');
    expect(e.error.detail.state).toBe('{n: 2, xs: []}');
  });

  it('an action that mutates its input', () => {
    const e = run((s) => {
      (s.xs as number[]).push(1);
      return s;
    });
    expect(e.error.code).toBe('impure');
    expect(e.error.message).toMatch(/^action step\(p=0\) mutates its input state \(xs: \[\] -> \[1\]\)$/);
    expect(e.error.detail.state).toBe('{n: 0, xs: []}');
  });

  it('an action that mutates its input and then says it is disabled', () => {
    const e = run((s, { p }) => {
      if (p === 1) (s as { n: number }).n = 3;
      return null;
    });
    expect(e.error.code).toBe('impure');
    expect(e.error.message).toBe('action step(p=1) mutates its input state (n: 0 -> 3)');
  });

  it('an action that mutates its input through a part its successor shares with it', () => {
    const e = run((s, { p }) => {
      if (p === 0) return null;
      const next = { ...s, n: 1 };
      (next.xs as number[]).push(2);
      return [next];
    });
    expect(e.error.code).toBe('impure');
    expect(e.error.message).toBe('action step(p=1) mutates its input state (xs: [] -> [2])');
  });

  it('an action that adds an undeclared field to its input, or puts a value outside its type', () => {
    const extra = run((s) => {
      (s as Record<string, unknown>).extra = 1;
      return null;
    });
    expect(extra.error.code).toBe('impure');
    expect(extra.error.message).toMatch(/^action step\(p=0\) mutates its input state \(.*extra/);
    const outside = run((s) => {
      (s as { n: number }).n = 99;
      return null;
    });
    expect(outside.error.code).toBe('impure');
    expect(outside.error.message).toBe('action step(p=0) mutates its input state (n: 0 -> 99)');
  });

  it('a nondeterministic action', () => {
    let calls = 0;
    const e = run((s) => ({ ...s, n: calls++ % 3 }));
    expect(e.error.code).toBe('nondeterministic');
    expect(e.error.message).toBe('action step(p=0) gives different successors when run twice on the same state');
  });

  it('a successor outside the declared type, naming the field', () => {
    const e = run((s) => s.n === 3 && { ...s, n: 4 });
    expect(e.error.code).toBe('type');
    expect(e.error.message).toBe('action step(p=0) gives a successor outside the declared state type: state.n is 4, not an integer in 0..3');
  });

  it('a successor with an undeclared field', () => {
    const e = run((s) => ({ ...s, extra: true }));
    expect(e.error.code).toBe('type');
    expect(e.error.message).toMatch(/state.extra is not a declared field/);
  });

  it('an invariant that throws', () => {
    const e = run(() => null, (s) => (s.xs as number[])[5].toFixed() === '');
    expect(e.error.code).toBe('throw');
    expect(e.error.message).toMatch(/^invariant inv threw TypeError/);
  });
});

describe('rebuilding a counterexample', () => {
  it('reports an action that behaves differently on re-execution as a spec error', async () => {
    const { rebuildPath } = await import('../../checker/trace/rebuild.ts');
    let flipped = false;
    const spec = defineSpec({
      name: 'flaky',
      build: () =>
        system(t.record({ n: t.int(0, 5) }), {
          init: { n: 0 },
          actions: { next: (s) => s.n < 5 && { n: flipped ? 5 : s.n + 1 } },
          invariants: { notThree: (s) => s.n !== 3 },
        }),
    });
    const model = spec.instantiate({});
    const r = search(model, { strategy: 'bfs', deadlock: false, checkFirst: 0 });
    flipped = true;
    expect(() => rebuildPath(model, r.store, r.violations[0].ordinal)).toThrow(/step 1 of a counterexample could not be found again/);
  });
});

describe('initial states', () => {
  it('an initial state outside the declared type is a spec error with no path', () => {
    const spec = defineSpec({ name: 'badinit', build: () => system(t.record({ n: t.int(0, 3) }), { init: [{ n: 0 }, { n: 9 }], actions: {} }) });
    const r = search(spec.instantiate({}), { strategy: 'bfs', deadlock: false });
    expect(r.status).toBe('spec-error');
    expect(r.specError!.ordinal).toBe(-1);
    expect(r.specError!.error.message).toBe('an initial state is outside the declared state type: state.n is 9, not an integer in 0..3');
  });
});

describe('a build function that forgets system()', () => {
  it('says what build must return', () => {
    const spec = defineSpec({ name: 'nosys', build: () => ({ init: { n: 0 }, actions: {} }) as never });
    expect(() => spec.instantiate({})).toThrow('build() of spec nosys must return system(State, { init, actions, ... }), not object');
  });
});
