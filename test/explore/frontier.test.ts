import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ChunkedQueue, ChunkedStack } from '../../checker/explore/frontier.ts';
import { frontierAgrees, type FrontierOp } from '../helpers/frontier-agrees.ts';

type Op = FrontierOp;
const agrees = frontierAgrees;

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
