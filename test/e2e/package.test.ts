/**
 * The package as shipped (dist/, `npm run build`) in headless Chromium with no bundler: a page that maps
 * 'ndgpu' to dist/ with an import map, and a module Web Worker. Each runs the same program of views,
 * copies and writes on init({ backend: 'webgpu' }) and init({ backend: 'cpu' }) and compares the bytes.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchPage } from './support/browser.js';
import { DIST, ensureBuilt } from './support/build.js';
import { expectSameOnBothBackends, type Comparison } from './support/compare.js';
import { serveStatic, type StaticServer } from './support/server.js';

const PAGES = fileURLToPath(new URL('./pages/', import.meta.url));

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  await ensureBuilt();
  server = await serveStatic({ '/dist/': DIST, '/pages/': PAGES });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function load(path: string): Promise<{ result: Comparison; problems: string[] }> {
  const page = await browser.newPage();
  const problems = watchPage(page);
  try {
    await page.goto(`${server.origin}${path}`);
    const handle = await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result, null, { timeout: 90_000 });
    return { result: (await handle.jsonValue()) as Comparison, problems };
  } finally {
    await page.close();
  }
}

describe('the built package in Chromium, without a bundler', () => {
  it('imports through an import map; WebGPU and the CPU agree byte for byte', async () => {
    const { result, problems } = await load('/pages/esm.html');
    expectSameOnBothBackends(result);
    expect(result.error).toEqual({ isIndexError: true, message: 'IndexError: index 5 is out of bounds for axis 0 with size 3' });
    expect(problems).toEqual([]);
  }, 120_000);

  it('runs in a module Web Worker with navigator.gpu; WebGPU and the CPU agree byte for byte', async () => {
    const { result, problems } = await load('/pages/worker.html');
    expect(result.hasGPU).toBe(true);
    expectSameOnBothBackends(result);
    expect(problems).toEqual([]);
  }, 120_000);

  it('runs under a Content-Security-Policy that allows WebAssembly but not eval', async () => {
    const { result, problems } = await load('/pages/csp.html');
    expect((result as Comparison & { evalRefused?: boolean }).evalRefused).toBe(true);
    expectSameOnBothBackends(result);
    // The policy refuses eval, and the browser reports that as a console error: the only one allowed.
    expect(problems.filter((p) => !/Content Security Policy|unsafe-eval/.test(p))).toEqual([]);
  }, 120_000);

  it('reaches no Node-only module: only relative static imports; dynamic imports of the backends and of Dawn', () => {
    const files: string[] = [];
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) visit(join(dir, entry.name));
        else if (entry.name.endsWith('.js')) files.push(join(dir, entry.name));
      }
    };
    visit(DIST);
    expect(files.length).toBeGreaterThan(10);
    const dynamic: string[] = [];
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      const staticImports = [
        ...code.matchAll(/^\s*(?:import|export)\s[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm),
      ].map((m) => m[1] ?? m[2]);
      for (const specifier of staticImports) expect(specifier, `${relative(DIST, file)} imports '${specifier}'`).toMatch(/^\.\.?\//);
      if (/\bimport\s*\(/.test(code)) dynamic.push(relative(DIST, file));
      expect(code, relative(DIST, file)).not.toMatch(/\brequire\s*\(|['"]node:/);
    }
    // init.ts imports the backend it picks (bundlers split each into a chunk of its own);
    // src/device/webgpu/adapter.ts loads Dawn ('webgpu') only in Node, through a variable specifier.
    expect(dynamic.sort()).toEqual(['device/webgpu/adapter.js', 'init.js']);
  });
});
