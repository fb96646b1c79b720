// An infinite loop in an action or a property: stopped after the step timeout and reported as a
// spec error naming the action and the state; what was found before is still reported.
import { describe, expect, it } from 'vitest';
import { check } from '../helpers/cli.ts';

const F = 'test/fixtures/reliability';

describe('step timeout', () => {
  it('an action that never returns (--step-timeout 1): exit 150 naming the action and the state', async () => {
    const t0 = Date.now();
    const r = await check(`${F}/spin.yaml`, '--no-traces', '--step-timeout', '1');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).toBe(150);
    expect(r.err + r.out).toMatch(/FAIL {2}small/);
    expect(r.err + r.out).toMatch(/spec error \(timeout\): action inc ran for more than 1 s: an infinite loop\?\n\s+in state: \{x: 1\}/);
  }, 30_000);

  it('an invariant that never returns (search.stepTimeout: 1 in the model file)', async () => {
    const r = await check(`${F}/spin-invariant.yaml`, '--no-traces');
    expect(r.code).toBe(150);
    expect(r.err + r.out).toMatch(/spec error \(timeout\): checking the invariants \(or terminal\) of a state ran for more than 1 s[\s\S]*in state: \{x: 2\}/);
  }, 30_000);

  it('a build function (or init) that never returns: exit 150 naming the spec, not a hang', async () => {
    const r = await check(`${F}/spin-build.yaml`, '--no-traces');
    expect(r.code).toBe(150);
    expect(r.err + r.out).toMatch(/spec error \(timeout\): spec test\/fixtures\/reliability\/specs.ts ran for more than 1 s building its model \(where=build\): an infinite loop in its build function or init\?/);
  }, 30_000);

  it('under --simulate too: the action in an infinite loop is named, with the walk that reached it', async () => {
    const r = await check(`${F}/spin.yaml`, '--no-traces', '--simulate', '--seed', '1', '--step-timeout', '1');
    expect(r.code).toBe(150);
    expect(r.err + r.out).toMatch(/spec error \(timeout\): action inc ran for more than 1 s: an infinite loop\?/);
  }, 30_000);

  it('afterwards the clock is the real one again and the next check runs', async () => {
    await check(`${F}/spin.yaml`, '--no-traces', '--step-timeout', '1');
    expect(typeof Date.now()).toBe('number');
    expect(Math.random()).toBeLessThan(1);
    const r = await check(`${F}/pinned.yaml`, '--no-traces');
    expect(r.code).toBe(0);
  }, 30_000);

  it('--step-timeout takes a positive whole number of seconds', async () => {
    const r = await check(`${F}/spin.yaml`, '--step-timeout', '0');
    expect(r.code).toBe(151);
    expect(r.err).toMatch(/--step-timeout takes a positive integer/);
  });
});
