// Issue 14: hostile input and conditions give a coded error (or a quiet exit), never a stack trace or a hang.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, replay } from '../helpers/cli.ts';

const F = 'test/fixtures/reliability';
const tmp = () => mkdtempSync(join(tmpdir(), 'tsmc-bad-'));
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);

function sh(script: string) {
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: process.cwd() });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('model files that are not model files', () => {
  it('/dev/zero is refused at the size limit instead of read for ever', async () => {
    const r = await check('/dev/zero', '--no-traces');
    expect(r.code).toBe(151);
    expect(r.err).toMatch(/error MC100: model file \/dev\/zero is larger than 16 MB: not a model file/);
  });

  it('a binary file is named as binary, not dumped into the message', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
    const r = await check(join(dir, 'x.yaml'), '--no-traces');
    expect(r.code).toBe(151);
    expect(r.err).toMatch(/error MC101: model file .* is binary, not YAML text \(a NUL byte at offset 8\)/);
    expect(r.err.length).toBeLessThan(400);
  });

  it('100,000 params keys: answered in seconds (the duplicate-key check was quadratic)', async () => {
    const dir = tmp();
    copyFileSync(`${F}/specs.ts`, join(dir, 'specs.ts'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const keys = Array.from({ length: 100_000 }, (_, i) => `  k${i}: ${i}\n`).join('');
    writeFileSync(join(dir, 'm.yaml'), `spec: ${resolve(F, 'specs.ts')}#counter\nparams:\n${keys}`);
    const t0 = Date.now();
    const r = await check(join(dir, 'm.yaml'), '--no-traces', '--no-typecheck');
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.code).toBe(151);
    expect(r.err).toMatch(/m\.yaml:3:3: error MC108: unknown param 'k0'/);
  }, 30_000);

  it('a duplicate key late in a large mapping is still found, at its line', async () => {
    const dir = tmp();
    const keys = Array.from({ length: 5000 }, (_, i) => `  k${i}: ${i}\n`).join('');
    writeFileSync(join(dir, 'm.yaml'), `spec: ./x.ts\nparams:\n${keys}  k17: 1\n`);
    const r = await check(join(dir, 'm.yaml'), '--no-traces');
    expect(r.err).toMatch(/m\.yaml:5003:3: error MC101: duplicate key 'k17'/);
  });
});

describe('folders with bad entries: each is reported, the rest are checked', () => {
  it('dangling links, link loops and a link back to a parent folder', async () => {
    const dir = tmp();
    copyFileSync(`${F}/specs.ts`, join(dir, 'specs.ts'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'good.yaml'), `spec: ${resolve(F, 'specs.ts')}#counter\ncheck: { invariants: [] }\nexpect: { deadlock: holds, states: 4 }\n`);
    symlinkSync('nowhere.yaml', join(dir, 'dangling.yaml'));
    symlinkSync('self.yaml', join(dir, 'self.yaml'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync('..', join(dir, 'sub', 'up'));
    const r = await check(dir, '--no-traces', '--no-typecheck');
    noStack(r.out + r.err);
    expect(r.code).toBe(151);
    expect(r.out + r.err).toMatch(/dangling\.yaml: error MC100: model file .* is a broken symbolic link/);
    expect(r.out + r.err).toMatch(/self\.yaml: error MC100: model file .* cannot be read \(ELOOP\)/);
    expect(r.out).toMatch(/good\.yaml +all hold +4 .* as expected/);
    expect(r.out).toMatch(/3 models: 1 as expected, 2 regressions/);
  });
});

describe('output that cannot be written', () => {
  it('a closed pipe ends check quietly', () => {
    const r = sh('set -o pipefail; node bin/check.js specs/ --no-typecheck --no-traces | head -1');
    expect(r.err).toBe('');
    expect(r.out.split('\n').length).toBe(2);
    expect(r.code).toBe(141);
  }, 60_000);

  it('a closed pipe ends replay quietly', () => {
    const trace = readdirSync('traces/peterson-turn-first').map((f) => join('traces/peterson-turn-first', f))[0];
    const r = sh(`set -o pipefail; node bin/replay.js ${trace} ${trace} ${trace} | head -1`);
    expect(r.err).toBe('');
    expect([0, 141]).toContain(r.code);
  }, 60_000);

  it('a full disk is a coded error', () => {
    const r = sh('node bin/check.js test/fixtures/cli/ok.yaml --no-typecheck --no-traces > /dev/full');
    expect(r.code).toBe(151);
    expect(r.err).toMatch(/check: error MC302: cannot write the report to standard output \(ENOSPC\)/);
  }, 60_000);

  it('a trace that cannot be written: the verdicts first, then the write error', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'traces'), 'a file where the traces folder should be\n');
    const r = await check(`${F}/no-expect-violation.yaml`, '--traces', join(dir, 'traces'));
    noStack(r.out + r.err);
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/FAIL {2}small[\s\S]*error MC301: could not write the counterexample under .*traces\/no-expect-violation \((ENOTDIR|EEXIST)/);
    expect(r.out).toMatch(/counterexample for small \(2 steps\)/);
  });

  it('too little address space for the TypeScript loader is explained (exit 152)', () => {
    // Where the address space runs out first varies with the machine's load (V8 itself may fail
    // before the loader does, which nothing can catch): a few tries, one must reach the loader.
    let r = sh('true');
    for (let i = 0; i < 4; i++) {
      r = sh('ulimit -v 4000000; node bin/check.js test/fixtures/cli/ok.yaml --no-typecheck --no-traces');
      if (r.code === 152) break;
    }
    expect(r.err, `exit ${r.code}`).toMatch(/check: error: not enough address space to start: WebAssembly could not reserve memory/);
    expect(r.err).toMatch(/ulimit -v/);
    expect(r.code).toBe(152);
    noStack(r.err);
  }, 60_000);
});

describe('replay when the spec now fails', () => {
  it('an invariant that throws is the spec error check gives (exit 150), not an internal error', async () => {
    const dir = tmp();
    const c = await check(`${F}/no-expect-violation.yaml`, '--traces', dir);
    expect(c.code).toBe(12);
    const [file] = readdirSync(join(dir, 'no-expect-violation'));
    const path = join(dir, 'no-expect-violation', file);
    const trace = JSON.parse(readFileSync(path, 'utf8'));
    trace.property.name = 'boom';
    writeFileSync(path, JSON.stringify(trace));
    const r = await replay(path);
    expect(r.code).toBe(150);
    expect(r.err).toMatch(/spec error \(throw\) while replaying step \d+: invariant boom threw TypeError/);
    noStack(r.err);
  });
});
