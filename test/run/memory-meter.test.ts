import { describe, expect, it } from 'vitest';
import { collectGarbage, MemoryMeter } from '../../checker/run/memory-meter.ts';
import { checkModel } from '../../checker/run/check-model.ts';
import { formatOutcome } from '../../checker/report/text.ts';

describe('peak memory per model', () => {
  it('gives a later model the memory used while it ran, not the peak of an earlier, bigger one (folder mode)', async () => {
    // An earlier model that needed a lot: 300 MB, touched, then given back.
    let big: Buffer | undefined = Buffer.alloc(300 * 2 ** 20, 1);
    const processPeak = process.resourceUsage().maxRSS * 1024;
    expect(processPeak).toBeGreaterThan(300 * 2 ** 20);
    big = undefined;
    collectGarbage(); // as folder mode does between models
    const meter = new MemoryMeter();
    const small = await checkModel('specs/peterson.yaml', { tracesDir: null });
    const peak = meter.stop();
    expect(big).toBeUndefined();
    expect(peak.exact).toBe(false);
    expect(peak.bytes).toBeLessThan(processPeak - 200 * 2 ** 20);
    // The outcome carries its own meter's reading, and the report says it is sampled.
    expect(small.memory!.exact).toBe(false);
    expect(small.memory!.bytes).toBeLessThan(processPeak - 200 * 2 ** 20);
    expect(formatOutcome(small)).toMatch(/memory: peak about [\d,]+ MB \(sampled\)/);
  });

  it('is the process\'s exact peak when the process peaked while the model ran', async () => {
    const meter = new MemoryMeter();
    const held = Buffer.alloc(400 * 2 ** 20, 1);
    const peak = meter.stop();
    expect(held.length).toBe(400 * 2 ** 20);
    expect(peak.exact).toBe(true);
    // The process's peak as the meter read it when it stopped: the peak read now may only have
    // grown since, by what the lines in between allocated (a few pages).
    const after = process.resourceUsage().maxRSS * 1024;
    expect(peak.bytes).toBeGreaterThanOrEqual(400 * 2 ** 20);
    expect(peak.bytes).toBeLessThanOrEqual(after);
    expect(after - peak.bytes).toBeLessThan(8 * 2 ** 20);
  });
});
