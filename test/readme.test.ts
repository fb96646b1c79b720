// The README's tutorial works as written: its spec and model file are extracted from README.md,
// checked, broken as the tutorial says, and the counterexample replayed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkModel } from '../checker/run/check-model.ts';
import { replayTrace } from '../checker/trace/replay.ts';

const readme = readFileSync('README.md', 'utf8');

function block(lang: string, firstLine: RegExp): string {
  const re = new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g');
  for (const m of readme.matchAll(re)) if (firstLine.test(m[1].split('\n')[0])) return m[1];
  throw new Error(`no ${lang} block starting with ${firstLine}`);
}

// A folder at the top of the repository, as the tutorial's `mine/`, so `../checker/index.ts` resolves.
const dir = mkdtempSync(join(process.cwd(), '.readme-'));
const traces = join(dir, 'traces');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the README tutorial', () => {
  const spec = block('ts', /^\/\/ mine\/peterson\.ts$/);
  const yaml = block('yaml', /yaml-language-server/);

  it('proves mutual exclusion of the tutorial spec in 34 states', async () => {
    writeFileSync(join(dir, 'peterson.ts'), spec);
    writeFileSync(join(dir, 'peterson.yaml'), yaml);
    const o = await checkModel(join(dir, 'peterson.yaml'), { tracesDir: traces });
    expect(o.error).toBeUndefined();
    expect(o.result?.distinct).toBe(34);
    expect(o.verdicts.map((v) => [v.name, v.verdict])).toEqual([['mutex', 'holds'], ['deadlock', 'holds']]);
    expect(o.regressions).toEqual([]);
  });

  it('refutes it, broken as the tutorial says, with the 8-step counterexample shown, which replays', async () => {
    const broken = spec.replace('s.turn === 1 - i)', 's.turn === i)');
    expect(broken).not.toBe(spec);
    writeFileSync(join(dir, 'broken.ts'), broken);
    writeFileSync(join(dir, 'broken.yaml'), yaml.replace('./peterson.ts', './broken.ts'));
    const o = await checkModel(join(dir, 'broken.yaml'), { tracesDir: traces });
    const mutex = o.verdicts.find((v) => v.name === 'mutex')!;
    expect(mutex.verdict).toBe('violated');
    const labels = mutex.trace!.path.slice(1).map((p) => `${p.label!.action}(i=${String(p.label!.params.i)})`);
    // The README prints these steps.
    for (const l of labels) expect(readme).toContain(`  ${l}\n`);
    expect(labels).toHaveLength(8);
    const r = await replayTrace(mutex.trace!.file!);
    expect(r.summary).toBe('replayed 8 steps: mutex is violated at step 8, as recorded');
  });
});
