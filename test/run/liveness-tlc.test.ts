// Models of the public tlaplus/Examples repository written in this checker's API, with the verdicts
// and state counts TLC gives on the original TLA+ specs (configurations in
// test/fixtures/liveness/tla/, run with the TLC of ../shared/tools/tlc on 2026-11-23): each model as
// published, and a variant with weaker fairness where a property fails.
import { describe, expect, it } from 'vitest';
import { checkModel } from '../../checker/run/check-model.ts';

const run = (name: string) => checkModel(`test/fixtures/liveness/${name}.yaml`, { tracesDir: null });
const verdicts = async (name: string) => {
  const o = await run(name);
  expect(o.error).toBeUndefined();
  const byName: Record<string, string> = {};
  for (const v of o.verdicts) {
    const key = v.family ?? v.name;
    // A family's verdict: violated when one member is.
    byName[key] = byName[key] === 'violated' ? 'violated' : v.verdict;
  }
  return { o, byName };
};

describe('the same verdicts as TLC', () => {
  it("Merz's SimpleAllocator (3 clients, 2 resources): SF per client, WF of returning all; all hold, 400 states", async () => {
    const { o, byName } = await verdicts('allocator');
    // TLC: 400 distinct states, 1,633 generated, no error.
    expect([o.result!.distinct, o.result!.generated]).toEqual([400, 1633]);
    expect(byName).toEqual({ ResourceMutex: 'holds', ClientsWillReturn: 'holds', ClientsWillObtain: 'holds', InfOftenSatisfied: 'holds' });
  });

  it('SimpleAllocator2 (returning owed only once satisfied): ClientsWillObtain and InfOftenSatisfied fail', async () => {
    const { o, byName } = await verdicts('allocator2');
    // TLC: ClientsWillReturn no error; "Temporal property ClientsWillObtain was violated";
    // "Temporal property InfOftenSatisfied was violated"; 400 distinct states.
    expect(o.result!.distinct).toBe(400);
    expect(byName).toEqual({ ResourceMutex: 'holds', ClientsWillReturn: 'holds', ClientsWillObtain: 'violated', InfOftenSatisfied: 'violated' });
  });

  it('Coffee Can, 100 beans, WF of Next: it terminates, with the colour the hypothesis says; 5,150 states', async () => {
    const { o, byName } = await verdicts('coffee-can');
    // TLC: 5,150 distinct states (20,002 generated: TLC also counts the 2 Termination stuttering
    // steps this model does not have as actions), no error.
    expect([o.result!.distinct, o.result!.generated]).toEqual([5150, 20000]);
    expect(byName).toMatchObject({ eventuallyTerminates: 'holds', terminationHypothesis: 'holds', monotonicDecrease: 'holds', loopInvariant: 'holds' });
  });

  it('Coffee Can without fairness: both liveness properties fail by stuttering at the start', async () => {
    const { o, byName } = await verdicts('coffee-can-unfair');
    // TLC: "Temporal properties EventuallyTerminates and TerminationHypothesis were violated",
    // the lasso is the initial state then "Stuttering".
    expect(byName).toMatchObject({ eventuallyTerminates: 'violated', terminationHypothesis: 'violated' });
    const v = o.verdicts.find((x) => x.name === 'eventuallyTerminates')!;
    expect([v.trace!.path.length, v.trace!.loopStart]).toEqual([1, 0]);
  });

  it('dining philosophers (NP = 5, hygienic forks), fair processes: nobody starves; 67 states, 336 generated', async () => {
    const { o, byName } = await verdicts('dining');
    // TLC: 336 states generated, 67 distinct states found, no error.
    expect([o.result!.distinct, o.result!.generated]).toEqual([67, 336]);
    expect(byName).toMatchObject({ exclusiveAccess: 'holds', nobodyStarves: 'holds' });
  });

  it('dining philosophers without fair processes: NobodyStarves fails', async () => {
    const { o, byName } = await verdicts('dining-unfair');
    // TLC: "Temporal property NobodyStarves was violated" (its lasso ends in stuttering).
    expect(o.result!.distinct).toBe(67);
    expect(byName).toMatchObject({ exclusiveAccess: 'holds', nobodyStarves: 'violated' });
  });

  it("Lamport's live hour clock: with WF every hour comes round again and again (12 states, 24 generated); without, it fails", async () => {
    const fair = await verdicts('hour-clock');
    // TLC: 24 states generated, 12 distinct, no error; without WF: "AllTimes was violated", stuttering.
    expect([fair.o.result!.distinct, fair.o.result!.generated]).toEqual([12, 24]);
    expect(fair.byName).toMatchObject({ allTimes: 'holds' });
    const unfair = await verdicts('hour-clock-unfair');
    expect(unfair.byName).toMatchObject({ allTimes: 'violated' });
  });

  it('the prisoners and the switch room (4 prisoners): the counter eventually announces; 214 states, 860 generated', async () => {
    const { o, byName } = await verdicts('prisoners');
    // TLC: 860 states generated, 214 distinct states found, no error.
    expect([o.result!.distinct, o.result!.generated]).toEqual([214, 860]);
    expect(byName).toMatchObject({ countInvariant: 'holds', safety: 'holds', liveness: 'holds' });
  });

  it('the prisoners without a fair counter: Liveness fails, on a loop of the other prisoners flipping switch B', async () => {
    const { o, byName } = await verdicts('prisoners-unfair-counter');
    // TLC: "Temporal property Liveness was violated", a loop of NonCounterStep steps ("Back to state 12").
    expect(byName).toMatchObject({ liveness: 'violated' });
    const v = o.verdicts.find((x) => x.name === 'liveness')!;
    const loop = v.trace!.path.slice(v.trace!.loopStart! + 1);
    expect(loop.length).toBeGreaterThan(0);
    expect(loop.every((s) => s.label!.action === 'nonCounterStep')).toBe(true);
  });
});
