/**
 * The browser tests in headless Firefox ESR, whose WebGPU is wgpu (Chromium's is Dawn): the built package
 * as a plain ES module (main thread) and in a module Web Worker, each comparing WebGPU with the CPU byte
 * for byte, and the built playground running NumPy's "Copies and Views" tutorial. Nothing can drive
 * Debian's Firefox (playwright-core needs Playwright's patched build), so each page runs by itself in its
 * own browser process and POSTs its results to this test's server (test/e2e/pages/report.js,
 * test/e2e/pages/playground.js); support/firefox.ts starts the browser and ends it. WebGPU is required:
 * a page that falls back to the CPU fails.
 */

import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIST, DIST, ensureBuilt } from './support/build.js';
import { expectSameOnBothBackends, type Comparison } from './support/compare.js';
import { launchFirefox, pageErrors } from './support/firefox.js';
import { card, range, type PlaygroundState } from './support/playground.js';
import { serveStatic, type StaticServer } from './support/server.js';

const PAGES = fileURLToPath(new URL('./pages/', import.meta.url));
/** How long a page may take, browser start included (lavapipe compiles every kernel on the CPU). */
const PAGE_TIMEOUT_MS = 150_000;

let server: StaticServer;
const waiting = new Map<string, (body: string) => void>();
const httpErrors: string[] = [];
let runs = 0;

beforeAll(async () => {
  await ensureBuilt();
  server = await serveStatic(
    { '/dist/': DIST, '/pages/': PAGES, '/demo/': DEMO_DIST },
    {
      postPrefix: '/results/',
      receive: (path, body) => waiting.get(path)?.(body),
      onError: (status, path) => httpErrors.push(`HTTP ${status}: ${path}`),
    },
  );
}, 180_000);

afterAll(async () => {
  await server?.close();
});

interface PageRun<T> {
  result: T;
  /** navigator.userAgent of the page that reported. */
  userAgent: string;
  /** Uncaught errors, console errors and failed requests seen while the page ran. */
  problems: string[];
}

/** Opens `path` in a fresh headless Firefox and waits for the page to POST its result. */
async function load<T>(path: string, prefs: Record<string, boolean | number | string> = {}): Promise<PageRun<T>> {
  const target = `/results/${++runs}`;
  const received = new Promise<string>((resolve) => waiting.set(target, resolve));
  const firstError = httpErrors.length;
  const url = `${server.origin}${path}${path.includes('?') ? '&' : '?'}report=${encodeURIComponent(target)}`;
  const firefox = launchFirefox(url, prefs);
  let timer: NodeJS.Timeout | undefined;
  let body: string;
  try {
    body = await Promise.race([
      received,
      firefox.exited.then((code) => {
        throw new Error(`Firefox exited (${code}) before ${path} reported its result. Its output:\n${firefox.output().slice(-4000)}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`${path} reported nothing in ${PAGE_TIMEOUT_MS / 1000} s. Firefox's output:\n${firefox.output().slice(-4000)}`),
            ),
          PAGE_TIMEOUT_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    waiting.delete(target);
    await firefox.close();
  }
  // Read once the browser is gone, so that everything it printed is in.
  const { userAgent, result } = JSON.parse(body) as { userAgent: string; result: T & { problems?: string[] } };
  // Firefox it is, not a Chromium under NDGPU_FIREFOX.
  expect(userAgent).toMatch(/ Firefox\/\d+/);
  const problems = [...(result.problems ?? []), ...pageErrors(firefox.output(), server.origin), ...httpErrors.slice(firstError)];
  return { result, userAgent, problems };
}

describe('the built package in Firefox (wgpu), without a bundler', () => {
  it(
    'imports through an import map; WebGPU and the CPU agree byte for byte',
    async () => {
      const { result, problems } = await load<Comparison>('/pages/esm.html');
      expectSameOnBothBackends(result);
      expect(result.error).toEqual({ isIndexError: true, message: 'IndexError: index 5 is out of bounds for axis 0 with size 3' });
      expect(problems).toEqual([]);
    },
    PAGE_TIMEOUT_MS + 30_000,
  );

  it(
    'runs in a module Web Worker with navigator.gpu; WebGPU and the CPU agree byte for byte',
    async () => {
      const { result, problems } = await load<Comparison>('/pages/worker.html');
      expect(result.failure).toBeUndefined();
      expect(result.hasGPU).toBe(true);
      expectSameOnBothBackends(result);
      expect(problems).toEqual([]);
    },
    PAGE_TIMEOUT_MS + 30_000,
  );
});

describe('the built package in Firefox under a Content-Security-Policy', () => {
  it(
    "compiles the CPU backend's WebAssembly with wasm-unsafe-eval while eval is refused",
    async () => {
      const { result, problems } = await load<Comparison & { evalRefused?: boolean }>('/pages/csp.html');
      expect(result.evalRefused).toBe(true);
      expectSameOnBothBackends(result);
      expect(problems.filter((p) => !/Content.Security.Policy|unsafe-eval|CSP/i.test(p))).toEqual([]);
    },
    PAGE_TIMEOUT_MS + 30_000,
  );
});

const A0 = '[[ 0  1  2  3]\n [ 4  5  6  7]\n [ 8  9 10 11]]';
const A1234 = '[[   0    1    2    3]\n [1234    5    6    7]\n [   8    9   10   11]]';
const A10 = '[[   0   10   10    3]\n [1234   10   10    7]\n [   8   10   10   11]]';

interface Snapshot {
  label: string;
  /** How long the step took, click to drawing. */
  ms: number;
  state: PlaygroundState;
  progress: string | null;
}
interface PlaygroundRun {
  failure?: string;
  badge: string | null;
  pageState: string;
  start: PlaygroundState;
  snapshots: Snapshot[];
}

describe('playground in Firefox (wgpu)', () => {
  it(
    'steps through "Copies and Views" on WebGPU: values, walks, writes, errors in place',
    async () => {
      const { result, problems } = await load<PlaygroundRun>('/pages/playground.html');
      expect(result.failure).toBeUndefined();
      expect(result.pageState).toBe('ready');
      expect(result.start.backend, `the playground said: ${result.badge}`).toBe('webgpu');
      expect(result.badge).toMatch(/^WebGPU/);

      // Each snapshot is the page after one step; `outputs` are what that step printed.
      let seen = 0;
      const steps = result.snapshots.values();
      const next = (label: string) => {
        const snapshot = steps.next().value as Snapshot | undefined;
        expect(snapshot?.label).toBe(label);
        const entries = snapshot!.state.entries.slice(seen);
        seen = snapshot!.state.entries.length;
        return {
          state: snapshot!.state,
          entries,
          outputs: entries.flatMap((e) => (e.output === null ? [] : [e.output])),
          progress: snapshot!.progress,
        };
      };

      // No Copy at All
      let step = next('no copy: b = a');
      expect(step.outputs).toEqual(['True']);
      expect(step.state.buffers.map((b) => b.owner)).toEqual(['a = b']);
      expect(card(step.state, 'a')).toMatchObject({
        names: 'a b',
        values: A0,
        fields: { shape: '(3, 4)', strides: '(16, 4)', offset: '0', dtype: 'int32', base: 'None', owndata: 'True' },
        walk: range(12),
        changed: [],
      });
      step = next('no copy: id');
      const [idA, idB] = step.outputs;
      expect(idA).toMatch(/^\d+$/);
      expect(idB).toBe(idA);

      // View or Shallow Copy
      step = next('view: c = a.view()');
      expect(step.outputs).toEqual(['False', 'True', 'False']);
      expect(card(step.state, 'c')).toMatchObject({
        values: A0,
        fields: { base: 'a = b', owndata: 'False', strides: '(16, 4)' },
        walk: range(12),
      });
      step = next('view: reshape');
      expect(step.outputs).toEqual(['(3, 4)']);
      expect(card(step.state, 'c').fields).toMatchObject({ shape: '(2, 6)', strides: '(24, 4)', offset: '0' });
      step = next('view: c[0, 4] = 1234');
      expect(step.outputs).toEqual([A1234]);
      expect(card(step.state, 'a')).toMatchObject({ values: A1234, changed: [4] });
      expect(card(step.state, 'c')).toMatchObject({
        values: '[[   0    1    2    3 1234    5]\n [   6    7    8    9   10   11]]',
        changed: [4],
      });

      // A view that walks the buffer out of order, made before the next write
      step = next('x = a[::-1, ::2]');
      expect(card(step.state, 'x')).toMatchObject({
        fields: { shape: '(3, 2)', strides: '(-16, 8)', offset: '32', base: 'a = b', owndata: 'False' },
        walk: [8, 10, 4, 6, 0, 2],
        changed: [],
      });

      // Slicing: s[:] = 10 changes cells 1, 2, 5, 6, 9 (cell 10 already held 10), in every array touching them
      step = next('slicing: s[:] = 10');
      expect(step.outputs).toEqual([A10]);
      expect(card(step.state, 's')).toMatchObject({
        values: '[[10 10]\n [10 10]\n [10 10]]',
        fields: { shape: '(3, 2)', strides: '(16, 4)', offset: '4', base: 'a = b', owndata: 'False' },
        walk: [1, 2, 5, 6, 9, 10],
        changed: [1, 2, 5, 6, 9],
      });
      expect(card(step.state, 'a')).toMatchObject({ values: A10, changed: [1, 2, 5, 6, 9] });
      expect(card(step.state, 'c').changed).toEqual([1, 2, 5, 6, 9]);
      expect(card(step.state, 'x')).toMatchObject({ values: '[[   8   10]\n [1234   10]\n [   0   10]]', changed: [2, 6] });

      // Transposes walk the buffer column by column
      step = next('b = a.T');
      expect(card(step.state, 'b')).toMatchObject({
        fields: { shape: '(4, 3)', strides: '(4, 16)' },
        walk: [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11],
      });
      expect(card(step.state, 'a').names).toBe('a');
      step = next('b = a; del x');
      const afterDel = step.state;
      expect(() => card(afterDel, 'x')).toThrow();

      // Deep Copy: new memory, a is untouched by d's write
      step = next('deep copy');
      expect(step.outputs).toEqual(['False', 'False', A10]);
      expect(step.state.buffers.map((b) => b.owner)).toEqual(['a = b', 'd']);
      expect(card(step.state, 'd')).toMatchObject({
        values: A10.replace('   0', '9999'),
        fields: { base: 'None', owndata: 'True' },
        changed: [0],
      });
      expect(card(step.state, 'a').changed).toEqual([]);

      // Copy after slicing: a's 1,000 elements go away with `del a`; b keeps 100 of its own
      step = next('copy after slicing');
      expect(step.outputs).toEqual([]);
      expect(step.state.buffers.map((b) => b.owner)).toEqual(['c.base', 'd', 'b']);
      expect(card(step.state, 'b')).toMatchObject({ fields: { shape: '(100,)', base: 'None', owndata: 'True' }, walk: range(100) });
      expect(step.state.held).toBe('arrays hold 496 bytes');

      // ...but with b = a[:100], a's memory stays: b.base is the unnamed 1,000-element array
      step = next('b = a[:100]');
      expect(step.outputs).toEqual(['False']);
      expect(step.state.buffers.map((b) => b.owner)).toEqual(['c.base', 'd', 'b.base']);
      expect(card(step.state, 'b')).toMatchObject({ fields: { shape: '(100,)', base: 'b.base', owndata: 'False' }, walk: range(100) });
      expect(card(step.state, 'b.base').fields).toMatchObject({ shape: '(1000,)', owndata: 'True' });
      expect(step.state.held).toBe('arrays hold 4,096 bytes');
      expect(step.progress).toBe('all 9 steps run');

      // Errors in place, with ndgpu's NumPy messages, and the playground keeps going
      const errors: (string | null)[] = [];
      let last: string | null = null;
      for (const label of ['c[5, 0]', 'c.reshape(5, 5)', 'y = (1,', 'c[:, 0] = [1, 2, 3]', 'c[0, :2] = -1; c[0]']) {
        step = next(label);
        errors.push(...step.entries.map((e) => e.error));
        last = step.entries.at(-1)?.output ?? null;
      }
      expect(errors).toEqual([
        'IndexError: index 5 is out of bounds for axis 0 with size 2',
        'ValueError: cannot reshape array of size 12 into shape (5,5)',
        "y = (1,\n    ^\nSyntaxError: '(' was never closed",
        'ValueError: could not broadcast input array from shape (3,) into shape (2,)',
        null,
        null,
      ]);
      expect(last).toBe('[  -1   -1   10    3 1234   10]');
      expect(steps.next().done).toBe(true);

      expect(problems).toEqual([]);
    },
    PAGE_TIMEOUT_MS + 30_000,
  );

  it(
    'falls back to the CPU and says why in a Firefox without WebGPU',
    async () => {
      const { result, problems } = await load<PlaygroundRun>('/pages/playground.html?steps=first', { 'dom.webgpu.enabled': false });
      expect(result.failure).toBeUndefined();
      expect(result.badge).toBe('CPU · WebGPU unavailable: this environment has no navigator.gpu (WebGPU is not available or not enabled)');
      const [first] = result.snapshots;
      expect(first?.state.backend).toBe('cpu');
      expect(card(first!.state, 'a')).toMatchObject({ values: A0, walk: range(12) });
      expect(problems).toEqual([]);
    },
    PAGE_TIMEOUT_MS + 30_000,
  );
});
