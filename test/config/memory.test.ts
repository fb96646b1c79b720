import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../checker/config/load.ts';
import { ConfigError } from '../../checker/core/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'memory-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = fileURLToPath(new URL('../fixtures/config/counter.ts', import.meta.url));

function load(memory: string) {
  const file = join(dir, 'm.yaml');
  writeFileSync(file, `spec: ${spec}\nparams: { max: 5 }\nsearch:\n  memory: ${memory}\n`);
  return loadModelFile(file);
}

describe('search.memory', () => {
  it('reads a size in bytes', () => {
    expect(load('64MiB').search.memory).toBe(64 * 2 ** 20);
    expect(load('2GB').search.memory).toBe(2e9);
    expect(load("'1.5 GiB'").search.memory).toBe(1.5 * 2 ** 30);
  });
  it('refuses what is not a size, at the value (MC103)', () => {
    for (const bad of ['lots', '0MB', '12 parsecs', '-1GB']) {
      let err: unknown;
      try {
        load(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(ConfigError);
      expect({ code: (err as ConfigError).code, line: (err as ConfigError).where.line, col: (err as ConfigError).where.col }).toEqual({ code: 'MC103', line: 4, col: 11 });
    }
  });
});
