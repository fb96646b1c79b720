import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkedQueue, ChunkedStack, type FrontierEntry } from '../../checker/explore/frontier.ts';

type Op = { push: Uint8Array } | 'pop';

/** Pushes and pops against a plain array model; entries of up to 300 KB cross chunk boundaries. */
function agrees(frontier: ChunkedQueue | ChunkedStack, lifo: boolean, ops: Op[]): void {
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
      const bytes = op.push;
      frontier.push(ord, ord * 3, bytes, bytes.length);
      model.push({ ord, depth: ord * 3, bytes: op.push });
      ord++;
    }
    expect(frontier.size).toBe(model.length);
  }
}

const ops = fc.array(
  fc.oneof(
    fc.constant<Op>('pop'),
    fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 8 }).map((xs): Op => ({ push: Uint8Array.from(xs) })),
    fc.integer({ min: 0, max: 255 }).map((b): Op => ({ push: new Uint8Array(300_000).fill(b) })),
  ),
  { maxLength: 40 },
);

describe('frontiers', () => {
  it('the queue is first in, first out, across chunks', () => {
    fc.assert(fc.property(ops, (o) => agrees(new ChunkedQueue(), false, o)), { numRuns: 60 });
  });
  it('the stack is last in, first out, across chunks', () => {
    fc.assert(fc.property(ops, (o) => agrees(new ChunkedStack(), true, o)), { numRuns: 60 });
  });
});
