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
import { serveStatic, type StaticServer } from './support/server.js';

const PAGES = fileURLToPath(new URL('./pages/', import.meta.url));
const TUTORIAL_A = '[[   0   10   10    3]\n [1234   10   10    7]\n [   8   10   10   11]]';

interface ArrayResult {
  name: string;
  dtype: string;
  text: string;
  bytes: number[];
}
interface Comparison {
  failure?: string;
  hasGPU?: boolean;
  auto: { backend: string; fallbackReason: string | null };
  webgpu: { backend: string; device: string; results: ArrayResult[] };
  cpu: { backend: string; results: ArrayResult[] };
  error?: { isIndexError: boolean; message: string };
}

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

function expectSameOnBothBackends(result: Comparison): void {
  expect(result.failure).toBeUndefined();
  expect(result.auto).toEqual({ backend: 'webgpu', fallbackReason: null });
  expect(result.webgpu.backend).toBe('webgpu');
  expect(result.cpu.backend).toBe('cpu');
  expect(result.webgpu.results.map((r) => r.name)).toEqual(['a', 'c', 'd', 'x', 't', 'f', 'u8', 'h', 'i64', 'shifted', 'b', 'cast', 'flipped']);
  for (const [k, gpu] of result.webgpu.results.entries()) expect(gpu, `array '${gpu.name}'`).toEqual(result.cpu.results[k]);
  const byName = new Map(result.webgpu.results.map((r) => [r.name, r]));
  expect(byName.get('a')?.text).toBe(TUTORIAL_A);
  expect(byName.get('shifted')?.text).toBe('[0 0 1 2 3 4 5 6 7 8]');
  expect(byName.get('cast')?.text).toBe('[[  1   0]\n [255   0]]');
  expect(byName.get('h')).toMatchObject({ dtype: 'float16', text: '[9. 8. 7. 6. 5. 4. 3. 2. 1. 0.]' });
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

  it('reaches no Node-only module: only relative static imports, and one guarded dynamic import', () => {
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
      const staticImports = [...code.matchAll(/^\s*(?:import|export)\s[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)].map(
        (m) => m[1] ?? m[2],
      );
      for (const specifier of staticImports) expect(specifier, `${relative(DIST, file)} imports '${specifier}'`).toMatch(/^\.\.?\//);
      if (/\bimport\s*\(/.test(code)) dynamic.push(relative(DIST, file));
      expect(code, relative(DIST, file)).not.toMatch(/\brequire\s*\(|['"]node:/);
    }
    // src/device/adapter.ts loads Dawn ('webgpu') only in Node, through a variable specifier.
    expect(dynamic).toEqual(['device/adapter.js']);
  });
});
