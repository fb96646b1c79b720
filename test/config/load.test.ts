import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_ERROR_CODES, displayPath, loadModelFile, suggest } from '../../checker/config/load.ts';
import { ConfigError } from '../../checker/core/errors.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/config/${name}`, import.meta.url));

/** The ConfigError loading a fixture throws (fails the test when it loads). */
function loadError(name: string): ConfigError {
  try {
    loadModelFile(fixture(name));
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`${name} loaded without an error`);
}

function expectError(name: string, code: string, line: number, col: number, message: string): ConfigError {
  const e = loadError(name);
  expect({ code: e.code, line: e.where.line, col: e.where.col, message: e.message }).toEqual({ code, line, col, message });
  expect(e.where.file).toBe(displayPath(fixture(name)));
  return e;
}

describe('loadModelFile: valid files', () => {
  it('normalizes a full file', () => {
    const c = loadModelFile(fixture('full.yaml'));
    expect(c.file).toBe(fixture('full.yaml'));
    expect(c.name).toBe('my-counter');
    expect(c.spec).toEqual({ module: fixture('counter.ts'), export: 'flag' });
    expect(c.params).toEqual({ max: 5 });
    expect(c.network).toBe('fifo');
    expect(c.check).toEqual({ invariants: ['small', 'TypeOK'], steps: [], deadlock: false });
    expect(c.search).toEqual({ strategy: 'dfs', maxStates: 1000, maxDepth: 0, stopAtFirst: true, checkSpec: true });
    expect(c.expect).toEqual({ verdicts: { small: 'holds', deadlock: 'violated' }, states: 6 });
  });

  it('fills in the defaults', () => {
    const c = loadModelFile(fixture('minimal.yaml'));
    expect(c.name).toBe('minimal');
    expect(c.spec).toEqual({ module: fixture('counter.ts'), export: 'default' });
    expect(c.params).toEqual({});
    expect(c.network).toBeUndefined();
    expect(c.check).toEqual({ invariants: undefined, steps: undefined, deadlock: true });
    expect(c.search).toEqual({ strategy: 'bfs', maxStates: undefined, maxDepth: undefined, stopAtFirst: false, checkSpec: false });
    expect(c.expect).toBeUndefined();
  });

  it('locates keys, values and list items, falling back to the nearest parent', () => {
    const c = loadModelFile(fixture('full.yaml'));
    expect(c.locate(['spec'])).toEqual({ line: 3, col: 1 });
    expect(c.locate(['spec'], 'value')).toEqual({ line: 3, col: 7 });
    expect(c.locate(['params', 'max'])).toEqual({ line: 4, col: 11 });
    expect(c.locate(['params', 'max'], 'value')).toEqual({ line: 4, col: 16 });
    expect(c.locate(['check', 'invariants', 1])).toEqual({ line: 7, col: 23 });
    expect(c.locate(['search', 'maxDepth'], 'value')).toEqual({ line: 13, col: 13 });
    expect(c.locate(['expect', 'states'])).toEqual({ line: 19, col: 3 });
    expect(c.locate(['search', 'nothing'])).toEqual({ line: 10, col: 1 });
    expect(c.locate(['check', 'invariants', 7])).toEqual({ line: 7, col: 3 });
    expect(c.locate([])).toEqual({ line: 2, col: 1 });
  });
});

describe('loadModelFile: errors', () => {
  it('MC100: the model file does not exist', () => {
    const e = loadError('no-such-file.yaml');
    expect(e.code).toBe('MC100');
    expect(e.message).toBe(`model file ${fixture('no-such-file.yaml')} not found`);
  });

  it('MC101: YAML syntax error', () => {
    const e = expectError('yaml-syntax.yaml', 'MC101', 4, 1,
      'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]');
    expect(e.format().split('\n')[0]).toBe(`${displayPath(fixture('yaml-syntax.yaml'))}:4:1: error MC101: ${e.message}`);
  });

  it('MC101: duplicate key, at the second occurrence', () => {
    expectError('duplicate-key.yaml', 'MC101', 5, 3, "duplicate key 'strategy'");
  });

  it('MC102: unknown key, at the key, with a suggestion', () => {
    const e = expectError('unknown-key.yaml', 'MC102', 4, 3,
      "unknown key 'maxstates' in search (expected one of: strategy, maxStates, maxDepth, constraints, stepTimeout, stopAtFirst, checkSpec, memory, workers, reduction, symmetry)");
    expect(e.hint).toBe("did you mean 'maxStates'?");
  });

  it('MC102: unknown top-level key without a near miss', () => {
    const e = expectError('unknown-top-key.yaml', 'MC102', 3, 1,
      "unknown key 'colour' (expected one of: name, spec, params, network, faults, fairness, check, search, simulate, expect)");
    expect(e.hint).not.toMatch(/did you mean/);
  });

  it('MC103: wrong type, at the value', () => {
    expectError('wrong-type.yaml', 'MC103', 3, 14, 'search.maxStates must be an integer, not "lots"');
  });

  it('MC103: a word outside an enum', () => {
    const e = expectError('bad-enum.yaml', 'MC103', 2, 21, "search.strategy must be one of bfs, dfs, not 'bsf'");
    expect(e.hint).toBe("did you mean 'bfs'?");
  });

  it('MC103: a verdict other than holds/violated', () => {
    expectError('bad-verdict.yaml', 'MC103', 4, 11, "expect.TypeOK must be one of holds, violated, not 'hold'");
  });

  it('MC103: a number below its minimum', () => {
    expectError('bad-minimum.yaml', 'MC103', 4, 14, 'search.maxStates must be at least 1, not 0');
  });

  it('MC103: a top level that is not a mapping', () => {
    expectError('not-a-mapping.yaml', 'MC103', 2, 1, 'the model file must be a mapping of keys (spec:, params:, ...), not a list');
  });

  it('MC104: missing spec', () => {
    expectError('missing-spec.yaml', 'MC104', 1, 1, "missing required key 'spec'");
  });

  it('MC104: an empty file', () => {
    expectError('empty.yaml', 'MC104', 1, 1, 'the model file is empty');
  });

  it('MC105: the spec module does not exist, naming the resolved path', () => {
    expectError('spec-not-found.yaml', 'MC105', 2, 9, `spec module not found: ${fixture('nowhere.ts')}`);
  });

  it('MC105: suggests the .ts extension', () => {
    const e = expectError('spec-no-extension.yaml', 'MC105', 1, 7, `spec module not found: ${fixture('counter')}`);
    expect(e.hint).toBe('did you mean spec: ./counter.ts?');
  });
});

describe('the schema and the codes', () => {
  const schema = JSON.parse(readFileSync(new URL('../../checker/config/model.schema.json', import.meta.url), 'utf8'));

  it('accepts the example files and rejects unknown keys', () => {
    const validate = new Ajv({ strict: true }).compile(schema);
    expect(validate(parse(readFileSync(fixture('full.yaml'), 'utf8')))).toBe(true);
    expect(validate({ spec: './x.ts', search: { strategy: 'bfs', extra: 1 } })).toBe(false);
  });

  it('describes every key', () => {
    const undocumented: string[] = [];
    const walk = (s: Record<string, any>, path: string) => {
      for (const [k, sub] of Object.entries<Record<string, any>>(s.properties ?? {})) {
        if (!sub.description) undocumented.push(`${path}${k}`);
        walk(sub, `${path}${k}.`);
      }
    };
    walk(schema, '');
    expect(undocumented).toEqual([]);
  });

  it('has a description for each code from MC100 to MC112, and MC120', () => {
    expect(Object.keys(CONFIG_ERROR_CODES)).toEqual([...Array.from({ length: 13 }, (_, i) => `MC${100 + i}`), 'MC120']);
  });

  it('suggests only near misses', () => {
    expect(suggest('Consistant', ['TypeOK', 'Consistent'])).toBe('Consistent');
    expect(suggest('maxstates', ['maxStates', 'maxDepth'])).toBe('maxStates');
    expect(suggest('colour', ['name', 'spec', 'params'])).toBeUndefined();
  });
});
