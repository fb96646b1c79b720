// A frontier against a plain array: pushes and pops give the same entries in the same order (FIFO or
// LIFO), and forEach (when the frontier has it, for checkpoints) lists what is left in push order.
import { expect } from 'vitest';
import type { Frontier, FrontierEntry } from '../../checker/explore/frontier.ts';

export type FrontierOp = { push: Uint8Array } | 'pop';

export function frontierAgrees(frontier: Frontier, lifo: boolean, ops: readonly FrontierOp[]): void {
  const model: { ord: number; depth: number; bytes: Uint8Array }[] = [];
  const out: FrontierEntry = { ord: 0, depth: 0, buf: new Uint8Array(0), start: 0, end: 0 };
  let ord = 0;
  for (const op of ops) {
    if (op === 'pop') {
      const want = lifo ? model.pop() : model.shift();
      expect(frontier.pop(out)).toBe(want !== undefined);
      if (want) {
        expect([out.ord, out.depth]).toEqual([want.ord, want.depth]);
        expect(Buffer.compare(out.buf.subarray(out.start, out.end), want.bytes)).toBe(0);
      }
    } else {
      frontier.push(ord, ord * 3, op.push, op.push.length);
      model.push({ ord, depth: ord * 3, bytes: op.push });
      ord++;
    }
    expect(frontier.size).toBe(model.length);
  }
  if (frontier.forEach === undefined) return;
  const listed: number[] = [];
  frontier.forEach((o, depth, _buf, start, end) => {
    listed.push(o);
    expect(depth).toBe(o * 3);
    expect(end - start).toBe(model.find((m) => m.ord === o)!.bytes.length);
  });
  expect(listed).toEqual(model.map((m) => m.ord));
}
