import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../../checker/run/check-model.ts';
import { replayTrace } from '../../checker/trace/replay.ts';
import type { TraceFile } from '../../checker/trace/format.ts';

async function bugTrace(): Promise<{ file: string; trace: TraceFile }> {
  const dir = mkdtempSync(join(tmpdir(), 'tsmc-replay-'));
  const o = await checkModel('specs/twophase-commit-alone.yaml', { tracesDir: dir });
  const file = o.verdicts.find((v) => v.name === 'Consistent')!.trace!.file!;
  return { file, trace: JSON.parse(readFileSync(file, 'utf8')) as TraceFile };
}

function edited(file: string, trace: TraceFile, change: (t: any) => void): string {
  const copy = structuredClone(trace) as any;
  change(copy);
  const out = file.replace(/\.json$/, '-edited.json');
  writeFileSync(out, JSON.stringify(copy));
  return out;
}

describe('replay', () => {
  it('replays a counterexample written by check, and reports it reproduced', async () => {
    const { file, trace } = await bugTrace();
    expect(trace.steps.map((s) => s.label)).toEqual(['init', 'RMPrepare(rm=r1)', 'RMChooseToAbort(rm=r2)', 'RMCommitAlone(rm=r1)']);
    const r = await replayTrace(file);
    expect(r.exitCode).toBe(0);
    expect(r.summary).toBe('replayed 3 steps: Consistent is violated at step 3, as recorded');
  });

  it('names the first step that is no longer possible when the spec changed', async () => {
    const { file, trace } = await bugTrace();
    const r = await replayTrace(edited(file, trace, (t) => (t.model.params.variant = 'correct')));
    expect(r.exitCode).toBe(10);
    expect(r.problem).toMatch(/^step 3 \(RMCommitAlone\(rm=r1\)\) is no longer possible at this state/);
    expect(r.path).toHaveLength(3);
  });

  it('names a step that now gives another state', async () => {
    const { file, trace } = await bugTrace();
    const r = await replayTrace(edited(file, trace, (t) => (t.steps[2].state.rmState.r2 = 'committed')));
    expect(r.exitCode).toBe(10);
    expect(r.problem).toMatch(/^step 2 \(RMChooseToAbort\(rm=r2\)\) now gives another state/);
    expect(r.problem).toMatch(/rmState.r2: committed -> aborted/);
  });

  it('says so when the property now holds at the end of the trace', async () => {
    const { file, trace } = await bugTrace();
    const r = await replayTrace(edited(file, trace, (t) => (t.steps = t.steps.slice(0, 3))));
    expect(r.exitCode).toBe(10);
    expect(r.problem).toBe('the trace replays, but Consistent now holds in its last state (step 2)');
  });

  it('rejects a file that is not a trace, with a coded error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-replay-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    const r = await replayTrace(bad);
    expect(r.exitCode).toBe(151);
    expect(r.problem).toMatch(/bad.json: error MC202: not a trace file/);
    const missing = await replayTrace(join(dir, 'nope.json'));
    expect(missing.problem).toMatch(/error MC201: no such trace file/);
  });

  it('speaks of the trace\'s own keys, not of a model file, when its recorded model no longer fits the spec', async () => {
    const { file, trace } = await bugTrace();
    const param = await replayTrace(edited(file, trace, (t) => (t.model.params.nope = 3)));
    expect(param.exitCode).toBe(151);
    expect(param.problem).toMatch(/error MC108: the trace's "model.params.nope": unknown param 'nope'/);
    expect(param.problem).toMatch(/hint: .*fix "model.params.nope" in the trace, or run `check` on the model file again/);
    const exp = await replayTrace(edited(file, trace, (t) => (t.model.export = 'zzz')));
    expect(exp.problem).toMatch(/error MC107: the trace's "model.export": .*has no export named 'zzz'/);
    expect(exp.problem).not.toMatch(/spec:/);
    const net = await replayTrace(edited(file, trace, (t) => (t.model.network = 'fifo')));
    expect(net.problem).toMatch(/error MC110: the trace's "model.network"/);
    expect(net.problem).toMatch(/remove "model.network" from the trace/);
    const weird = await replayTrace(edited(file, trace, (t) => (t.model.network = 'weird')));
    expect(weird.problem).toMatch(/error MC202: .*"model.network" is "weird", not one of unordered, fifo/);
  });

  it('rejects a recorded state that no longer fits the state type', async () => {
    const { file, trace } = await bugTrace();
    const r = await replayTrace(edited(file, trace, (t) => (t.steps[1].state.tmState = 'maybe')));
    expect(r.exitCode).toBe(10);
    expect(r.problem).toBe("step 1 (RMPrepare(rm=r1)): the recorded state no longer fits the spec's state type: state.tmState is \"maybe\", not one of init, committed, aborted");
  });

  it('does not replay a trace whose states hold a process the spec does not have', async () => {
    const { file, trace } = await bugTrace();
    const r = await replayTrace(edited(file, trace, (t) => (t.steps[0].state.rmState.r9 = 'working')));
    expect(r.exitCode).toBe(10);
    expect(r.problem).toBe("step 0 (init): the recorded state has state.rmState.r9, which the spec's state type does not declare");
  });
});
