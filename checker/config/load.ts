// Reads a model file (YAML), validates it against model.schema.json and normalizes it into a
// `ModelConfig`. Every mistake becomes one `ConfigError` with a code, file:line:col and a fix.
import { closeSync, lstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Document } from 'yaml';
import { ConfigError } from '../core/errors.ts';
import { parseSize } from '../core/size.ts';
import type { Location, ModelConfig, Verdict } from './model.ts';
import { checkFairnessKey } from './fairness.ts';
import { schemaValidator } from './schema-validator.ts';

/** Every code a model file or its resolution can raise, with what it means. */
export const CONFIG_ERROR_CODES: Readonly<Record<string, string>> = {
  MC100: 'model-file-not-found: the model file does not exist or cannot be read',
  MC101: 'yaml-syntax: the file is not valid YAML (syntax error, duplicate key, unknown alias or tag)',
  MC102: 'unknown-key: a key the model file does not have (often a typo)',
  MC103: 'wrong-value: a value of the wrong type, outside its range, or not one of the allowed words',
  MC104: 'missing-key: a required key (spec) is missing, or the file is empty',
  MC105: 'spec-file-not-found: the spec module named by spec: does not exist',
  MC106: 'spec-module-failed-to-load: importing the spec module threw or it does not compile',
  MC107: 'export-not-found: the spec module has no such export, or it is not a spec',
  MC108: 'bad-param: a param the spec does not declare, or a value outside its declared type',
  MC109: 'unknown-property: a name in check: or expect: that the spec does not declare',
  MC110: 'network-on-non-protocol: network: is given for a spec that is not a protocol',
  MC111: 'faults-on-non-protocol: faults: is given for a spec that is not a protocol',
  MC112: 'bad-fault: a fault names a role or message the protocol does not have, or restart without crash',
  MC120: 'unknown-fairness-selector: a fairness: key that names no action, role, process or deliver of the spec',
};

type Path = readonly (string | number)[];
type Data = Record<string, unknown>;

// --- messages --------------------------------------------------------------------------------

/** A path relative to the working directory when it lies inside it, else absolute. */
export function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The candidate closest to `word` when it is a near miss (case ignored), else undefined. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(1, Math.min(3, Math.floor(word.length / 2))) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

/** `did you mean 'x'?` for a near miss, else `fallback`. */
export function didYouMean(word: string, candidates: readonly string[], fallback?: string): string | undefined {
  const s = suggest(word, candidates);
  return s !== undefined ? `did you mean '${s}'?` : fallback;
}

/** A value as a message shows it: strings quoted, collections by kind. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

const TYPE_NAMES: Record<string, string> = {
  integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false',
  array: 'a list', object: 'a mapping', null: 'empty',
};

const TYPE_HINTS: Record<string, string> = {
  integer: 'write a whole number without quotes or separators, e.g. 100000',
  boolean: 'write true or false, without quotes',
  string: 'write a word or a quoted string',
  array: 'write a list, e.g. [A, B] or one "- A" line per item',
  object: 'write a mapping of keys, indented below this key, or as { key: value }',
};

function showPath(path: Path): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || 'the model file';
}

// --- YAML ------------------------------------------------------------------------------------

type Locator = ModelConfig['locate'];

function makeLocator(doc: Document, lc: LineCounter): Locator {
  const pos = (node: unknown): Location | undefined => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range || (isScalar(node) && node.value === null && range[0] === range[1])) return undefined;
    return lc.linePos(range[0]);
  };
  return (path, at = 'key') => {
    let node: unknown = doc.contents;
    let loc = pos(node) ?? { line: 1, col: 1 };
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = node.resolve(doc);
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
        if (!pair) return loc;
        const keyLoc = pos(pair.key) ?? loc;
        if (last) return at === 'key' ? keyLoc : pos(pair.value) ?? keyLoc;
        loc = keyLoc;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)];
        if (item === undefined) return loc;
        loc = pos(item) ?? loc;
        node = item;
      } else return loc;
    }
    return loc;
  };
}

/** Text for a message: control characters escaped, and cut short when long. */
export function printable(text: string, max = 80): string {
  const shown = text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

function parseYaml(text: string, file: string): { data: unknown; locate: Locator } {
  const lc = new LineCounter();
  // The parser's own duplicate-key check is quadratic in a mapping's size (200,000 keys took
  // minutes); duplicates are found below with a set instead.
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number) => ({ file, ...lc.linePos(offset) });
  for (const e of [...doc.errors, ...doc.warnings]) {
    if (e.code === 'DUPLICATE_KEY') {
      const key = /^[^:\n]*/.exec(text.slice(e.pos[0]))?.[0].trim();
      throw new ConfigError('MC101', `duplicate key '${key}'`, at(e.pos[0]), 'a key may appear only once in a mapping: remove or merge one of them');
    }
    if (e.code === 'MULTIPLE_DOCS') {
      throw new ConfigError('MC101', 'the file holds more than one YAML document (a second ---)', at(e.pos[0]), 'a model file is one document: remove the --- line and what follows, or split it into two files');
    }
    if (/Maximum call stack/.test(e.message)) {
      throw new ConfigError('MC101', 'the YAML is nested too deeply to read', at(e.pos[0]), 'a model file needs a few levels of nesting; flatten the deeply nested value');
    }
    const message = printable(e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), 200);
    throw new ConfigError('MC101', `invalid YAML: ${message}`, at(e.pos[0]), 'fix the YAML syntax here (indent with spaces, close brackets and quotes)');
  }
  visit(doc, {
    Map(_, node) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : pair.key === null ? '' : String(pair.key);
        if (seen.has(key)) {
          throw new ConfigError('MC101', `duplicate key '${printable(key)}'`, at((pair.key as { range?: number[] } | null)?.range?.[0] ?? 0),
            'a key may appear only once in a mapping: remove or merge one of them');
        }
        seen.add(key);
      }
    },
    Alias(_, node) {
      if (node.resolve(doc) === undefined) {
        throw new ConfigError('MC101', `unknown alias '*${node.source}'`, at(node.range?.[0] ?? 0), `define the anchor &${node.source} before using it`);
      }
    },
  });
  const locate = makeLocator(doc, lc);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    if (e instanceof RangeError) {
      throw new ConfigError('MC101', 'the YAML is nested too deeply to read', { file, line: 1, col: 1 }, 'a model file needs a few levels of nesting; flatten the deeply nested value');
    }
    throw new ConfigError('MC101', `invalid YAML: ${printable((e as Error).message ?? String(e), 200)}`, { file, line: 1, col: 1 });
  }
  return { data, locate };
}

// --- schema ----------------------------------------------------------------------------------

let validator: ((data: unknown) => readonly ErrorObject[]) | undefined;
let schemaText: string | undefined;
let schema: Data | undefined;

/** The JSON Schema of model files, as published for editors. */
export function modelSchema(): Data {
  schemaText ??= readFileSync(new URL('./model.schema.json', import.meta.url), 'utf8');
  return (schema ??= JSON.parse(schemaText) as Data);
}

function validate(data: unknown): readonly ErrorObject[] {
  validator ??= schemaValidator(modelSchema(), schemaText!);
  return validator(data);
}

/** The object schema at a data path, for listing the keys it allows. */
function schemaAt(path: Path): Data | undefined {
  let s: Data | undefined = modelSchema();
  for (const seg of path) s = (s?.properties as Record<string, Data> | undefined)?.[String(seg)];
  return s;
}

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const seg of path) v = (v as Record<string | number, unknown> | null | undefined)?.[seg];
  return v;
}

function pathOf(data: unknown, pointer: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out.push(Array.isArray(valueAt(data, out)) ? Number(seg) : seg);
  }
  return out;
}

function translate(err: ErrorObject, data: unknown, file: string, locate: Locator): ConfigError {
  const path = pathOf(data, err.instancePath);
  const name = showPath(path);
  const value = valueAt(data, path);
  const where = (p: Path, at: 'key' | 'value') => ({ file, ...locate(p, at) });
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperties': {
      const raw = String(p.additionalProperty);
      const key = printable(raw);
      const allowed = Object.keys((schemaAt(path)?.properties as Data | undefined) ?? {});
      const inWhat = path.length ? ` in ${name}` : '';
      return new ConfigError('MC102', `unknown key '${key}'${inWhat} (expected one of: ${allowed.join(', ')})`, where([...path, raw], 'key'),
        didYouMean(raw.replace(/[\x00-\x1f\x7f-\x9f]/g, ''), allowed, `remove it, or see checker/config/model.schema.json for what ${path.length ? name : 'a model file'} may contain`));
    }
    case 'required': {
      const key = String(p.missingProperty);
      return new ConfigError('MC104', `missing required key '${key}'${path.length ? ` in ${name}` : ''}`, where(path, 'key'),
        key === 'spec' ? 'add `spec: ./myspec.ts`, the spec module relative to this file' : undefined);
    }
    case 'type': {
      const type = String(p.type);
      return new ConfigError('MC103', `${name} must be ${TYPE_NAMES[type] ?? type}, not ${describeValue(value)}`, where(path, 'value'), TYPE_HINTS[type]);
    }
    case 'enum': {
      if (path[0] === 'expect' && path.length === 2 && typeof value !== 'string') {
        // A number under expect: is a count with a wrong name, not a verdict.
        const key = printable(String(path[1]));
        return new ConfigError('MC102', `unknown key '${key}' in expect (a property name takes holds or violated; the counts are states, generated and depth)`, where(path, 'key'),
          didYouMean(key, ['states', 'generated', 'depth'], 'write states: N for the distinct-state count'));
      }
      const allowed = (p.allowedValues as unknown[]).map(String);
      const shown = typeof value === 'string' ? `'${value}'` : describeValue(value);
      return new ConfigError('MC103', `${name} must be one of ${allowed.join(', ')}, not ${shown}`, where(path, 'value'),
        typeof value === 'string' ? didYouMean(value, allowed) : undefined);
    }
    case 'minimum':
      return new ConfigError('MC103', `${name} must be at least ${String(p.limit)}, not ${describeValue(value)}`, where(path, 'value'));
    case 'minLength':
      return new ConfigError('MC103', `${name} must not be empty`, where(path, 'value'));
    case 'uniqueItems': {
      const j = Math.max(Number(p.i), Number(p.j));
      const item = (value as unknown[])[j];
      return new ConfigError('MC103', `${name} lists ${describeValue(item)} twice`, where([...path, j], 'value'), 'remove the repeated entry');
    }
    default:
      return new ConfigError('MC103', `${name} ${err.message ?? 'is invalid'}`, where(path, 'value'));
  }
}

/** The error the user should fix first: the earliest in the file; a missing key only when nothing else is wrong. */
function firstError(errors: readonly ErrorObject[], data: unknown, file: string, locate: Locator): ConfigError {
  const all = errors.map((e) => translate(e, data, file, locate));
  const rank = (e: ConfigError) => (e.code === 'MC104' ? 1e12 : 0) + (e.where.line ?? 0) * 1e5 + (e.where.col ?? 0);
  return all.reduce((a, b) => (rank(b) < rank(a) ? b : a));
}

// --- the model file --------------------------------------------------------------------------

/** A model file is a few lines of YAML: anything past this is not one (and /dev/zero never ends). */
export const MAX_MODEL_FILE_BYTES = 16 << 20;

/** Reads at most MAX_MODEL_FILE_BYTES + 1 bytes, whatever the file claims its size is. */
function readCapped(abs: string): Buffer {
  const fd = openSync(abs, 'r');
  try {
    const buf = Buffer.alloc(MAX_MODEL_FILE_BYTES + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function readModelFile(abs: string, file: string): string {
  try {
    if (statSync(abs).isDirectory()) throw new ConfigError('MC100', `model file ${file} is a directory`, { file }, 'name a .yaml model file');
    const bytes = readCapped(abs);
    if (bytes.length > MAX_MODEL_FILE_BYTES) {
      throw new ConfigError('MC100', `model file ${file} is larger than ${MAX_MODEL_FILE_BYTES / 2 ** 20} MB: not a model file`, { file }, 'name a .yaml model file');
    }
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
      throw new ConfigError('MC101', `model file ${file} is binary, not YAML text (a NUL byte at offset ${nul})`, { file }, 'name a .yaml model file');
    }
    return bytes.toString('utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const broken = code === 'ENOENT' && lstatSync(abs, { throwIfNoEntry: false })?.isSymbolicLink();
    const what = broken ? 'is a broken symbolic link' : code === 'ENOENT' ? 'not found' : `cannot be read (${code ?? (e as Error).message})`;
    throw new ConfigError('MC100', `model file ${abs} ${what}`, { file }, code === 'ENOENT' ? 'check the path of the .yaml model file' : undefined);
  }
}

function specModule(spec: string, abs: string, file: string, locate: Locator): ModelConfig['spec'] {
  const where = { file, ...locate(['spec'], 'value') };
  const hash = spec.lastIndexOf('#');
  const modulePath = hash < 0 ? spec : spec.slice(0, hash);
  const exportName = hash < 0 ? 'default' : spec.slice(hash + 1);
  if (!modulePath) throw new ConfigError('MC103', `spec ${JSON.stringify(spec)} names no module`, where, 'write spec: ./myspec.ts or ./myspec.ts#exportName');
  if (!/^[A-Za-z_$][\w$]*$/.test(exportName)) {
    throw new ConfigError('MC103', `spec ${JSON.stringify(spec)} names no valid export after '#'`, where, 'write spec: ./myspec.ts#exportName, or leave out #... for the default export');
  }
  const module = resolve(dirname(abs), modulePath);
  if (!isFile(module)) {
    const withTs = !extname(module) && isFile(`${module}.ts`) ? `${modulePath}.ts` : undefined;
    throw new ConfigError('MC105', `spec module not found: ${module}`, where,
      withTs ? `did you mean spec: ${withTs}${hash < 0 ? '' : `#${exportName}`}?` : `spec: is relative to the model file's directory, ${dirname(abs)}`);
  }
  return { module, export: exportName };
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The name is a folder under traces/: it must stay one plain folder name. */
function checkName(name: unknown, file: string, locate: Locator): void {
  if (typeof name !== 'string') return;
  if (!/[/\\\x00-\x1f\x7f]/.test(name) && name !== '.' && name !== '..') return;
  throw new ConfigError('MC103', `name ${JSON.stringify(name)} must be a plain name: no / or \\, control characters, or . and ..`, { file, ...locate(['name'], 'value') },
    'the name is the folder of its counterexamples under traces/: use letters, digits, -, _ and spaces');
}

/** `search.memory`: a size such as 2GiB or 500MB, in bytes (the schema checked its form). */
function memorySize(text: string, file: string, locate: Locator): number {
  const n = parseSize(text);
  if (n !== undefined) return n;
  throw new ConfigError('MC103', `search.memory ${JSON.stringify(text)} is not a size of at least one byte`, { file, ...locate(['search', 'memory'], 'value') },
    'write a size such as 2GiB, 500MB or 64MiB');
}

/** Reads, validates and normalizes a model file. Throws `ConfigError` for every mistake in it. */
export function loadModelFile(path: string): ModelConfig {
  const abs = resolve(path);
  const file = displayPath(abs);
  const { data, locate } = parseYaml(readModelFile(abs, file), file);
  if (data === null || data === undefined) {
    throw new ConfigError('MC104', 'the model file is empty', { file, line: 1, col: 1 }, 'a model file needs at least `spec: ./myspec.ts`');
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError('MC103', `the model file must be a mapping of keys (spec:, params:, ...), not ${Array.isArray(data) ? 'a list' : describeValue(data)}`,
      { file, ...locate([]) }, 'start with `spec: ./myspec.ts` on its own line');
  }
  checkFairnessKey(data as Data, file, locate);
  const errors = validate(data);
  if (errors.length) throw firstError(errors, data, file, locate);

  const d = data as Data;
  checkName(d.name, file, locate);
  const check = (d.check ?? {}) as Data;
  const search = (d.search ?? {}) as Data;
  const expect = d.expect as Data | undefined;
  const { states, generated, depth, ...verdicts } = expect ?? {};
  return {
    file: abs,
    name: (d.name as string | undefined) ?? basename(abs).replace(/\.ya?ml$/i, ''),
    spec: specModule(d.spec as string, abs, file, locate),
    params: (d.params ?? {}) as Data,
    network: d.network as ModelConfig['network'],
    faults: d.faults as ModelConfig['faults'],
    fairness: d.fairness as ModelConfig['fairness'],
    check: {
      invariants: check.invariants as string[] | undefined,
      steps: check.steps as string[] | undefined,
      properties: check.properties as string[] | undefined,
      deadlock: (check.deadlock as boolean | undefined) ?? true,
    },
    search: {
      strategy: (search.strategy as 'bfs' | 'dfs' | undefined) ?? 'bfs',
      maxStates: search.maxStates as number | undefined,
      maxDepth: search.maxDepth as number | undefined,
      constraints: search.constraints as string[] | undefined,
      stepTimeout: search.stepTimeout as number | undefined,
      stopAtFirst: (search.stopAtFirst as boolean | undefined) ?? false,
      checkSpec: (search.checkSpec as boolean | undefined) ?? false,
      ...(search.memory !== undefined ? { memory: memorySize(search.memory as string, file, locate) } : {}),
      ...(search.workers !== undefined ? { workers: search.workers as number | 'auto' } : {}),
      reduction: search.reduction as 'none' | 'por' | undefined,
      ...(search.symmetry !== undefined ? { symmetry: search.symmetry as string[] } : {}),
    },
    ...(d.simulate !== undefined ? { simulate: d.simulate as ModelConfig['simulate'] } : {}),
    expect: expect && {
      verdicts: verdicts as Record<string, Verdict>,
      states: states as number | undefined,
      generated: generated as number | undefined,
      depth: depth as number | undefined,
    },
    locate,
  };
}
