// Issue 14, "poor messages": one test per message that was unclear, raw, too long or wrong.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, replay } from '../helpers/cli.ts';
import { shellQuote } from '../../checker/report/text.ts';
import { progressLine } from '../../checker/report/progress.ts';
import { search } from '../../checker/explore/search.ts';
import { defineSpec, system, t } from '../../checker/index.ts';

const counter = resolve('test/fixtures/cli/counter.ts');
const tmp = () => mkdtempSync(join(tmpdir(), 'tsmc-msg-'));

async function model(text: string | Buffer, ...flags: string[]) {
  const dir = tmp();
  writeFileSync(join(dir, 'm.yaml'), text);
  return check(join(dir, 'm.yaml'), '--no-traces', '--no-typecheck', ...flags);
}

describe('model file messages', () => {
  it('control bytes of a key are escaped, and the near miss still suggested', async () => {
    const r = await model(`spec: ${counter}\nsea\u0001rch: {}\n`);
    expect(r.err).toMatch(/m\.yaml:2:1: error MC102: unknown key 'sea\\x01rch'/);
    expect(r.err).toMatch(/did you mean 'search'\?/);
    expect(r.err).not.toContain('\u0001');
  });

  it('expect: { distinct: 34 } is an unknown key, with states suggested', async () => {
    const r = await model(`spec: ${counter}\nexpect: { distinct: 34 }\n`);
    expect(r.err).toMatch(/m\.yaml:2:11: error MC102: unknown key 'distinct' in expect/);
    expect(r.err).toMatch(/states: N/);
  });

  it('two YAML documents are named as such, not in the parser library\'s words', async () => {
    const r = await model(`spec: ${counter}\n---\nspec: x\n`);
    expect(r.err).toMatch(/m\.yaml:2:1: error MC101: the file holds more than one YAML document/);
    expect(r.err).not.toMatch(/parseAllDocuments/);
  });

  it('a list given for an int param prints as a list', async () => {
    const r = await model(`spec: ${counter}\nparams: { max: [3] }\n`);
    expect(r.err).toMatch(/error MC108: param max is \[3\], not an integer in 1\.\.20/);
  });

  it('a huge param value is cut short in the message', async () => {
    const aliases = ['a0: &a0 [xxxxxxxx, xxxxxxxx, xxxxxxxx, xxxxxxxx]', ...Array.from({ length: 6 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}, *a${i}]`)];
    const r = await model(`spec: ${counter}\nx:\n${aliases.map((l) => `  ${l}`).join('\n')}\nparams: { max: *a6 }\n`.replace('x:\n', 'params0:\n'));
    expect(r.code).toBe(151);
    for (const line of r.err.split('\n')) expect(line.length).toBeLessThan(400);
  });

  it('deeply nested YAML is "nested too deeply", not "invalid"', async () => {
    const r = await model(`spec: ${counter}\nparams:\n  max: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(r.err).toMatch(/error MC101: the YAML is nested too deeply to read/);
  });

  it('a missing model file is MC100, without the usage text', async () => {
    const r = await check('nope.yaml');
    expect(r.code).toBe(151);
    expect(r.err).toBe("nope.yaml: error MC100: no such model file or folder: nope.yaml\n  hint: give the path of a .yaml model file, or of a folder of them\n");
  });
});

describe('spec error messages', () => {
  const X = t.record({ x: t.int(0, 3) });

  it('an async action is named as async, not as a missing field', () => {
    const spec = defineSpec({
      name: 'async',
      build: () => system(X, { init: { x: 0 }, actions: { inc: (async (s: { x: number }) => ({ x: s.x + 1 })) as never } }),
    });
    const r = search(spec.instantiate({}), { strategy: 'bfs', deadlock: false });
    expect(r.specError?.error.code).toBe('async');
    expect(r.specError?.error.message).toBe('action inc gives a Promise, not a state: is the action async?');
  });

  it('a cyclic value under the generic encoder is a cycle in the state, not a stack overflow', () => {
    const spec = defineSpec({
      name: 'cyclic',
      build: () =>
        system<{ x: number }>({
          init: { x: 0 },
          actions: {
            link: (s: { x: number }) => {
              if (s.x > 0) return null;
              const next = { x: 1 } as { x: number; self?: unknown };
              next.self = next;
              return next;
            },
          },
        }),
    });
    const r = search(spec.instantiate({}), { strategy: 'bfs', deadlock: false });
    expect(r.specError?.error.message).toMatch(/^action link gives a successor that contains itself \(a cycle of objects\)/);
  });
});

describe('report and replay messages', () => {
  it('one step is "1 step"', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'm.yaml'), `spec: ${resolve('test/fixtures/reliability/specs.ts')}#counter\ncheck: { invariants: [zero] }\n`);
    const r = await check(join(dir, 'm.yaml'), '--no-traces');
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/FAIL {2}zero .*\(counterexample: 1 step\)/);
    expect(r.out).toMatch(/counterexample for zero \(1 step\):/);
  });

  it('reproduce: quotes a path with spaces', () => {
    expect(shellQuote('traces/m/p-1a2b.json')).toBe('traces/m/p-1a2b.json');
    expect(shellQuote('my traces/m/p.json')).toBe("'my traces/m/p.json'");
    expect(shellQuote("it's/p.json")).toBe("'it'\\''s/p.json'");
  });

  it('the progress line fits an 80-column terminal', () => {
    const line = progressLine({ distinct: 123_456_789, generated: 987_654_321, frontier: 12_345_678, depth: 123, seconds: 4567 });
    expect(line).toBe('123M states, 988M gen, 27.0k/s, frontier 12.3M, depth 123, 4567 s');
    expect(`specs/twophase-7.yaml: ${line}`.length).toBeLessThan(90);
    expect(`specs/paxos.yaml: ${progressLine({ distinct: 370_765, generated: 1_396_228, frontier: 12_345, depth: 31, seconds: 5 })}`.length).toBeLessThanOrEqual(80);
  });

  describe('malformed traces are coded errors (MC202/MC203)', () => {
    async function withTrace(edit: (t: Record<string, any>) => void) {
      const dir = tmp();
      const c = await check('test/fixtures/reliability/no-expect-violation.yaml', '--traces', dir, '--no-typecheck');
      expect(c.code).toBe(12);
      const [file] = readdirSync(join(dir, 'no-expect-violation'));
      const path = join(dir, 'no-expect-violation', file);
      const trace = JSON.parse(readFileSync(path, 'utf8'));
      edit(trace);
      writeFileSync(path, JSON.stringify(trace));
      return replay(path);
    }

    it('version "1" (a string) names the fix', async () => {
      const r = await withTrace((t) => (t.version = '1'));
      expect(r.code).toBe(151);
      expect(r.err).toMatch(/error MC203: trace format version "1" is not supported[\s\S]*write "version": 1, a number/);
    });

    it('a step without a label, or replaced by {}, is named', async () => {
      let r = await withTrace((t) => delete t.steps[1].label);
      expect(r.err).toMatch(/error MC202: the trace file is malformed: step 1 has no "label" string/);
      r = await withTrace((t) => (t.steps[2] = {}));
      expect(r.err).toMatch(/error MC202: the trace file is malformed: step 2 has no "label" string/);
      expect(r.err).not.toMatch(/undefined/);
    });

    it('fields of the wrong shape are named, not printed as [object Object]', async () => {
      const r = await withTrace((t) => (t.model.name = { a: 1 }));
      expect(r.err).toMatch(/error MC202: the trace file is malformed: "model\.name" is not a string/);
      expect(r.err).not.toMatch(/object Object/);
    });

    it('an unknown property kind is refused, not read as a deadlock', async () => {
      const r = await withTrace((t) => (t.property.kind = 'fairness'));
      expect(r.code).toBe(151);
      expect(r.err).toMatch(/"property\.kind" is "fairness", not one of invariant, step, deadlock, temporal, path/);
    });
  });

  it('the replay header says "deadlock" once', async () => {
    const saved = readdirSync('traces', { recursive: true }).map(String).filter((f) => f.startsWith('deadlock') || f.includes('/deadlock-'));
    for (const f of saved) {
      const r = await replay(join('traces', f));
      expect(r.out + r.err).not.toMatch(/deadlock deadlock/);
    }
  });
});
