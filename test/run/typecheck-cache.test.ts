// The type-check's result is remembered while no file the compiler read changes: an unchanged spec
// is not compiled again, a changed one (even with the same modification time) always is.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedTypecheck } from '../../checker/run/typecheck-cache.ts';
import { listedFiles, typeErrors } from '../../checker/run/typecheck.ts';

const dirs: string[] = [];
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'tsmc-tccache-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Writes a file dated an hour ago (a file written during the compiler's run is not trusted). */
const old = new Date(Date.now() - 3_600_000);
function write(file: string, text: string): void {
  writeFileSync(file, text);
  utimesSync(file, old, old);
}

describe('type-check cache', () => {
  it('reuses the result while the files are unchanged, and runs again when one changes', () => {
    const dir = temp();
    const cache = join(dir, 'cache');
    const [a, b] = [join(dir, 'a.ts'), join(dir, 'b.ts')];
    write(a, 'export const a = 1;\n');
    write(b, "import { a } from './a.ts';\n");
    let runs = 0;
    const diag = { file: b, line: 1, col: 1, code: 'TS1', message: 'm' };
    const run = () => {
      runs++;
      return { diagnostics: [diag], files: [a, b] };
    };
    expect(cachedTypecheck(cache, 'k', run)).toEqual([diag]);
    expect(cachedTypecheck(cache, 'k', run)).toEqual([diag]);
    expect(runs).toBe(1);
    write(a, 'export const a = 2;\n'); // same date, other content
    expect(cachedTypecheck(cache, 'k', run)).toEqual([diag]);
    expect(runs).toBe(2);
    expect(cachedTypecheck(cache, 'k', run)).toEqual([diag]);
    expect(runs).toBe(2);
    expect(cachedTypecheck(cache, 'other options', run)).toEqual([diag]);
    expect(runs).toBe(3);
    expect(cachedTypecheck(cache, 'k', run)).toEqual([diag]);
    expect(runs).toBe(3);
    write(join(dir, 'package.json'), '{ "type": "module" }\n'); // a package.json appears above them
    expect(cachedTypecheck(cache, 'k', run)).toEqual([diag]);
    expect(runs).toBe(4);
    expect(cachedTypecheck(cache, 'k', run)).toEqual([diag]);
    expect(runs).toBe(4);
    write(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
    expect(cachedTypecheck(cache, 'k', run)).toEqual([diag]);
    expect(runs).toBe(5);
    rmSync(b);
    expect(cachedTypecheck(cache, 'k', run)).toEqual([diag]);
    expect(runs).toBe(6); // a file gone: run again (and, unreadable, not remembered)
  });

  it('does not remember a result when a file changed during the run, or when the compiler did not answer', () => {
    const dir = temp();
    const cache = join(dir, 'cache');
    const a = join(dir, 'a.ts');
    writeFileSync(a, 'export const a = 1;\n'); // dated now
    let runs = 0;
    const run = () => {
      runs++;
      return { diagnostics: [], files: [a] };
    };
    cachedTypecheck(cache, 'k', run);
    cachedTypecheck(cache, 'k', run);
    expect(runs).toBe(2);
    expect(cachedTypecheck(cache, 'k2', () => undefined)).toBeUndefined();
  });

  it('reads the files the compiler listed, not its error lines', () => {
    const out = "/p/node_modules/x/lib.es5.d.ts\nspec.ts(3,4): error TS2339: Property 'x.ts' does not exist.\n  more.ts\nspecs/a.ts\n/p/b.mts\n";
    expect(listedFiles(out, '/p')).toEqual(['/p/node_modules/x/lib.es5.d.ts', '/p/specs/a.ts', '/p/b.mts']);
  });

  it('a changed spec is type-checked again, with the compiler, even with the same date', () => {
    const dir = temp();
    const index = resolve('checker/index.ts');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const spec = join(dir, 'spec.ts');
    const body = (field: string) => `import { defineSpec, system, t } from '${index}';
export default defineSpec({
  name: 'cached',
  build: () => system(t.record({ x: t.int(0, 3) }), { init: { x: 0 }, actions: { inc: (s) => s.${field} < 3 && { x: s.x + 1 } } }),
});
`;
    write(spec, body('x'));
    expect(typeErrors(spec)).toEqual([]);
    expect(typeErrors(spec)).toEqual([]); // remembered
    write(spec, body('nope'));
    expect(typeErrors(spec)?.map((d) => [d.line, d.code])).toEqual([[4, 'TS2339']]);
    expect(typeErrors(spec)?.map((d) => [d.line, d.code])).toEqual([[4, 'TS2339']]);
    write(spec, body('x'));
    expect(typeErrors(spec)).toEqual([]);
  }, 120_000);
});
