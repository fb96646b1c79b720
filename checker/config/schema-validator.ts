// The model-file schema's validator, compiled once: Ajv turns model.schema.json into a JavaScript
// function, which is saved (Ajv's standalone code) in the cache folder under a name made of the
// schema's and Ajv's hashes, so a later run loads that one file instead of loading Ajv and
// compiling the schema again (most of `check`'s start-up otherwise). A changed schema or another
// Ajv version has another name; a cache that cannot be written or read just means compiling.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { cacheDir } from '../run/cache-dir.ts';

const require = createRequire(import.meta.url);
const OPTIONS = { allErrors: true, strict: true, code: { source: true } } as const;

/** A validator for `schema` (whose JSON text is `text`): from the cache, else compiled and saved. */
export function schemaValidator(schema: object, text: string): (data: unknown) => readonly ErrorObject[] {
  const validate = cachedValidator(text) ?? compileAndSave(schema, text);
  return (data) => (validate(data) ? [] : validate.errors ?? []);
}

function ajvVersion(): string {
  try {
    return (JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '';
  }
}

function cacheFile(text: string): string | undefined {
  const dir = cacheDir();
  if (!dir) return undefined;
  const key = createHash('sha256').update(JSON.stringify([text, ajvVersion(), OPTIONS, 1])).digest('hex').slice(0, 24);
  return join(dir, `model-schema-${key}.cjs`);
}

function cachedValidator(text: string): ValidateFunction | undefined {
  const file = cacheFile(text);
  if (!file) return undefined;
  try {
    const mod = require(file) as { default?: ValidateFunction };
    return typeof mod.default === 'function' ? mod.default : undefined;
  } catch {
    return undefined;
  }
}

function compileAndSave(schema: object, text: string): ValidateFunction {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const ajv = new Ajv(OPTIONS);
  const validate = ajv.compile(schema);
  const file = cacheFile(text);
  if (file) {
    try {
      const standalone = (require('ajv/dist/standalone') as { default: (ajv: InstanceType<typeof Ajv>, v: ValidateFunction) => string }).default;
      // The generated code requires Ajv's runtime helpers by package name: make them absolute, so
      // the file loads from the cache folder whichever project that folder is in.
      const code = standalone(ajv, validate).replace(/require\("(ajv\/[^"]+)"\)/g, (_, p: string) => `require(${JSON.stringify(require.resolve(p))})`);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, code);
      renameSync(tmp, file);
    } catch {
      // Not saved: the next run compiles again.
    }
  }
  return validate;
}
