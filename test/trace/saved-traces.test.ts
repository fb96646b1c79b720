// Every saved trace under traces/ still replays against the current specs.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../checker/trace/replay.ts';

function traceFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? traceFiles(p) : n.endsWith('.json') ? [p] : [];
  });
}

const files = traceFiles('traces');

describe('saved traces', () => {
  it('there are saved traces to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(`${file} replays and still violates its property`, async () => {
      const r = await replayTrace(file);
      expect(r.problem).toBeUndefined();
      expect(r.exitCode).toBe(0);
    }, 60_000);
  }
});
