// Turns a loaded model file into a model: imports the spec module, checks the params against the
// spec's declarations, instantiates it, and checks the property names the file mentions.
import { dirname, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, SpecError, UnplacedConfigError } from '../core/errors.ts';
import { isSpecDefinition, showParam, type Model, type SpecDefinition } from '../core/spec.ts';
import { guarded, resetGuards } from '../explore/guard.ts';
import { withTimeout } from '../explore/timeout.ts';
import { selectorProblem } from '../explore/fairness.ts';
import { didYouMean, displayPath } from './load.ts';
import type { ModelConfig } from './model.ts';

export interface ResolvedModel {
  /** The config, with `network` defaulted to `unordered` for protocols. */
  readonly config: ModelConfig;
  readonly definition: SpecDefinition;
  /** Every declared param: the file's value, or the declared default. */
  readonly params: Record<string, unknown>;
  readonly model: Model;
}

type Path = readonly (string | number)[];

/** The first line of an error's message (and the next one when the first only introduces it). */
function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  let line = lines[0] ?? '(no message)';
  if (line.endsWith(':') && lines[1]) line = `${line} ${lines[1]}`;
  const name = e instanceof Error && e.name !== 'Error' ? `${e.name}: ` : '';
  return name + line;
}

function list(names: readonly string[]): string {
  return names.length ? names.join(', ') : '(none)';
}

/** Imports the spec module and picks the export the model file names. */
async function loadDefinition(config: ModelConfig, at: (p: Path, k?: 'key' | 'value') => ConfigError['where']): Promise<SpecDefinition> {
  const specFile = displayPath(config.spec.module);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(config.spec.module).href)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    // A .ts file outside an ES-module package is loaded as CommonJS, which cannot import the checker.
    const commonJs = /require\(\) ES Module|ERR_REQUIRE_ESM|require\(esm\)/.test(String((e as Error)?.message ?? e));
    const hint = commonJs
      ? `the spec is loaded as CommonJS: put a package.json with "type": "module" in its folder (or a parent), or name it .mts`
      : `run \`npx tsx ${specFile}\` to see the full error`;
    const err = new ConfigError('MC106', `spec module ${specFile} failed to load: ${firstLine(e)}`, at(['spec'], 'key'), hint);
    err.cause = e;
    throw err;
  }
  const name = config.spec.export;
  const specs = Object.keys(mod).filter((k) => isSpecDefinition(mod[k]));
  const rel = relative(dirname(config.file), config.spec.module).replace(/\\/g, '/');
  const written = (k: string) => `${rel.startsWith('.') ? '' : './'}${rel}${k === 'default' ? '' : `#${k}`}`;
  const hint = specs.length
    ? didYouMean(name, specs, `its exports that are specs: ${specs.join(', ')}; write e.g. spec: ${written(specs[0])}`)
    : 'export one from the module: export default defineSpec({ ... })';
  const value = mod[name];
  if (value === undefined) {
    const what = name === 'default' ? 'has no default export' : `has no export named '${name}'`;
    throw new ConfigError('MC107', `spec module ${specFile} ${what} (exports that are specs: ${list(specs)})`, at(['spec'], 'value'), hint);
  }
  if (!isSpecDefinition(value)) {
    throw new ConfigError('MC107', `export '${name}' of ${specFile} is not a spec (exports that are specs: ${list(specs)})`, at(['spec'], 'value'),
      specs.length ? hint : 'a spec is what defineSpec(...) returns');
  }
  return value;
}

/** The file's params checked against the declared ones, with defaults filled in (declaration order). */
function checkParams(config: ModelConfig, definition: SpecDefinition, at: (p: Path, k?: 'key' | 'value') => ConfigError['where']): Record<string, unknown> {
  const declared = definition.params ?? {};
  const names = Object.keys(declared);
  for (const [k, v] of Object.entries(config.params)) {
    if (!Object.hasOwn(declared, k)) {
      const decl = names.length ? `declared: ${names.join(', ')}` : 'it declares no params';
      throw new ConfigError('MC108', `unknown param '${k}' for spec '${definition.name}' (${decl})`, at(['params', k], 'key'),
        didYouMean(k, names, names.length ? `use one of ${names.join(', ')}` : 'remove params:'));
    }
    const { type, default: dflt } = declared[k];
    let why: string | undefined;
    try {
      why = type.explain(v, k);
    } catch {
      why = `${k} is not ${type.describe()}`;
    }
    if (why !== undefined) {
      throw new ConfigError('MC108', `param ${why}`, at(['params', k], 'value'), `${k} must be ${type.describe()}; its default is ${showParam(dflt)}`);
    }
  }
  return Object.fromEntries(names.map((k) => [k, Object.hasOwn(config.params, k) ? config.params[k] : declared[k].default]));
}

/** Every property name the file mentions must be one the model declares. */
function checkNames(config: ModelConfig, model: Model, at: (p: Path, k?: 'key' | 'value') => ConfigError['where']): void {
  const invariants = model.invariants.map((p) => p.name);
  const steps = model.steps.map((p) => p.name);
  const unknown = (name: string, what: string, known: readonly string[], path: Path, k: 'key' | 'value', other?: string) =>
    new ConfigError('MC109', `unknown ${what} '${name}' in ${path[0] === 'check' || path[0] === 'search' ? path.slice(0, 2).join('.') : path[0]} (the spec declares: ${list(known)})`, at(path, k),
      other ?? didYouMean(name, known, known.length ? `use one of ${known.join(', ')}` : `remove it: the spec declares no ${what}`));
  config.check.invariants?.forEach((n, i) => {
    if (!invariants.includes(n)) {
      const other = steps.includes(n) ? `'${n}' is a step property: list it under check.steps` : undefined;
      throw unknown(n, 'invariant', invariants, ['check', 'invariants', i], 'value', other);
    }
  });
  config.check.steps?.forEach((n, i) => {
    if (!steps.includes(n)) {
      const other = invariants.includes(n) ? `'${n}' is an invariant: list it under check.invariants` : undefined;
      throw unknown(n, 'step property', steps, ['check', 'steps', i], 'value', other);
    }
  });
  const constraints = (model.constraints ?? []).map((p) => p.name);
  config.search.constraints?.forEach((n, i) => {
    if (!constraints.includes(n)) throw unknown(n, 'constraint', constraints, ['search', 'constraints', i], 'value');
  });
  const symmetric = (model.symmetry ?? []).map((d) => d.name);
  config.search.symmetry?.forEach((n, i) => {
    if (!symmetric.includes(n)) {
      throw new ConfigError('MC140', `unknown symmetric domain '${n}' in search.symmetry (${symmetric.length ? `symmetric domains of this model: ${symmetric.join(', ')}` : 'the spec declares no symmetry: { ... }'})`,
        at(['search', 'symmetry', i], 'value'),
        symmetric.length ? didYouMean(n, symmetric, `use one of ${symmetric.join(', ')}`) : 'declare the interchangeable values in the spec: system(State, { symmetry: { RM }, ... })');
    }
  });
  const temporal = [...new Set((model.properties ?? []).flatMap((p) => (p.family ? [p.family, p.name] : [p.name])))];
  config.check.properties?.forEach((n, i) => {
    if (!temporal.includes(n)) {
      const other = invariants.includes(n) ? `'${n}' is an invariant: list it under check.invariants` : undefined;
      throw unknown(n, 'temporal property', temporal, ['check', 'properties', i], 'value', other);
    }
  });
  if (config.fairness !== undefined && config.fairness !== 'none') {
    for (const sel of Object.keys(config.fairness)) {
      const why = selectorProblem(model, sel);
      if (why) throw new ConfigError('MC120', `fairness: ${why}`, at(['fairness', sel], 'key'), didYouMean(sel, model.actions.map((a) => a.name.split('.').pop()!)));
    }
  }
  for (const d of model.fairness ?? []) {
    const why = selectorProblem(model, d.selector);
    if (why) throw new SpecError('build', `the fairness of spec '${model.name}': ${why}`, { hint: 'name an action (or role.action, a role, a process, deliver, *) in fairness: { ... }' });
  }
  const known = [...invariants, ...steps, ...temporal, 'deadlock'];
  for (const n of Object.keys(config.expect?.verdicts ?? {})) {
    if (!known.includes(n)) throw unknown(n, 'property', known, ['expect', n], 'key');
  }
}

/** What the search and the reports read of a model: a hand-made `{ kind: 'spec', instantiate }` fails here, not deep inside. */
function looksLikeModel(m: unknown): m is Model {
  const x = m as Partial<Model> | null;
  return typeof x === 'object' && x !== null && Array.isArray(x.init) && Array.isArray(x.actions) && Array.isArray(x.invariants) &&
    Array.isArray(x.steps) && typeof x.type === 'object' && x.type !== null && typeof x.showLabel === 'function';
}

/** Imports the spec, checks params and names against it, and instantiates the model. */
export async function resolveModel(config: ModelConfig, options: { readonly buildTimeoutMs?: number } = {}): Promise<ResolvedModel> {
  const file = displayPath(config.file);
  const at = (p: Path, k: 'key' | 'value' = 'key') => ({ file, ...config.locate(p, k), key: p });
  const definition = await loadDefinition(config, at);
  const params = checkParams(config, definition, at);

  let resolved = config;
  if (definition.kind === 'spec' && config.network !== undefined) {
    throw new ConfigError('MC110', `network: applies only to protocols, and '${definition.name}' is a plain spec`, at(['network'], 'key'),
      'remove the network: line');
  }
  if (definition.kind === 'spec' && config.faults !== undefined) {
    throw new ConfigError('MC111', `faults: apply only to protocols (defineProtocol), and '${definition.name}' is a plain spec`, at(['faults'], 'key'),
      'remove the faults: block, or write the algorithm with defineProtocol so the checker can crash its processes and lose its messages');
  }
  if (definition.kind === 'protocol' && config.network === undefined) resolved = { ...config, network: 'unordered' };

  let model: Model;
  try {
    // Building runs spec code (init, build functions): the clock and randomness are guarded there too.
    const build = () => guarded(() => definition.instantiate(params, { network: resolved.network, faults: resolved.faults }));
    if (options.buildTimeoutMs === undefined) model = build();
    else {
      // A build function or init in an infinite loop is stopped like an action would be.
      const out = withTimeout(build, options.buildTimeoutMs);
      if (out.timedOut) {
        resetGuards();
        const shown = Object.entries(params).map(([k, v]) => `${k}=${showParam(v)}`).join(', ');
        throw new SpecError('timeout', `spec ${displayPath(config.spec.module)} ran for more than ${options.buildTimeoutMs / 1000} s building its model${shown ? ` (${shown})` : ''}: an infinite loop in its build function or init?`, {
          action: 'build',
          hint: 'building the model (params, types, init) must return quickly; raise --step-timeout (search.stepTimeout) if it is only slow',
        });
      }
      model = out.value!;
    }
  } catch (e) {
    if (e instanceof SpecError && e.code === 'timeout') throw e;
    if (e instanceof ConfigError) throw e;
    if (e instanceof UnplacedConfigError) throw new ConfigError(e.code, e.message, at(e.path, 'value'), e.hint);
    const shown = Object.entries(params).map(([k, v]) => `${k}=${showParam(v)}`).join(', ');
    throw new SpecError('build', `spec ${displayPath(config.spec.module)} failed to build its model${shown ? ` (${shown})` : ''}: ${firstLine(e)}`, {
      cause: e,
      hint: `the error is thrown while instantiating '${definition.name}'; fix its build function or choose other params in ${file}`,
    });
  }
  if (!looksLikeModel(model)) {
    throw new ConfigError('MC107', `export '${config.spec.export}' of ${displayPath(config.spec.module)} is not a spec: its instantiate() does not give a model`, at(['spec'], 'value'),
      'a spec is what defineSpec(...) or defineProtocol(...) returns; do not build one by hand');
  }
  checkNames(resolved, model, at);
  return { config: resolved, definition, params, model };
}
