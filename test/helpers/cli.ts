// Runs the CLI's main(argv) in-process with stdout and stderr captured: fast enough for many runs.
import { vi } from 'vitest';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runMain(main: (argv: string[]) => Promise<number>, argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => ((err += String(chunk)), true));
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** `check` without the type-check (a cold compiler run takes seconds; test/cli/typecheck.test.ts covers it). */
export async function check(...argv: string[]): Promise<CliRun> {
  const { main } = await import('../../checker/cli/check.ts');
  return runMain(main, argv.includes('--no-typecheck') ? argv : [...argv, '--no-typecheck']);
}

/** `check` exactly as given, type-check included. */
export async function checkTyped(...argv: string[]): Promise<CliRun> {
  const { main } = await import('../../checker/cli/check.ts');
  return runMain(main, argv);
}

export async function replay(...argv: string[]): Promise<CliRun> {
  const { main } = await import('../../checker/cli/replay.ts');
  return runMain(main, argv);
}
