// Issue 14, "wrong results and lost findings": each case reproduced through the CLI's main().
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { check } from '../helpers/cli.ts';
import { esc, junitXML } from '../../checker/report/junit.ts';
import type { ModelOutcome } from '../../checker/run/check-model.ts';

const F = 'test/fixtures/reliability';
const traces = () => mkdtempSync(join(tmpdir(), 'tsmc-rel-'));

describe('violations found before a spec error are not lost', () => {
  it('reports the violation with its trace, then the spec error (exit 150)', async () => {
    const dir = traces();
    const r = await check(`${F}/overflow.yaml`, '--traces', dir);
    expect(r.code).toBe(150);
    const text = r.out + r.err;
    expect(text).toMatch(/FAIL {2}small .*\(counterexample: 2 steps\)/);
    expect(text.indexOf('FAIL')).toBeLessThan(text.indexOf('spec error (type)'));
    expect(text).toMatch(/action inc gives a successor outside the declared state type: state.x is 4/);
    expect(readdirSync(join(dir, 'overflow'))).toEqual([expect.stringMatching(/^small-[0-9a-f]{4}\.json$/)]);
    // The spec's path is shown relative, like every other path.
    expect(text).toContain(`${F}/specs.ts: spec error`);
  });
});

describe('expect: in single-model mode and under command-line bounds', () => {
  it('a single model file with a wrong expect: exits 10', async () => {
    const r = await check(`${F}/wrong-expect.yaml`, '--no-traces');
    expect(r.out).toMatch(/REGRESSION {2}states: expected 5, got 4/);
    expect(r.code).toBe(10);
  });

  for (const flags of [['--max-depth', '1'], ['--stop-at-first'], ['--max-states', '2']]) {
    it(`${flags.join(' ')}: a pinned count the bound explains is not comparable, not a regression`, async () => {
      const r = await check(`${F}/pinned.yaml`, '--no-traces', ...flags);
      expect(r.out).not.toMatch(/REGRESSION/);
      if (flags[0] !== '--stop-at-first') expect(r.out).toMatch(/not comparable {2}states: expected 4, got \d+: not comparable, the command line bounds the search/);
      expect(r.code).not.toBe(10);
    });
  }

  it('--strategy dfs on an exhaustive search still compares the count (it is the same)', async () => {
    const r = await check(`${F}/wrong-expect.yaml`, '--no-traces', '--strategy', 'dfs');
    expect(r.code).toBe(10);
  });

  it('--max-depth with a count that still matches is as expected', async () => {
    const r = await check(`${F}/pinned.yaml`, '--no-traces', '--max-depth', '5');
    expect(r.code).toBe(0);
  });

  it('folder mode: a violation in a model without expect: is a regression, not "as expected"', async () => {
    const r = await check(`${F}/no-expect-violation.yaml`, `${F}/pinned.yaml`, '--no-traces');
    expect(r.code).toBe(10);
    expect(r.out).toMatch(/small: violated, and the model has no expect: block/);
    expect(r.out).toMatch(/2 models: 1 as expected, 1 regression/);
  });
});

describe('clock and randomness in spec code are spec errors that name the caller', () => {
  for (const [name, call] of [
    ['random', 'Math.random()'],
    ['dateNow', 'Date.now()'],
    ['performanceNow', 'performance.now()'],
    ['newDate', 'new Date()'],
    ['getRandomValues', 'crypto.getRandomValues()'],
    ['randomUUID', 'crypto.randomUUID()'],
  ]) {
    it(`${call} in an action`, async () => {
      const { resolveModel } = await import('../../checker/config/resolve.ts');
      const { loadModelFile } = await import('../../checker/config/load.ts');
      const { search } = await import('../../checker/explore/search.ts');
      const config = { ...loadModelFile(`${F}/clock.yaml`), spec: { module: join(process.cwd(), F, 'specs.ts'), export: name } };
      const { model } = await resolveModel(config);
      const r = search(model, { strategy: 'bfs', deadlock: true });
      expect(r.status).toBe('spec-error');
      expect(r.specError!.error.code).toBe('nondeterministic');
      expect(r.specError!.error.message).toBe(`action ${name} calls ${call}, which makes the spec nondeterministic`);
      expect(r.specError!.error.detail.state).toBe('{x: 0}');
    });
  }

  it('an action enabled only on even milliseconds is caught on every run (exit 150)', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await check(`${F}/clock.yaml`, '--no-traces');
      expect(r.code).toBe(150);
      expect(r.err).toMatch(/spec error \(nondeterministic\): action tick calls Date.now\(\)/);
    }
  });

  it('an invariant that reads the clock is named', async () => {
    const r = await check(`${F}/clock-invariant.yaml`, '--no-traces');
    expect(r.code).toBe(150);
    expect(r.err).toMatch(/invariant recent calls Date.now\(\)/);
  });

  it('under --simulate too: the clock in an action or an invariant is a spec error (exit 150)', async () => {
    const a = await check(`${F}/clock.yaml`, '--no-traces', '--simulate', '--runs', '20');
    expect(a.code).toBe(150);
    expect(a.err).toMatch(/Date\.now\(\)/);
    const b = await check(`${F}/clock-invariant.yaml`, '--no-traces', '--simulate', '--runs', '20');
    expect(b.code).toBe(150);
    expect(b.err).toMatch(/invariant recent calls Date.now\(\)/);
  });

  it('new Date(0) is allowed, and the globals are restored after the search', async () => {
    const r = await check(`${F}/fixed-date.yaml`, '--no-traces');
    expect(r.code).toBe(0);
    expect(typeof Date.now()).toBe('number');
    expect(new Date().getTime()).toBeGreaterThan(0);
    expect(Math.random()).toBeLessThan(1);
    expect(typeof performance.now()).toBe('number');
    expect(crypto.randomUUID()).toMatch(/-/);
    const { randomBytes } = await import('node:crypto');
    expect(randomBytes(2).length).toBe(2);
  });
});

describe('what a model names and what it leaves out', () => {
  it('a name with a path in it is a coded config error, and nothing is written outside traces/', async () => {
    const dir = traces();
    const r = await check(`${F}/escape.yaml`, '--traces', join(dir, 'a', 'b'));
    expect(r.code).toBe(151);
    expect(r.err).toMatch(/escape\.yaml:1:7: error MC103: name "\.\.\/\.\.\/escaped" must be a plain name/);
    expect(existsSync(join(dir, 'escaped'))).toBe(false);
  });

  it('init: [] is a spec error that says nothing was explored', async () => {
    const r = await check(`${F}/no-init.yaml`, '--no-traces');
    expect(r.code).toBe(150);
    expect(r.err).toMatch(/spec error \(no-init\): the spec has no initial state \(init is empty\): nothing was explored/);
  });

  it('a model that checks no property says so instead of "proven"', async () => {
    const r = await check(`${F}/no-props.yaml`, '--no-traces');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/nothing checked: the model checks no property .*4 states were explored/);
    expect(r.out).not.toMatch(/proven/);
  });

  it('an export that looks like a spec but is not one is MC107', async () => {
    const r = await check(`${F}/fake.yaml`, '--no-traces');
    expect(r.code).toBe(151);
    expect(r.err).toMatch(/error MC107: export 'fakeCallable' of .* is not a spec/);
  });
});

describe('--max-states', () => {
  it('stops at exactly N distinct states', async () => {
    for (const n of [1, 2, 10, 15]) {
      const r = await check(`${F}/wide.yaml`, '--no-traces', '--max-states', String(n), '--reporter', 'json');
      expect(r.code).toBe(152);
      expect(JSON.parse(r.out).stats.distinct).toBe(n);
    }
  });

  it('N equal to the reachable count is a complete search', async () => {
    const r = await check(`${F}/wide.yaml`, '--no-traces', '--max-states', '16');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/proven: fine holds in all 16 reachable states/);
  });

  for (const bad of [['--max-states', '0'], ['--max-states='], ['--max-depth='], ['--max-states', '1e3'], ['--max-depth=-1']]) {
    it(`rejects ${bad.join(' ')} as the model file would (exit 151)`, async () => {
      const r = await check(`${F}/wide.yaml`, '--no-traces', ...bad);
      expect(r.code).toBe(151);
      expect(r.err).toMatch(/takes a (positive|non-negative) integer/);
    });
  }
});

describe('--reporter junit', () => {
  it('stays well-formed XML whatever characters the messages hold', async () => {
    const nasty = 'a\u0000b\u0001c\u001bd\u0008e\ufffff\ud800g<&>"\'';
    expect(esc(nasty)).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/);
    const outcome = { file: 'x.yaml', verdicts: [], exitCode: 150, regressions: [nasty], error: { kind: 'spec', message: nasty } } as unknown as ModelOutcome;
    expect(XMLValidator.validate(junitXML([outcome]))).toBe(true);
  });

  it('a real run with a spec error parses as XML', async () => {
    const r = await check(`${F}/overflow.yaml`, `${F}/clock.yaml`, '--no-traces', '--reporter', 'junit');
    expect(XMLValidator.validate(r.out)).toBe(true);
  });
});

describe('expect: pins generated and depth too', () => {
  it('matching counts pass, a wrong one is a regression that names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-rel-'));
    const { writeFileSync } = await import('node:fs');
    const spec = join(process.cwd(), F, 'specs.ts');
    writeFileSync(join(dir, 'ok.yaml'), `spec: ${spec}#counter\ncheck: { invariants: [] }\nexpect: { deadlock: holds, states: 4, generated: 4, depth: 3 }\n`);
    writeFileSync(join(dir, 'bad.yaml'), `spec: ${spec}#counter\ncheck: { invariants: [] }\nexpect: { deadlock: holds, states: 4, generated: 5, depth: 2 }\n`);
    expect((await check(join(dir, 'ok.yaml'), '--no-traces')).code).toBe(0);
    const r = await check(join(dir, 'bad.yaml'), '--no-traces');
    expect(r.code).toBe(10);
    expect(r.out).toMatch(/REGRESSION {2}generated: expected 5, got 4/);
    expect(r.out).toMatch(/REGRESSION {2}depth: expected 2, got 3/);
  });
});
