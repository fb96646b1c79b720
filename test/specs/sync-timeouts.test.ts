// specs/sync-timeouts.ts: a synchronous timer fires only when nothing but timers and faults can
// happen, so it never fires while a message to anyone can still be delivered.
import { describe, expect, it } from 'vitest';
import type { FaultModel } from '../../checker/core/spec.ts';
import { search } from '../../checker/explore/search.ts';
import { withSynchronousTimeouts } from '../../specs/sync-timeouts.ts';
import { reachable } from '../helpers/reachable.ts';
import waiter from '../fixtures/faults/waiter.ts';

const sync = withSynchronousTimeouts(waiter);
const states = (faults: FaultModel, synchronous: boolean) => {
  const model = (synchronous ? sync : waiter).instantiate({}, { network: 'unordered', faults });
  return { model, distinct: search(model, { strategy: 'bfs', deadlock: false }).distinct, all: reachable(model) as any[] };
};

describe('synchronous timeouts', () => {
  // Asynchronous: 3 message states (unsent, in flight, received) not fired; fired early in the
  // first two, after which the message goes on (3 states); fired late once received (1): 7.
  it('asynchronous timers fire at any step: 7 states, 3 fired early', () => {
    const { distinct, all } = states({}, false);
    expect(distinct).toBe(7);
    expect(all.filter((g) => g.receiver.receiver1.fired === 'early')).toHaveLength(3);
  });

  // Synchronous: unsent, in flight, received, then the deadline fires late: 4 states.
  it('a synchronous timer waits until every message is delivered: 4 states, none fired early', () => {
    const { distinct, all } = states({}, true);
    expect(distinct).toBe(4);
    expect(all.some((g) => g.receiver.receiver1.fired === 'early')).toBe(false);
  });

  // + the message lost, and then the deadline fires early: 6 states. A fault step does not keep a
  // timer from firing (the drop was possible in the state where the timer fired).
  it('fires early only when the message was lost', () => {
    const { distinct, all } = states({ drop: { max: 1 } }, true);
    expect(distinct).toBe(6);
    const early = all.filter((g) => g.receiver.receiver1.fired === 'early');
    expect(early).toHaveLength(1);
    expect(early[0].faults.drop).toBe(1);
  });

  it('fires when the awaited sender crashed before sending', () => {
    const { all } = states({ crash: { max: 1, roles: ['sender'] } }, true);
    const early = all.filter((g) => g.receiver.receiver1.fired === 'early');
    expect(early.map((g) => [g.down, g.sender.sender1.sent])).toEqual([[['sender1'], false]]);
  });
});
