/**
 * The playground, built by Vite (demo-dist/) and served as static files, in headless Chromium: NumPy's
 * "Copies and Views" tutorial step by step on WebGPU — values, the cells each view walks and the cells a
 * write changes — free statements, errors in place, the CPU fallback, and the README's screenshot.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchPage } from './support/browser.js';
import { DEMO_DIST, DIST, ROOT, ensureBuilt } from './support/build.js';
import { card, range, readState, runTutorialStep, type, waitReady, type PlaygroundState } from './support/playground.js';
import { serveStatic, type StaticServer } from './support/server.js';

// The screenshot goes to test-results/ so that a test run leaves the tree clean; NDGPU_UPDATE_SCREENSHOT=1
// writes the committed docs/playground.png instead.
const SCREENSHOT_DIR = join(ROOT, process.env.NDGPU_UPDATE_SCREENSHOT ? 'docs' : 'test-results');
const SCREENSHOT = join(SCREENSHOT_DIR, 'playground.png');
const A0 = '[[ 0  1  2  3]\n [ 4  5  6  7]\n [ 8  9 10 11]]';
const A1234 = '[[   0    1    2    3]\n [1234    5    6    7]\n [   8    9   10   11]]';
const A10 = '[[   0   10   10    3]\n [1234   10   10    7]\n [   8   10   10   11]]';

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  await ensureBuilt();
  server = await serveStatic({ '/demo/': DEMO_DIST, '/dist/': DIST });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('playground on WebGPU', () => {
  let page: Page;
  let problems: string[];
  /** Console entries already checked. */
  let seen = 0;

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    problems = watchPage(page);
    await page.goto(`${server.origin}/demo/`);
    await waitReady(page);
  }, 120_000);

  /** The console entries added since the last call. */
  const newEntries = (state: PlaygroundState) => {
    const entries = state.entries.slice(seen);
    seen = state.entries.length;
    return entries;
  };
  const outputs = (state: PlaygroundState) => newEntries(state).flatMap((e) => (e.output === null ? [] : [e.output]));

  it('runs on WebGPU, not the CPU fallback', async () => {
    const badge = await page.textContent('[data-testid=backend]');
    const state = await readState(page);
    expect(state.backend, `the playground said: ${badge}`).toBe('webgpu');
    expect(badge).toMatch(/^WebGPU/);
  });

  it('steps through "Copies and Views": values, walks, writes lighting up every array over the buffer', async () => {
    // No Copy at All
    await runTutorialStep(page);
    let state = await readState(page);
    expect(outputs(state)).toEqual(['True']);
    expect(state.buffers.map((b) => b.owner)).toEqual(['a = b']);
    expect(card(state, 'a')).toMatchObject({
      names: 'a b',
      values: A0,
      fields: { shape: '(3, 4)', strides: '(16, 4)', offset: '0', dtype: 'int32', base: 'None', owndata: 'True' },
      walk: range(12),
      changed: [],
    });
    await runTutorialStep(page);
    state = await readState(page);
    const [idA, idB] = outputs(state);
    expect(idA).toMatch(/^\d+$/);
    expect(idB).toBe(idA);

    // View or Shallow Copy
    await runTutorialStep(page);
    state = await readState(page);
    expect(outputs(state)).toEqual(['False', 'True', 'False']);
    expect(card(state, 'c')).toMatchObject({
      values: A0,
      fields: { base: 'a = b', owndata: 'False', strides: '(16, 4)' },
      walk: range(12),
    });

    await runTutorialStep(page);
    state = await readState(page);
    expect(outputs(state)).toEqual(['(3, 4)']);
    expect(card(state, 'c').fields).toMatchObject({ shape: '(2, 6)', strides: '(24, 4)', offset: '0' });

    await runTutorialStep(page); // c[0, 4] = 1234
    state = await readState(page);
    expect(outputs(state)).toEqual([A1234]);
    expect(card(state, 'a')).toMatchObject({ values: A1234, changed: [4] });
    expect(card(state, 'c')).toMatchObject({ values: '[[   0    1    2    3 1234    5]\n [   6    7    8    9   10   11]]', changed: [4] });

    // A view that walks the buffer out of order, made before the next write
    await type(page, 'x = a[::-1, ::2]');
    state = await readState(page);
    expect(card(state, 'x')).toMatchObject({
      fields: { shape: '(3, 2)', strides: '(-16, 8)', offset: '32', base: 'a = b', owndata: 'False' },
      walk: [8, 10, 4, 6, 0, 2],
      changed: [],
    });

    // Slicing: s[:] = 10 changes cells 1, 2, 5, 6, 9 (cell 10 already held 10), in every array touching them
    await runTutorialStep(page);
    state = await readState(page);
    expect(outputs(state)).toEqual([A10]);
    expect(card(state, 's')).toMatchObject({
      values: '[[10 10]\n [10 10]\n [10 10]]',
      fields: { shape: '(3, 2)', strides: '(16, 4)', offset: '4', base: 'a = b', owndata: 'False' },
      walk: [1, 2, 5, 6, 9, 10],
      changed: [1, 2, 5, 6, 9],
    });
    expect(card(state, 'a')).toMatchObject({ values: A10, changed: [1, 2, 5, 6, 9] });
    expect(card(state, 'c').changed).toEqual([1, 2, 5, 6, 9]);
    expect(card(state, 'x')).toMatchObject({ values: '[[   8   10]\n [1234   10]\n [   0   10]]', changed: [2, 6] });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.mouse.move(0, 0); // no hover state in the picture
    writeFileSync(SCREENSHOT, await settledScreenshot(page));

    // Transposes walk the buffer column by column
    await type(page, 'b = a.T');
    state = await readState(page);
    expect(card(state, 'b')).toMatchObject({
      fields: { shape: '(4, 3)', strides: '(4, 16)' },
      walk: [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11],
    });
    expect(card(state, 'a').names).toBe('a');
    await type(page, 'b = a\ndel x');
    state = await readState(page);
    expect(() => card(state, 'x')).toThrow();

    // Deep Copy: new memory, a is untouched by d's write
    await runTutorialStep(page);
    state = await readState(page);
    expect(outputs(state)).toEqual(['False', 'False', A10]);
    expect(state.buffers.map((b) => b.owner)).toEqual(['a = b', 'd']);
    expect(card(state, 'd')).toMatchObject({
      values: A10.replace('   0', '9999'),
      fields: { base: 'None', owndata: 'True' },
      changed: [0],
    });
    expect(card(state, 'a').changed).toEqual([]);

    // Copy after slicing: a's 1,000 elements go away with `del a`; b keeps 100 of its own
    await runTutorialStep(page);
    state = await readState(page);
    expect(outputs(state)).toEqual([]);
    expect(state.buffers.map((b) => b.owner)).toEqual(['c.base', 'd', 'b']);
    expect(card(state, 'b')).toMatchObject({ fields: { shape: '(100,)', base: 'None', owndata: 'True' }, walk: range(100) });
    expect(state.held).toBe('arrays hold 496 bytes');

    // ...but with b = a[:100], a's memory stays: b.base is the unnamed 1,000-element array
    await runTutorialStep(page);
    state = await readState(page);
    expect(outputs(state)).toEqual(['False']);
    expect(state.buffers.map((b) => b.owner)).toEqual(['c.base', 'd', 'b.base']);
    expect(card(state, 'b')).toMatchObject({ fields: { shape: '(100,)', base: 'b.base', owndata: 'False' }, walk: range(100) });
    expect(card(state, 'b.base').fields).toMatchObject({ shape: '(1000,)', owndata: 'True' });
    expect(state.held).toBe('arrays hold 4,096 bytes');
    expect(await page.textContent('[data-testid=tutorial] .progress')).toBe('all 9 steps run');
  }, 180_000);

  it("shows errors in place, with ndgpu's NumPy messages, and keeps going", async () => {
    await type(page, 'c[5, 0]');
    await type(page, 'c.reshape(5, 5)');
    await type(page, 'y = (1,');
    await type(page, 'c[:, 0] = [1, 2, 3]');
    await type(page, 'c[0, :2] = -1; c[0]');
    const entries = newEntries(await readState(page));
    expect(entries.map((e) => e.error)).toEqual([
      'IndexError: index 5 is out of bounds for axis 0 with size 2',
      'ValueError: cannot reshape array of size 12 into shape (5,5)',
      "y = (1,\n    ^\nSyntaxError: '(' was never closed",
      'ValueError: could not broadcast input array from shape (3,) into shape (2,)',
      null,
      null,
    ]);
    expect(entries.at(-1)?.output).toBe('[  -1   -1   10    3 1234   10]');
  });

  it('loaded and ran with no page errors, console errors or failed requests', () => {
    expect(problems).toEqual([]);
  });
});

/** A screenshot taken again until two in a row are the same: the page has finished painting. */
async function settledScreenshot(page: Page): Promise<Buffer> {
  let shot = await page.screenshot({ animations: 'disabled', caret: 'hide' });
  for (let attempt = 0; attempt < 10; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const next = await page.screenshot({ animations: 'disabled', caret: 'hide' });
    if (next.equals(shot)) break;
    shot = next;
  }
  return shot;
}

describe('playground without WebGPU', () => {
  it('falls back to the CPU and says why', async () => {
    const context = await browser.newContext();
    // A browser without WebGPU: navigator.gpu is undefined.
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true }));
    const page = await context.newPage();
    const problems = watchPage(page);
    try {
      await page.goto(`${server.origin}/demo/`);
      await waitReady(page);
      expect(await page.textContent('[data-testid=backend]')).toBe(
        'CPU · WebGPU unavailable: this environment has no navigator.gpu (WebGPU is not available or not enabled)',
      );
      await runTutorialStep(page);
      const state = await readState(page);
      expect(state.backend).toBe('cpu');
      expect(card(state, 'a')).toMatchObject({ values: A0, walk: range(12) });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
