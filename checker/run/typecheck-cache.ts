// The type-check's result, remembered: the compiler lists every file the spec's program read
// (the spec, the user's files it imports, the checker's sources, the compiler's libraries), and
// the result is reused while every one of them is unchanged: same content for the project's files
// (a SHA-256), same size and modification time for files under node_modules, and the same
// package.json (or none) in every folder above the project's files. A changed file, an
// added or removed one, another compiler version or other options: the compiler runs again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import type { TypeDiagnostic } from './typecheck.ts';

export interface TypecheckRun {
  readonly diagnostics: readonly TypeDiagnostic[];
  /** Every file the compiler read (absolute paths); empty when it did not say. */
  readonly files: readonly string[];
}

interface Entry {
  readonly version: 1;
  readonly key: string;
  readonly files: readonly (readonly [string, string])[];
  readonly diagnostics: readonly TypeDiagnostic[];
}

const NODE_MODULES = `${sep}node_modules${sep}`;

/** What a file is now: its content hash, or for an installed package's file its size and time.
 *  A package.json may be absent (that is part of what the compiler saw: it decides whether a
 *  .ts file is an ES module). */
function fingerprint(file: string): string | undefined {
  if (basename(file) === 'package.json' && !existsSync(file)) return 'absent';
  try {
    if (file.includes(NODE_MODULES)) {
      const st = statSync(file);
      return `${st.size}:${st.mtimeMs}`;
    }
    return createHash('sha256').update(readFileSync(file)).digest('base64');
  } catch {
    return undefined;
  }
}

/** The files, and the package.json (present or not) of every folder above the project's files:
 *  adding one, or changing its "type", changes how the compiler reads the files below it. */
function withPackageFiles(files: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const file of files) {
    if (file.includes(NODE_MODULES)) continue;
    for (let dir = dirname(file); !dirs.has(dir); dir = dirname(dir)) {
      dirs.add(dir);
      if (dirname(dir) === dir) break;
    }
  }
  return [...files, ...[...dirs].map((d) => join(d, 'package.json'))];
}

function changedSince(file: string, time: number): boolean {
  try {
    return statSync(file).mtimeMs >= time;
  } catch {
    return true;
  }
}

function entryPath(dir: string, key: string): string {
  return join(dir, `typecheck-${createHash('sha256').update(key).digest('hex').slice(0, 24)}.json`);
}

function readEntry(path: string, key: string): Entry | undefined {
  try {
    const e = JSON.parse(readFileSync(path, 'utf8')) as Entry;
    return e.version === 1 && e.key === key && Array.isArray(e.files) && e.files.length > 0 && Array.isArray(e.diagnostics) ? e : undefined;
  } catch {
    return undefined;
  }
}

/** The diagnostics for `key` (the module, the compiler's version and options, the directory):
 *  from the cache when every file the last run read is unchanged, else from `run`, which is then
 *  remembered. `run` returning undefined (no compiler, a crash) is passed on and not remembered. */
export function cachedTypecheck(dir: string, key: string, run: () => TypecheckRun | undefined): readonly TypeDiagnostic[] | undefined {
  const path = entryPath(dir, key);
  const hit = readEntry(path, key);
  if (hit && hit.files.every(([file, fp]) => fingerprint(file) === fp)) return hit.diagnostics;
  const started = Date.now();
  const fresh = run();
  if (!fresh) return undefined;
  const files: [string, string][] = [];
  for (const file of withPackageFiles(fresh.files)) {
    const fp = fingerprint(file);
    // A file that cannot be read now, or that changed while (or just before) the compiler read
    // it: what it read may not be what is there, so the result is not remembered.
    if (fp === undefined || (fp !== 'absent' && changedSince(file, started - 2000))) return fresh.diagnostics;
    files.push([file, fp]);
  }
  if (files.length > 0) {
    const entry: Entry = { version: 1, key, files, diagnostics: fresh.diagnostics };
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, path);
    } catch {
      // A read-only cache folder: the next run checks again.
    }
  }
  return fresh.diagnostics;
}
