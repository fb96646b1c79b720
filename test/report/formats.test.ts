import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { search } from '../../checker/explore/search.ts';
import { DOT_STATE_LIMIT, stateGraph, toDot } from '../../checker/trace/dot.ts';
import { itfValue, toItf, type ItfValue } from '../../checker/trace/itf.ts';
import { replayTrace } from '../../checker/trace/replay.ts';
import { t } from '../../checker/index.ts';

function run(bin: string, args: string[]) {
  const r = spawnSync(process.execPath, [join('bin', `${bin}.js`), ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The ITF value grammar: booleans, strings, lists, records, and the #-forms; never a bare number. */
function validValue(v: ItfValue, where: string): void {
  if (typeof v === 'boolean' || typeof v === 'string') return;
  if (typeof v === 'number') throw new Error(`${where}: a bare number (ITF writes integers as {"#bigint": ...})`);
  if (Array.isArray(v)) return v.forEach((x, i) => validValue(x, `${where}[${i}]`));
  const keys = Object.keys(v);
  const special = keys.filter((k) => k.startsWith('#'));
  if (special.length) {
    expect(keys, where).toHaveLength(1);
    const [k] = keys;
    const x = (v as Record<string, ItfValue>)[k];
    if (k === '#bigint') return void expect(x, where).toMatch(/^-?\d+$/);
    if (k === '#set' || k === '#tup') return (x as ItfValue[]).forEach((e, i) => validValue(e, `${where}.${k}[${i}]`));
    if (k === '#map') {
      return (x as ItfValue[]).forEach((pair, i) => {
        expect(Array.isArray(pair) && pair.length === 2, `${where}.#map[${i}] is a [key, value] pair`).toBe(true);
        (pair as ItfValue[]).forEach((e) => validValue(e, `${where}.#map[${i}]`));
      });
    }
    throw new Error(`${where}: unknown ITF form ${k}`);
  }
  for (const k of keys) validValue((v as Record<string, ItfValue>)[k], `${where}.${k}`);
}

describe('the Informal Trace Format', () => {
  it('encodes each declared type in its ITF form', () => {
    expect(itfValue(t.int(0, 9), 3)).toEqual({ '#bigint': '3' });
    expect(itfValue(t.set(t.enum('a', 'b')), ['b', 'a', 'b'])).toEqual({ '#set': ['b', 'a'] });
    expect(itfValue(t.map(t.int(1, 2), t.bool()), { 1: true, 2: false })).toEqual({ '#map': [[{ '#bigint': '1' }, true], [{ '#bigint': '2' }, false]] });
    expect(itfValue(t.tuple(t.bool(), t.enum('x')), [true, 'x'])).toEqual({ '#tup': [true, 'x'] });
    expect(itfValue(t.seq(t.int(0, 3), 3), [1, 2])).toEqual([{ '#bigint': '1' }, { '#bigint': '2' }]);
    expect(itfValue(t.record({ a: t.bool() }), { a: true })).toEqual({ a: true });
    expect(itfValue(t.variant({ Ping: { n: t.int(0, 3) }, Ack: {} }), { type: 'Ping', n: 2 })).toEqual({ tag: 'Ping', value: { n: { '#bigint': '2' } } });
    expect(itfValue(t.variant({ Ping: { n: t.int(0, 3) }, Ack: {} }), { type: 'Ack' })).toEqual({ tag: 'Ack', value: { '#tup': [] } });
    expect(itfValue(t.nullable(t.int(0, 3)), null)).toEqual({ tag: 'None', value: { '#tup': [] } });
    expect(itfValue(t.bag(t.enum('m'), 3), ['m', 'm'])).toEqual({ '#map': [['m', { '#bigint': '2' }]] });
  });

  it('check --itf writes a trace with #meta, vars, and states holding every var, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-itf-'));
    const file = join(dir, 'c.itf.json');
    const r = run('check', ['specs/paxos-ignore-accepted.yaml', '--simulate', '--seed', '7', '--runs', '5000', '--no-traces', '--itf', file]);
    expect(r.code).toBe(12);
    expect(r.out).toContain(`itf: ${file}`);
    const itf = JSON.parse(readFileSync(file, 'utf8')) as { '#meta': Record<string, string>; vars: string[]; states: Record<string, ItfValue>[]; loop?: number };
    expect(itf['#meta'].format).toBe('ITF');
    expect(itf.vars).toEqual(['proposer', 'acceptor', 'network']);
    expect(itf.states).toHaveLength(15);
    itf.states.forEach((s, i) => {
      expect(Object.keys(s).sort()).toEqual(['#meta', ...itf.vars].sort());
      expect((s['#meta'] as Record<string, unknown>).index).toBe(i);
      for (const v of itf.vars) validValue(s[v], `states[${i}].${v}`);
    });
    expect(itf.loop).toBeUndefined();
  }, 30_000);

  it('replay --itf converts a saved trace; a loop index is kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-itf-'));
    const file = join(dir, 't.itf.json');
    const r = run('replay', ['traces/twophase-commit-alone/Consistent-1129.json', '--itf', file, '-q']);
    expect(r.code).toBe(0);
    const itf = JSON.parse(readFileSync(file, 'utf8'));
    expect(itf.vars).toEqual(['rmState', 'tmState', 'tmPrepared', 'msgs']);
    expect(itf.states[0].tmPrepared).toEqual({ '#set': [] });
    const o = await replayTrace('traces/twophase-commit-alone/Consistent-1129.json');
    expect(toItf(o.model!, o.path, { source: 's', description: 'd', loop: 1 }).loop).toBe(1);
  });
});

describe('the state graph for Graphviz', () => {
  it('has every reachable state and every step of a small model (as many as BFS finds)', async () => {
    const model = (await resolveModel(loadModelFile('specs/twophase.yaml'))).model;
    const g = stateGraph(model);
    const bfs = search(model, { strategy: 'bfs', deadlock: false });
    expect(g.nodeCount()).toBe(bfs.distinct);
    expect(g.edgeCount()).toBe(bfs.generated - model.init.length);
    const dot = toDot(g, 'twophase');
    expect(dot.startsWith('digraph "twophase" {')).toBe(true);
    expect(dot.match(/ -> /g)).toHaveLength(bfs.generated - model.init.length);
  });

  it('draws violating states red', async () => {
    const model = (await resolveModel(loadModelFile('specs/peterson-turn-first.yaml'))).model;
    const dot = toDot(stateGraph(model), 'p');
    expect(dot).toMatch(/violates mutex", color=red/);
  });

  it('refuses a model above the limit and says which limit (exit 151)', () => {
    const r = run('check', ['specs/bakery.yaml', '--no-traces', '--dot', join(tmpdir(), 'never.dot')]);
    expect(r.code).toBe(151);
    expect(r.err).toContain(`--dot refused: the model has more than ${DOT_STATE_LIMIT} reachable states`);
  }, 30_000);
});
