// Fuzz: model files and trace files mutated at random never crash the CLI. Whatever the input,
// `check` and `replay` exit with a code other than 255, print no stack trace, and every error
// they report carries a code (MCnnn, or a spec error's code).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { check, replay, type CliRun } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tsmc-fuzz-'));
const spec = resolve('test/fixtures/reliability/specs.ts');
const seeds = [
  `spec: ${spec}#counter\nname: fuzz\nparams: {}\ncheck: { invariants: [small], deadlock: true }\nsearch: { strategy: bfs, maxDepth: 5 }\nexpect: { small: violated, states: 4 }\n`,
  `spec: ${resolve('test/fixtures/cli/counter.ts')}\nparams: { max: 2 }\ncheck:\n  invariants:\n    - small\n    - notCorner\nexpect: { small: holds, notCorner: violated, deadlock: holds, states: 9 }\n`,
];

/** A random edit of a text: insert, delete, duplicate or swap lines, or replace a value. */
const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('insert'), at: fc.nat(), text: fc.oneof(fc.string(), fc.constantFrom(':', '- ', '{', '}', '[', ']', '&a', '*a', '!!binary', '\t', '\n', '---', '#', '"', "'", '\u0000', '\u202e', '-1', '0', '1e309', 'null', '~')) }),
  fc.record({ kind: fc.constant('delete'), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('lines'), a: fc.nat(), b: fc.nat(), dup: fc.boolean() }),
);
type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, ms: readonly TextMutation[]): string {
  for (const m of ms) {
    if (m.kind === 'insert') {
      const at = m.at % (text.length + 1);
      text = text.slice(0, at) + m.text + text.slice(at);
    } else if (m.kind === 'delete') {
      const at = m.at % (text.length + 1);
      text = text.slice(0, at) + text.slice(at + m.len);
    } else {
      const lines = text.split('\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      if (m.dup) lines.splice(b, 0, lines[a]);
      else [lines[a], lines[b]] = [lines[b], lines[a]];
      text = lines.join('\n');
    }
  }
  return text;
}

function expectWellBehaved(r: CliRun, what: string): void {
  const all = r.out + r.err;
  expect(r.code, `${what}\n${all}`).not.toBe(255);
  expect(all, what).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
  expect(all, what).not.toMatch(/internal error/);
  if (r.code === 151) expect(all, `${what}\n${all}`).toMatch(/error MC\d{3}|check: |replay: /);
  if (r.code === 150) expect(all, `${what}\n${all}`).toMatch(/spec error( \(\w[\w-]*\))?/);
}

describe('fuzzing the CLI', () => {
  it('mutated model files: a verdict or a coded error, never a crash', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...seeds), fc.array(textMutation, { minLength: 1, maxLength: 4 }), async (seed, ms) => {
        const file = join(dir, `m${n++}.yaml`);
        const text = mutate(seed, ms);
        writeFileSync(file, text);
        expectWellBehaved(await check(file, '--no-traces', '--no-typecheck'), text);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  describe('mutated trace files', () => {
    let trace: string;
    beforeAll(async () => {
      const r = await check('test/fixtures/reliability/no-expect-violation.yaml', '--traces', dir, '--no-typecheck');
      expect(r.code).toBe(12);
      const [f] = readdirSync(join(dir, 'no-expect-violation'));
      trace = readFileSync(join(dir, 'no-expect-violation', f), 'utf8');
    });

    /** A JSON value to put somewhere in a trace. */
    const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(undefined, null, {}, [], '', 'init', -1, 1.5, 'deadlock', 'step'));

    it('as JSON: fields removed or replaced', async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), junk), { minLength: 1, maxLength: 3 }), async (edits) => {
          const t = JSON.parse(trace);
          for (const [path, value] of edits) {
            let node: any = t;
            for (let i = 0; i < path.length - 1 && node && typeof node === 'object'; i++) {
              const keys = Object.keys(node);
              if (keys.length === 0) break;
              const next = node[keys[path[i] % keys.length]];
              if (next === null || typeof next !== 'object') break;
              node = next;
            }
            if (node && typeof node === 'object') {
              const keys = Object.keys(node);
              const key = keys.length ? keys[path[path.length - 1] % keys.length] : 'x';
              if (value === undefined) delete node[key];
              else node[key] = structuredClone(value);
            }
          }
          const file = join(dir, `t${n++}.json`);
          writeFileSync(file, JSON.stringify(t));
          expectWellBehaved(await replay(file), JSON.stringify(edits));
        }),
        { numRuns: 150 },
      );
    }, 60_000);

    it('as text', async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(textMutation, { minLength: 1, maxLength: 3 }), async (ms) => {
          const file = join(dir, `u${n++}.json`);
          writeFileSync(file, mutate(trace, ms));
          expectWellBehaved(await replay(file), JSON.stringify(ms));
        }),
        { numRuns: 100 },
      );
    }, 60_000);
  });
});
