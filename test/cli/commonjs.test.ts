// Under tsx (as `check` runs), a .ts spec in a CommonJS package cannot import the checker.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('a spec outside an ES-module package', () => {
  it('is a config error (MC106) that says how to fix it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-cjs-'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }');
    const index = resolve('checker/index.ts');
    writeFileSync(join(dir, 'spec.ts'), `import { defineSpec, system, t } from ${JSON.stringify(index)};\nexport default defineSpec({ name: 'x', build: () => system(t.record({ n: t.int(0, 1) }), { init: { n: 0 }, actions: {} }) });\n`);
    writeFileSync(join(dir, 'model.yaml'), 'spec: ./spec.ts\n');
    const r = spawnSync(process.execPath, ['bin/check.js', join(dir, 'model.yaml'), '--no-traces'], { encoding: 'utf8' });
    expect(r.status).toBe(151);
    expect(r.stderr).toMatch(/model\.yaml:1:1: error MC106: spec module .*spec\.ts failed to load/);
    expect(r.stderr).toMatch(/hint: the spec is loaded as CommonJS: put a package.json with "type": "module"/);
  });
});
