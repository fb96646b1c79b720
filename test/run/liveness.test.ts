// Liveness end to end on tiny models with known answers: verdicts, lassos, notes, exit codes,
// trace files and their replay.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel, type ModelOutcome } from '../../checker/run/check-model.ts';
import { EXIT } from '../../checker/run/exit-codes.ts';
import { formatOutcome } from '../../checker/report/text.ts';
import { replayTrace } from '../../checker/trace/replay.ts';
import type { TraceFile } from '../../checker/trace/format.ts';

const dir = 'test/fixtures/liveness';
const traces = mkdtempSync(join(tmpdir(), 'tsmc-liveness-'));
const run = (name: string, overrides = {}) => checkModel(join(dir, `${name}.yaml`), { tracesDir: traces, overrides });
const verdict = (o: ModelOutcome, name: string) => o.verdicts.find((v) => v.name === name);

describe('temporal properties on a small cycle (x: 0 -> 1 -> 2 -> 3 -> 1 ..., weak fairness on step and back)', () => {
  it('gives each operator its verdict, families one verdict per member', async () => {
    const o = await run('cycle');
    expect(o.regressions).toEqual([]);
    expect(Object.fromEntries(o.verdicts.map((v) => [v.name, v.verdict]))).toEqual({
      reach3: 'holds',
      zeroAgain: 'violated',
      settles: 'holds',
      oneToThree: 'holds',
      fourToZero: 'holds',
      flagAtZero: 'holds',
      flagAtFour: 'violated',
      'each[v=1]': 'holds',
      'each[v=2]': 'holds',
      'each[v=3]': 'holds',
    });
    expect(o.exitCode).toBe(EXIT.liveness);
  });

  it('prints a lasso with a shortest prefix and the step its loop goes back to', async () => {
    const o = await run('cycle');
    const v = verdict(o, 'zeroAgain')!;
    // init (x=0) -> x=1, then round 1 -> 2 -> 3 -> 1.
    expect(v.trace!.loopStart).toBe(1);
    expect(v.trace!.path.map((s) => (s.state as { x: number }).x)).toEqual([0, 1, 2, 3, 1]);
    const text = formatOutcome(o);
    expect(text).toContain('FAIL  zeroAgain   infinitely often: x is 0 again and again  (lasso: 1 step + loop of 3)');
    expect(text).toContain('-- loop back to step 1 --');
  });

  it('says when a leadsTo holds vacuously, and gives the witness of sometimes', async () => {
    const o = await run('cycle');
    expect(verdict(o, 'fourToZero')!.note).toBe('vacuously: its left side never holds');
    const w = verdict(o, 'flagAtZero')!;
    expect(w.trace!.path.length).toBe(2);
    expect(formatOutcome(o)).toContain('ok    flagAtZero  sometimes: the flag is set while x is 0  (witness: 1 step)');
    expect(verdict(o, 'flagAtFour')!.note).toBe('no reachable state satisfies it');
  });

  it('without fairness, a state may stutter for ever: a lasso of no loop step', async () => {
    const o = await run('cycle-unfair');
    expect(o.regressions).toEqual([]);
    const v = verdict(o, 'reach3')!;
    expect(v.trace!.loopStart).toBe(0);
    expect(v.trace!.path.length).toBe(1);
    expect(formatOutcome(o)).toContain('-- stutters at step 0 for ever (no fair step is enabled there) --');
    expect(o.exitCode).toBe(EXIT.liveness);
  });

  it('a depth bound makes liveness unknown, with the reason; a witness found still counts', async () => {
    const o = await run('cycle-bounded');
    expect(verdict(o, 'reach3')).toMatchObject({ verdict: 'unknown', note: expect.stringContaining('depth bound') });
    expect(verdict(o, 'flagAtZero')!.verdict).toBe('holds');
    expect(verdict(o, 'flagAtFour')!.verdict).toBe('unknown');
    expect(o.exitCode).toBe(EXIT.ok);
  });

  it('a state limit makes liveness unknown', async () => {
    const o = await run('cycle', { maxStates: 3 });
    expect(verdict(o, 'reach3')).toMatchObject({ verdict: 'unknown', note: expect.stringContaining('state limit') });
  });

  it('expect: names a family member as reported, or the family for all its members', async () => {
    const o = await run('cycle-unfair');
    expect(o.config!.expect!.verdicts).toMatchObject({ reach3: 'violated', each: 'violated' });
    expect(o.regressions).toEqual([]);
  });
});

describe('weak and strong fairness', () => {
  it('weak fairness does not force an action enabled only now and then: a lasso', async () => {
    const o = await run('flip-weak');
    expect(o.regressions).toEqual([]);
    const v = verdict(o, 'finishes')!;
    expect(v.trace!.loopStart).toBe(0);
    expect(v.trace!.path.map((s) => s.label && s.label.action)).toEqual([null, 'flip', 'flip']);
  });

  it('strong fairness forces it: the property holds', async () => {
    const o = await run('flip-strong');
    expect(o.regressions).toEqual([]);
    expect(o.liveness!.fairness).toEqual([{ selector: 'flip', kind: 'weak', per: 'instance' }, { selector: 'go', kind: 'strong', per: 'instance' }]);
  });

  it('per instance by default: weak fairness of the whole next-state relation lets one process run and the other starve', async () => {
    const o = await run('peterson-whole');
    expect(o.regressions).toEqual([]);
    expect(o.liveness!.fairness).toEqual([{ selector: '*', kind: 'weak', per: 'whole' }]);
    const v = verdict(o, 'starvation[i=0]')!;
    // Process 0 has requested; process 1 goes round and round.
    expect(v.trace!.loopStart).toBe(1);
    expect(v.trace!.path.slice(2).every((s) => s.label!.params.i === 1)).toBe(true);
  });

  it('a safety-only run records no graph', async () => {
    const o = await checkModel('specs/twophase.yaml', { tracesDir: null });
    expect(o.liveness).toBeUndefined();
  });
});

describe('replay of lassos', () => {
  it('re-executes prefix and loop, checks that the loop closes, is fair, and violates the property', async () => {
    const o = await run('flip-weak');
    const r = await replayTrace(verdict(o, 'finishes')!.trace!.file!);
    expect(r.problem).toBeUndefined();
    expect(r.summary).toBe('replayed 2 steps: the behaviour loops back from step 2 to step 0, is fair, and violates finishes, as recorded');
  });

  it('the trace file marks the loop start and the fairness assumed', async () => {
    const o = await run('flip-weak');
    const t = JSON.parse(readFileSync(verdict(o, 'finishes')!.trace!.file!, 'utf8')) as TraceFile;
    expect(t.version).toBe(2);
    expect(t.loopStart).toBe(0);
    expect(t.property).toMatchObject({ name: 'finishes', kind: 'temporal', op: 'eventually' });
    expect(t.fairness).toEqual([{ selector: 'flip', kind: 'weak', per: 'instance' }, { selector: 'go', kind: 'weak', per: 'instance' }]);
  });

  it('names a loop that does not close', async () => {
    const o = await run('cycle');
    const file = verdict(o, 'zeroAgain')!.trace!.file!;
    const t = JSON.parse(readFileSync(file, 'utf8')) as TraceFile;
    const bad = join(traces, 'not-closing.json');
    writeFileSync(bad, JSON.stringify({ ...t, model: { ...t.model, spec: join(process.cwd(), dir, 'toy.ts') }, loopStart: 2 }));
    const r = await replayTrace(bad);
    expect(r.problem).toBe('the loop does not close: the last state (step 4) differs from the loop-start state (step 2)');
    expect(r.exitCode).toBe(EXIT.regression);
  });

  it('names a loop that is not fair under the fairness recorded', async () => {
    const o = await run('flip-weak');
    const t = JSON.parse(readFileSync(verdict(o, 'finishes')!.trace!.file!, 'utf8')) as TraceFile;
    const bad = join(traces, 'unfair.json');
    const fairness = [{ selector: 'flip', kind: 'weak', per: 'instance' }, { selector: 'go', kind: 'strong', per: 'instance' }];
    writeFileSync(bad, JSON.stringify({ ...t, model: { ...t.model, spec: join(process.cwd(), dir, 'toy.ts') }, fairness }));
    const r = await replayTrace(bad);
    expect(r.problem).toBe('the trace replays, but its loop is not fair: SF(go(at=1)) is not met on it');
  });

  it('replays a sometimes witness', async () => {
    const o = await run('cycle');
    const r = await replayTrace(verdict(o, 'flagAtZero')!.trace!.file!);
    expect(r.problem).toBeUndefined();
    expect(r.summary).toBe('replayed 1 step: flagAtZero holds at step 1, the witness recorded');
  });
});

describe('mistakes in temporal properties and fairness', () => {
  it('an unknown key in system() is a spec error, not ignored', async () => {
    const o = await run('typo');
    expect(o.exitCode).toBe(EXIT.spec);
    expect(o.error!.message).toContain("unknown key 'liveness' in the system of typo");
  });

  it('MC120: a fairness selector that names nothing, at its line and column', async () => {
    const o = await run('bad-selector');
    expect(o.exitCode).toBe(EXIT.config);
    expect(o.error!.message).toBe(
      "test/fixtures/liveness/bad-selector.yaml:3:3: error MC120: fairness: 'flop' is not an action of the model (known: flip, go, or * for every step)\n  hint: did you mean 'flip'?",
    );
  });

  it('MC103: a fairness value that is not weak, strong or none', async () => {
    const o = await run('bad-fairness-value');
    expect(o.error!.message).toMatch(/^test\/fixtures\/liveness\/bad-fairness-value.yaml:3:9: error MC103: fairness.flip must be one of weak, strong, none, not 'sometimes'/);
  });

  it('MC109: an unknown name in check.properties', async () => {
    const o = await run('unknown-property');
    expect(o.error!.message).toMatch(/unknown-property.yaml:3:16: error MC109: unknown temporal property 'finish' in check.properties .*\n  hint: did you mean 'finishes'\?/);
  });
});

describe('the search order does not change liveness verdicts', () => {
  for (const file of ['specs/peterson.yaml', 'specs/peterson-unfair.yaml', 'specs/dijkstra-mutex.yaml', 'specs/bakery.yaml', 'specs/paxos-dueling.yaml', 'test/fixtures/liveness/cycle.yaml']) {
    it(`${file}: DFS gives the verdicts BFS gives, and its lassos replay`, async () => {
      const bfs = await checkModel(file, { tracesDir: null });
      const dfs = await checkModel(file, { tracesDir: traces, overrides: { strategy: 'dfs' } });
      expect(dfs.verdicts.map((v) => [v.name, v.verdict])).toEqual(bfs.verdicts.map((v) => [v.name, v.verdict]));
      for (const v of dfs.verdicts.filter((x) => x.trace?.loopStart !== undefined)) {
        const r = await replayTrace(v.trace!.file!);
        expect(r.problem).toBeUndefined();
      }
    }, 60_000);
  }
});

describe('fairness in protocols, with faults', () => {
  it('fair delivery and a fair client: the pong comes back', async () => {
    const o = await run('ping');
    expect(o.regressions).toEqual([]);
    expect(verdict(o, 'answered')!.verdict).toBe('holds');
  });

  it('a crash is never forced, and a crashed server owes nothing: the client waits for ever', async () => {
    const o = await run('ping-crash');
    expect(o.regressions).toEqual([]);
    const path = verdict(o, 'answered')!.trace!.path;
    expect(path.map((s) => s.label && o.resolved!.model.showLabel(s.label))).toEqual([null, 'client1: ping', 'crash server1']);
    const r = await replayTrace(verdict(o, 'answered')!.trace!.file!);
    expect(r.problem).toBeUndefined();
  });

  it('a dropped message is never delivered: the client waits for ever', async () => {
    const o = await run('ping-drop');
    expect(o.regressions).toEqual([]);
    expect(verdict(o, 'answered')!.trace!.path.at(-1)!.label!.fault).toBe('drop');
  });

  it('the model file replaces the spec fairness: only the client role fair leaves the Ping undelivered', async () => {
    const o = await run('ping-client-only');
    expect(o.regressions).toEqual([]);
    expect(o.liveness!.fairness).toEqual([{ selector: 'client', kind: 'weak', per: 'instance' }]);
  });
});
