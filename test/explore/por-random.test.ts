// Partial-order reduction against the full search on random small protocols: random roles, handlers,
// local actions and timers as random tables over a small local state, random sends, invariants over
// the global state (some reading one field, some the network), unordered and FIFO networks. Every
// invariant's verdict and the deadlock verdict must be the same with and without POR.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineProtocol, local, protocol, role, t, type Ctx } from '../../checker/index.ts';
import { inFlight } from '../../checker/protocol/network.ts';
import type { Role } from '../../checker/protocol/define.ts';
import { fullAndReduced } from '../helpers/por-compare.ts';

type L = { readonly x: number; readonly y: number };
type M = { readonly type: 'a' | 'b'; readonly v: number };
interface Send {
  readonly to: number;
  readonly type: 'a' | 'b';
  readonly v: number;
}
/** One outcome of a step: the next local state and what it sends (and, for timers, re-arms). */
interface Outcome {
  readonly x: number;
  /** null keeps y (so that invariants over y see few changes). */
  readonly y: number | null;
  readonly sends: readonly Send[];
  readonly rearm: boolean;
}
/** A step's table entry: disabled (null), or one or two outcomes. */
type Entry = readonly Outcome[] | null;
/** Tables are indexed by x * 2 + y (and, for handlers, by message type and value too). */
interface RandomRole {
  readonly count: number;
  readonly handlers: { readonly a: readonly Entry[]; readonly b: readonly Entry[] };
  readonly actions: readonly (readonly Entry[])[];
  readonly timer?: { readonly table: readonly Entry[]; readonly synchronous: boolean; readonly armed: boolean };
}
interface Atom {
  readonly proc: number;
  readonly field: 'x' | 'y';
  readonly value: number;
}
/** An invariant: not every atom holds at once; or, reading the network, at most `max` in flight. */
type RandomInvariant = { readonly atoms: readonly Atom[] } | { readonly max: number };
interface RandomProtocol {
  readonly roles: readonly RandomRole[];
  readonly invariants: readonly RandomInvariant[];
  readonly fifo: boolean;
}

const X = 3;
const STATES = X * 2;

function protocolArb(): fc.Arbitrary<RandomProtocol> {
  return fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 3 }).chain((counts) => {
    const procs = counts.reduce((a, b) => a + b, 0);
    // Messages go to a few processes only (else every process talks to every other and nothing
    // commutes), and most steps send nothing.
    return fc.uniqueArray(fc.integer({ min: 0, max: procs - 1 }), { minLength: 1, maxLength: 2 }).chain((targets) => withTargets(counts, procs, targets));
  });
}

function withTargets(counts: readonly number[], procs: number, targets: readonly number[]): fc.Arbitrary<RandomProtocol> {
  {
    const send = fc.record({ to: fc.constantFrom(...targets), type: fc.constantFrom<'a' | 'b'>('a', 'b'), v: fc.integer({ min: 0, max: 1 }) });
    const sends = fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.array(send, { minLength: 1, maxLength: 2 }) });
    const outcome = fc.record({ x: fc.integer({ min: 0, max: X - 1 }), y: fc.option(fc.integer({ min: 0, max: 1 }), { freq: 2 }), sends, rearm: fc.boolean() });
    const entry: fc.Arbitrary<Entry> = fc.option(fc.array(outcome, { minLength: 1, maxLength: 2 }), { freq: 5 });
    const table = (n: number) => fc.array(entry, { minLength: n, maxLength: n });
    const roleArb = (count: number): fc.Arbitrary<RandomRole> =>
      fc.record(
        {
          count: fc.constant(count),
          handlers: fc.record({ a: table(STATES * 2), b: table(STATES * 2) }),
          actions: fc.array(table(STATES), { minLength: 1, maxLength: 2 }),
          timer: fc.record({ table: table(STATES), synchronous: fc.integer({ min: 0, max: 3 }).map((n) => n === 0), armed: fc.boolean() }),
        },
        { requiredKeys: ['count', 'handlers', 'actions'] },
      );
    const field = fc.oneof({ weight: 3, arbitrary: fc.constant<'y'>('y') }, { weight: 1, arbitrary: fc.constant<'x'>('x') });
    const atom = fc.record({ proc: fc.integer({ min: 0, max: procs - 1 }), field, value: fc.integer({ min: 0, max: X - 1 }) });
    const invariant: fc.Arbitrary<RandomInvariant> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ atoms: fc.array(atom, { minLength: 1, maxLength: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ max: fc.integer({ min: 0, max: 3 }) }) },
    );
    return fc.record({
      roles: fc.tuple(...counts.map(roleArb)),
      invariants: fc.array(invariant, { minLength: 1, maxLength: 2 }),
      fifo: fc.boolean(),
    });
  }
}

function build(rp: RandomProtocol) {
  const Msg = t.record({ type: t.enum('a', 'b'), v: t.int(0, 1) });
  const Local = t.record({ x: t.int(0, X - 1), y: t.int(0, 1) });
  const names = rp.roles.map((_, i) => `r${i}`);
  const pids = rp.roles.flatMap((r, i) => Array.from({ length: r.count }, (_, k) => `${names[i]}${k + 1}`));
  const roleOfProc = rp.roles.flatMap((r, i) => Array.from({ length: r.count }, () => names[i]));
  /** Runs a table entry: sends, re-arms a timer when asked, and gives the outcome (the same
   *  sends for each option). x never decreases, and a step sends (up to 2) only when it raises x,
   *  except that a handler may answer with one message: so the network stays within its capacity. */
  const run = (e: Entry, s: L, ctx: Ctx<M>, handler: boolean, timer?: string) => {
    if (e === null) return null;
    const o = e.length === 1 ? e[0] : ctx.pick(e);
    const x = Math.max(s.x, o.x);
    const sends = x > s.x ? o.sends : handler ? o.sends.slice(0, 1) : [];
    for (const m of sends) ctx.send(pids[m.to], { type: m.type, v: m.v });
    if (timer !== undefined && o.rearm) ctx.setTimer(timer);
    return { x, y: o.y ?? s.y };
  };
  const roles: Record<string, Role<L, M>> = {};
  rp.roles.forEach((r, i) => {
    const handler = (table: readonly Entry[]) => (s: L, m: M, ctx: Ctx<M>) => run(table[(s.x * 2 + s.y) * 2 + m.v], s, ctx, true);
    roles[names[i]] = role(Msg, Local, {
      count: r.count,
      init: { x: 0, y: 0 },
      on: { a: handler(r.handlers.a), b: handler(r.handlers.b) },
      actions: Object.fromEntries(r.actions.map((table, k) => [`act${k}`, local({}, (s: L, _p, ctx: Ctx<M>) => run(table[s.x * 2 + s.y], s, ctx, false))])),
      ...(r.timer
        ? {
            timers: { tick: { fire: (s: L, ctx: Ctx<M>) => run(r.timer!.table[s.x * 2 + s.y], s, ctx, false, 'tick'), synchronous: r.timer.synchronous } },
            initTimers: r.timer.armed ? ['tick'] : [],
          }
        : {}),
    }) as Role<L, M>;
  });
  const localOf = (g: Record<string, Readonly<Record<string, L>>>, proc: number): L => {
    return g[roleOfProc[proc]][pids[proc]];
  };
  const invariants = Object.fromEntries(
    rp.invariants.map((inv, k) => [
      `inv${k}`,
      'max' in inv ? (g: any) => inFlight(g).length <= inv.max : (g: any) => !inv.atoms.every((a) => localOf(g, a.proc)[a.field] === a.value),
    ]),
  );
  return defineProtocol({
    name: 'random',
    build: () => protocol({ messages: Msg, roles, invariants, capacity: 12 }),
  }).instantiate({}, { network: rp.fifo ? 'fifo' : 'unordered' });
}

describe('partial-order reduction on random protocols', () => {
  it('gives every invariant and deadlock the verdict of the full search', async () => {
    let reducedSome = 0;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(protocolArb(), fc.constantFrom<'bfs' | 'dfs'>('bfs', 'dfs'), async (rp, strategy) => {
        const model = build(rp);
        const { full, reduced, reduction } = await fullAndReduced(model, { strategy, deadlock: true, maxStates: 3_000, checkFirst: 50 });
        if (full.status === 'state-limit') return;
        // A send beyond the capacity: the full search reports it; the reduced one may not reach it
        // (its verdicts then hold on an unbounded network). Anything else must agree.
        if (full.specError === 'capacity') return;
        compared++;
        expect(reduced.specError).toBe(full.specError);
        if (full.specError) return;
        expect(reduction.active).toBe(true);
        expect(reduced.status).toBe(full.status);
        expect(reduced.verdicts).toEqual(full.verdicts);
        expect(reduced.distinct).toBeLessThanOrEqual(full.distinct);
        if (reduced.distinct < full.distinct) reducedSome++;
      }),
      { numRuns: 150 },
    );
    // The property is not vacuous: many runs compared, and some of them reduced.
    console.log(`POR on random protocols: ${compared} compared, ${reducedSome} with fewer states`);
    expect(compared).toBeGreaterThan(100);
    expect(reducedSome).toBeGreaterThan(10);
  }, 240_000);
});
