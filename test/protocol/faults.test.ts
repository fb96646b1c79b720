import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultModel, Model } from '../../checker/core/spec.ts';
import { defineProtocol, protocol, role, t } from '../../checker/index.ts';
import { outcomeJSON } from '../../checker/report/json.ts';
import { search } from '../../checker/explore/search.ts';
import { checkModel } from '../../checker/run/check-model.ts';
import { formatOutcome } from '../../checker/report/text.ts';
import { rebuildPath } from '../../checker/trace/rebuild.ts';
import { replayTrace } from '../../checker/trace/replay.ts';
import type { TraceFile } from '../../checker/trace/format.ts';
import { reachable } from '../helpers/reachable.ts';
import oneshot from '../fixtures/faults/oneshot.ts';
import race from '../fixtures/faults/race.ts';
import ticker from '../fixtures/faults/ticker.ts';
import voters from '../fixtures/faults/voters.ts';
import waiter from '../fixtures/faults/waiter.ts';
import echo from '../fixtures/faults/echo.ts';

const distinct = (model: Model): number => search(model, { strategy: 'bfs', deadlock: false }).distinct;
const oneshotWith = (faults: FaultModel, params: Record<string, unknown> = {}, network: 'unordered' | 'fifo' = 'unordered') =>
  oneshot.instantiate({ durable: false, forbid: 'none', ...params }, { network, faults });

describe('faults, counted by hand on a one-message protocol', () => {
  // Without faults: (unsent), (sent, in flight), (received): 3 states.
  it.each([
    ['no faults', 3, {}, {}],
    // + (sent, lost)
    ['drop', 4, { drop: { max: 1 } }, {}],
    // + (two copies in flight), (one received, one in flight), (both received)
    ['duplicate', 6, { duplicate: { max: 1 } }, {}],
    // + each of the 3 states with the receiver crashed; the message to it stays in flight
    ['crash of the receiver', 6, { crash: { max: 1, roles: ['receiver'] } }, {}],
    // + the same 3 with the sender crashed instead
    ['crash of either', 9, { crash: { max: 1 } }, {}],
    // + after restart: unsent, in flight, received, and received-then-forgotten (got is not durable)
    ['crash and restart', 10, { crash: { max: 1, roles: ['receiver'] }, restart: { max: 1 } }, {}],
    // with got durable, received-then-restarted is the same state as received after the restart
    ['crash and restart, durable', 9, { crash: { max: 1, roles: ['receiver'] }, restart: { max: 1 } }, { durable: true }],
    // + the 3 states partitioned, and the 3 states healed (the budget is spent)
    ['partition', 9, { partition: { max: 1 } }, {}],
    ['every budget 0', 3, { crash: { max: 0 }, restart: { max: 0 }, drop: { max: 0 }, duplicate: { max: 0 }, partition: { max: 0 } }, {}],
  ] as const)('%s: %i states', (_name, states, faults, params) => {
    expect(distinct(oneshotWith(faults, params))).toBe(states);
    expect(distinct(oneshotWith(faults, params, 'fifo'))).toBe(states);
  });

  it('a crashed receiver never handles the message; it does after a restart', () => {
    const states = reachable(oneshotWith({ crash: { max: 1, roles: ['receiver'] }, restart: { max: 1 } })) as any[];
    const downWithMail = states.filter((g) => g.down.includes('receiver1') && g.network.length === 1);
    expect(downWithMail).toHaveLength(1);
    expect(downWithMail[0].receiver.receiver1.got).toBe(0);
    expect(states.some((g) => g.faults.restart === 1 && g.receiver.receiver1.got === 1 && g.network.length === 0)).toBe(true);
  });

  it('a partition blocks delivery across it until heal', () => {
    const states = reachable(oneshotWith({ partition: { max: 1 } })) as any[];
    const cut = states.filter((g) => g.partition.length > 0);
    expect(cut.map((g) => g.partition)).toEqual([['sender1'], ['sender1'], ['sender1']]);
    const model = oneshotWith({ partition: { max: 1 } });
    const blocked = cut.find((g) => g.network.length === 1)!;
    const steps: string[] = [];
    for (const a of model.actions) a.expand(blocked, (label) => steps.push(model.showLabel(label)));
    expect(steps).toEqual(['heal']);
  });
});

describe('fault steps as labelled steps', () => {
  it('name what happened', () => {
    const model = echo.instantiate({}, { faults: { crash: { max: 1 }, restart: { max: 1 }, drop: { max: 1 }, duplicate: { max: 1 }, partition: { max: 1 } } });
    const labels = new Set<string>();
    for (const s of reachable(model)) for (const a of model.actions) a.expand(s, (l) => labels.add(model.showLabel(l)));
    for (const l of ['crash server1', 'restart client1', 'drop client1 -> server1: Ping', 'duplicate server2 -> client1: Pong', 'partition {client1, server2} | {server1}', 'heal', 'client1: ping(to=server2)']) {
      expect(labels).toContain(l);
    }
  });

  it.each(['crash', 'restart', 'drop', 'duplicate', 'partition', 'heal'])('a %s step survives export and replay', async (kind) => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-faults-'));
    const yaml = join(dir, `forbid-${kind}.yaml`);
    writeFileSync(yaml, [
      `spec: ${resolve('test/fixtures/faults/oneshot.ts')}`,
      `params: { forbid: ${kind} }`,
      'faults: { crash: { max: 1 }, restart: { max: 1 }, drop: { max: 1 }, duplicate: { max: 1 }, partition: { max: 1 } }',
      'check: { deadlock: false }',
    ].join('\n'));
    const o = await checkModel(yaml, { tracesDir: join(dir, 'traces') });
    const v = o.verdicts.find((x) => x.name === 'forbidden')!;
    expect(v.verdict).toBe('violated');
    const trace = JSON.parse(readFileSync(v.trace!.file!, 'utf8')) as TraceFile;
    expect(trace.model.faults?.drop?.max).toBe(1);
    expect(trace.steps[trace.steps.length - 1].fault).toBe(kind);
    const r = await replayTrace(v.trace!.file!);
    expect(r.problem).toBeUndefined();
    expect(r.exitCode).toBe(0);
  });
});

describe('timers and choices', () => {
  // (0 ticks, armed) -> (1, armed) -> (2, disarmed), and each of the three stopped: 6 states.
  it('a timer fires at any later step until cancelled: 6 states', () => {
    const model = ticker.instantiate({});
    expect(distinct(model)).toBe(6);
    const labels = new Set<string>();
    for (const s of reachable(model)) for (const a of model.actions) a.expand(s, (l) => labels.add(model.showLabel(l)));
    expect([...labels].sort()).toEqual(['clock1: stop', 'timeout clock1.tick']);
  });

  // (idle), (waiting, Req in flight), (waiting, Rep in flight), (done); asynchronously the timer may
  // also fire in the two waiting states: (gave up, Req), (gave up, Rep), (gave up, nothing): 7.
  it('a synchronous timer fires only when nothing else can happen', () => {
    const sync = waiter.instantiate({ synchronous: true });
    const async = waiter.instantiate({ synchronous: false });
    expect(distinct(sync)).toBe(4);
    expect(distinct(async)).toBe(7);
    expect(search(sync, { strategy: 'bfs', deadlock: false }).violations).toEqual([]);
    // With a lost message the client is stuck waiting, and then gives up: (waiting, nothing) and
    // (gave up, nothing) more; the shortest counterexample is ask, drop, timeout.
    const lossy = waiter.instantiate({ synchronous: true }, { faults: { drop: { max: 1 } } });
    expect(distinct(lossy)).toBe(6);
    const r = search(lossy, { strategy: 'bfs', deadlock: false });
    expect(rebuildPath(lossy, r.store, r.violations[0].ordinal).map((p) => (p.label ? lossy.showLabel(p.label) : 'init'))).toEqual(['init', 'client1: ask', 'drop client1 -> server1: Req', 'timeout client1.patience']);
  });

  it('a timer of a crashed process never fires', () => {
    const model = ticker.instantiate({}, { faults: { crash: { max: 1 } } });
    for (const g of reachable(model) as any[]) {
      if (g.down.length) expect(g.timers.clock1).toEqual([]);
    }
    // + each of the 6 states crashed, where (0, armed) and (1, armed) lose their timer: 6 more
    expect(distinct(model)).toBe(12);
  });

  // Per voter: not voted, yes in flight, yes counted (as yes or late), no in flight, no delivered.
  // 16 pairs with no counted yes, 8 with one (2 ways), 1 with two (3 ways): 16 + 16 + 3 = 35.
  it('ctx.pick and oneOf give one successor per choice: 35 states', () => {
    expect(distinct(voters.instantiate({}))).toBe(35);
  });

  it('a handler that returns a list of states gets a spec error that points to oneOf', () => {
    const Msg = t.variant({ M: {} });
    const model = defineProtocol({
      name: 'list',
      build: () =>
        protocol({
          messages: Msg,
          roles: { p: role(Msg, t.record({ x: t.int(0, 1) }), { count: 1, init: { x: 0 }, actions: { go: (s) => (s.x === 0 ? ([{ x: 1 }, { x: 0 }] as never) : null) } }) },
        }),
    }).instantiate({});
    const r = search(model, { strategy: 'bfs', deadlock: false });
    expect(r.specError?.error.message).toBe('p1: go returns a list of local states: a handler returns one next state');
    expect(r.specError?.error.detail.hint).toMatch(/return oneOf\(a, b\)/);
  });
});

describe('counterexamples', () => {
  it('among the shortest, the one with the fewest faults is shown', () => {
    const model = race.instantiate({}, { faults: { drop: { max: 1 } } });
    for (const stopAtFirst of [false, true]) {
      const r = search(model, { strategy: 'bfs', deadlock: false, stopAtFirst });
      const path = rebuildPath(model, r.store, r.violations[0].ordinal);
      expect(path.map((p) => (p.label ? model.showLabel(p.label) : 'init'))).toEqual(['init', 'sender2: send', 'sender2 -> receiver1: M']);
      expect(r.violations[0].faults).toBe(0);
    }
    // Without the preference, BFS would have shown the lost message: the test above can fail.
    const plain = { ...model, faultsUsed: undefined };
    const r = search(plain, { strategy: 'bfs', deadlock: false });
    expect(rebuildPath(plain, r.store, r.violations[0].ordinal).map((p) => p.label?.fault)).toContain('drop');
  });

  it('a state where only faults can happen is a deadlock, and replays as one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-faults-'));
    const yaml = join(dir, 'stuck.yaml');
    writeFileSync(yaml, `spec: ${resolve('test/fixtures/faults/oneshot.ts')}\nfaults: { crash: { max: 1, roles: [receiver] }, restart: { max: 1 } }\n`);
    const o = await checkModel(yaml, { tracesDir: join(dir, 'traces') });
    const v = o.verdicts.find((x) => x.name === 'deadlock')!;
    // The received state has no step but crashing: a deadlock after 2 steps, without faults.
    expect(v.trace!.path.map((p) => p.label?.action ?? 'init')).toEqual(['init', 'send', 'deliver']);
    expect((await replayTrace(v.trace!.file!)).exitCode).toBe(0);
  });
});

describe('the fault model is a superset of the fault-free one', () => {
  const project = (g: any): string => JSON.stringify({ client: g.client, server: g.server, network: g.network });
  const build = (f: FaultModel) => echo.instantiate({}, { faults: f });
  const budget = fc.integer({ min: 0, max: 1 });
  const faultModel = fc.record({
    crash: fc.record({ max: budget, roles: fc.constantFrom(undefined, ['server'], ['client']) }),
    restart: fc.record({ max: budget }),
    drop: fc.record({ max: budget, messages: fc.constantFrom(undefined, ['Ping'], ['Pong']) }),
    duplicate: fc.record({ max: budget }),
    partition: fc.record({ max: budget }),
  }).map((f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined))])) as FaultModel)
    .filter((f) => !(f.restart!.max > 0 && f.crash!.max === 0)); // restart needs crash (a config error otherwise)
  const raise = (f: FaultModel, k: keyof FaultModel): FaultModel => ({ ...f, [k]: { ...f[k], max: f[k]!.max + 1 } });

  it('with every budget at 0 it reaches exactly the fault-free states; raising a budget removes none; the search counts what a naive BFS finds', () => {
    const free = new Set(reachable(echo.instantiate({})).map(project));
    fc.assert(
      fc.property(faultModel, fc.constantFrom<keyof FaultModel>('crash', 'drop', 'duplicate', 'partition'), (f, k) => {
        const model = build(f);
        const states = reachable(model);
        expect(search(model, { strategy: 'bfs', deadlock: false }).distinct).toBe(states.length);
        const mine = new Set(states.map(project));
        for (const s of free) expect(mine.has(s)).toBe(true);
        const allZero = Object.values(f).every((d) => d!.max === 0);
        if (allZero) expect(states.length).toBe(free.size);
        const more = new Set(reachable(build(raise(f, k))).map(project));
        for (const s of mine) expect(more.has(s)).toBe(true);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});

describe('the model file', () => {
  const write = (text: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-faults-'));
    const file = join(dir, 'm.yaml');
    writeFileSync(file, text);
    return file;
  };
  const oneshotSpec = `spec: ${resolve('test/fixtures/faults/oneshot.ts')}`;

  it.each([
    ['an unknown role', `${oneshotSpec}\nfaults:\n  crash: { max: 1, roles: [acceptor] }\n`, /m\.yaml:3:28: error MC112: faults\.crash\.roles names role 'acceptor', which the protocol does not have \(roles: sender, receiver\)/],
    ['an unknown message', `${oneshotSpec}\nfaults:\n  drop: { max: 1, messages: [Accept] }\n`, /m\.yaml:3:30: error MC112: faults\.drop\.messages names 'Accept', which is not a message of the protocol \(messages: M\)/],
    ['restart without crash', `${oneshotSpec}\nfaults:\n  restart: { max: 1 }\n`, /m\.yaml:3:12: error MC112: faults\.restart needs faults\.crash/],
    ['a misspelt fault', `${oneshotSpec}\nfaults:\n  crahs: { max: 1 }\n`, /error MC102: unknown key 'crahs' in faults .*\n  hint: did you mean 'crash'\?/],
    ['faults on a plain spec', `spec: ${resolve('specs/peterson.ts')}\nfaults: { drop: { max: 1 } }\n`, /m\.yaml:2:1: error MC111: faults: apply only to protocols/],
  ])('rejects %s with a coded, located error', async (_name, text, message) => {
    const o = await checkModel(write(text), { tracesDir: null });
    expect(o.exitCode).toBe(151);
    expect(o.error?.message).toMatch(message);
  });

  it('says the fault model in the header and the proof, and the coverage of each fault', async () => {
    const o = await checkModel(write(`${oneshotSpec}\nfaults: { crash: { max: 1, roles: [receiver] }, drop: { max: 2 } }\ncheck: { deadlock: false }\n`), { tracesDir: null });
    const text = formatOutcome(o);
    expect(text).toContain('oneshot (durable=false, forbid=none), unordered network; faults: crash<=1 (receiver), drop<=2, BFS');
    expect(text).toContain('faults explored: crash 4 steps (at most 1 on a path), drop 2 steps (at most 1 on a path)');
    const json = outcomeJSON(o) as any;
    expect(json.faults).toEqual({ crash: { max: 1, roles: ['receiver'] }, drop: { max: 2 } });
    // send from (unsent) with and without the receiver crashed; one delivery (to a live receiver)
    expect(json.coverage.actions).toEqual({ 'sender.send': 2, deliver: 1, crash: 4, drop: 2 });
    expect(json.coverage.faultPeaks).toEqual({ crash: 1, drop: 1 });
    expect(text).toMatch(/proven: forbidden holds in all 8 reachable states of oneshot with durable=false, forbid=none under at most 1 crash \(receiver\) and 2 lost messages/);
  });

  it('warns when a declared fault can never happen, and lists actions never enabled', async () => {
    const o = await checkModel(write(`spec: ${resolve('test/fixtures/faults/ticker.ts')}\nfaults: { drop: { max: 1 } }\n`), { tracesDir: null });
    const text = formatOutcome(o);
    expect(text).toContain('warning: declared but never possible: drop');
    expect(text).toContain('never enabled: deliver');
  });
});
