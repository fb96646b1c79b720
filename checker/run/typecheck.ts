// `check` type-checks the spec module (and what it imports) before searching, so a misspelled
// field or action name is an error at file:line:col rather than a model "proven" with a typo.
// The TypeScript compiler (the native `tsc` of the `typescript` package) runs with strict options
// and an incremental build-info file under node_modules/.cache/tsmc, so the checker's own sources
// are checked once; the result is remembered there too, so a run on unchanged files does not
// start the compiler at all.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/errors.ts';
import { displayPath } from '../config/load.ts';
import { cachedTypecheck, type TypecheckRun } from './typecheck-cache.ts';
import { cacheDir } from './cache-dir.ts';

const require = createRequire(import.meta.url);
/** The checker's own sources: their diagnostics are not the user's to fix. */
const CHECKER_DIR = dirname(fileURLToPath(new URL('../index.ts', import.meta.url))) + sep;

const UNRESOLVED = new Set(['TS2307', 'TS2792', 'TS5097']);

export interface TypeDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly code: string;
  readonly message: string;
}

function tscScript(): string | undefined {
  try {
    return join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    return undefined;
  }
}

function hasNodeTypes(): boolean {
  try {
    require.resolve('@types/node/package.json');
    return true;
  } catch {
    return false;
  }
}

/** `file(line,col): error TS1234: message` and its indented continuation lines. */
export function parseTscOutput(text: string, cwd: string): TypeDiagnostic[] {
  const out: TypeDiagnostic[] = [];
  for (const line of text.split('\n')) {
    const m = /^(.+)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (m) out.push({ file: resolve(cwd, m[1]), line: Number(m[2]), col: Number(m[3]), code: m[4], message: m[5] });
    else if (out.length && /^\s+\S/.test(line)) {
      const last = out[out.length - 1];
      out[out.length - 1] = { ...last, message: `${last.message} ${line.trim()}` };
    }
  }
  return out;
}

/** Type errors in the spec module and the user's files it imports (not in the checker itself).
 *  Undefined when the compiler is not installed: then nothing is checked and nothing is claimed.
 *  The compiler's answer is remembered while no file it read changes (typecheck-cache.ts). */
export function typeErrors(module: string): TypeDiagnostic[] | undefined {
  const tsc = tscScript();
  if (!tsc) return undefined;
  const cwd = process.cwd();
  const dir = cacheDir();
  const options = [
    '--ignoreConfig', '--noEmit', '--pretty', 'false', '--strict', '--target', 'es2022', '--lib', 'es2023',
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--allowImportingTsExtensions', '--skipLibCheck',
    ...(hasNodeTypes() ? ['--types', 'node'] : []),
  ];
  const key = JSON.stringify({ tsc, version: compilerVersion(tsc), options, cwd, module });
  const compile = (): TypecheckRun | undefined => {
    const incremental = dir ? ['--incremental', '--tsBuildInfoFile', join(dir, 'typecheck.tsbuildinfo')] : [];
    const r = spawnSync(process.execPath, [tsc, ...options, '--listFiles', ...incremental, module], { cwd, encoding: 'utf8', timeout: 120_000 });
    if (r.error || r.status === null) return undefined;
    const out = r.stdout + r.stderr;
    return { diagnostics: parseTscOutput(out, cwd), files: listedFiles(out, cwd) };
  };
  const diagnostics = dir ? cachedTypecheck(dir, key, compile) : compile()?.diagnostics;
  // A module the compiler cannot resolve did load at run time (the spec was imported first): a
  // resolution setting differs (paths, JSON), not a mistake in the spec.
  return diagnostics?.filter((d) =>
    !d.file.startsWith(CHECKER_DIR) && !d.file.includes(`${sep}node_modules${sep}`) && !UNRESOLVED.has(d.code));
}

function compilerVersion(tsc: string): string {
  try {
    return (JSON.parse(readFileSync(join(dirname(tsc), '..', 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  } catch {
    return '';
  }
}

/** The files `--listFiles` printed: lines that are a path and nothing else. */
export function listedFiles(text: string, cwd: string): string[] {
  return text.split('\n').map((l) => l.trimEnd()).filter((l) => /\.(d\.)?[cm]?[tj]sx?$/.test(l) && !/\(\d+,\d+\): /.test(l) && !/^\s/.test(l)).map((l) => resolve(cwd, l));
}

/** MC130 for the first type error of a spec module, or undefined when it type-checks. */
export function typecheckSpec(module: string): ConfigError | undefined {
  const errors = typeErrors(module);
  if (!errors?.length) return undefined;
  const [first] = errors;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more type error${errors.length > 2 ? 's' : ''})` : '';
  return new ConfigError('MC130', `type error ${first.code}: ${first.message}${more}`, { file: displayPath(first.file), line: first.line, col: first.col },
    `the spec does not compile: fix it (\`npx tsc --noEmit\` lists every error), or run check with --no-typecheck to skip this check`);
}

/** typecheckSpec, once per module within one run of the command. */
export function typecheckOnce(): (module: string) => ConfigError | undefined {
  const seen = new Map<string, ConfigError | undefined>();
  return (module) => {
    if (!seen.has(module)) seen.set(module, typecheckSpec(module));
    return seen.get(module);
  };
}
