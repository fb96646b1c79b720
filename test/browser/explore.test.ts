// The explorer in a real browser: take three steps, go back one, save, and replay the saved file.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launch, SHOTS } from './browser.ts';

let browser: Browser;
let server: ChildProcess;
let url = '';
const traces = mkdtempSync(join(tmpdir(), 'tsmc-explore-'));

describe.skipIf(!hasChromium)('explore in chromium', () => {
  beforeAll(async () => {
    server = spawn(process.execPath, ['bin/explore.js', 'specs/paxos.yaml', '--seed', '5', '--traces', traces], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`explore did not start: ${out}`)), 30_000);
      server.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) {
          clearTimeout(timer);
          ok(m[0]);
        }
      });
      server.once('exit', (code) => fail(new Error(`explore exited with ${code}: ${out}`)));
    });
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((ok) => server.once('exit', ok));
      server.kill('SIGINT');
      await exited;
    }
  });

  it('stops on Ctrl-C (SIGINT) with exit 0', async () => {
    const other = spawn(process.execPath, ['bin/explore.js', 'specs/peterson.yaml'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    other.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    await expect.poll(() => out, { timeout: 30_000 }).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    const code = new Promise<number | null>((ok) => other.once('exit', (c) => ok(c)));
    other.kill('SIGINT');
    expect(await code).toBe(0);
    expect(out).toContain('explore: stopped');
  }, 60_000);

  it('listens on loopback only, takes three steps, goes back one, saves a trace that replay accepts', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    const enabled = page.locator('[data-role=enabled] button');
    await expect.poll(() => enabled.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const taken: string[] = [];
    for (let k = 0; k < 3; k++) {
      const before = await page.locator('[data-role=diagram] .row').count();
      const b = enabled.first();
      taken.push((await b.textContent())!);
      await b.click();
      await expect.poll(() => page.locator('[data-role=diagram] .row').count(), { timeout: 20_000 }).toBe(before + 1);
    }
    expect(await page.locator('[data-role=step-title]').textContent()).toBe(`Step 3 of 3: ${taken[2]}`);
    await page.locator('[data-role=back]').click();
    await expect.poll(() => page.locator('[data-role=diagram] .row').count(), { timeout: 20_000 }).toBe(3);
    await page.screenshot({ path: join(SHOTS, 'explore.png') });
    await page.locator('[data-role=save]').click();
    await expect.poll(() => page.locator('[data-role=status]').textContent(), { timeout: 20_000 }).toMatch(/^saved /);
    const file = (await page.locator('[data-role=status]').textContent())!.replace(/^saved /, '');
    const r = spawnSync(process.execPath, ['bin/replay.js', file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('replayed 2 steps (a path saved by explore)');
    expect(r.stdout).toContain(`1  ${taken[0]}`);
    expect(r.stdout).toContain(`2  ${taken[1]}`);
    expect(errors).toEqual([]);
  }, 90_000);
});
