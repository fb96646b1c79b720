// `check` type-checks the spec module first: a typo is MC130 at file:line:col, not "proven".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTyped as check } from '../helpers/cli.ts';
import { parseTscOutput } from '../../checker/run/typecheck.ts';

function specFolder(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsmc-tc-'));
  const index = resolve('checker/index.ts');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'spec.ts'), `import { defineSpec, system, t } from '${index}';\n${body}\n`);
  writeFileSync(join(dir, 'model.yaml'), 'spec: ./spec.ts\n');
  return dir;
}

const typo = `export default defineSpec({
  name: 'typo',
  build: () =>
    system(t.record({ x: t.int(0, 3) }), {
      init: { x: 0 },
      actions: { inc: (s) => s.nope < 3 && { x: s.x + 1 } },
      terminal: (s) => s.x === 3,
    }),
});`;

describe('check type-checks the spec first', () => {
  it('a misspelled field is MC130 at file:line:col (exit 151), and the model is not checked', async () => {
    const dir = specFolder(typo);
    const r = await check(join(dir, 'model.yaml'), '--no-traces');
    expect(r.code).toBe(151);
    expect(r.err).toMatch(/spec\.ts:7:32: error MC130: type error TS2339: Property 'nope' does not exist on type/);
    expect(r.err).toMatch(/--no-typecheck/);
    expect(r.out).not.toMatch(/proven/);
  }, 60_000);

  it('--no-typecheck skips it (here the typo makes the model deadlock at once)', { timeout: 60_000 }, async () => {
    const dir = specFolder(typo);
    const r = await check(join(dir, 'model.yaml'), '--no-traces', '--no-typecheck');
    expect(r.code).toBe(11);
  });

  it('a spec that compiles is checked as before', async () => {
    const dir = specFolder(typo.replace('s.nope', 's.x'));
    const r = await check(join(dir, 'model.yaml'), '--no-traces');
    expect(r.code).toBe(0);
  }, 60_000);

  it('reads the compiler output, with continuation lines', () => {
    const text = "a.ts(3,4): error TS2322: Type 'x' is not assignable to type 'y'.\n  The types differ.\nb.ts(1,1): error TS1005: ';' expected.\n";
    expect(parseTscOutput(text, '/p')).toEqual([
      { file: '/p/a.ts', line: 3, col: 4, code: 'TS2322', message: "Type 'x' is not assignable to type 'y'. The types differ." },
      { file: '/p/b.ts', line: 1, col: 1, code: 'TS1005', message: "';' expected." },
    ]);
  });
});
