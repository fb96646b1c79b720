import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { displayPath, loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { ConfigError, SpecError } from '../../checker/core/errors.ts';
import { seen } from '../fixtures/config/protocol.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/config/${name}`, import.meta.url));

async function resolveError(file: string): Promise<ConfigError> {
  try {
    await resolveModel(loadModelFile(file));
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`${file} resolved without an error`);
}

async function expectError(name: string, code: string, line: number, col: number, message: string): Promise<ConfigError> {
  const e = await resolveError(fixture(name));
  expect({ code: e.code, line: e.where.line, col: e.where.col, message: e.message }).toEqual({ code, line, col, message });
  expect(e.where.file).toBe(displayPath(fixture(name)));
  return e;
}

const counter = displayPath(fixture('counter.ts'));

describe('resolveModel: valid files', () => {
  it('instantiates the default export with params and defaults', async () => {
    const r = await resolveModel(loadModelFile(fixture('counter.yaml')));
    expect(r.definition.name).toBe('counter');
    expect(r.params).toEqual({ max: 4, mode: 'up' });
    expect(r.model.name).toBe('counter');
    expect(r.model.invariants.map((i) => i.name)).toEqual(['small', 'TypeOK']);
    expect(r.model.steps.map((s) => s.name)).toEqual(['up']);
    expect(r.model.init).toEqual([{ n: 0 }]);
    expect(r.config.network).toBeUndefined();
  });

  it('selects a named export', async () => {
    const config = loadModelFile(fixture('minimal.yaml'));
    const r = await resolveModel({ ...config, spec: { ...config.spec, export: 'flag' } });
    expect(r.definition.name).toBe('flag');
    expect(r.params).toEqual({});
  });

  it('defaults network to unordered for a protocol and passes it on', async () => {
    seen.length = 0;
    const r = await resolveModel(loadModelFile(fixture('protocol.yaml')));
    expect(r.config.network).toBe('unordered');
    expect(r.config.locate(['spec'])).toEqual({ line: 1, col: 1 });
    const f = await resolveModel(loadModelFile(fixture('protocol-fifo.yaml')));
    expect(f.config.network).toBe('fifo');
    expect(seen).toEqual([{ network: 'unordered' }, { network: 'fifo' }]);
  });
});

describe('resolveModel: errors', () => {
  it('MC106: the module throws on import', async () => {
    const e = await expectError('import-throws.yaml', 'MC106', 2, 1,
      `spec module ${displayPath(fixture('throws.ts'))} failed to load: boom while importing`);
    expect(e.hint).toBe(`run \`npx tsx ${displayPath(fixture('throws.ts'))}\` to see the full error`);
  });

  it('MC106: the module does not compile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-config-'));
    try {
      writeFileSync(join(dir, 'broken.ts'), 'export default {{ this is not TypeScript\n');
      writeFileSync(join(dir, 'broken.yaml'), '# a spec that does not compile\nspec: ./broken.ts\n');
      const e = await resolveError(join(dir, 'broken.yaml'));
      expect([e.code, e.where.line, e.where.col]).toEqual(['MC106', 2, 1]);
      expect(e.message.startsWith(`spec module ${displayPath(join(dir, 'broken.ts'))} failed to load: `)).toBe(true);
      expect(e.message).not.toContain('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('MC107: no such export, with a suggestion', async () => {
    const e = await expectError('no-export.yaml', 'MC107', 1, 7,
      `spec module ${counter} has no export named 'flagg' (exports that are specs: default, flag)`);
    expect(e.hint).toBe("did you mean 'flag'?");
  });

  it('MC107: an export that is not a spec', async () => {
    const e = await expectError('not-a-spec.yaml', 'MC107', 1, 7,
      `export 'notASpec' of ${counter} is not a spec (exports that are specs: default, flag)`);
    expect(e.hint).toBe('its exports that are specs: default, flag; write e.g. spec: ./counter.ts');
  });

  it('MC108: an undeclared param, at its key', async () => {
    const e = await expectError('unknown-param.yaml', 'MC108', 4, 3, "unknown param 'maks' for spec 'counter' (declared: max, mode)");
    expect(e.hint).toBe("did you mean 'max'?");
  });

  it('MC108: a param value outside its type, at the value', async () => {
    const e = await expectError('bad-param.yaml', 'MC108', 2, 26, 'param max is 50, not an integer in 1..10');
    expect(e.hint).toBe('max must be 1..10; its default is 3');
  });

  it('MC109: an unknown invariant in check.invariants', async () => {
    const e = await expectError('unknown-invariant.yaml', 'MC109', 3, 24,
      "unknown invariant 'smal' in check.invariants (the spec declares: small, TypeOK)");
    expect(e.hint).toBe("did you mean 'small'?");
  });

  it('MC109: an invariant listed as a step property', async () => {
    const e = await expectError('unknown-step.yaml', 'MC109', 5, 7, "unknown step property 'small' in check.steps (the spec declares: up)");
    expect(e.hint).toBe("'small' is an invariant: list it under check.invariants");
  });

  it('MC109: an unknown property in expect, at its key', async () => {
    const e = await expectError('unknown-expect.yaml', 'MC109', 4, 3,
      "unknown property 'Deadlock' in expect (the spec declares: small, TypeOK, up, deadlock)");
    expect(e.hint).toBe("did you mean 'deadlock'?");
  });

  it('MC110: network on a spec that is not a protocol', async () => {
    await expectError('network-on-spec.yaml', 'MC110', 2, 1, "network: applies only to protocols, and 'counter' is a plain spec");
  });

  it('SpecError: build throws', async () => {
    const err = await resolveModel(loadModelFile(fixture('build-throws.yaml'))).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    const e = err as SpecError;
    expect(e.code).toBe('build');
    expect(e.message).toBe(`spec ${displayPath(fixture('build-throws.ts'))} failed to build its model (n=2): two is not supported`);
    expect((e.detail.cause as Error).message).toBe('two is not supported');
  });
});
