// The benchmark's parsers (scripts/bench/parse.ts) and its row assertions, on captured outputs.
import { describe, expect, it } from 'vitest';
import { parseCheckJSON, parseSpin, parseTimeLine, parseTlc, withoutTimeLine } from '../../scripts/bench/parse.ts';
import { checkReport } from '../../scripts/bench/ours.ts';
import { selectRows, ROWS } from '../../scripts/bench/rows.ts';
import { peerLine, ratio } from '../../scripts/bench/table.ts';

const report = (over: Record<string, unknown> = {}, stats: Record<string, unknown> = {}) => JSON.stringify({
  model: 'twophase-5', status: 'complete', exitCode: 0, error: null,
  stats: { distinct: 8832, generated: 58146, depth: 16, seconds: 0.137, visitedSetBytes: 180000, peakMemoryBytes: 104857600, ...stats },
  properties: [{ name: 'Consistent', kind: 'invariant', verdict: 'holds' }, { name: 'live', kind: 'temporal', verdict: 'holds' }],
  expect: { Consistent: 'holds', states: 8832 }, regressions: [], ...over,
});

describe('bench output parsing', () => {
  it('reads the counts, times, memory and verdicts of a JSON report', () => {
    const r = parseCheckJSON(report({}, { livenessSeconds: 0.25 }));
    expect(r).toMatchObject({ exitCode: 0, status: 'complete', distinct: 8832, generated: 58146, depth: 16, seconds: 0.137, livenessSeconds: 0.25, visitedSetBytes: 180000, peakMemoryBytes: 104857600, expectedStates: 8832 });
    expect(r.verdicts).toEqual([{ name: 'Consistent', kind: 'invariant', verdict: 'holds' }, { name: 'live', kind: 'temporal', verdict: 'holds' }]);
  });

  it('says what it got when the output is not a report', () => {
    expect(() => parseCheckJSON('check: no model file or folder given')).toThrow(/not a JSON report: check: no model/);
    expect(() => parseCheckJSON('')).toThrow(/\(no output\)/);
    expect(() => parseCheckJSON('[1]')).toThrow(/not a JSON report of one model file/);
  });

  it('reads the last GNU time line and leaves the rest of stderr', () => {
    const err = 'a warning\nBENCH-TIME 9.99 1 1 1\nBENCH-TIME 1.25 0.90 0.10 120000\n';
    expect(parseTimeLine(err)).toEqual({ wall: 1.25, user: 0.9, sys: 0.1, maxRssBytes: 120000 * 1024 });
    expect(parseTimeLine('no time here')).toBeUndefined();
    expect(withoutTimeLine(err).trim()).toBe('a warning');
  });

  it("reads Spin's pan summary", () => {
    const pan = `(Spin Version 6.5.2 -- 6 December 2019)
State-vector 36 byte, depth reached 25, errors: 0
  1745408 states, stored
 16762370 states, matched
 18507778 transitions (= stored+matched)
pan: elapsed time 7.78 seconds
pan: rate 224345.5 states/second`;
    expect(parseSpin(pan)).toEqual({ stored: 1_745_408, transitions: 18_507_778, errors: 0, seconds: 7.78, depth: 25 });
    expect(parseSpin('pan: out of memory')).toBeUndefined();
  });

  it("reads TLC's final counts", () => {
    const tlc = `Model checking completed. No error has been found.
58146 states generated, 8832 distinct states found, 0 states left on queue.
The depth of the complete state graph search is 17.
Finished in 06s at (2026-11-23 21:21:17)`;
    expect(parseTlc(tlc)).toEqual({ generated: 58146, distinct: 8832, depth: 17, error: false });
    expect(parseTlc(`Error: Invariant Consistent is violated.\n10 states generated, 9 distinct states found, 0 states left on queue.`)?.error).toBe(true);
    expect(parseTlc('Progress(11): 32,529 states generated')).toBeUndefined();
  });
});

describe('bench row assertions', () => {
  const row = ROWS.find((r) => r.name === 'twophase-7')!;
  it('accepts the expected count and refuses any other', () => {
    expect(checkReport({ ...row, expect: 8832 }, parseCheckJSON(report()))).toBeUndefined();
    expect(checkReport(row, parseCheckJSON(report()))).toBe('8832 distinct states, expected 296448');
    expect(checkReport({ ...row, expect: undefined }, parseCheckJSON(report({ expect: { states: 9000 } })))).toMatch(/expects 9000/);
  });

  it('fails a run that did not hold or did not finish', () => {
    expect(checkReport({ ...row, expect: 8832 }, parseCheckJSON(report({ exitCode: 10, regressions: ['states: 8831, expected 8832'] })))).toMatch(/exit code 10 \(states: 8831/);
    expect(checkReport({ ...row, expect: 8832 }, parseCheckJSON(report({ status: 'state-limit' })))).toBe('search state-limit');
    expect(checkReport({ ...row, expect: 8832 }, parseCheckJSON(report({ status: 'config-error', exitCode: 151, error: 'bad key' })))).toBe('config-error: bad key');
  });

  it('a reduction row must have fewer states than its reference', () => {
    const reduced = parseCheckJSON(report({ expect: null }, { distinct: 665 }));
    const full = parseCheckJSON(report());
    expect(checkReport({ ...row, expect: undefined }, reduced, full)).toBeUndefined();
    expect(checkReport({ ...row, expect: undefined }, full, full)).toMatch(/not fewer than 8832/);
  });

  it('selects rows by name and refuses unknown ones', () => {
    expect(selectRows(['twophase-8']).map((r) => r.name)).toEqual(['twophase-8']);
    expect(selectRows([]).length).toBe(ROWS.length);
    expect(() => selectRows(['twophase-80'])).toThrow(/unknown row twophase-80/);
  });

  it('prints ratios against the peers and n/a for what is missing', () => {
    expect(ratio(3, 2)).toBe('1.50x');
    expect(ratio(undefined, 2)).toBe('');
    const one = { row, workers: 1, wallSeconds: 4 };
    const two = { row, workers: 2, skipped: 'n/a: check has no --workers yet' };
    const line = peerLine('twophase-7', 296_448, { seconds: 0.5 }, one, two, { peer: 'spin', wallSeconds: 2 }, { peer: 'tlc', skipped: 'TLC not found' });
    expect(line).toBe('| twophase-7 | 296,448 | 0.50 | 4.00 | n/a | 2.00 | 2.00x | skipped: TLC not found |  | -, - |');
    expect(peerLine('twophase-7', 296_448, { failure: '3 states, expected 4' }, one, two, undefined, undefined)).toContain('| FAILED: 3 states, expected 4 |');
  });

  it('measures the spec alone on every reachable state, with the right count', async () => {
    const { runFloor } = await import('../../scripts/bench/floor.ts');
    const root = new URL('../..', import.meta.url).pathname;
    const ok = runFloor(root, { name: 'tp', model: 'specs/twophase.yaml', expect: 288, workers: [1] });
    expect(ok.failure).toBeUndefined();
    expect(ok.seconds).toBeGreaterThan(0);
    const wrong = runFloor(root, { name: 'tp', model: 'specs/twophase.yaml', expect: 289, workers: [1] });
    expect(wrong.failure).toBe('288 states, expected 289');
  });
});
