// The diagram pages in a real browser: lanes, arrows, the cross of a lost message, the violated
// property, the state panel after a click, the arrow keys, and a 2,000-step trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { diagramData } from '../../checker/report/diagram-data.ts';
import { renderPage } from '../../checker/report/html/page.ts';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';
import { ExplorerSession } from '../../checker/sim/explorer.ts';
import { faultTrace } from '../fixtures/sim/fault-trace.ts';
import { hasChromium, launch, SHOTS } from './browser.ts';

const dir = mkdtempSync(join(tmpdir(), 'tsmc-browser-'));
let browser: Browser;

async function open(file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The page must not touch the network: every request other than the file itself fails the test.
  page.on('request', (r) => { if (!r.url().startsWith('file://')) errors.push(`network request: ${r.url()}`); });
  await page.goto(`file://${resolve(file)}`);
  return { page, errors };
}

describe.skipIf(!hasChromium)('diagram pages in chromium', () => {
  beforeAll(async () => {
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('a Paxos counterexample: a lane per process, an arrow per message, the violated property; a click shows the state', async () => {
    const out = join(dir, 'paxos.html');
    const r = spawnSync(process.execPath, ['bin/replay.js', 'traces/paxos-ignore-accepted/agreement-6ec5.json', '--html', out, '-q'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const { page, errors } = await open(out);
    expect(await page.locator('[data-role=lanes] .lane-name').allTextContents()).toEqual(['proposer1', 'proposer2', 'acceptor1', 'acceptor2', 'acceptor3']);
    expect(await page.locator('[data-role=messages] [data-fate=delivered]').count()).toBe(12);
    expect(await page.locator('[data-role=messages] [data-fate=in-flight]').count()).toBe(0);
    expect(await page.locator('[data-role=violation]').textContent()).toBe('agreement is violated at step 14');
    expect(await page.locator('[data-role=panel] [data-prop=agreement]').getAttribute('data-holds')).toBe('false');
    await page.screenshot({ path: join(SHOTS, 'paxos-counterexample.png') });
    await page.locator('[data-event="3"]').click();
    expect(await page.locator('[data-role=step-title]').textContent()).toBe('Step 3 of 14: proposer1 -> acceptor1: Prepare(bal=0)');
    expect(await page.locator('[data-role=changes]').textContent()).toContain('acceptor.acceptor1.promised: -1 -> 0');
    expect(await page.locator('[data-role=lamport]').textContent()).toBe('Lamport timestamp 2');
    expect(await page.locator('[data-role=state]').textContent()).toContain('acceptor.acceptor1: {promised: 0');
    expect(await page.locator('[data-role=panel] [data-prop=agreement]').getAttribute('data-holds')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('[data-role=step-title]').textContent()).toMatch(/^Step 4 of 14:/);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await page.locator('[data-role=step-title]').textContent()).toMatch(/^Step 2 of 14:/);
    await page.screenshot({ path: join(SHOTS, 'paxos-step-3.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('a trace with faults: the cross of a lost message, a duplicate, a crash, a partition, messages in flight', async () => {
    const { model, path } = faultTrace();
    const out = join(dir, 'faults.html');
    writeFileSync(out, renderPage('pingpong with faults', 'hand-built trace', { diagrams: [diagramData(model, path, { title: 'pingpong with faults' })] }));
    const { page, errors } = await open(out);
    expect(await page.locator('[data-role=lanes] .lane-name').allTextContents()).toEqual(['client1', 'server1', 'server2']);
    expect(await page.locator('[data-role=lost]').count()).toBe(1);
    expect(await page.locator('[data-role=messages] [data-fate=dropped]').count()).toBe(1);
    expect(await page.locator('[data-role=messages] .dup').count()).toBe(1);
    expect(await page.locator('[data-role=partition]').count()).toBe(1);
    expect(await page.locator('[data-role=down]').count()).toBe(1);
    expect(await page.locator('[data-kind=crash]').count()).toBe(1);
    expect(await page.locator('[data-role=inflight] li').allTextContents()).toEqual(['client1 → server2: Ping(n=1) (duplicate), sent at step 4']);
    await page.locator('[data-event="2"]').click();
    expect(await page.locator('[data-role=step-title]').textContent()).toBe('Step 2 of 10: drop client1 -> server1');
    expect(await page.locator('[data-role=changes]').textContent()).toContain('network: - client1 -> server1: Ping(n=0)');
    await page.screenshot({ path: join(SHOTS, 'faults.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('a saved counterexample with a drop fault (two generals): the cross, the timeouts, the violated property', async () => {
    const out = join(dir, 'two-generals.html');
    const r = spawnSync(process.execPath, ['bin/replay.js', 'traces/two-generals-3/agreement-e772.json', '--html', out, '-q'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const { page, errors } = await open(out);
    expect(await page.locator('[data-role=lanes] .lane-name').allTextContents()).toEqual(['general1', 'general2']);
    expect(await page.locator('[data-role=lost]').count()).toBe(1);
    expect(await page.locator('[data-role=messages] [data-fate=delivered]').count()).toBe(3);
    expect(await page.locator('[data-kind=timeout]').count()).toBe(2);
    expect(await page.locator('[data-role=violation]').textContent()).toBe('agreement is violated at step 7');
    await page.locator('[data-event="5"]').click();
    expect(await page.locator('[data-role=step-title]').textContent()).toBe('Step 5 of 7: drop general2 -> general1: Messenger(n=3)');
    expect(await page.locator('[data-role=changes]').textContent()).toContain('faults.drop: 0 -> 1');
    await page.screenshot({ path: join(SHOTS, 'two-generals-drop.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('a 2,000-step trace stays responsive: it draws, and a key press updates the panel quickly', async () => {
    const resolved = await resolveModel(loadModelFile('specs/peterson.yaml'));
    const s = new ExplorerSession(resolved.model, 11);
    expect(s.random(2000)).toBe(2000);
    const out = join(dir, 'long.html');
    writeFileSync(out, renderPage('peterson, 2,000 random steps', 'long trace', { diagrams: [diagramData(resolved.model, s.path, { title: 'peterson: 2,000 steps' })] }));
    const started = Date.now();
    const { page, errors } = await open(out);
    const loaded = Date.now() - started;
    expect(await page.locator('[data-role=diagram] .row').count()).toBe(2001);
    await page.locator('[data-event="1000"]').click();
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowDown');
    expect(await page.locator('[data-role=step-title]').textContent()).toMatch(/^Step 1020 of 2000:/);
    const perKey = (Date.now() - t0) / 20;
    expect(loaded).toBeLessThan(15_000);
    expect(perKey).toBeLessThan(250);
    await page.screenshot({ path: join(SHOTS, 'long-trace.png') });
    expect(errors).toEqual([]);
  }, 90_000);

  it('check --html: the hand-in report with the verdicts and the counterexample diagram', async () => {
    const out = join(dir, 'report.html');
    const r = spawnSync(process.execPath, ['bin/check.js', 'specs/peterson-turn-first.yaml', '--traces', dir, '--html', out], { encoding: 'utf8' });
    expect(r.status).toBe(12);
    const { page, errors } = await open(out);
    expect(await page.locator('[data-role=verdicts] [data-prop=mutex] td').first().textContent()).toBe('violated');
    expect(await page.locator('[data-role=lanes] .lane-name').allTextContents()).toEqual(['i=0', 'i=1']);
    await page.screenshot({ path: join(SHOTS, 'report.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);
});
