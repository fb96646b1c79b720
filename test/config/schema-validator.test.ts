// The model-file schema's compiled validator is saved in the cache folder and loaded from there
// by later runs: it must answer exactly as Ajv compiling the schema does, and a changed schema
// must get its own validator.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { schemaValidator } from '../../checker/config/schema-validator.ts';
import { cacheDir as maybeCacheDir } from '../../checker/run/cache-dir.ts';

const cacheDir = (): string => maybeCacheDir()!;

const schema = (max: number) => ({ type: 'object', additionalProperties: false, required: ['spec'], properties: { spec: { type: 'string' }, n: { type: 'integer', minimum: 0, maximum: max } } });

describe('cached schema validator', () => {
  it('answers as Ajv does, from the compiled file on later runs, and per schema', () => {
    const nonce = Math.random();
    const s = { ...schema(3), description: `test ${nonce}` };
    const text = JSON.stringify(s);
    const before = new Set(readdirSync(cacheDir()));
    const fresh = schemaValidator(s, text);
    const added = readdirSync(cacheDir()).filter((f) => !before.has(f));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^model-schema-[0-9a-f]+\.cjs$/);
    const loaded = schemaValidator(s, text); // from the file
    const ajv = new Ajv({ allErrors: true, strict: true }).compile(s);
    for (const data of [{ spec: 'a' }, { spec: 1, n: 9, x: true }, {}, null, { spec: 'b', n: -1 }]) {
      const want = ajv(data) ? [] : ajv.errors;
      expect(fresh(data)).toEqual(want);
      expect(loaded(data)).toEqual(want);
    }
    const other = { ...schema(10), description: `test ${nonce}` };
    expect(schemaValidator(other, JSON.stringify(other))({ spec: 'a', n: 9 })).toEqual([]);
    expect(loaded({ spec: 'a', n: 9 })).not.toEqual([]);
    for (const f of readdirSync(cacheDir()).filter((f) => !before.has(f))) rmSync(join(cacheDir(), f));
    expect(existsSync(join(cacheDir(), added[0]))).toBe(false);
  });
});
