// Symmetry reduction: exact orbit counts (TLC's SYMMETRY and a brute-force reference agree), the
// same verdicts and counterexample lengths as without it, and asymmetric specs caught.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BitWriter } from '../../checker/core/bits.ts';
import { codecFor } from '../../checker/core/codegen.ts';
import { action, defineSpec, system, t, type Model } from '../../checker/index.ts';
import { search } from '../../checker/explore/search.ts';
import { symmetryFor } from '../../checker/explore/symmetry.ts';
import { Canonicalizer } from '../../checker/explore/canonical.ts';
import { checkModel } from '../../checker/run/check-model.ts';
import { replayTrace } from '../../checker/trace/replay.ts';
import { formatOutcome } from '../../checker/report/text.ts';
import { outcomeJSON } from '../../checker/report/json.ts';
import twophase from '../../specs/twophase.ts';
import toy from '../fixtures/symmetry/toy.ts';
import { reachable } from '../helpers/reachable.ts';

const dir = mkdtempSync(join(tmpdir(), 'tsmc-symmetry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function reduced(model: Model, names: readonly string[]) {
  const sym = symmetryFor(model, names, { invariants: model.invariants, steps: model.steps, constraints: [] });
  return search(model, { strategy: 'bfs', deadlock: true, symmetry: sym });
}

/** Every permutation of 0..n-1. */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
}

/** The naive reference: the number of orbits of the reachable states, each state's orbit key being
 *  the least encoding over every permutation of the names, renamed by hand (every string that is
 *  one of `names`, anywhere in the state, and map keys). Independent of the checker's permuter. */
function orbits(model: Model, names: readonly string[]): number {
  const codec = codecFor(model.type);
  const w = new BitWriter(1024);
  const rename = (v: unknown, to: ReadonlyMap<string, string>): unknown => {
    if (typeof v === 'string') return to.get(v) ?? v;
    if (Array.isArray(v)) return v.map((x) => rename(x, to));
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [to.get(k) ?? k, rename(x, to)]));
    return v;
  };
  const maps = permutations(names.length).map((p) => new Map(names.map((x, i) => [x, names[p[i]]])));
  const keys = new Set<string>();
  for (const s of reachable(model)) {
    let best: string | undefined;
    for (const m of maps) {
      const len = codec.encode(rename(s, m), w);
      const k = Buffer.from(w.buf.subarray(0, len)).toString('hex');
      if (best === undefined || k < best) best = k;
    }
    keys.add(best!);
  }
  return keys.size;
}

describe('symmetry reduction on TwoPhase (search.symmetry: [RM])', () => {
  it("gives TLC's SYMMETRY counts: 80 distinct / 318 generated for 3 RMs, 314 / 2,048 for 5 (depth one less, as always)", () => {
    // TLC 2.19 on TwoPhase.tla of tlaplus/Examples with SYMMETRY Permutations(RM): 80 / 318, depth 11; 314 / 2048, depth 17.
    const r3 = reduced(twophase.instantiate({ rms: 3, variant: 'correct' }), ['RM']);
    expect([r3.distinct, r3.generated, r3.depth]).toEqual([80, 318, 10]);
    const r5 = reduced(twophase.instantiate({ rms: 5, variant: 'correct' }), ['RM']);
    expect([r5.distinct, r5.generated, r5.depth]).toEqual([314, 2048, 16]);
    expect(r5.violations).toEqual([]);
  });

  it("reduces 296,448 states to 920 with 7 RMs (TLC's SYMMETRY: 920 / 8,410, depth 23)", () => {
    const r = reduced(twophase.instantiate({ rms: 7, variant: 'correct' }), ['RM']);
    expect([r.status, r.distinct, r.generated, r.depth]).toEqual(['complete', 920, 8410, 22]);
  });

  it('explores exactly one state per orbit (brute force over every permutation, 3 and 4 RMs, both variants)', () => {
    for (const rms of [3, 4]) {
      for (const variant of ['correct', 'rm-commits-alone'] as const) {
        const model = twophase.instantiate({ rms, variant });
        const names = Array.from({ length: rms }, (_, i) => `r${i + 1}`);
        expect(reduced(model, ['RM']).distinct).toBe(orbits(model, names));
      }
    }
  });
});

/** A random symmetric model: processes p1..pN with a local state 0..K-1 and a shared set of
 *  process names; each rule moves a process from one local state to another, maybe adding or
 *  removing itself from the set, maybe guarded by another process's state or the set's size. */
interface Rule {
  readonly from: number;
  readonly to: number;
  readonly guard: 'none' | 'other' | 'inSet' | 'setSmall' | 'notMember';
  readonly other: number;
  readonly effect: 'none' | 'join' | 'leave' | 'pullOther';
}
const ruleArb = (k: number): fc.Arbitrary<Rule> =>
  fc.record({
    from: fc.integer({ min: 0, max: k - 1 }),
    to: fc.integer({ min: 0, max: k - 1 }),
    guard: fc.constantFrom('none', 'other', 'inSet', 'setSmall', 'notMember'),
    other: fc.integer({ min: 0, max: k - 1 }),
    effect: fc.constantFrom('none', 'join', 'leave', 'pullOther'),
  });

function randomModel(n: number, k: number, rules: readonly Rule[]): Model {
  return defineSpec({
    name: 'random-symmetric',
    build: () => {
      const P = t.enum(...Array.from({ length: n }, (_, i) => `p${i + 1}`));
      const State = t.record({ loc: t.map(P, t.int(0, k - 1)), set: t.set(P), last: t.nullable(P) });
      type S = { readonly loc: Readonly<Record<string, number>>; readonly set: readonly string[]; readonly last: string | null };
      const actions: Record<string, unknown> = {};
      rules.forEach((r, ri) => {
        actions[`rule${ri}`] = action({ i: P, j: P }, (s: S, { i, j }) => {
          if (s.loc[i] !== r.from || (r.guard !== 'none' && i === j)) return null;
          if (r.guard === 'other' && s.loc[j] !== r.other) return null;
          if (r.guard === 'inSet' && !s.set.includes(j)) return null;
          if (r.guard === 'setSmall' && (s.set.length >= 2 || i !== j)) return null;
          if (r.guard === 'notMember' && (s.set.includes(i) || i !== j)) return null;
          if (r.guard === 'none' && i !== j) return null;
          let loc = { ...s.loc, [i]: r.to };
          let set = s.set;
          if (r.effect === 'join') set = [...set, i];
          if (r.effect === 'leave') set = set.filter((x) => x !== i);
          if (r.effect === 'pullOther' && i !== j) loc = { ...loc, [j]: r.from };
          return { loc, set, last: r.effect === 'none' ? s.last : i };
        });
      });
      return system(State as unknown as import('../../checker/index.ts').Type<S>, {
        symmetry: { P },
        init: { loc: Object.fromEntries(P.values.map((p) => [p, 0])), set: [], last: null },
        actions: actions as never,
        invariants: { notAllTop: (s: S) => P.values.some((p) => s.loc[p] !== k - 1) },
      });
    },
  }).instantiate({});
}

describe('symmetry reduction on random symmetric models (fast-check)', () => {
  it('explores one state per orbit, with the same verdicts and counterexample depths as the full search', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 4 }).chain((m) => fc.array(ruleArb(3), { minLength: m, maxLength: m })), (n, k, raw) => {
        const rules = raw.map((r) => ({ ...r, from: r.from % k, to: r.to % k, other: r.other % k }));
        const model = randomModel(n, k, rules);
        const full = search(model, { strategy: 'bfs', deadlock: true });
        const red = reduced(model, ['P']);
        expect(red.status).toBe('complete');
        expect(red.distinct).toBe(orbits(model, Array.from({ length: n }, (_, i) => `p${i + 1}`)));
        const summary = (r: typeof full) => r.violations.map((v) => `${v.kind}:${v.property}@${v.depth}`).sort();
        expect(summary(red)).toEqual(summary(full));
        expect(red.depth).toBe(full.depth);
      }),
      { numRuns: 40, seed: 16 },
    );
  });

  it('gives every state of an orbit the same representative, and different orbits different ones', () => {
    const model = toy.instantiate({ n: 4, variant: 'ok' });
    const sym = symmetryFor(model, ['P'], { invariants: [], steps: [], constraints: [] });
    const w = new BitWriter(256);
    const key = (s: unknown) => Buffer.from(w.buf.subarray(0, sym.encode(s, w))).toString('hex');
    const states = reachable(model);
    const names = ['p1', 'p2', 'p3', 'p4'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: states.length - 1 }), fc.constantFrom(...permutations(4)), (i, p) => {
        const m = new Map(names.map((x, k) => [x, names[p[k]]]));
        const ren = (v: unknown): unknown =>
          typeof v === 'string' ? (m.get(v) ?? v) : Array.isArray(v) ? v.map(ren) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([a, b]) => [m.get(a) ?? a, ren(b)])) : v;
        expect(key(ren(states[i]))).toBe(key(states[i]));
      }),
      { numRuns: 200, seed: 3 },
    );
    expect(new Set(states.map(key)).size).toBe(orbits(model, names));
  });
});

describe('canonical forms where signatures cannot tell the values apart', () => {
  // A function from processes to processes, up to renaming the processes: every value has the same
  // signature (it maps to one process), so the canonical form tries the orders among them. The
  // number of such functions up to isomorphism is known (OEIS A001372: 3, 7, 19, 47 for n = 2..5).
  it.each([[2, 3], [3, 7], [4, 19], [5, 47]])('finds %i processes have %i functional graphs up to renaming', (n, count) => {
    const P = t.enum(...Array.from({ length: n }, (_, i) => `p${i + 1}`));
    const type = t.record({ next: t.map(P, P) });
    const canon = new Canonicalizer({ type } as unknown as Model, [{ name: 'P', values: P.values }]);
    const w = new BitWriter(64);
    const keys = new Set<string>();
    for (let code = 0; code < n ** n; code++) {
      const next: Record<string, string> = {};
      for (let i = 0, c = code; i < n; i++, c = Math.floor(c / n)) next[P.values[i]] = P.values[c % n];
      keys.add(Buffer.from(w.buf.subarray(0, canon.encode({ next }, w))).toString('hex'));
    }
    expect(keys.size).toBe(count);
  });
});

describe('an int range declared symmetric', () => {
  it('permutes the values of that very type (map keys, fields), one state per orbit', () => {
    const Proc = t.int(0, 3);
    const Count = t.int(0, 3);
    const State = t.record({ loc: t.map(Proc, t.enum('idle', 'want', 'cs')), owner: t.nullable(Proc), served: Count });
    type S = { readonly loc: Readonly<Record<number, 'idle' | 'want' | 'cs'>>; readonly owner: number | null; readonly served: number };
    const model = defineSpec({
      name: 'int-symmetric',
      build: () =>
        system(State as unknown as import('../../checker/index.ts').Type<S>, {
          symmetry: { Proc },
          init: { loc: { 0: 'idle', 1: 'idle', 2: 'idle', 3: 'idle' }, owner: null, served: 0 },
          actions: {
            request: action({ i: Proc }, (s: S, { i }) => s.loc[i] === 'idle' && { ...s, loc: { ...s.loc, [i]: 'want' as const } }),
            enter: action({ i: Proc }, (s: S, { i }) => s.loc[i] === 'want' && s.owner === null && { ...s, loc: { ...s.loc, [i]: 'cs' as const }, owner: i }),
            exit: action({ i: Proc }, (s: S, { i }) =>
              s.loc[i] === 'cs' && { loc: { ...s.loc, [i]: 'idle' as const }, owner: null, served: Math.min(3, s.served + 1) }),
          },
        }),
    }).instantiate({});
    // The reference renames by hand: keys of loc and the owner; `served` (another int type) stays.
    const codec = codecFor(model.type);
    const w = new BitWriter(64);
    const keys = new Set<string>();
    for (const st of reachable(model) as S[]) {
      let best: string | undefined;
      for (const p of permutations(4)) {
        const image = { loc: Object.fromEntries(Object.entries(st.loc).map(([k, v]) => [p[+k], v])), owner: st.owner === null ? null : p[st.owner], served: st.served };
        const k = Buffer.from(w.buf.subarray(0, codec.encode(image, w))).toString('hex');
        if (best === undefined || k < best) best = k;
      }
      keys.add(best!);
    }
    const r = reduced(model, ['Proc']);
    expect(r.specError).toBeUndefined();
    expect(r.distinct).toBe(keys.size);
    expect(r.distinct).toBeLessThan(search(model, { strategy: 'bfs', deadlock: true }).distinct);
  });
});

describe('a symmetry the spec does not respect', () => {
  it('is caught at the action that breaks it, naming it and the state', () => {
    const r = reduced(toy.instantiate({ n: 3, variant: 'asym-action' }), ['P']);
    expect(r.status).toBe('spec-error');
    expect(r.specError!.error.code).toBe('asymmetric');
    expect(r.specError!.error.message).toMatch(/request\(i=p[12]\)/);
    expect(r.specError!.error.detail.state).toContain('loc');
  });

  it('is caught when an action throws on the permuted state only (the search might never expand that state)', () => {
    const model = toy.instantiate({ n: 3, variant: 'asym-throw' });
    const sym = symmetryFor(model, ['P'], { invariants: model.invariants, steps: [], constraints: [] });
    const s = { loc: { p1: 'idle', p2: 'want', p3: 'idle' }, owner: null, waiting: ['p2'] };
    let error: unknown;
    try {
      sym.verify!(s);
    } catch (e) {
      error = e;
    }
    expect((error as { code?: string }).code).toBe('asymmetric');
    expect((error as Error).message).toBe('the declared symmetry does not hold: on the permuted state, action audit threw Error: p1 wants (swapping p1 and p2)');
  });

  it('is caught at an invariant that tells the processes apart', () => {
    const r = reduced(toy.instantiate({ n: 3, variant: 'asym-invariant' }), ['P']);
    expect(r.specError?.error.code).toBe('asymmetric');
    expect(r.specError!.error.message).toContain('invariant p1Never');
  });
});

describe('search.symmetry in a model file', () => {
  const model = (name: string, body: string): string => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, body.replace('SPEC', resolve('test/fixtures/symmetry/toy.ts')).replace('PAXOS', resolve('specs/paxos.ts')).replace('TWOPHASE', resolve('specs/twophase.ts')));
    return file;
  };

  it('MC140: a name that is no symmetric domain, with the ones there are', async () => {
    const o = await checkModel(model('mc140', 'spec: SPEC\nsearch:\n  symmetry: [Q]\n'), { tracesDir: null });
    expect(o.exitCode).toBe(151);
    expect(o.error!.message).toContain("error MC140: unknown symmetric domain 'Q' in search.symmetry (symmetric domains of this model: P)");
    expect(o.error!.message).toMatch(/mc140\.yaml:3:14:/);
  });

  it('MC141: refused with temporal properties', async () => {
    const o = await checkModel(model('mc141', 'spec: SPEC\nparams: { variant: liveness }\nsearch:\n  symmetry: [P]\n'), { tracesDir: null });
    expect(o.exitCode).toBe(151);
    expect(o.error!.message).toContain('error MC141: search.symmetry cannot be used with temporal properties (someoneEnters)');
  });

  it('MC142: a type that holds only some of the symmetric values', async () => {
    const o = await checkModel(model('mc142', 'spec: SPEC\nparams: { variant: partial-enum }\nsearch:\n  symmetry: [P]\n'), { tracesDir: null });
    expect(o.exitCode).toBe(151);
    expect(o.error!.message).toContain('error MC142: search.symmetry: state.pair is one of p1, p2: it holds p2 but not p3, so the values of P are not interchangeable there');
  });

  it("Paxos proposers are not interchangeable (ballots follow the proposer's index): a spec error", async () => {
    const o = await checkModel(model('paxos-proposers', 'spec: PAXOS\nparams: { maxBallot: 1 }\ncheck: { properties: [] }\nsearch:\n  symmetry: [proposer]\n'), { tracesDir: null });
    expect(o.exitCode).toBe(150);
    expect(o.error!.message).toContain('spec error (asymmetric): the declared symmetry does not hold');
    expect(o.error!.message).toMatch(/prepare/);
  });

  it('says in the report that the count is up to symmetry', async () => {
    const o = await checkModel(model('report', 'spec: TWOPHASE\nparams: { rms: 5 }\nsearch:\n  symmetry: [RM]\n'), { tracesDir: null });
    const text = formatOutcome(o);
    expect(text).toContain('twophase (rms=5, variant=correct), BFS, symmetry: RM');
    expect(text).toContain('proven: TypeOK, Consistent and deadlock freedom hold in all reachable states of twophase with rms=5, variant=correct (exhaustive BFS; 314 explored up to symmetry of RM).');
    expect(outcomeJSON(o)).toMatchObject({ strategy: 'bfs', symmetry: ['RM'], stats: { distinct: 314, generated: 2048 } });
  });

  it('writes a concrete counterexample that replays, as short as without symmetry', async () => {
    const traces = join(dir, 'traces');
    const o = await checkModel(model('alone', 'spec: TWOPHASE\nparams: { rms: 4, variant: rm-commits-alone }\nsearch:\n  symmetry: [RM]\n'), { tracesDir: traces });
    const v = o.verdicts.find((x) => x.name === 'Consistent')!;
    expect(v.verdict).toBe('violated');
    expect(v.trace!.path.length).toBe(4);
    const r = await replayTrace(v.trace!.file!);
    expect(r.problem).toBeUndefined();
    expect(r.summary).toBe('replayed 3 steps: Consistent is violated at step 3, as recorded');
  });

  it('rebuilds invariant and step-property counterexamples through permuted states, as long as without symmetry', async () => {
    const traces = join(dir, 'traces');
    const o = await checkModel(model('toy-bug', 'spec: SPEC\nparams: { n: 4, variant: bug }\nsearch:\n  symmetry: [P]\n'), { tracesDir: traces });
    const full = await checkModel(model('toy-bug-full', 'spec: SPEC\nparams: { n: 4, variant: bug }\n'), { tracesDir: null });
    expect(o.result!.distinct).toBeLessThan(full.result!.distinct);
    for (const name of ['mutex', 'entersFree']) {
      const v = o.verdicts.find((x) => x.name === name)!;
      expect(v.verdict, name).toBe('violated');
      expect(v.trace!.path.length).toBe(full.verdicts.find((x) => x.name === name)!.trace!.path.length);
      const r = await replayTrace(v.trace!.file!);
      expect(r.problem, name).toBeUndefined();
      expect(r.exitCode).toBe(0);
    }
  });
});
