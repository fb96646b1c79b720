import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { diagramData } from '../../checker/report/diagram-data.ts';
import { ExplorerSession } from '../../checker/sim/explorer.ts';
import { renderPage } from '../../checker/report/html/page.ts';
import { replayTrace } from '../../checker/trace/replay.ts';
import { faultTrace } from '../fixtures/sim/fault-trace.ts';

describe('the space-time diagram of a Paxos counterexample', async () => {
  const o = await replayTrace('traces/paxos-ignore-accepted/agreement-6ec5.json');
  const d = diagramData(o.model!, o.path, { title: 't', property: o.trace!.property, violated: true });

  it('has a lane per process, in role order', () => {
    expect(d.lanes).toEqual(['proposer1', 'proposer2', 'acceptor1', 'acceptor2', 'acceptor3']);
    expect(d.lanesFrom).toBe('processes');
  });

  it('draws every message from its send to its delivery, and lists those still in flight', () => {
    for (const m of d.messages) {
      expect(m.sendStep).toBeLessThan(m.endStep ?? Infinity);
      if (m.fate === 'delivered') {
        const e = d.events[m.endStep!];
        expect(e.kind).toBe('deliver');
        expect(e.message).toBe(m.id);
        expect(d.lanes[e.lane]).toBe(d.lanes[m.to]);
        expect(d.events[m.sendStep].sends).toContain(m.id);
      }
    }
    const delivered = d.messages.filter((m) => m.fate === 'delivered').length;
    expect(delivered).toBe(d.events.filter((e) => e.kind === 'deliver').length);
    expect(d.messages.filter((m) => m.fate === 'in-flight').length).toBe((o.path[o.path.length - 1].state as { network: unknown[] }).network.length);
  });

  it('gives each event its Lamport timestamp and vector clock (happened-before is visible)', () => {
    // Step 1: proposer1 prepares (its first event); step 3: acceptor1 receives its Prepare.
    expect(d.events[1]).toMatchObject({ lane: 0, lamport: 1, vc: [1, 0, 0, 0, 0] });
    expect(d.events[3].label).toBe('proposer1 -> acceptor1: Prepare(bal=0)');
    expect(d.events[3]).toMatchObject({ lane: 2, lamport: 2, vc: [1, 0, 1, 0, 0] });
    // A receive is after its send in both clocks; vector clocks never go down on a lane.
    for (const m of d.messages) {
      if (m.fate !== 'delivered') continue;
      const s = d.events[m.sendStep];
      const r = d.events[m.endStep!];
      expect(r.lamport).toBeGreaterThan(s.lamport);
      s.vc.forEach((x, k) => expect(r.vc[k]).toBeGreaterThanOrEqual(x));
    }
  });

  it('shows what changed and which properties hold at every state', () => {
    expect(d.violatedAt).toBe(14);
    expect(d.events[14].props).toEqual({ agreement: false, validity: true });
    expect(d.events[0].props.agreement).toBe(true);
    expect(d.events[3].changes).toContain('acceptor.acceptor1.promised: -1 -> 0');
  });
});

describe('faults in the diagram', () => {
  const { model, path } = faultTrace();
  const d = diagramData(model, path, { title: 'faults' });

  it('a dropped message ends in a cross at the drop step, a duplicate is a second copy', () => {
    const lost = d.messages.find((m) => m.fate === 'dropped')!;
    expect(lost).toMatchObject({ sendStep: 1, endStep: 2, text: 'Ping(n=0)', from: 0, to: 1 });
    const dups = d.messages.filter((m) => m.duplicate);
    expect(dups).toHaveLength(1);
    expect(dups[0]).toMatchObject({ sendStep: 4, fate: 'in-flight', text: 'Ping(n=1)' });
    expect(d.events[4]).toMatchObject({ kind: 'duplicate' });
  });

  it('crashes and partitions are spans; environment steps do not tick the clocks', () => {
    expect(d.down).toEqual([{ start: 6, end: 8, text: 'server1 down', lane: 1 }]);
    expect(d.partitions).toEqual([{ start: 7, end: 9, text: 'partition {client1} | {server1, server2}' }]);
    expect(d.events[7]).toMatchObject({ kind: 'partition', lane: -1 });
    expect(d.events[2].vc).toEqual(d.events[2].vc.map(() => 0));
  });

  it('the page is self-contained: no external script, style, font or image', () => {
    const html = renderPage('faults', 'sub', { diagrams: [d] });
    expect(html).not.toMatch(/<script[^>]+src=|<link\b|@import|url\(\s*['"]?https?:|<img\b/i);
    expect(html).toContain('"fate":"dropped"');
    expect(html.match(/<script\b/g)).toHaveLength(2); // the data and the code
  });

  it('a liveness loop is kept when the trace has one', () => {
    expect(diagramData(model, path, { title: 'lasso', loop: 3 }).loop).toBe(3);
  });
});

describe('faults from the protocol compiler in the diagram', () => {
  it('a random run of echo with every fault: drops end in a cross, crashes are spans, partitions shaded', async () => {
    const r = await resolveModel(loadModelFile('test/fixtures/sim/echo-faults.yaml'));
    const s = new ExplorerSession(r.model, 3);
    s.random(30);
    const d = diagramData(r.model, s.path, { title: 'echo' });
    expect(d.lanes).toEqual(['client1', 'server1', 'server2']);
    expect(d.events.map((e) => e.kind)).toEqual(['init', 'partition', 'heal', 'local', 'crash', 'drop', 'local', 'duplicate', 'restart', 'deliver', 'deliver', 'deliver', 'deliver']);
    expect(d.partitions).toEqual([{ start: 1, end: 2, text: 'partition {client1, server2} | {server1}' }]);
    expect(d.down).toEqual([{ start: 4, end: 8, text: 'server2 down', lane: 2 }]);
    expect(d.messages.map((m) => [m.text, m.sendStep, m.endStep, m.fate, m.duplicate])).toEqual([
      ['Ping', 3, 5, 'dropped', false],
      ['Ping', 6, 9, 'delivered', false],
      ['Ping', 7, 11, 'delivered', true],
      ['Pong', 9, 10, 'delivered', false],
      ['Pong', 11, 12, 'delivered', false],
    ]);
  });
});

describe('a liveness lasso', () => {
  it('replay --html marks the loop of a saved lasso (loopStart)', async () => {
    const o = await replayTrace('traces/peterson-unfair/starvation_i_0-70b5.json');
    const { traceDiagram } = await import('../../checker/report/html/trace-page.ts');
    const d = traceDiagram(o.model!, o.trace!, o.path, o.exitCode === 0);
    expect(d.loop).toBe(1);
    expect(d.violatedAt).toBe(1);
  });
});
